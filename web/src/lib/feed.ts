/** The feed's list, derived: pure so it is tested in node (feed.test.ts). */
import type { ChainEvent } from '../api/types.ts'
import type { LiveEvent } from './liveState.ts'

/** Stream events and fetched ones, one copy each, newest first; ids a reorg retracted are left out. */
export function mergeFeed(
  live: LiveEvent[],
  fetched: ChainEvent[],
  retracted: ReadonlySet<string>,
): LiveEvent[] {
  const byId = new Map<string, LiveEvent>()
  for (const e of fetched) {
    if (retracted.has(e.id)) continue
    byId.set(e.id, {
      id: e.id,
      name: e.name,
      block: e.block.number,
      logIndex: Number(e.id.split(':')[1] ?? 0),
      time: e.time,
      args: e.args,
      affects: [],
      receivedAt: 0,
    })
  }
  for (const e of live) byId.set(e.id, e)
  return [...byId.values()].sort((a, b) => b.block - a.block || b.logIndex - a.logIndex)
}
