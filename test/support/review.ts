/**
 * The review's world (test/review.attacks.test.ts and the open findings in test/findings/): operator 4's vault with a
 * 1,000 bond and 9,000 of an honest staker's, 10,000 allocated to a service with order terms; the operator's sybil
 * (account 6), a genuine client (7) and a keeper (3).
 */
import { type Account, type Address, maxUint256, parseEther } from 'viem'
import { acceptOrder, approveStake } from '../../src/sdk/index.ts'
import type { ViolationClass } from '../../src/sdk/types.ts'
import {
  DAY,
  DEFAULT_CLASSES,
  incident,
  reportSlash,
  setupService,
  setupVault,
  WRONG_OUTPUT,
} from './fixtures.ts'
import { ORDER_TERMS, openTestOrder } from './orders.ts'
import { useWorld, type World } from './world.ts'

export const ether = (n: number | string) => parseEther(String(n))
export const BOND = ether(1000)
export const POOL = ether(9000)
export const ALLOC = ether(10000)
export const DELAY = 7 * DAY
/** The fixture service's pipeline: 2-day dispute window + 3-day resolution deadline (defaultServiceParams). */
export const PIPELINE = 5 * DAY

export type ReviewFixture = {
  svc: Awaited<ReturnType<typeof setupService>>
  vault: Address
  operator: Account
  staker: Account
  /** The operator's second address: a client, a depositor or a reporter as the attack needs. */
  sybil: Account
  /** A genuine client of the service. */
  client: Account
  keeper: Account
}

/** What a genuine WRONG_OUTPUT report is worth without any shield: 10% of the 10,000 allocation. */
export const GENUINE_SLASH = (ALLOC * BigInt(WRONG_OUTPUT.basePenaltyBps)) / 10_000n

/** Registers the review world for this file; returns it with the review's helpers bound to it. */
export function useReviewWorld() {
  const { world, fixture } = useWorld<ReviewFixture>(async (w) => {
    const svc = await setupService(w, { params: ORDER_TERMS })
    const operator = w.accounts[4]!
    const staker = w.accounts[5]!
    const { vault } = await setupVault(w, operator, {
      bond: BOND,
      delegations: [{ staker, assets: POOL }],
      allocations: [{ serviceId: svc.serviceId, amount: ALLOC }],
    })
    const sybil = w.accounts[6]!
    const client = w.accounts[7]!
    for (const a of [sybil, client]) {
      await approveStake(w.clientFor(a), { spender: w.addresses.orders, amount: maxUint256 })
      await approveStake(w.clientFor(a), { spender: vault, amount: maxUint256 })
    }
    // the operator approves the court once, for dispute bonds
    await approveStake(w.clientFor(operator), { spender: w.addresses.court, amount: maxUint256 })
    return { svc, vault, operator, staker, sybil, client, keeper: w.accounts[3]! }
  })

  /**
   * A genuine report against the vault, signed by 3 of 5 attesters: WRONG_OUTPUT (10% of the allocation) unless
   * another class is named.
   */
  function genuineReport(w: World, label: string, violation: ViolationClass = WRONG_OUTPUT) {
    const { svc, vault, client, keeper } = fixture()
    return reportSlash(
      w,
      svc.attesters.slice(0, 3),
      {
        serviceId: svc.serviceId,
        vault,
        classId: DEFAULT_CLASSES.indexOf(violation),
        incidentId: incident(label),
        client: client.address,
      },
      keeper,
    )
  }

  /**
   * The shield: the operator's sybil opens a job naming the vault, worth 1 wei but stating `value` (a floor of the
   * collateral base), and the operator accepts it. The requirement is reserved on the allocation, and reservations
   * are senior to every later report slash.
   */
  async function shield(w: World, value: bigint) {
    const { svc, vault, sybil, operator } = fixture()
    const order = await openTestOrder(w, sybil, {
      serviceId: svc.serviceId,
      budget: 1n,
      value,
      vault,
      duration: 60 * DAY,
    })
    const { result } = await acceptOrder(w.clientFor(operator), order)
    return { order, collateral: result.collateral }
  }

  return { world, fixture, genuineReport, shield }
}

/**
 * The operator's own service: itself owner and resolver, one attester it controls (account 12, the puppet), a
 * 99.9% class, no caps and one-minute windows.
 */
export async function ownService(w: World, operator: Account) {
  const puppet = w.accounts[12]!
  const own = await setupService(w, {
    owner: operator,
    resolver: operator,
    attesters: [puppet],
    params: { incidentCapBps: 10_000, windowCapBps: 10_000, disputeWindow: 60, resolutionDeadline: 60 },
    classes: [{ basePenaltyBps: 9990, jailDuration: 0, permanentBan: false }],
  })
  return { ...own, puppet }
}
