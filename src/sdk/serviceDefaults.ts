import { type Address, parseEther } from 'viem'
import type { ServiceParams } from './types.ts'

/** The burn address: a sink that takes slashed funds out of circulation. */
export const SINK: Address = '0x000000000000000000000000000000000000dEaD'

const HOUR = 3600
const DAY = 24 * HOUR

/**
 * Service terms a new market can start from: a 2-day dispute window and 3-day resolution deadline (a 5-day
 * pipeline, inside the default 14-day change delay), 3-of-5-style quorum at 60%, Ethereum-like 3x correlation
 * within 30 days, caps of 50% per incident and 80% per window, half of a slash to the harmed client and 5% to the
 * reporter. Every field is within the bounds ServiceRegistry enforces; override what the market needs.
 */
export function defaultServiceParams(
  resolver: Address,
  overrides: Partial<ServiceParams> = {},
): ServiceParams {
  return {
    resolver,
    disputeWindow: 2 * DAY,
    resolutionDeadline: 3 * DAY,
    quorumBps: 6000,
    reporterShareBps: 500,
    sink: SINK,
    disputeBond: parseEther('100'),
    correlationWindow: 30 * DAY,
    correlationMultiplierBps: 30_000,
    incidentCapBps: 5000,
    windowCapBps: 8000,
    clientShareBps: 5000,
    attesterPenaltyBps: 2000,
    minAttesterBond: parseEther('1000'),
    minAllocationDelay: 0,
    orderFeeBps: 100,
    collateralFactorBps: 15_000,
    collateralFloorBps: 5_000,
    declaredValue: parseEther('1000000'),
    ...overrides,
  }
}
