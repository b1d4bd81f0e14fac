/**
 * How many blocks the next eth_getLogs range spans: enough for about `targetLogs` logs at the density the last
 * range showed, never more than the configured batch, and growing at most `growth` times a step (a stretch of
 * empty blocks says little about the next one). A range of a dense chain (a backfill of busy blocks) stays small
 * enough for the RPC's response limits and for reading ahead while the one before is written; a sparse chain
 * reaches the full batch in a few steps.
 */
export type RangeSizing = { targetLogs: number; initialBlocks: number; growth: number }

export const DEFAULT_SIZING: RangeSizing = { targetLogs: 5_000, initialBlocks: 10, growth: 4 }

export function nextRangeBlocks(
  last: { blocks: number; logs: number } | undefined,
  max: number,
  sizing: RangeSizing = DEFAULT_SIZING,
): number {
  if (!last) return Math.max(1, Math.min(max, sizing.initialBlocks))
  const grown = last.blocks * sizing.growth
  const byDensity = last.logs === 0 ? grown : Math.floor((sizing.targetLogs * last.blocks) / last.logs)
  return Math.max(1, Math.min(max, grown, byDensity))
}
