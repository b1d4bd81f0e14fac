/**
 * What a service's distributions left its stakers after the operators' commissions, as a pure function.
 *
 * Each RewardsDistributed amount goes to the vaults allocated to the service in proportion to their reward stake
 * at that moment (VaultStakeChanged); each vault's operator keeps its commission in force then (VaultCreated,
 * TermsChanged) and the rest raises its vault's exchange rate: what its stakers receive. Both divisions round
 * down as the contracts do (the distributor's share down, the vault's commission down), except that the stakers'
 * part here is the share less its commission, so the wei a share rounds away is counted to no one: the figure
 * never shows a staker more than it was paid.
 */
const BPS = 10_000n

/** Where an event stands in the chain: events apply in this order. */
export type ChainPosition = { block: number; logIndex: number }
export type StakeChange = ChainPosition & { vault: string; stake: bigint }
export type CommissionChange = ChainPosition & { vault: string; commissionBps: number }
export type Distribution = ChainPosition & { timestamp: number; amount: bigint }
/**
 * One distribution, split: `staker` is what the vaults' stakers got; `commission` the rest, the operators'
 * commissions and the wei the per-vault shares round away.
 */
export type SplitDistribution = { timestamp: number; amount: bigint; commission: bigint; staker: bigint }

const before = (a: ChainPosition, b: ChainPosition) =>
  a.block < b.block || (a.block === b.block && a.logIndex < b.logIndex)

/** `stakes` and `commissions` sorted by chain position; every distribution is split by the state before it. */
export function splitServiceRewards(
  distributions: Distribution[],
  stakes: StakeChange[],
  commissions: CommissionChange[],
): SplitDistribution[] {
  const sorted = [...distributions].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  const stakeOf = new Map<string, bigint>()
  const commissionOf = new Map<string, bigint>()
  let s = 0
  let c = 0
  return sorted.map((d) => {
    for (; s < stakes.length && before(stakes[s]!, d); s++) stakeOf.set(stakes[s]!.vault, stakes[s]!.stake)
    for (; c < commissions.length && before(commissions[c]!, d); c++)
      commissionOf.set(commissions[c]!.vault, BigInt(commissions[c]!.commissionBps))
    const total = [...stakeOf.values()].reduce((x, y) => x + y, 0n)
    let staker = 0n
    if (total > 0n)
      for (const [vault, stake] of stakeOf) {
        const share = (d.amount * stake) / total // down: the distributor's accumulator rounds down too
        staker += share - (share * (commissionOf.get(vault) ?? 0n)) / BPS // the vault's commission rounds down
      }
    return { timestamp: d.timestamp, amount: d.amount, commission: d.amount - staker, staker }
  })
}
