/**
 * The committee's quorum rule, mirrored from ServiceRegistry.reportTerms so a node knows it holds a quorum before
 * it pays for a transaction: the signers' bond weight and their count must both reach quorumBps of the active
 * committee (weighted and k-of-n), with a non-zero weight.
 */
import type { Address } from 'viem'

export type Committee = {
  serviceId: bigint
  /** Active members (lower-case address) and their bonds. */
  members: Map<string, bigint>
  totalWeight: bigint
  quorumBps: number
}

const BPS = 10_000n

export function hasQuorum(committee: Committee, signers: readonly Address[]): boolean {
  const distinct = [...new Set(signers.map((s) => s.toLowerCase()))].filter((s) => committee.members.has(s))
  const weight = distinct.reduce((sum, s) => sum + committee.members.get(s)!, 0n)
  const quorum = BigInt(committee.quorumBps)
  if (weight === 0n || weight * BPS < committee.totalWeight * quorum) return false
  return BigInt(distinct.length) * BPS >= BigInt(committee.members.size) * quorum
}

/**
 * The smallest set of the given signers that holds a quorum, heaviest bonds first (ties by address): fewer
 * signatures cost less gas to check. Undefined when even all of them fall short.
 */
export function pickQuorum(committee: Committee, signers: readonly Address[]): Address[] | undefined {
  const candidates = [...new Set(signers.map((s) => s.toLowerCase() as Address))]
    .filter((s) => committee.members.has(s))
    .sort((a, b) => {
      const wa = committee.members.get(a)!
      const wb = committee.members.get(b)!
      if (wa !== wb) return wa > wb ? -1 : 1
      return a < b ? -1 : 1
    })
  const chosen: Address[] = []
  for (const s of candidates) {
    chosen.push(s)
    if (hasQuorum(committee, chosen)) return chosen
  }
  return undefined
}
