/**
 * Operator reputation per (vault, service), mirrored exactly by contracts/src/libraries/ReputationLib.sol.
 * A score in [0, 10 000] that halves every HALF_LIFE without news, grows a step toward the maximum with each
 * success and halves with each failure. Every step rounds down: a lower score means more collateral, which favours
 * the clients and the protocol.
 */
import { BPS } from './sharesMath.ts'

export const MAX_SCORE = 10_000n
/** The score halves every HALF_LIFE seconds without news (linear between halvings). */
export const HALF_LIFE = 30n * 86_400n
/** A success closes this share (bps) of the gap to the maximum. */
export const SUCCESS_STEP_BPS = 1_000n
/** A failure keeps this share (bps) of the score. */
export const FAILURE_KEEP_BPS = 5_000n

/** Solidity's checked subtraction: an underflow reverts (Panic 0x11) instead of wrapping. */
function sub(a: bigint, b: bigint): bigint {
  if (b > a) throw new RangeError('arithmetic underflow')
  return a - b
}

/**
 * The score `elapsed` seconds after it was `score`: shifted right once per whole half-life (0 from the 14th on,
 * since 10 000 >> 14 = 0), then the chord of the curve within the current half-life, rounded down.
 */
export function decay(score: bigint, elapsed: bigint): bigint {
  const halvings = elapsed / HALF_LIFE
  if (halvings >= 14n) return 0n
  const halved = score >> halvings
  const rest = elapsed % HALF_LIFE
  return (halved * (2n * HALF_LIFE - rest)) / (2n * HALF_LIFE)
}

/** A full success step is earned by collateral of at least this share (bps) of the allocation; less, in proportion. */
export const FULL_STEP_COLLATERAL_BPS = 100n
/**
 * ...and by a stake-token fee paid to the service's stakers of at least this share (bps) of the allocation; less,
 * in proportion: collateral pledged for a few seconds costs nothing, a fee does.
 */
export const FULL_STEP_FEE_BPS = 1n

/** min(10 000, amount × 10^8 / (allocation × fullStepBps)), rounded down (ReputationLib._share). */
function share(amount: bigint, allocation: bigint, fullStepBps: bigint): bigint {
  const weight = (amount * MAX_SCORE * MAX_SCORE) / (allocation * fullStepBps)
  return weight > MAX_SCORE ? MAX_SCORE : weight
}

/**
 * The share (bps) of a full success step an order earns: the lesser of collateral / (1% of the allocation) and
 * fee / (0.01% of the allocation), at most 100%; nothing without an allocation.
 */
export function successWeightBps(collateral: bigint, fee: bigint, allocation: bigint): bigint {
  if (allocation === 0n) return 0n
  const byCollateral = share(collateral, allocation, FULL_STEP_COLLATERAL_BPS)
  const byFee = share(fee, allocation, FULL_STEP_FEE_BPS)
  return byCollateral < byFee ? byCollateral : byFee
}

/**
 * A success closes SUCCESS_STEP_BPS of the gap to MAX_SCORE, weighted by the order's collateral and by the
 * stake-token fee it paid, each against the allocation (dust or self-dealt free orders cannot farm a reputation);
 * rounded down.
 */
export function afterSuccess(score: bigint, collateral: bigint, fee: bigint, allocation: bigint): bigint {
  const weight = successWeightBps(collateral, fee, allocation)
  return score + (sub(MAX_SCORE, score) * SUCCESS_STEP_BPS * weight) / (MAX_SCORE * MAX_SCORE)
}

/** A failure keeps FAILURE_KEEP_BPS of the score, rounded down. */
export function afterFailure(score: bigint): bigint {
  return (score * FAILURE_KEEP_BPS) / MAX_SCORE
}

/**
 * Collateral an order needs: base × factor, discounted by the score down to the service's floor (floorBps of the
 * undiscounted requirement at a perfect score). The discount rounds down and the requirement rounds up: both
 * favour the client.
 */
export function requiredCollateral(base: bigint, factorBps: bigint, floorBps: bigint, score: bigint): bigint {
  const keepBps = sub(MAX_SCORE, (score * sub(MAX_SCORE, floorBps)) / MAX_SCORE)
  const denominator = BPS * BPS
  return (base * factorBps * keepBps + denominator - 1n) / denominator
}
