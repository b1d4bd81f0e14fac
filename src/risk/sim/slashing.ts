/**
 * Slashing at event granularity with the protocol's own formulas (src/model/slashMath.ts): the penalty with its
 * correlation term, the caps, first-loss bond, and the split between client, reporters and sink. The simulator's
 * hot loop keeps stake as float tokens; each event converts to integer micro-tokens, applies the shared bigint
 * formulas, and converts back — so rounding is the protocol's, at a resolution of 10^-6 token.
 */
import { BPS } from '../../model/sharesMath.ts'
import {
  type CorrelationWindowState,
  correlationPenaltyBps,
  recordInWindow,
  slashAmount,
  slashedInWindow,
  splitSlash,
  takeFromTranches,
  totalPenaltyBps,
} from '../../model/slashMath.ts'
import type { ServiceScenario } from './scenario.ts'

export const UNITS_PER_TOKEN = 1_000_000
export const toUnits = (tokens: number): bigint => BigInt(Math.max(0, Math.round(tokens * UNITS_PER_TOKEN)))
export const toTokens = (units: bigint): number => Number(units) / UNITS_PER_TOKEN

const EMPTY: CorrelationWindowState = { epoch: 0n, current: 0n, previous: 0n }

/** Per-service correlation windows and per-operator cap windows, keyed by index. */
export class SlashBook {
  private readonly serviceWindows: CorrelationWindowState[]
  private readonly operatorWindows = new Map<number, CorrelationWindowState>()

  constructor(private readonly services: readonly ServiceScenario[]) {
    this.serviceWindows = services.map(() => EMPTY)
  }

  /**
   * The amount fixed when a slash is requested at `epoch` against operator v on service s, and recorded in the
   * windows (so the next fault in the same window pays a larger correlation penalty).
   */
  request(p: {
    service: number
    operator: number
    epoch: number
    allocatedTokens: number
    pendingTokens: number
    serviceStakeTokens: number
  }): bigint {
    const svc = this.services[p.service] as ServiceScenario
    const window = BigInt(svc.correlationWindow)
    const now = BigInt(p.epoch)
    const allocated = toUnits(p.allocatedTokens)
    const pending = toUnits(p.pendingTokens)
    const serviceState = this.serviceWindows[p.service] ?? EMPTY
    const corr = correlationPenaltyBps(
      slashedInWindow(serviceState, now, window),
      toUnits(p.serviceStakeTokens),
      BigInt(svc.correlationMultiplierBps),
    )
    const opState = this.operatorWindows.get(p.operator) ?? EMPTY
    const amount = slashAmount({
      allocated,
      pendingOnService: pending,
      operatorWindowSlashed: slashedInWindow(opState, now, window),
      vaultAvailable: allocated > pending ? allocated - pending : 0n,
      penaltyBps: totalPenaltyBps(BigInt(svc.basePenaltyBps), corr),
      incidentCapBps: BigInt(svc.incidentCapBps),
      windowCapBps: BigInt(svc.windowCapBps),
    })
    this.serviceWindows[p.service] = recordInWindow(serviceState, now, window, amount)
    this.operatorWindows.set(p.operator, recordInWindow(opState, now, window, amount))
    return amount
  }
}

export type Execution = { fromBond: number; fromPool: number; client: number; reporter: number; sink: number }

/** Executes a slash: bond first, then pool, and the split of the proceeds (all in tokens). */
export function executeSlash(
  svc: ServiceScenario,
  amount: bigint,
  bondTokens: number,
  poolTokens: number,
  hasClient: boolean,
): Execution {
  const { fromBond, fromPool } = takeFromTranches(toUnits(bondTokens), toUnits(poolTokens), amount)
  const taken = fromBond + fromPool
  const split = splitSlash(taken, BigInt(svc.clientShareBps), BigInt(svc.reporterShareBps), hasClient)
  return {
    fromBond: toTokens(fromBond),
    fromPool: toTokens(fromPool),
    client: toTokens(split.client),
    reporter: toTokens(split.reporter),
    sink: toTokens(split.sink),
  }
}

export { BPS }
