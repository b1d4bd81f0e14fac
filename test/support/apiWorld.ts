/**
 * A world with something of everything the API serves, made through the SDK on a real chain: a service with its
 * committee, three vaults with delegations and allocations, a second staker, a named job in progress, an intent
 * with two bids, a slash reported by a 3-of-5 quorum, a queued withdrawal and a fee to the service's stakers.
 */
import { type Address, type Hex, maxUint256, parseEther } from 'viem'
import { addFee, approveStake, bidOnOrder, deposit, requestWithdrawal } from '../../src/sdk/index.ts'
import type { OrderRef } from '../../src/sdk/types.ts'
import { incident, reportSlash } from './fixtures.ts'
import {
  type OrdersFixture,
  openAcceptedJob,
  openTestOrder,
  requiredCollateral,
  setupOrders,
} from './orders.ts'
import type { World } from './world.ts'

export type ApiWorld = OrdersFixture & {
  job: OrderRef
  intent: OrderRef
  slashId: Hex
  incidentId: Hex
  slashedVault: Address
  secondStaker: Address
  withdrawalVault: Address
  feeAmount: bigint
}

export async function seedApiWorld(w: World): Promise<ApiWorld> {
  const f = await setupOrders(w)
  const budget = parseEther('100')
  const job = await openAcceptedJob(w, f.client, f.ops[0]!, { serviceId: f.svc.serviceId, budget })
  const intent = await openTestOrder(w, f.otherClient, { serviceId: f.svc.serviceId, budget })
  const collateral = requiredCollateral(parseEther('90'), 15_000, 5_000, 0n)
  await bidOnOrder(w.clientFor(f.ops[1]!.operator), { ...intent, price: parseEther('90'), collateral })
  await bidOnOrder(w.clientFor(f.ops[2]!.operator), { ...intent, price: parseEther('80'), collateral })

  const second = w.accounts[17]!
  await approveStake(w.clientFor(second), { spender: f.ops[0]!.vault, amount: maxUint256 })
  await deposit(w.clientFor(second), { vault: f.ops[0]!.vault, assets: parseEther('500') })

  const incidentId = incident('api-outage-1')
  const slashedVault = f.ops[1]!.vault
  const { result: slash } = await reportSlash(w, f.svc.attesters.slice(0, 3), {
    serviceId: f.svc.serviceId,
    vault: slashedVault,
    classId: 0,
    incidentId,
    client: f.client.address,
  })

  await requestWithdrawal(w.clientFor(f.staker), { vault: f.ops[2]!.vault, shares: parseEther('1000') })

  const feeAmount = parseEther('30')
  await approveStake(w.clientFor(f.client), { spender: w.addresses.rewards, amount: maxUint256 })
  await addFee(w.clientFor(f.client), { serviceId: f.svc.serviceId, amount: feeAmount })

  return {
    ...f,
    job,
    intent,
    slashId: slash.slashId,
    incidentId,
    slashedVault,
    secondStaker: second.address,
    withdrawalVault: f.ops[2]!.vault,
    feeAmount,
  }
}
