/**
 * Slash sizing and distribution, mirrored exactly by contracts/src/libraries/SlashMathLib.sol.
 * Slashes round up (the protocol collects the rounding); caps and payouts round down.
 */
import { BPS, min, mulDivDown, mulDivUp } from './sharesMath.ts'

/** Per-service rolling record of stake slashed or pending, in fixed epochs of `window` seconds. */
export type CorrelationWindowState = { epoch: bigint; current: bigint; previous: bigint }

/**
 * Stake slashed or pending in the trailing window at `now`: this epoch's total plus the part of the previous
 * epoch's total that still lies inside the window (linear weighting, rounded up: a larger penalty favours the
 * protocol). Older epochs count for nothing.
 */
export function slashedInWindow(state: CorrelationWindowState, now: bigint, window: bigint): bigint {
  const epoch = now / window
  let current = 0n
  let previous = 0n
  if (state.epoch === epoch) {
    current = state.current
    previous = state.previous
  } else if (state.epoch + 1n === epoch) {
    previous = state.current
  }
  return current + mulDivUp(previous, window - (now % window), window)
}

/** Adds a newly requested slash to the window, rolling epochs forward first. */
export function recordInWindow(
  state: CorrelationWindowState,
  now: bigint,
  window: bigint,
  amount: bigint,
): CorrelationWindowState {
  const epoch = now / window
  if (state.epoch === epoch) return { epoch, current: state.current + amount, previous: state.previous }
  if (state.epoch + 1n === epoch) return { epoch, current: amount, previous: state.current }
  return { epoch, current: amount, previous: 0n }
}

/** Removes a cancelled slash from the window when it is still in the epoch it was added to. */
export function removeFromWindow(
  state: CorrelationWindowState,
  requestedAt: bigint,
  window: bigint,
  amount: bigint,
): CorrelationWindowState {
  if (state.epoch !== requestedAt / window) return state
  return { ...state, current: state.current > amount ? state.current - amount : 0n }
}

/**
 * Ethereum-style proportional penalty: the fraction of the service's allocated stake already slashed or
 * pending in the window, times the multiplier, capped at 100%. Rounded up (slashes favour the protocol).
 */
export function correlationPenaltyBps(
  windowSlashed: bigint,
  serviceAllocated: bigint,
  multiplierBps: bigint,
): bigint {
  if (serviceAllocated === 0n || windowSlashed === 0n) return 0n
  const fractionBps = mulDivUp(windowSlashed, BPS, serviceAllocated)
  return min(BPS, mulDivUp(fractionBps, multiplierBps, BPS))
}

export function totalPenaltyBps(basePenaltyBps: bigint, correlationBps: bigint): bigint {
  return min(BPS, basePenaltyBps + correlationBps)
}

export type SlashAmountInput = {
  /** The operator's allocation to the service, limited to what the vault holds. */
  allocated: bigint
  /** Slashes already pending against this allocation. */
  pendingOnService: bigint
  /** What this operator already lost on this service in the current cap window. */
  operatorWindowSlashed: bigint
  /** Vault stake (bond + pool) minus every pending slash of the vault. */
  vaultAvailable: bigint
  penaltyBps: bigint
  incidentCapBps: bigint
  windowCapBps: bigint
}

/**
 * The amount fixed when a slash is requested: the penalty on the allocation (rounded up), then held to the
 * per-incident cap, the per-window cap (caps round down, so a slash never exceeds one), and the stake that is
 * actually slashable (allocation not already pending, and vault stake not already owed elsewhere).
 */
export function slashAmount(input: SlashAmountInput): bigint {
  const raw = mulDivUp(input.allocated, input.penaltyBps, BPS)
  const incidentCap = mulDivDown(input.allocated, input.incidentCapBps, BPS)
  const windowCap = mulDivDown(input.allocated, input.windowCapBps, BPS)
  const windowRoom = windowCap > input.operatorWindowSlashed ? windowCap - input.operatorWindowSlashed : 0n
  const allocationRoom =
    input.allocated > input.pendingOnService ? input.allocated - input.pendingOnService : 0n
  return min(min(min(raw, incidentCap), windowRoom), min(allocationRoom, input.vaultAvailable))
}

export type SlashSplit = { client: bigint; reporter: bigint; sink: bigint }

/**
 * Who receives an executed slash. Client and reporter shares round down; the remainder, rounding included,
 * goes to the sink. Without a harmed client, the client share goes to the sink too.
 */
export function splitSlash(
  amount: bigint,
  clientBps: bigint,
  reporterBps: bigint,
  hasClient: boolean,
): SlashSplit {
  const reporter = mulDivDown(amount, reporterBps, BPS)
  const client = hasClient ? mulDivDown(amount, clientBps, BPS) : 0n
  return { client, reporter, sink: amount - reporter - client }
}

/** The operator's bond is first-loss: a slash takes from it before it touches delegated stake. */
export function takeFromTranches(bondAssets: bigint, poolAssets: bigint, amount: bigint) {
  const fromBond = min(bondAssets, amount)
  const fromPool = min(poolAssets, amount - fromBond)
  return { fromBond, fromPool }
}
