/**
 * Order helpers: milestone packing (Types.sol OrderParams.milestones), a parameters builder with defaults, and
 * the client-side checks the order book applies at open, so bad input fails before a transaction is sent.
 */
import { type Address, type Hex, zeroAddress, zeroHash } from 'viem'
import { InvalidInputError } from '../errors.ts'
import { requiredCollateral } from '../model/reputation.ts'
import { ACCEPTANCE_WINDOW } from './orderStage.ts'
import type { OrderParams, OrderTerms } from './types.ts'

const BPS = 10_000
/** OrderMathLib.MAX_MILESTONES: a job pays in at most four milestones (16-bit shares packed in one field). */
export const MAX_MILESTONES = 4
/** OrderBook.MAX_DURATION: the longest an order may run. */
export const MAX_ORDER_DURATION = 365 * 24 * 3600
/** OrderBook.ACCEPTANCE_WINDOW (defined beside the rule that reads it, orderStage.ts). */
export { ACCEPTANCE_WINDOW }
/** OrderBook.CONSENT_WINDOW: one party's agreement to cancel lapses after this long (and when a milestone is paid). */
export const CONSENT_WINDOW = 24 * 3600

/** Packs up to four milestone shares (bps, non-zero, summing to 10,000) into 16-bit fields from the lowest. */
export function packMilestones(shares: readonly number[]): bigint {
  if (shares.length === 0) return 0n
  if (shares.length > MAX_MILESTONES) {
    throw new InvalidInputError(`milestones: at most ${MAX_MILESTONES} shares, got ${shares.length}`)
  }
  let packed = 0n
  let sum = 0
  shares.forEach((share, i) => {
    if (!Number.isInteger(share) || share <= 0 || share > 0xffff) {
      throw new InvalidInputError(
        `milestones: share ${i} must be a positive whole number of bps, got ${share}`,
      )
    }
    sum += share
    packed |= BigInt(share) << BigInt(16 * i)
  })
  if (sum !== BPS) throw new InvalidInputError(`milestones: shares must sum to ${BPS} bps, got ${sum}`)
  return packed
}

/** The shares (bps) of a packed milestones field; 0 is one milestone of 100%. Throws on an invalid field. */
export function unpackMilestones(packed: bigint): number[] {
  if (packed === 0n) return [BPS]
  if (packed < 0n || packed >> BigInt(16 * MAX_MILESTONES) !== 0n) {
    throw new InvalidInputError(`milestones: ${packed} does not fit ${MAX_MILESTONES} 16-bit shares`)
  }
  const shares: number[] = []
  for (let i = 0; i < MAX_MILESTONES; i++) {
    const share = Number((packed >> BigInt(16 * i)) & 0xffffn)
    if (share === 0) {
      if (packed >> BigInt(16 * i) !== 0n)
        throw new InvalidInputError('milestones: a gap before a later share')
      break
    }
    shares.push(share)
  }
  const sum = shares.reduce((a, b) => a + b, 0)
  if (sum !== BPS) throw new InvalidInputError(`milestones: shares must sum to ${BPS} bps, got ${sum}`)
  return shares
}

/** What each milestone of a job pays out of `price`: rounded down, the last takes the remainder. */
export function milestoneAmounts(price: bigint, packed: bigint): bigint[] {
  const shares = unpackMilestones(packed)
  const amounts = shares.map((s) => (price * BigInt(s)) / BigInt(BPS))
  amounts[amounts.length - 1] = price - amounts.slice(0, -1).reduce((a, b) => a + b, 0n)
  return amounts
}

export type OrderParamsInput = {
  client: Address
  serviceId: bigint
  /** The stake token, or another ERC-20 (then `value` is required). */
  paymentToken: Address
  budget: bigint
  /** A named operator's vault; omitted: an intent that operators bid on. */
  vault?: Address
  /**
   * What the order is worth in stake-token units: required for another payment token; in the stake token, a floor
   * of the collateral base (a bid's collateral then covers at least this, however low its price).
   */
  value?: bigint
  /** A lease's rate; omitted or 0: a job. */
  ratePerSecond?: bigint
  /** Chain time now (seconds); needed when `biddingEnds` or a job's `deadline` is derived. */
  now?: number | bigint
  biddingEnds?: number
  /** Seconds from `now` to `biddingEnds` (default one hour). */
  biddingWindow?: number
  deadline?: number
  /** A job's seconds from `biddingEnds` to its deadline (default one day). */
  duration?: number
  /** Shares in bps (e.g. [2000, 8000]) or the packed field; omitted: one milestone. */
  milestones?: readonly number[] | bigint
}

