/**
 * Order fixtures: a service with order terms, operator vaults to take orders, a client that approved the order
 * book, helpers to open, accept and attest orders through the SDK, and the expectation formulas of
 * ReputationLib / OrderMathLib from the reference model (src/model/reputation.ts, orderMath.ts).
 */
import { type Account, type Address, getAddress, maxUint256, parseEther } from 'viem'
import { mockERC20Abi, mockERC20Bytecode } from '../../src/generated/contracts.ts'
import { orderFee as modelOrderFee } from '../../src/model/orderMath.ts'
import { requiredCollateral as modelRequiredCollateral } from '../../src/model/reputation.ts'
import {
  acceptOrder,
  approveStake,
  type OpenOrderReturnType,
  type OrderOutcome,
  type OrderParams,
  type OrderParamsInput,
  type OrderRef,
  openOrder,
  orderBookAbi,
  orderParams,
  orderParamsHash,
  orderSignatures,
  readOrder,
  readOwed,
  readReputation,
  reportOrderOutcome,
  type ServiceParams,
  sendTransaction,
  signOrderOutcome,
} from '../../src/sdk/index.ts'
import { type ServiceFixture, setupService, setupVault, type VaultFixture } from './fixtures.ts'
import type { World } from './world.ts'

/* Expectation formulas: the reference model's (src/model), which mirrors the Solidity libraries wei for wei. */

export {
  afterFailure as scoreAfterFailure,
  /** ReputationLib.afterSuccess(score, collateral, allocation): a full 10% step from 1% of the allocation. */
  afterSuccess as scoreAfterSuccess,
  decay as decayScore,
  successWeightBps,
} from '../../src/model/reputation.ts'

/** OrderMathLib.fee: rounded up (it goes to the service's stakers). */
export const orderFee = (amount: bigint, feeBps: bigint | number) => modelOrderFee(amount, BigInt(feeBps))

/** A lease settlement's fee (OrderBook._payLease): taken on the cumulative amount, fee(paid + due) − fee(paid). */
export const leaseFee = (paidBefore: bigint, due: bigint, feeBps: bigint | number) =>
  orderFee(paidBefore + due, feeBps) - orderFee(paidBefore, feeBps)

/** ReputationLib.requiredCollateral: base × factor × (1 − score·(1 − floor)), rounded up. */
export const requiredCollateral = (
  base: bigint,
  factorBps: bigint | number,
  floorBps: bigint | number,
  score: bigint,
) => modelRequiredCollateral(base, BigInt(factorBps), BigInt(floorBps), score)

/** RewardsDistributor: a vault's share of `amount` spread over `total` allocated stake (accumulator, rounded down). */
export const ACC_SCALE = 10n ** 24n
export const rewardShare = (stake: bigint, amount: bigint, total: bigint) =>
  (stake * ((amount * ACC_SCALE) / total)) / ACC_SCALE

/* World set-up. */

/** Order terms of the fixture's service: 1% fee, 150% collateral, reputation discount down to half of it. */
export const ORDER_TERMS = {
  orderFeeBps: 100,
  collateralFactorBps: 15_000,
  collateralFloorBps: 5_000,
} as const

export type OrdersFixture = {
  svc: ServiceFixture
  /** Three operators (accounts 4, 5, 6), each with a 10,000 bond, 20,000 delegated and 20,000 allocated. */
  ops: VaultFixture[]
  client: Account
  otherClient: Account
  keeper: Account
  staker: Account
}

/** A world for order tests: builds the service and vaults; clients approved the order book for the stake token. */
export async function setupOrders(
  w: World,
  options: { params?: Partial<ServiceParams>; allocation?: bigint } = {},
): Promise<OrdersFixture> {
  const svc = await setupService(w, { params: { ...ORDER_TERMS, ...options.params } })
  const staker = w.accounts[16]!
  const ops: VaultFixture[] = []
  for (const i of [4, 5, 6]) {
    ops.push(
      await setupVault(w, w.accounts[i]!, {
        bond: parseEther('10000'),
        delegations: [{ staker, assets: parseEther('20000') }],
        allocations: [{ serviceId: svc.serviceId, amount: options.allocation ?? parseEther('20000') }],
      }),
    )
  }
  const client = w.accounts[7]!
  const otherClient = w.accounts[8]!
  for (const c of [client, otherClient]) {
    await approveStake(w.clientFor(c), { spender: w.addresses.orders, amount: maxUint256 })
  }
  return { svc, ops, client, otherClient, keeper: w.accounts[3]!, staker }
}

/* Orders. */

/** Opens an order from `client` (stake-token payment unless given), bids for an hour from now by default. */
export async function openTestOrder(
  w: World,
  client: Account,
  input: Omit<OrderParamsInput, 'client' | 'paymentToken' | 'now'> & { paymentToken?: Address },
): Promise<OpenOrderReturnType['result']> {
  const params = orderParams({
    paymentToken: w.addresses.stakeToken,
    now: await w.now(),
    ...input,
    client: client.address,
  })
  return (await openOrder(w.clientFor(client), { params })).result
}

