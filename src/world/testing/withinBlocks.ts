/**
 * Waiting on a running world in blocks, not seconds: a world on a loaded machine is slow in wall time, but its
 * chain (a block a second with --fast) says how far the story may go before something is missing.
 */
import assert from 'node:assert/strict'
import type { PublicClient } from 'viem'

/** Polls `check` once a second until it holds; fails once the chain is `blocks` past `from`. */
export async function withinBlocks<T>(
  client: PublicClient,
  from: bigint,
  blocks: bigint,
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  for (;;) {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    const value = await check()
    if (value !== undefined) return value
    assert.ok(head <= from + blocks, `${what}: not seen within ${blocks} blocks (block ${from} to ${head})`)
    await new Promise((r) => setTimeout(r, 1_000))
  }
}

/** Polls the API's /ready until it answers 200 (the index reached head − finality depth), within `blocks`. */
export async function apiReady(client: PublicClient, api: string, blocks: bigint) {
  const from = await client.getBlockNumber({ cacheTime: 0 })
  await withinBlocks(client, from, blocks, `${api}/ready answering 200`, async () =>
    (await fetch(`${api}/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
  )
}
