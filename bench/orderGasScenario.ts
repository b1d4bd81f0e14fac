/**
 * The orders part of the gas scenario: open, bid, accept, settle milestones, attested outcomes, leases, fee sweeps
 * and a claim of the fees as rewards. Each operation is measured more than once (first and repeat), so a cost
 * that grew with the number of orders, bids or vaults would show (test/gas.test.ts compares them).
 */
import { type Account, maxUint256, parseEther } from 'viem'
import {
  acceptOrder,
  approveStake,
  bidOnOrder,
  claimRewards,
  confirmMilestone,
  type OrderRef,
  openOrder,
  orderParams,
  orderParamsHash,
  reportOrderOutcome,
  settleLease,
  signOrderOutcome,
  sweepFees,
  type TxResult,
} from '../src/sdk/index.ts'
import type { ServiceFixture } from '../test/support/fixtures.ts'
import { setupVault } from '../test/support/fixtures.ts'
import type { World } from '../test/support/world.ts'

type Measure = <T>(name: string, tx: () => Promise<TxResult<T>>) => Promise<TxResult<T>>

/** `prepareVault` runs on the bidding vault first (e.g. to give it a thousand stakers). */
export async function measureOrderGas(
  world: World,
  svc: ServiceFixture,
  measure: Measure,
  prepareVault?: (vault: `0x${string}`) => Promise<void>,
) {
  const [operatorA, operatorB, clientAccount, staker] = [15, 16, 17, 18].map((i) => world.accounts[i]!) as [
    Account,
    Account,
    Account,
    Account,
  ]
  const allocations = [{ serviceId: svc.serviceId, amount: parseEther('2000') }]
  const a = await setupVault(world, operatorA, { bond: parseEther('2000'), allocations })
  const b = await setupVault(world, operatorB, { bond: parseEther('2000'), allocations })
  if (prepareVault) await prepareVault(a.vault)
  const client = world.clientFor(clientAccount)
  await world.mint(clientAccount.address, parseEther('100000'))
  await approveStake(client, { spender: world.addresses.orders, amount: maxUint256 })
  const opA = world.clientFor(operatorA)
  const opB = world.clientFor(operatorB)

  const base = {
    client: clientAccount.address,
    serviceId: svc.serviceId,
    paymentToken: world.addresses.stakeToken,
    budget: parseEther('10'),
  }
  const open = async (name: string, input: Partial<Parameters<typeof orderParams>[0]>): Promise<OrderRef> => {
    const now = await world.now()
    const tx = await measure(name, () =>
      openOrder(client, { params: orderParams({ ...base, now, ...input }) }),
    )
    return tx.result
  }
  // a named job in two milestones (20% / 80%), twice: the second shows nothing grows with the number of orders
  const jobs: OrderRef[] = []
  for (const name of [
    'open order (first ever: creates the book’s token balance)',
    'open order',
    'open order (repeat)',
  ]) {
    jobs.push(await open(name, { vault: a.vault, milestones: [2000, 8000] }))
  }
  await measure('accept named job', () => acceptOrder(opA, jobs[0]!))
  await measure('accept named job (repeat)', () => acceptOrder(opA, jobs[1]!))
  await measure('settle milestone (the service’s first fee)', () => confirmMilestone(client, jobs[0]!))
  await measure('settle last milestone (completes, frees collateral)', () =>
    confirmMilestone(client, jobs[0]!),
  )
  await measure('settle milestone', () => confirmMilestone(client, jobs[1]!))
  await measure('settle last milestone (repeat)', () => confirmMilestone(client, jobs[1]!))

  // an intent: two operators bid, the lower price wins after the window; the winner refunds the rest of the budget
  const intent = await open('open intent', {})
  await measure('bid (first on the order)', () =>
    bidOnOrder(opA, { ...intent, price: parseEther('9'), collateral: parseEther('15') }),
  )
  await measure('bid (second bidder, becomes best)', () =>
    bidOnOrder(opB, { ...intent, price: parseEther('8'), collateral: parseEther('15') }),
  )
  await measure('bid (lower re-bid)', () =>
    bidOnOrder(opA, { ...intent, price: parseEther('7'), collateral: parseEther('15') }),
  )
  await world.travel(3601)
  await measure('accept intent (best bid, refunds budget − price)', () => acceptOrder(opB, intent))

  // the same job settled by a 3-of-5 attester quorum instead of the client
  const attested = await open('open order (attested)', { vault: a.vault, milestones: [2000, 8000] })
  await acceptOrder(opA, attested)
  const signers = svc.attesters.slice(0, 3)
  const domain = { chainId: world.chainId, orders: world.addresses.orders }
  const outcome = {
    orderId: attested.orderId,
    paramsHash: orderParamsHash(attested.params),
    vault: a.vault,
    milestone: 0,
    success: true,
    classId: 0,
  }
  const signatures = await Promise.all(signers.map((s) => signOrderOutcome(s, domain, outcome)))
  await measure('attested milestone, 3-of-5', () =>
    reportOrderOutcome(opA, { ...attested, outcome, signatures }),
  )

  // a lease streaming for an hour, settled twice
  const lease = await open('open lease', { vault: a.vault, ratePerSecond: parseEther('0.001') })
  await acceptOrder(opA, lease)
  await world.travel(1800)
  await measure('settle lease', () => settleLease(opA, lease))
  await world.travel(1800)
  await measure('settle lease (repeat)', () => settleLease(opA, lease))

  // the fees reach the stakers: one sweep for all orders, then a vault claims its share
  await measure('sweep fees', () => sweepFees(opA, { serviceId: svc.serviceId }))
  const stakerClient = world.clientFor(staker)
  await measure('claim rewards (order fees)', () =>
    claimRewards(stakerClient, { vault: a.vault, serviceId: svc.serviceId }),
  )
}
