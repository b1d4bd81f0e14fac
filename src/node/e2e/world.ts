/**
 * The chain side of the end-to-end tests: a service with a five-attester committee (accounts 10–14, equal bonds,
 * 60 % quorum: 3 of 5) and one-minute dispute and resolution windows. The probing tests allocate two operators
 * to it (vault A of account 4, vault B of account 5); the order tests one (account 4) with client account 8.
 * Nodes run with interval mining (a block a second), as on a real chain.
 */
import { maxUint256, parseEther } from 'viem'
import type { HDAccount } from 'viem/accounts'
import { DEFAULT_CLASSES, setupService, setupVault } from '../../../test/support/fixtures.ts'
import type { World } from '../../../test/support/world.ts'
import { approveStake } from '../../sdk/index.ts'
import type { ViolationClass } from '../../sdk/types.ts'
import type { Endpoints } from '../testing/endpoints.ts'

export const DOWNTIME_CLASS = 0
export const DELIVERY_CLASS = 1

export async function nodeWorld(w: World) {
  const svc = await setupService(w, {
    params: { disputeWindow: 60, resolutionDeadline: 60 },
    classes: DEFAULT_CLASSES,
  })
  const a = await setupVault(w, w.accounts[4]!, {
    bond: parseEther('1000'),
    delegations: [{ staker: w.accounts[6]!, assets: parseEther('9000') }],
    allocations: [{ serviceId: svc.serviceId, amount: parseEther('10000') }],
  })
  const b = await setupVault(w, w.accounts[5]!, {
    bond: parseEther('1000'),
    allocations: [{ serviceId: svc.serviceId, amount: parseEther('1000') }],
  })
  // the allocations waited out their exposure delay on a chain that started in the past: nodes judge telemetry
  // against their own clock, so the chain is brought to the present
  await w.catchUpToWallClock()
  return {
    serviceId: svc.serviceId,
    attesters: svc.attesters as HDAccount[],
    vaultA: a.vault,
    vaultB: b.vault,
    client: w.accounts[8]!,
  }
}

export type NodeWorld = Awaited<ReturnType<typeof nodeWorld>>

/**
 * The order tests' world: the service with `classes`, operator account 4's vault (10,000 bond, 20,000 delegated
 * by account 6, all 30,000 allocated to the service: collateral for every order of a file), and client account 8
 * with its stake approved to the order book.
 */
export async function orderWorld(w: World, classes: ViolationClass[]) {
  const svc = await setupService(w, { params: { disputeWindow: 60, resolutionDeadline: 60 }, classes })
  const operator = w.accounts[4]!
  const { vault } = await setupVault(w, operator, {
    bond: parseEther('10000'),
    delegations: [{ staker: w.accounts[6]!, assets: parseEther('20000') }],
    allocations: [{ serviceId: svc.serviceId, amount: parseEther('30000') }],
  })
  const client = w.accounts[8]!
  await approveStake(w.clientFor(client), { spender: w.addresses.orders, amount: maxUint256 })
  return { serviceId: svc.serviceId, attesters: svc.attesters as HDAccount[], operator, vault, client }
}

/** The service section of a node's config, with each operator's endpoint as that node sees it. */
export function serviceSection(
  nw: NodeWorld,
  endpoints: Endpoints,
  view: { a: string; b: string },
  extra: Record<string, unknown> = {},
) {
  return {
    serviceId: Number(nw.serviceId),
    epochSeconds: 2,
    classes: { downtime: DOWNTIME_CLASS, delivery: DELIVERY_CLASS },
    // the shared grid: these tests count submissions exactly, and with 2-second epochs the epoch around an outage's
    // end is judged differently by nodes sampling at different instants (randomised timing is tested in
    // measure/schedule.test.ts; production epochs hold 30 probes, where one boundary sample rarely decides)
    probe: { intervalMs: 200, timeoutMs: 1000, randomizeTiming: false },
    verdict: { minSamples: 5, minUptimeBps: 5000 },
    operators: [
      { vault: nw.vaultA, endpoint: endpoints.url(view.a), client: nw.client.address },
      { vault: nw.vaultB, endpoint: endpoints.url(view.b) },
    ],
    ...extra,
  }
}

export async function intervalMining(w: World, on: boolean) {
  if (on) await w.test.setIntervalMining({ interval: 1 })
  else {
    await w.test.setIntervalMining({ interval: 0 })
    await w.test.setAutomine(true)
  }
}
