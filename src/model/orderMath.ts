/**
 * Milestone shares and service fees of orders, mirrored exactly by contracts/src/libraries/OrderMathLib.sol.
 * Milestones are up to four 16-bit shares (bps) packed from the lowest bits; 0 means one milestone of 100%.
 */
import { BPS } from './sharesMath.ts'

export const MAX_MILESTONES = 4n
/** The class id of an order that failed by its deadline, without an attester report (no jail, no ban). */
export const NO_CLASS = 255
const SHARE_MASK = 0xffffn

/** Shares are contiguous from the lowest bits, each non-zero, at most four, summing to 10 000. */
export function validMilestones(milestones: bigint): boolean {
  if (milestones === 0n) return true
  let sum = 0n
  let m = milestones
  let ended = false
  for (let i = 0n; i < MAX_MILESTONES; i++) {
    const share = m & SHARE_MASK
    if (share === 0n) ended = true
    else if (ended) return false // a gap before a later share
    sum += share
    m >>= 16n
  }
  return sum === BPS
}

/** Non-zero shares from the lowest bits up to the first zero (1 for `0`, the single milestone). */
export function milestoneCount(milestones: bigint): bigint {
  if (milestones === 0n) return 1n
  let count = 0n
  let m = milestones
  while ((m & SHARE_MASK) !== 0n) {
    count++
    m >>= 16n
  }
  return count
}

/** Milestone `index`'s part of the price, rounded down (the order book pays the last milestone the remainder). */
export function milestoneAmount(price: bigint, milestones: bigint, index: bigint): bigint {
  if (milestones === 0n) return price
  // a shift past 255 bits gives 0, as in Solidity
  const share = 16n * index >= 256n ? 0n : (milestones >> (16n * index)) & SHARE_MASK
  return (price * share) / BPS
}

/** The service fee on a payment, rounded up: it goes to the service's stakers. */
export function orderFee(amount: bigint, feeBps: bigint): bigint {
  return (amount * feeBps + BPS - 1n) / BPS
}

/** Packs up to four milestone shares (bps) from the lowest bits. */
export function packMilestones(shares: readonly bigint[]): bigint {
  return shares.reduce((packed, share, i) => packed | (share << (16n * BigInt(i))), 0n)
}
