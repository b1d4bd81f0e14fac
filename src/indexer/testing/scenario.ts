/**
 * A deployment that has lived a little, built through the SDK on a test world: deposits, a withdrawal queued and
 * one claimed, fees and rewards claimed, a slash disputed, partly upheld and executed, one executed undisputed,
 * one still pending, orders completed, failed, active and open with bids, a queued allocation increase, a
 * subsidy stream and an attester leaving. The indexer tests index it and compare the tables with the contracts.
 */

import type { Hex } from 'viem'
import { type Account, type Address, maxUint256, parseEther, zeroAddress } from 'viem'
import { incident, reportSlash } from '../../../test/support/fixtures.ts'
import { type OrdersFixture, openTestOrder, setupOrders } from '../../../test/support/orders.ts'
import type { World } from '../../../test/support/world.ts'
import {
  acceptOrder,
  addFee,
  allocate,
  approveStake,
  bidOnOrder,
  claimRewards,
  claimWithdrawal,
  confirmMilestone,
  deposit,
  disputeSlash,
  executeSlash,
  expireOrder,
  fundSubsidy,
  requestAttesterExit,
  requestWithdrawal,
  resolveSlash,
  setSubsidyRate,
} from '../../sdk/index.ts'

export type Scenario = OrdersFixture & {
  stakers: Account[]
  /** The slash disputed, upheld at half and executed; the one executed undisputed; the one left pending. */
  slashes: { ruled: Hex; executed: Hex; pending: Hex }
  orders: { completed: bigint; failed: bigint; active: bigint; intent: bigint }
}

const E = (n: number | string) => parseEther(String(n))

export async function buildScenario(w: World): Promise<Scenario> {
  const fx = await setupOrders(w)
  const [op0, op1, op2] = fx.ops as [
    OrdersFixture['ops'][0],
    OrdersFixture['ops'][0],
    OrdersFixture['ops'][0],
  ]
  const sid = fx.svc.serviceId
  const stakers = [w.accounts[17]!, w.accounts[18]!]
  for (const s of stakers) {
    for (const op of fx.ops) await approveStake(w.clientFor(s), { spender: op.vault, amount: maxUint256 })
    await deposit(w.clientFor(s), { vault: op0.vault, assets: E(1_500) })
    await deposit(w.clientFor(s), { vault: op1.vault, assets: E(700) })
  }
  // a staker deposits for another (receiver ≠ sender), then both ask to leave part of it
  await deposit(w.clientFor(stakers[0]!), { vault: op2.vault, assets: E(300), receiver: stakers[1]!.address })
  const w1 = await requestWithdrawal(w.clientFor(stakers[0]!), { vault: op0.vault, shares: E(500) })
  await requestWithdrawal(w.clientFor(stakers[1]!), { vault: op1.vault, shares: E(200) })

  // fees for the service's stakers, and a subsidy stream
  const funder = w.accounts[9]!
  await approveStake(w.clientFor(funder), { spender: w.addresses.rewards, amount: maxUint256 })
  await addFee(w.clientFor(funder), { serviceId: sid, amount: E(600) })
  await fundSubsidy(w.clientFor(funder), { serviceId: sid, amount: E(1_000) })
  await setSubsidyRate(w.clientFor(fx.svc.owner), { serviceId: sid, ratePerSecond: 10n ** 12n })

  // orders: one completed, one failed by its deadline (an order slash), one active, one intent with two bids
  const completed = await openTestOrder(w, fx.client, { serviceId: sid, vault: op0.vault, budget: E(100) })
  await acceptOrder(w.clientFor(op0.operator), completed)
  await confirmMilestone(w.clientFor(fx.client), completed)
  const failed = await openTestOrder(w, fx.client, {
    serviceId: sid,
    vault: op2.vault,
    budget: E(80),
    duration: 3_600,
  })
  await acceptOrder(w.clientFor(op2.operator), failed)
  const intent = await openTestOrder(w, fx.otherClient, {
    serviceId: sid,
    budget: E(50),
    biddingWindow: 90 * 86_400,
  })
  await bidOnOrder(w.clientFor(op1.operator), { ...intent, price: E(45), collateral: E('67.5') })
  await bidOnOrder(w.clientFor(op2.operator), { ...intent, price: E(40), collateral: E(60) })

  // a report against op1, disputed, upheld at half, executed
  const reported = await reportSlash(w, fx.svc.attesters.slice(0, 3), {
    serviceId: sid,
    vault: op1.vault,
    classId: 0,
    incidentId: incident('indexer-ruled'),
    client: fx.client.address,
  })
  await approveStake(w.clientFor(op1.operator), { spender: w.addresses.court, amount: maxUint256 })
  await disputeSlash(w.clientFor(op1.operator), { details: reported.result.details })
  await resolveSlash(w.clientFor(fx.svc.resolver), {
    details: reported.result.details,
    upheldAmount: reported.result.details.amount / 2n,
  })
  // one against op0, left to its dispute window
  const undisputed = await reportSlash(w, fx.svc.attesters.slice(1, 4), {
    serviceId: sid,
    vault: op0.vault,
    classId: 1,
    incidentId: incident('indexer-undisputed'),
    client: zeroAddress,
  })

  await w.travel(8 * 86_400)
  await claimWithdrawal(w.clientFor(stakers[0]!), { vault: op0.vault, id: w1.result })
  await expireOrder(w.clientFor(fx.keeper), failed)
  const upheld = { ...reported.result.details, amount: reported.result.details.amount / 2n }
  await executeSlash(w.clientFor(fx.keeper), { details: upheld })
  await executeSlash(w.clientFor(fx.keeper), { details: undisputed.result.details })
  await claimRewards(w.clientFor(op0.operator), { vault: op0.vault, serviceId: sid })

  // op0 is jailed by its executed slash (class 1 jails): op1 takes the next job
  const active = await openTestOrder(w, fx.client, { serviceId: sid, vault: op1.vault, budget: E(60) })
  await acceptOrder(w.clientFor(op1.operator), active)
  const pending = await reportSlash(w, fx.svc.attesters.slice(0, 3), {
    serviceId: sid,
    vault: op2.vault,
    classId: 0,
    incidentId: incident('indexer-pending'),
    client: zeroAddress,
  })
  await allocate(w.clientFor(op2.operator), { vault: op2.vault, serviceId: sid, increase: E(1_000) })
  await requestAttesterExit(w.clientFor(fx.svc.attesters[4]!), { serviceId: sid })
  return {
    ...fx,
    stakers,
    slashes: {
      ruled: reported.result.slashId,
      executed: undisputed.result.slashId,
      pending: pending.result.slashId,
    },
    orders: {
      completed: completed.orderId,
      failed: failed.orderId,
      active: active.orderId,
      intent: intent.orderId,
    },
  }
}

export type { Address }