/** Opens a job naming `op`'s vault and has the operator accept it. */
export async function openAcceptedJob(
  w: World,
  client: Account,
  op: VaultFixture,
  input: Omit<OrderParamsInput, 'client' | 'paymentToken' | 'now' | 'vault'> & { paymentToken?: Address },
) {
  const order = await openTestOrder(w, client, { ...input, vault: op.vault })
  const accepted = await acceptOrder(w.clientFor(op.operator), order)
  return { ...order, acceptance: accepted.result }
}

export const orderDomain = (w: World) => ({ chainId: w.chainId, orders: w.addresses.orders })

/** Signs `outcome` with each attester. */
export const signOutcome = (w: World, attesters: readonly Account[], outcome: OrderOutcome) =>
  Promise.all(attesters.map((a) => signOrderOutcome(a, orderDomain(w), outcome)))

/** Has `attesters` sign the outcome of the order's next milestone and submits it from `submitter`. */
export async function attestOutcome(
  w: World,
  attesters: readonly Account[],
  order: OrderRef,
  outcome: { success: boolean; classId?: number; milestone?: number },
  submitter: Account = w.accounts[3]!,
) {
  const live = await readOrder(w, order.orderId)
  const milestone = outcome.milestone ?? live.settled
  const full: OrderOutcome = {
    orderId: order.orderId,
    paramsHash: orderParamsHash(order.params),
    vault: live.vault,
    milestone,
    success: outcome.success,
    classId: outcome.classId ?? 0,
  }
  const signatures = await signOutcome(w, attesters, full)
  return reportOrderOutcome(w.clientFor(submitter), { ...order, outcome: full, signatures })
}

/** The outcome of `order`'s milestone 0 as held by `vault` (a success unless `o` says otherwise). */
export const outcomeOf = (order: OrderRef, vault: Address, o: Partial<OrderOutcome> = {}): OrderOutcome => ({
  orderId: order.orderId,
  paramsHash: orderParamsHash(order.params),
  vault,
  milestone: 0,
  success: true,
  classId: 0,
  ...o,
})

/**
 * Submits `outcome` exactly as given (no read of the live order: attack tests forge what an honest helper would
 * correct), signed by the first 3 attesters unless `signed` is given, from the fixture's keeper; the raw call, so
 * a test can expect its revert.
 */
export async function reportOutcomeRaw(
  w: World,
  f: OrdersFixture,
  order: OrderRef,
  outcome: OrderOutcome,
  signed?: Awaited<ReturnType<typeof signOutcome>>,
) {
  const signatures = orderSignatures(signed ?? (await signOutcome(w, f.svc.attesters.slice(0, 3), outcome)))
  return orderBookRaw(w, f.keeper, 'reportOutcome', [order.orderId, order.params, outcome, signatures])
}

export const scoreOf = async (w: World, vault: Address, serviceId: bigint) =>
  (await readReputation(w, vault, serviceId)).score

/**
 * The collateral base an order's requirement is computed on (OrderBook._required): the price (a lease's whole
 * budget), never below the value the client stated; another payment token's stated value.
 */
export function collateralBase(w: World, params: OrderParams, price: bigint): bigint {
  if (params.paymentToken.toLowerCase() !== w.addresses.stakeToken.toLowerCase()) return params.value
  const base = params.ratePerSecond > 0n ? params.budget : price
  return base > params.value ? base : params.value
}

/** The requirement for `vault` at `price` now, from the vault's reputation and the formula above. */
export async function expectedCollateral(w: World, params: OrderParams, vault: Address, price: bigint) {
  const score = await scoreOf(w, vault, params.serviceId)
  return requiredCollateral(
    collateralBase(w, params, price),
    params.collateralFactorBps,
    params.collateralFloorBps,
    score,
  )
}

/** Deploys a second mintable ERC-20 (a foreign payment token) and mints `amount` to each of `to`. */
export async function deployPaymentToken(w: World, to: readonly Account[], amount: bigint): Promise<Address> {
  const deployer = w.clientFor(w.deployer).wallet
  const hash = await deployer.deployContract({
    abi: mockERC20Abi,
    bytecode: mockERC20Bytecode,
    args: ['Test Dollar', 'TUSD'],
    chain: null,
  })
  const { contractAddress } = await w.public.waitForTransactionReceipt({ hash })
  const token = getAddress(contractAddress!)
  for (const account of to) {
    const mint = await deployer.writeContract({
      address: token,
      abi: mockERC20Abi,
      functionName: 'mint',
      args: [account.address, amount],
      chain: null,
    })
    await w.public.waitForTransactionReceipt({ hash: mint })
  }
  return token
}

export const tokenBalance = (w: World, token: Address, who: Address) =>
  w.public.readContract({ address: token, abi: mockERC20Abi, functionName: 'balanceOf', args: [who] })

/** What the order book owes `who` in `token` (credits of failed and cancelled orders); stake token by default. */
export const owedOf = (w: World, who: Address, token: Address = w.addresses.stakeToken) =>
  readOwed(w, token, who)

/**
 * Calls the order book directly, bypassing the SDK's input checks: what a caller who does not use the SDK
 * would send (to test what the contract itself rejects).
 */
export function orderBookRaw(w: World, from: Account, functionName: string, args: readonly unknown[]) {
  return sendTransaction(w.clientFor(from), {
    address: w.addresses.orders,
    abi: orderBookAbi,
    functionName,
    args,
  } as any)
}