/**
 * Order parameters with defaults: an intent unless `vault` is named, a job unless `ratePerSecond` is set, bids for
 * an hour from `now`, a job's deadline a day after that. The fee and collateral terms are left 0: the order book
 * writes the service's terms in force at open (openOrder returns them).
 */
export function orderParams(input: OrderParamsInput): OrderParams {
  const lease = (input.ratePerSecond ?? 0n) > 0n
  const now = input.now === undefined ? undefined : Number(input.now)
  const biddingEnds =
    input.biddingEnds ?? (now === undefined ? undefined : now + (input.biddingWindow ?? 3600))
  if (biddingEnds === undefined) throw new InvalidInputError('biddingEnds: give biddingEnds or now')
  const deadline = lease
    ? (input.deadline ?? 0)
    : (input.deadline ?? biddingEnds + (input.duration ?? 86_400))
  const milestones =
    typeof input.milestones === 'bigint' ? input.milestones : packMilestones(input.milestones ?? [])
  const params: OrderParams = {
    client: input.client,
    serviceId: input.serviceId,
    paymentToken: input.paymentToken,
    vault: input.vault ?? zeroAddress,
    budget: input.budget,
    value: input.value ?? 0n,
    ratePerSecond: input.ratePerSecond ?? 0n,
    biddingEnds,
    deadline,
    milestones,
    feeBps: 0,
    collateralFactorBps: 0,
    collateralFloorBps: 0,
  }
  checkOrderParams(params, now)
  return params
}

/** Terms with nothing for the attesters to judge beyond the service's SLA; override what the order needs. */
export function orderTerms(overrides: Partial<OrderTerms> = {}): OrderTerms {
  return {
    termsHash: zeroHash as Hex,
    maxLatencyMs: 0,
    minUptimeBps: 0,
    minTempCentiC: 0,
    maxTempCentiC: 0,
    pickupBy: 0,
    device: zeroAddress,
    ...overrides,
  }
}

/**
 * The checks OrderBook.open applies that need no chain state but the time (the stake token's identity is checked
 * by openOrder). Throws InvalidInputError naming the field.
 */
export function checkOrderParams(p: OrderParams, now?: number): void {
  if (p.paymentToken === zeroAddress) throw new InvalidInputError('paymentToken: zero address')
  if (p.budget <= 0n) throw new InvalidInputError('budget: must be positive')
  if (now !== undefined && (p.biddingEnds <= now || p.biddingEnds > now + MAX_ORDER_DURATION)) {
    throw new InvalidInputError(`biddingEnds: must be after now (${now}) and within ${MAX_ORDER_DURATION} s`)
  }
  if (p.ratePerSecond > 0n) {
    if (p.deadline !== 0)
      throw new InvalidInputError('deadline: a lease has none (it runs until its funds do)')
    if (p.milestones !== 0n) throw new InvalidInputError('milestones: a lease has none')
    if (p.budget / p.ratePerSecond > BigInt(MAX_ORDER_DURATION)) {
      throw new InvalidInputError(
        `ratePerSecond: the budget would stream longer than ${MAX_ORDER_DURATION} s`,
      )
    }
  } else {
    if (p.deadline <= p.biddingEnds) throw new InvalidInputError('deadline: must be after biddingEnds')
    if (now !== undefined && p.deadline > now + MAX_ORDER_DURATION) {
      throw new InvalidInputError(`deadline: more than ${MAX_ORDER_DURATION} s away`)
    }
    unpackMilestones(p.milestones)
  }
}

/** A lease (paid per second of service) rather than a job. */
export const isLease = (p: OrderParams) => p.ratePerSecond > 0n
/** An intent (operators bid) rather than an order for a named operator's vault. */
export const isIntent = (p: OrderParams) => p.vault === zeroAddress
/** The last second an order can be accepted: a named order's biddingEnds, an intent's biddingEnds + 1 day. */
export const acceptanceCloses = (p: OrderParams) =>
  isIntent(p) ? p.biddingEnds + ACCEPTANCE_WINDOW : p.biddingEnds

/**
 * The most an order's collateral requirement can be at `price` (OrderBook._required at a reputation of 0): the
 * base (the price, a lease's whole budget, never below the stated value; another token's stated value) times the
 * collateral factor, rounded up. A bid may pledge this: acceptance reserves exactly the requirement then, so a
 * pledge at the maximum never fails because the operator's reputation decayed between the read and the bid.
 */
export function maxRequiredCollateral(p: OrderParams, price: bigint, stakeToken: Address): bigint {
  const ownToken = p.paymentToken.toLowerCase() === stakeToken.toLowerCase()
  const priced = isLease(p) ? p.budget : price
  const base = !ownToken ? p.value : priced > p.value ? priced : p.value
  return requiredCollateral(base, BigInt(p.collateralFactorBps), BigInt(p.collateralFloorBps), 0n)
}
