/**
 * Turn-taking among keepers, shared by the slash keeper (keeper.ts) and the order duties (orderDuties.ts): a task
 * is this keeper's to do once it has been due for its place in line (rank.ts) times the stagger.
 */
import type { Address, Hex, LocalAccount } from 'viem'
import type { TxSender } from '../chain/txSender.ts'
import type { Logger } from '../log.ts'
import type { NodeMetrics } from '../nodeMetrics.ts'
import { turnOf } from '../rank.ts'

/** What every keeper needs: who it is, who shares the work, how it sends, and how long each turn lasts. */
export type KeeperDeps = {
  account: LocalAccount
  /** Other keepers' addresses: they share the work in turns. */
  peers: Address[]
  txSender: TxSender
  metrics: NodeMetrics
  log: Logger
  staggerMs: number
  now?: () => number
}

export function keeperTurns(deps: Pick<KeeperDeps, 'account' | 'peers' | 'staggerMs'>, now: () => number) {
  const firstSeen = new Map<string, number>()
  return {
    /** True once `task` (first seen now or earlier) has waited for this keeper's place in line on `taskId`. */
    myTurn(task: string, taskId: Hex): boolean {
      const seen = firstSeen.get(task) ?? now()
      firstSeen.set(task, seen)
      return now() >= seen + turnOf(taskId, deps.account.address, deps.peers) * deps.staggerMs
    },
    /** Forgets when `task` was first seen (it is done). */
    forget(task: string): void {
      firstSeen.delete(task)
    },
  }
}
