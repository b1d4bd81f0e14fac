/**
 * Deterministic turn-taking. Every node that could do a task (submit a report, execute a slash) computes the same
 * order of the candidates from the task id, so the first in line acts at once and the others wait a little longer
 * each, check the chain, and find the work done. The order changes per task, which spreads gas costs.
 */
import { type Address, concat, type Hex, keccak256 } from 'viem'

export function turnOrder(taskId: Hex, candidates: readonly Address[]): Address[] {
  const keyed = [...new Set(candidates.map((c) => c.toLowerCase() as Address))].map((address) => ({
    address,
    key: BigInt(keccak256(concat([taskId, address]))),
  }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return keyed.map((k) => k.address)
}

/** This node's place in line (0 = first); the node counts itself as a candidate whether or not listed. */
export function turnOf(taskId: Hex, self: Address, candidates: readonly Address[]): number {
  const order = turnOrder(taskId, [...candidates, self])
  return order.indexOf(self.toLowerCase() as Address)
}
