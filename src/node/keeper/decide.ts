/**
 * What a keeper may do now, as a pure function of the open slashes and the chain's time. Slashes of one vault
 * execute strictly in request order, so only the oldest unsettled slash of each vault can be executed; a disputed
 * slash whose resolver missed the deadline can be lapsed wherever it stands in the queue.
 */
import type { Address } from 'viem'
import type { FoldedSlash } from './slashFold.ts'

export type KeeperAction = { action: 'execute' | 'lapse'; slash: FoldedSlash }

export function keeperActions(open: readonly FoldedSlash[], chainTime: bigint): KeeperAction[] {
  const byVault = new Map<Address, FoldedSlash[]>()
  for (const s of open) {
    const list = byVault.get(s.vault) ?? []
    list.push(s)
    byVault.set(s.vault, list)
  }
  const actions: KeeperAction[] = []
  for (const vault of [...byVault.keys()].sort()) {
    const queue = byVault.get(vault)!.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))
    for (const s of queue) {
      if (s.status === 'Disputed' && chainTime > s.resolveBy) actions.push({ action: 'lapse', slash: s })
    }
    const head = queue[0]
    if (!head) continue
    if (head.status === 'Upheld' || (head.status === 'Pending' && chainTime > head.disputeEnd))
      actions.push({ action: 'execute', slash: head })
  }
  return actions
}
