/**
 * "Now" as the chain sees it. Slashes execute and withdrawals mature by block time, not by the reader's clock;
 * a devnet whose time was moved forward runs ahead of the wall clock, and an idle chain's last block lags behind
 * it (the next block will carry the wall time). So now is the later of the two, taken from every API answer's
 * block.
 */
let latestBlockTime = 0

export function noteBlockTime(unix: number | null | undefined): void {
  if (typeof unix === 'number' && unix > latestBlockTime) latestBlockTime = unix
}

export function chainNow(wallMs: number = Date.now()): number {
  return Math.max(Math.floor(wallMs / 1000), latestBlockTime)
}
