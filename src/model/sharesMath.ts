/**
 * Vault share math, mirrored exactly by contracts/src/libraries/SharesMathLib.sol.
 * Every division names its rounding; rounding always favours the vault (the protocol) over the caller.
 */
export const BPS = 10_000n

/** Virtual shares and assets (OpenZeppelin's ERC-4626 defence): the first depositor cannot inflate the price. */
export const VIRTUAL_SHARES = 1_000n
export const VIRTUAL_ASSETS = 1n

export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('mulDiv by zero')
  return (x * y) / d
}

export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('mulDiv by zero')
  return (x * y + (d - 1n)) / d
}

export const min = (a: bigint, b: bigint) => (a < b ? a : b)
export const max = (a: bigint, b: bigint) => (a > b ? a : b)

/** Shares for a deposit: rounded down, so a depositor never gets more than it paid for. */
export function toSharesDown(assets: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS)
}

/** Assets paid for shares: rounded down, a withdrawer never gets more than its shares are worth. */
export function toAssetsDown(shares: bigint, totalAssets: bigint, totalShares: bigint): bigint {
  return mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES)
}

/**
 * The pool's assets net of the part of pending slashes the operator bond cannot cover. Deposits and
 * withdrawals are priced on this, so nobody enters or leaves at a price that ignores a known loss.
 */
export function netPoolAssets(poolAssets: bigint, bondAssets: bigint, pendingLiabilities: bigint): bigint {
  const poolShareOfLoss = pendingLiabilities > bondAssets ? pendingLiabilities - bondAssets : 0n
  return poolAssets > poolShareOfLoss ? poolAssets - poolShareOfLoss : 0n
}

/** The bond the operator could take out now: bond net of pending slashes, which hit the bond first. */
export function freeBondAssets(bondAssets: bigint, pendingLiabilities: bigint): bigint {
  return bondAssets > pendingLiabilities ? bondAssets - pendingLiabilities : 0n
}
