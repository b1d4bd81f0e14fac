/**
 * One step of the world per new block: fold the block's events into the view (telling the story of those not yet
 * told), then let every actor act on what it now knows. Actions run in the background (one per account at a
 * time), so a slow transaction never holds the world back.
 */
import type { Address, PublicClient } from 'viem'
import { clientsTick } from './actors/clients.ts'
import { operatorsTick } from './actors/operators.ts'
import { resolverTick } from './actors/resolver.ts'
import { createSensors, sensorsTick } from './actors/sensors.ts'
import { stakersTick } from './actors/stakers.ts'
import type { WorldContext } from './context.ts'
import { applyEvent, decodeWorldLogs, type Names } from './view.ts'

/** Blocks per getLogs call when catching up (a resumed world replays its history). */
const BATCH = 2_000n

export async function foldBlocks(
  client: PublicClient,
  ctx: WorldContext,
  names: Names,
  to: bigint,
  tell: boolean,
): Promise<void> {
  const addresses: Address[] = [ctx.addresses.court, ctx.addresses.orders, ...ctx.vaults]
  const timestamps = new Map<bigint, number>()
  for (let from = ctx.view.lastBlock + 1n; from <= to; from += BATCH) {
    const end = from + BATCH - 1n < to ? from + BATCH - 1n : to
    const logs = await client.getLogs({ address: addresses, fromBlock: from, toBlock: end })
    for (const e of decodeWorldLogs(logs)) {
      const line = applyEvent(ctx.view, e, names)
      if (e.eventName === 'OrderAccepted' && e.blockNumber !== null) {
        // sensors plan their readings from the acceptance's block time: the same after a restart
        let ts = timestamps.get(e.blockNumber)
        if (ts === undefined) {
          ts = Number((await client.getBlock({ blockNumber: e.blockNumber })).timestamp)
          timestamps.set(e.blockNumber, ts)
        }
        const o = ctx.view.orders.get((e.args as { orderId: bigint }).orderId)
        if (o) o.acceptedAt = ts
      }
      if (line && tell && (e.blockNumber ?? 0n) > BigInt(ctx.state.toldBlock)) ctx.story.tell(line)
    }
    ctx.view.lastBlock = end
  }
  if (tell && to > BigInt(ctx.state.toldBlock)) ctx.state.toldBlock = to.toString()
}

export function createActors(wasDown: (operator: number, epochStartSec: number) => boolean) {
  let sensors: ReturnType<typeof createSensors> | undefined
  const approved = new Set<string>()
  return (ctx: WorldContext) => {
    sensors ??= createSensors(ctx)
    clientsTick(ctx)
    operatorsTick(ctx)
    sensorsTick(ctx, sensors)
    stakersTick(ctx, approved)
    resolverTick(ctx, wasDown)
  }
}
