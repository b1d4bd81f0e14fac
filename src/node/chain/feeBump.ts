/**
 * Fee replacement for the node's own transactions, as pure functions of the fees signed, the chain's base fee and
 * the operator's policy (txSender.ts does the signing and the journal).
 *
 * A transaction is replaced — the same nonce re-signed with higher fees — when it stayed unmined for
 * `bumpAfterBlocks` blocks after it was broadcast, or when its fee cannot pay the current base fee plus its own tip
 * (it is underpriced: a block builder has no reason to take it). A replacement raises *both* maxFeePerGas and
 * maxPriorityFeePerGas by at least `bumpBps` (geth and anvil refuse a replacement below +10 % / +12.5 % on either),
 * and never above `maxFeePerGas`, the operator's cap: a fee spike cannot make the node spend more than
 * gas × cap on any transaction. When the cap leaves no room for a valid bump, the transaction is left as it is.
 */

const BPS = 10_000n

export type FeePolicy = {
  /** Blocks a broadcast transaction may stay unmined before it is replaced. */
  bumpAfterBlocks: number
  /** The least raise of each fee per replacement, in bps (≥ 1 250: geth's and anvil's replacement rule). */
  bumpBps: number
  /** The most this node pays per gas, first sends and replacements alike (wei). */
  maxFeePerGas: bigint
}

/** EIP-1559 fees; a legacy transaction's gas price is both. */
export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

export type ReplaceReason = 'unmined' | 'underpriced'

/** Why a transaction should be replaced now, or undefined when it should be left to mine. */
export function replaceReason(o: {
  fees: Fees
  baseFeePerGas: bigint
  sentBlock: bigint
  head: bigint
  policy: FeePolicy
}): ReplaceReason | undefined {
  if (o.fees.maxFeePerGas < o.baseFeePerGas + o.fees.maxPriorityFeePerGas) return 'underpriced'
  if (o.head - o.sentBlock >= BigInt(o.policy.bumpAfterBlocks)) return 'unmined'
  return undefined
}

/** `value` raised by `bps`, rounded up: the replacement rule is a floor, so rounding down could fall short of it. */
export const raise = (value: bigint, bps: number): bigint => (value * (BPS + BigInt(bps)) + BPS - 1n) / BPS

export type BumpResult = { ok: true; fees: Fees } | { ok: false; reason: string }

/**
 * The fees of a replacement: each at least `bumpBps` above the current one; the tip at least the market's, the
 * fee cap at least twice the base fee plus the tip (room for the base fee to rise for a few blocks), and the fee
 * cap at most the policy's. Refused when the cap leaves no valid bump.
 */
export function bumpFees(o: {
  current: Fees
  baseFeePerGas: bigint
  marketPriorityFeePerGas: bigint
  policy: FeePolicy
}): BumpResult {
  const { current, policy } = o
  const minPriority = raise(current.maxPriorityFeePerGas, policy.bumpBps)
  const minMax = raise(current.maxFeePerGas, policy.bumpBps)
  if (minMax > policy.maxFeePerGas)
    return {
      ok: false,
      reason: `a replacement needs maxFeePerGas ≥ ${minMax} wei, above the cap of ${policy.maxFeePerGas} wei`,
    }
  let priority = max(minPriority, o.marketPriorityFeePerGas)
  let maxFee = max(minMax, 2n * o.baseFeePerGas + priority)
  if (maxFee > policy.maxFeePerGas) maxFee = policy.maxFeePerGas
  // the tip can never exceed the fee cap; clamped to it, it is still a valid bump (maxFee ≥ minMax ≥ minPriority,
  // as a signed tip never exceeds its fee cap)
  if (priority > maxFee) priority = maxFee
  return { ok: true, fees: { maxFeePerGas: maxFee, maxPriorityFeePerGas: priority } }
}

/** The fees of a first send, held to the policy's cap (the tip never above the fee cap). */
export function capFees(fees: Fees, policy: FeePolicy): Fees {
  const maxFeePerGas = min(fees.maxFeePerGas, policy.maxFeePerGas)
  return { maxFeePerGas, maxPriorityFeePerGas: min(fees.maxPriorityFeePerGas, maxFeePerGas) }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b)
const min = (a: bigint, b: bigint) => (a < b ? a : b)
