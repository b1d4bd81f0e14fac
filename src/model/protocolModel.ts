/**
 * Reference model of the protocol core in plain bigint arithmetic: vaults, allocations, the court's slashes and
 * queues, attester bonds, rewards, order collateral and reputation, and every token balance. It mirrors the
 * contracts rule by rule — including which custom error a bad action must raise — so the invariant suite can run
 * random sequences against both and compare. The order book itself is in ordersModel.ts (`model.orders`).
 * Formulas come from sharesMath.ts, slashMath.ts and reputation.ts, shared with the simulator.
 */
import { encodeAbiParameters, keccak256 } from 'viem'
import { addr, fail, ZERO_ADDRESS } from './modelRevert.ts'
import { NO_CLASS } from './orderMath.ts'
import { OrderBookModel } from './ordersModel.ts'
import { afterFailure, afterSuccess, decay } from './reputation.ts'
import { BPS, max, min, mulDivUp, netPoolAssets, toAssetsDown, toSharesDown } from './sharesMath.ts'
import {
  correlationPenaltyBps,
  slashAmount,
  slashedInWindow,
  splitSlash,
  totalPenaltyBps,
} from './slashMath.ts'

export { ModelRevert } from './modelRevert.ts'
export { NO_CLASS } from './orderMath.ts'

export const DEAD_SHARES = 1n
const MAX_UINT128 = (1n << 128n) - 1n
/** OperatorVault.BOND_CLAIM_WINDOW: a matured bond withdrawal lapses this long after readyAt. */
export const BOND_CLAIM_WINDOW = 86_400n
/** SlashingCourt.ORDER_INCIDENT_FLAG: incident ids with the top bit set are the order book's. */
export const ORDER_INCIDENT_FLAG = 1n << 255n

/** keccak256(abi.encode(uint64 serviceId, address vault, bytes32 incidentId)), as SlashingCourt._slashId. */
export function slashIdOf(serviceId: bigint, vault: string, incidentId: bigint): string {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint64' }, { type: 'address' }, { type: 'uint256' }],
      [serviceId, vault as `0x${string}`, incidentId],
    ),
  )
}

export type ModelServiceParams = {
  disputeWindow: bigint
  resolutionDeadline: bigint
  quorumBps: bigint
  reporterShareBps: bigint
  clientShareBps: bigint
  sink: string
  disputeBond: bigint
  correlationWindow: bigint
  correlationMultiplierBps: bigint
  incidentCapBps: bigint
  windowCapBps: bigint
  attesterPenaltyBps: bigint
  minAttesterBond: bigint
  /** Order terms: written into every order's parameters when it opens. */
  orderFeeBps: bigint
  collateralFactorBps: bigint
  collateralFloorBps: bigint
}

export type ModelClass = { basePenaltyBps: bigint; jailDuration: bigint; permanentBan: boolean }

export type ModelAllocation = {
  amount: bigint
  pending: bigint
  windowEpoch: bigint
  windowSlashed: bigint
  decrease: bigint
  decreaseReadyAt: bigint
  live: boolean
  banned: boolean
  /** Executed slashes on this service (uint16, wraps); a change resets the reputation. */
  slashCount: bigint
  jailedUntil: bigint
  /** Collateral the vault's open orders on this service hold. */
  reserved: bigint
  /** Reputation at `scoredAt`, before decay, and the slash count it was written at. */
  score: bigint
  scoredAt: bigint
  slashesSeen: bigint
  successes: bigint
  failures: bigint
  /** A queued increase (allocate), applied by anyone at increaseReadyAt (applyAllocation). */
  increase: bigint
  increaseReadyAt: bigint
  /** The largest share (bps, rounded up) of the vault's stake the allocation may reach, fixed when applied. */
  shareBps: bigint
  /** (amount + increase) / stake when the increase was queued, rounded up. */
  queuedShareBps: bigint
  /** min(amount, stake) as last synced, 0 once banned: what the court's correlation base and the rewards count. */
  weight: bigint
}

export type OrderResult = 'Cancelled' | 'Succeeded' | 'Failed'

export type ModelVault = {
  address: string
  operator: string
  withdrawalDelay: bigint
  /** EXPOSURE_DELAY: an allocation increase waits twice the withdrawal delay. */
  exposureDelay: bigint
  /** MIN_BOND_BPS (the factory's): the least bond as a share of min(total allocated, stake) while allocated. */
  minBondBps: bigint
  restakingCapBps: bigint
  commissionBps: bigint
  bond: bigint
  pool: bigint
  pending: bigint
  totalSupply: bigint
  shares: Map<string, bigint>
  withdrawals: Map<string, { shares: bigint; assets: bigint; readyAt: bigint }>
  nextWithdrawalId: bigint
  allocations: Map<bigint, ModelAllocation>
  totalAllocated: bigint
  /** Collateral all open orders hold, over every service. */
  totalReserved: bigint
  /** What queued withdrawals were promised at request: stake that backs no new order. */
  queuedAssets: bigint
  bondWithdrawal: { amount: bigint; readyAt: bigint }
  /**
   * Model-only bookkeeping (no chain counterpart): how far withdrawals claimed and reports executed past their wait
   * have taken the stake below what orders reserve. Orders' collateral fits the stake up to this (docs §14).
   */
  leftUncovered: bigint
}

export type ModelService = {
  id: bigint
  /** Receives order fees paid in tokens other than the stake token. */
  owner: string
  resolver: string
  params: ModelServiceParams
  classes: ModelClass[]
  allocated: bigint
  current: bigint
  previous: bigint
  epoch: bigint
  attesters: Map<string, { bond: bigint; active: boolean }>
}

export type ModelSlashStatus = 'Pending' | 'Disputed' | 'Upheld' | 'Executed' | 'Overturned' | 'Lapsed'

export type ModelSlash = {
  id: string
  serviceId: bigint
  vault: string
  classId: number
  client: string
  reporter: string
  signers: string[]
  amount: bigint
  disputeBond: bigint
  resolutionDeadline: bigint
  seq: bigint
  requestedAt: bigint
  status: ModelSlashStatus
  disputeEnd: bigint
  resolveBy: bigint
  /** Payees and punishment, fixed at request. */
  sink: string
  clientShareBps: bigint
  reporterShareBps: bigint
  jailDuration: bigint
  permanentBan: boolean
  /** Set for an order's collateral slash (its incident id is orderId | ORDER_INCIDENT_FLAG). */
  orderId?: bigint
}

export type ModelServiceRewards = {
  acc: bigint
  totalStake: bigint
  lastUpdate: bigint
  rate: bigint
  /** Funded, or arrived while nothing was allocated, and not yet streamed. */
  subsidyBalance: bigint
}
export type ModelVaultRewards = { checkpoint: bigint; stake: bigint; accrued: bigint }

const ACC_SCALE = 10n ** 24n
const MOD_160 = 1n << 160n
// a vault's checkpoint keeps the low 128 bits of the accumulator; differences are taken modulo 2^128
const MOD_128 = 1n << 128n

const withdrawalKey = (owner: string, id: bigint) => `${owner.toLowerCase()}:${id}`
const MOD_16 = 1n << 16n

export type ProtocolModelOptions = {
  rewards?: string
  /** The order book's address (its token balances are the orders' escrow and unswept fees). */
  orders?: string
  /** The stake token; any other token is a foreign payment token of orders. */
  stakeToken?: string
  /** The factory's MIN_BOND_BPS every vault reads at creation (the deployment default is 1000). */
  minBondBps?: bigint
}

export class ProtocolModel {
  /** Stake-token balances. */
  readonly tokens = new Map<string, bigint>()
  /** Balances of other tokens (orders' foreign payment tokens), by token then holder. */
  readonly otherTokens = new Map<string, Map<string, bigint>>()
  readonly vaults = new Map<string, ModelVault>()
  readonly services = new Map<bigint, ModelService>()
  readonly slashes = new Map<string, ModelSlash>()
  readonly queues = new Map<string, { head: bigint; tail: bigint; settled: Set<bigint> }>()
  readonly serviceRewards = new Map<bigint, ModelServiceRewards>()
  readonly vaultRewards = new Map<string, ModelVaultRewards>()
  readonly rewards: string
  readonly stakeToken: string
  readonly minBondBps: bigint
  /** The order book (ordersModel.ts), composed with the vaults, court and rewards of this model. */
  readonly orders: OrderBookModel

  constructor(
    readonly court: string,
    readonly registry: string,
    options: ProtocolModelOptions = {},
  ) {
    this.rewards = options.rewards ?? ZERO_ADDRESS
    this.stakeToken = addr(options.stakeToken ?? ZERO_ADDRESS)
    this.minBondBps = options.minBondBps ?? 1000n
    this.orders = new OrderBookModel(this, options.orders ?? ZERO_ADDRESS)
  }

  /* TOKENS */

  isStakeToken(token: string | undefined): boolean {
    return token === undefined || addr(token) === this.stakeToken
  }

  private ledger(token: string | undefined): Map<string, bigint> {
    if (this.isStakeToken(token)) return this.tokens
    let ledger = this.otherTokens.get(addr(token!))
    if (!ledger) {
      ledger = new Map()
      this.otherTokens.set(addr(token!), ledger)
    }
    return ledger
  }

  /** `who`'s balance of `token` (the stake token when omitted). */
  balance(who: string, token?: string): bigint {
    return this.ledger(token).get(addr(who)) ?? 0n
  }

  /** An ERC-20 transfer: all or nothing, ERC20InsufficientBalance when `from` holds too little. */
  move(from: string, to: string, amount: bigint, token?: string) {
    if (amount === 0n) return
    const ledger = this.ledger(token)
    const fromBalance = ledger.get(addr(from)) ?? 0n
    if (fromBalance < amount) fail('ERC20InsufficientBalance')
    ledger.set(addr(from), fromBalance - amount)
    ledger.set(addr(to), (ledger.get(addr(to)) ?? 0n) + amount)
  }

  setBalance(who: string, amount: bigint, token?: string) {
    this.ledger(token).set(addr(who), amount)
  }

  /* SET-UP */

  addService(service: Omit<ModelService, 'allocated' | 'current' | 'previous' | 'epoch'>) {
    this.services.set(service.id, { ...service, allocated: 0n, current: 0n, previous: 0n, epoch: 0n })
  }

  joinCommittee(serviceId: bigint, attester: string, bond: bigint) {
    const service = this.service(serviceId)
    this.move(attester, this.registry, bond)
    service.attesters.set(addr(attester), { bond, active: true })
  }

  addVault(
    address: string,
    operator: string,
    withdrawalDelay: bigint,
    restakingCapBps: bigint,
    commissionBps = 0n,
  ) {
    this.vaults.set(addr(address), {
      address: addr(address),
      operator: addr(operator),
      withdrawalDelay,
      exposureDelay: 2n * withdrawalDelay,
      minBondBps: this.minBondBps,
      restakingCapBps,
      commissionBps,
      bond: 0n,
      pool: 0n,
      pending: 0n,
      totalSupply: DEAD_SHARES,
      shares: new Map([[addr(address), DEAD_SHARES]]),
      withdrawals: new Map(),
      nextWithdrawalId: 0n,
      allocations: new Map(),
      totalAllocated: 0n,
      totalReserved: 0n,
      queuedAssets: 0n,
      bondWithdrawal: { amount: 0n, readyAt: 0n },
      leftUncovered: 0n,
    })
  }

  /** factory.vaultOf(operator): the vault the operator created, if any. */
  vaultOfOperator(operator: string): string | undefined {
    for (const v of this.vaults.values()) if (v.operator === addr(operator)) return v.address
    return undefined
  }

  vault(address: string): ModelVault {
    const v = this.vaults.get(addr(address))
    if (!v) throw new Error(`model: unknown vault ${address}`)
    return v
  }

  service(id: bigint): ModelService {
    const s = this.services.get(id)
    if (!s) throw new Error(`model: unknown service ${id}`)
    return s
  }

  sharesOf(vault: string, holder: string): bigint {
    return this.vault(vault).shares.get(addr(holder)) ?? 0n
  }

  queuedShares(vault: string): bigint {
    return this.sharesOf(vault, vault) - DEAD_SHARES
  }

  allocationOf(v: ModelVault, serviceId: bigint): ModelAllocation {
    let a = v.allocations.get(serviceId)
    if (!a) {
      a = {
        amount: 0n,
        pending: 0n,
        windowEpoch: 0n,
        windowSlashed: 0n,
        decrease: 0n,
        decreaseReadyAt: 0n,
        live: false,
        banned: false,
        slashCount: 0n,
        jailedUntil: 0n,
        reserved: 0n,
        score: 0n,
        scoredAt: 0n,
        slashesSeen: 0n,
        successes: 0n,
        failures: 0n,
        increase: 0n,
        increaseReadyAt: 0n,
        shareBps: 0n,
        queuedShareBps: 0n,
        weight: 0n,
      }
      v.allocations.set(serviceId, a)
    }
    return a
  }

  private addShares(v: ModelVault, holder: string, delta: bigint) {
    const next = (v.shares.get(addr(holder)) ?? 0n) + delta
    if (next < 0n) fail('ERC20InsufficientBalance')
    v.shares.set(addr(holder), next)
  }

  /* STAKERS */

  depositBond(vault: string, sender: string, amount: bigint, now: bigint) {
    void now
    const v = this.vault(vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    if (amount === 0n) fail('ZeroAmount')
    this.move(sender, vault, amount)
    v.bond += amount
  }

  requestBondWithdrawal(vault: string, sender: string, amount: bigint, now: bigint) {
    const v = this.vault(vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    if (amount === 0n) fail('ZeroAmount')
    v.bondWithdrawal = { amount, readyAt: now + v.withdrawalDelay }
  }

  claimBondWithdrawal(vault: string, sender: string, now: bigint): bigint {
    const v = this.vault(vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    const request = v.bondWithdrawal
    if (request.amount === 0n) fail('NoBondWithdrawal')
    if (now < request.readyAt) fail('BondWithdrawalNotReady')
    // a matured request lapses after BOND_CLAIM_WINDOW: it cannot be held open to pull the bond when a report nears
    if (now > request.readyAt + BOND_CLAIM_WINDOW) fail('BondWithdrawalExpired')
    // pending slashes and orders' collateral hit the bond first, and the bond stays first-loss: only what is beyond
    // both them and the minimum share of the exposure may leave
    const held = max(v.pending + v.totalReserved, this.minimumBond(v, v.totalAllocated))
    const paid = min(request.amount, v.bond > held ? v.bond - held : 0n)
    v.bondWithdrawal = { amount: 0n, readyAt: 0n }
    v.bond -= paid
    this.move(vault, v.operator, paid)
    return paid
  }

  deposit(vault: string, sender: string, receiver: string, assets: bigint): bigint {
    const v = this.vault(vault)
    if (assets === 0n) fail('ZeroAmount')
    // a pending slash the bond cannot cover lowers the pool's price: no deposit at that price until it settles
    if (v.pending > v.bond) fail('PoolSlashPending')
    const net = netPoolAssets(v.pool, v.bond, v.pending)
    if (net === 0n && v.totalSupply > DEAD_SHARES) fail('VaultWipedOut')
    const shares = toSharesDown(assets, net, v.totalSupply)
    if (shares === 0n) fail('ZeroShares')
    if (v.totalSupply + shares > MAX_UINT128) fail('ShareSupplyTooLarge')
    this.move(sender, vault, assets)
    v.pool += assets
    this.addShares(v, receiver, shares)
    v.totalSupply += shares
    return shares
  }

  requestWithdrawal(vault: string, owner: string, shares: bigint, now: bigint): bigint {
    const v = this.vault(vault)
    if (shares === 0n) fail('ZeroShares')
    // valued at the pool's rate before pending slashes; the claim pays min(this, value then net of pending), so
    // the request bears every slash that executes and none that is overturned
    const assets = toAssetsDown(shares, v.pool, v.totalSupply)
    if (this.sharesOf(vault, owner) < shares) fail('ERC20InsufficientBalance')
    this.addShares(v, owner, -shares)
    this.addShares(v, vault, shares)
    const id = v.nextWithdrawalId++
    v.queuedAssets += assets // leaving stake backs no new order
    v.withdrawals.set(withdrawalKey(owner, id), { shares, assets, readyAt: now + v.withdrawalDelay })
    return id
  }

  claimWithdrawal(vault: string, owner: string, id: bigint, receiver: string, now: bigint): bigint {
    const v = this.vault(vault)
    const w = v.withdrawals.get(withdrawalKey(owner, id))
    if (!w) return fail('WithdrawalNotFound')
    if (now < w.readyAt) fail('WithdrawalNotReady')
    const valueNow = toAssetsDown(w.shares, netPoolAssets(v.pool, v.bond, v.pending), v.totalSupply)
    // min(rate at request, rate now); no order can hold a staker who asked to leave (no StakeHeldByOrders any more)
    const assets = min(w.assets, valueNow)
    v.queuedAssets -= w.assets
    v.withdrawals.delete(withdrawalKey(owner, id))
    this.addShares(v, vault, -w.shares)
    v.totalSupply -= w.shares
    const uncoveredBefore = this.uncovered(v)
    v.pool -= assets
    v.leftUncovered += this.uncovered(v) - uncoveredBefore
    this.move(vault, receiver, assets)
    return assets
  }

  /* ALLOCATIONS */

  private pipeline(service: ModelService) {
    return service.params.disputeWindow + service.params.resolutionDeadline
  }

  /** OperatorVault._minimumBond: MIN_BOND_BPS of min(allocated, stake), rounded up (it protects stakers). */
  minimumBond(v: ModelVault, allocated: bigint): bigint {
    return mulDivUp(min(allocated, v.bond + v.pool), v.minBondBps, BPS)
  }

  /**
   * OperatorVault._checkIncrease: the service, the pipeline, ban and jail, the restaking cap, the stake and the
   * minimum bond for the resulting exposure, in the contract's order. Returns the new total allocated.
   */
  private checkIncrease(v: ModelVault, serviceId: bigint, a: ModelAllocation, increase: bigint, now: bigint) {
    const service = this.services.get(serviceId)
    if (!service) return fail('ServiceNotAllocatable')
    if (v.withdrawalDelay < this.pipeline(service)) fail('DelayShorterThanPipeline')
    if (a.banned) fail('OperatorBanned')
    if (a.jailedUntil > now) fail('OperatorJailed')
    const total = v.totalAllocated + increase
    const stake = v.bond + v.pool
    // the cap rounds down (protects stakers)
    if (total > (stake * v.restakingCapBps) / BPS) fail('RestakingCapExceeded')
    if (a.amount + increase > stake) fail('AllocationAboveStake')
    if (v.bond < this.minimumBond(v, total)) fail('BondBelowMinimum')
    return total
  }

  /**
   * The operator queues an increase (replacing a queued one); it applies EXPOSURE_DELAY later by applyAllocation,
   * so a staker who asks to leave within a withdrawal delay is paid before the exposure exists.
   */
  allocate(vault: string, sender: string, serviceId: bigint, increase: bigint, now: bigint) {
    const v = this.vault(vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    if (increase === 0n) fail('ZeroAmount')
    const a = this.allocationOf(v, serviceId)
    this.checkIncrease(v, serviceId, a, increase, now)
    a.increase = increase
    a.increaseReadyAt = now + v.exposureDelay
    // on what is in effect now, not the limit
    a.queuedShareBps = mulDivUp(this.effective(a, v.bond + v.pool) + increase, BPS, v.bond + v.pool)
    a.live = true
  }

  /** Anyone applies a matured queued increase; the checks run again. */
  applyAllocation(vault: string, serviceId: bigint, now: bigint) {
    const v = this.vault(vault)
    const a = this.allocationOf(v, serviceId)
    if (a.increase === 0n) fail('NoAllocationQueued')
    if (now < a.increaseReadyAt) fail('AllocationNotReady')
    // a matured increase lapses after APPLY_WINDOW (one day)
    if (now > a.increaseReadyAt + 86_400n) fail('ExposureIncreaseExpired')
    let total = this.checkIncrease(v, serviceId, a, a.increase, now)
    // a limit the stake has shrunk under is first cut to what is in effect (not below what slashes and orders hold)
    const stake = v.bond + v.pool
    const kept = min(a.amount, max(this.effective(a, stake), a.pending + a.reserved))
    total -= a.amount - kept
    a.amount = kept + a.increase
    a.increase = 0n
    a.increaseReadyAt = 0n
    // the smaller of the share announced at queue time and the share now
    a.shareBps = min(a.queuedShareBps, mulDivUp(a.amount, BPS, stake))
    a.queuedShareBps = 0n
    v.totalAllocated = total
    this.syncWeight(v, serviceId, a, now)
  }

  /** Anyone brings the allocation's weight to min(amount, stake) (0 once banned). */
  syncAllocation(vault: string, serviceId: bigint, now: bigint) {
    const v = this.vault(vault)
    this.syncWeight(v, serviceId, this.allocationOf(v, serviceId), now)
  }

  /**
   * OperatorVault._syncWeight → SlashingCourt.onAllocationChanged → RewardsDistributor.onAllocationChanged: when the
   * weight changed, the service's correlation base moves by the difference, the vault's queue word is set on the
   * first call, and the rewards count the new weight.
   */
  /** How much of what orders reserve the stake does not cover now. */
  private uncovered(v: ModelVault): bigint {
    const stake = v.bond + v.pool
    return v.totalReserved > stake ? v.totalReserved - stake : 0n
  }

  /** OperatorVault._effective: the limit, held to its share of the stake (rounded down). */
  effective(a: ModelAllocation, stake: bigint): bigint {
    return min(a.amount, (stake * a.shareBps) / BPS)
  }

  private syncWeight(v: ModelVault, serviceId: bigint, a: ModelAllocation, now: bigint) {
    const weight = a.banned ? 0n : this.effective(a, v.bond + v.pool)
    const old = a.weight
    if (weight === old) return
    a.weight = weight
    const service = this.services.get(serviceId)
    if (service) service.allocated = service.allocated + weight - old
    if (!this.queues.has(v.address)) this.queues.set(v.address, { head: 1n, tail: 1n, settled: new Set() })
    this.onAllocationChanged(serviceId, v.address, weight, now)
  }

  requestDeallocation(vault: string, sender: string, serviceId: bigint, decrease: bigint, now: bigint) {
    const v = this.vault(vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    const a = this.allocationOf(v, serviceId)
    if (decrease === 0n) fail('ZeroAmount')
    if (decrease > a.amount) fail('DecreaseTooLarge')
    const service = this.services.get(serviceId)
    a.decrease = decrease
    a.decreaseReadyAt = now + (service ? this.pipeline(service) : 0n)
  }

  completeDeallocation(vault: string, serviceId: bigint, now: bigint) {
    const v = this.vault(vault)
    const a = this.allocationOf(v, serviceId)
    if (a.decrease === 0n) fail('NoDeallocation')
    if (now < a.decreaseReadyAt) fail('DeallocationNotReady')
    const decrease = min(a.decrease, a.amount)
    const next = a.amount - decrease
    if (next < a.pending) fail('AllocationHeldBySlash')
    // nor does collateral that open orders hold
    if (next < a.pending + a.reserved) fail('AllocationHeldByOrders')
    a.amount = next
    a.decrease = 0n
    a.decreaseReadyAt = 0n
    // a decrease never raises the share
    const stake = v.bond + v.pool
    a.shareBps = min(a.shareBps, stake === 0n ? 0n : mulDivUp(next, BPS, stake))
    v.totalAllocated -= decrease
    this.syncWeight(v, serviceId, a, now)
  }

  /* COURT */

  /** Bond-weighted quorum over the current committee; mirrors ServiceRegistry.reportTerms. */
  checkQuorum(serviceId: bigint, signers: string[]) {
    const service = this.service(serviceId)
    let signed = 0n
    for (const s of signers) {
      const a = service.attesters.get(addr(s))
      if (!a?.active) fail('AttesterNotActive')
      signed += a!.bond
    }
    let total = 0n
    for (const a of service.attesters.values()) if (a.active) total += a.bond
    if (signed === 0n || signed * BPS < total * service.params.quorumBps) fail('QuorumNotReached')
    let activeCount = 0n
    for (const a of service.attesters.values()) if (a.active) activeCount++
    if (BigInt(signers.length) * BPS < activeCount * service.params.quorumBps) fail('QuorumCountNotReached')
  }

  /** ServiceRegistry.reportTerms as the order book calls it: the class, strictly ascending signers, the quorum. */
  reportTerms(serviceId: bigint, classId: number, signers: string[]) {
    const service = this.services.get(serviceId)
    if (!service || service.classes.length === 0) return fail('ServiceNotFound')
    if (classId >= service.classes.length) fail('UnknownClass')
    for (let i = 1; i < signers.length; i++)
      if (BigInt(signers[i]!) <= BigInt(signers[i - 1]!)) fail('SignersNotSorted')
    this.checkQuorum(serviceId, signers)
  }

  requestSlash(
    report: {
      id: string
      serviceId: bigint
      vault: string
      classId: number
      client: string
      incidentId?: string
    },
    signers: string[],
    reporter: string,
    now: bigint,
  ): ModelSlash {
    // incident ids with the top bit set are the order book's
    if (report.incidentId !== undefined && BigInt(report.incidentId) >> 255n === 1n)
      fail('ReservedIncidentId')
    if (this.slashes.has(report.id)) fail('ReportAlreadyUsed')
    const queue = this.queues.get(addr(report.vault))
    if (!queue) return fail('NotAllocated')
    const service = this.services.get(report.serviceId)
    if (!service) return fail('ServiceNotFound')
    const cls = service.classes[report.classId]
    if (!cls) return fail('UnknownClass')
    this.checkQuorum(report.serviceId, signers)

    const p = service.params
    const window = p.correlationWindow
    const inWindow = slashedInWindow(
      { epoch: service.epoch, current: service.current, previous: service.previous },
      now,
      window,
    )
    const penalty = totalPenaltyBps(
      cls.basePenaltyBps,
      correlationPenaltyBps(inWindow, service.allocated, p.correlationMultiplierBps),
    )

    const v = this.vault(report.vault)
    const a = this.allocationOf(v, report.serviceId)
    if (!a.live) fail('NotAllocated')
    if (a.banned) fail('OperatorBanned')
    const epoch = now / window
    const windowSlashed = a.windowEpoch === epoch ? a.windowSlashed : 0n
    // sized on the stake whatever orders reserve (their seniority holds at execution: the report waits)
    const stake = v.bond + v.pool
    const amount = slashAmount({
      allocated: this.effective(a, stake),
      pendingOnService: a.pending,
      operatorWindowSlashed: windowSlashed,
      vaultAvailable: stake > v.pending ? stake - v.pending : 0n,
      penaltyBps: penalty,
      incidentCapBps: p.incidentCapBps,
      windowCapBps: p.windowCapBps,
    })
    if (amount === 0n) fail('NothingToSlash')
    a.pending += amount
    a.windowEpoch = epoch
    a.windowSlashed = windowSlashed + amount
    v.pending += amount

    if (service.epoch === epoch) {
      service.current += amount
    } else {
      service.previous = service.epoch + 1n === epoch ? service.current : 0n
      service.current = amount
      service.epoch = epoch
    }

    const seq = queue.tail++
    const slash: ModelSlash = {
      id: report.id,
      serviceId: report.serviceId,
      vault: addr(report.vault),
      classId: report.classId,
      client: addr(report.client),
      reporter: addr(reporter),
      signers: signers.map(addr),
      amount,
      disputeBond: p.disputeBond,
      resolutionDeadline: p.resolutionDeadline,
      seq,
      requestedAt: now,
      status: 'Pending',
      disputeEnd: now + p.disputeWindow,
      resolveBy: 0n,
      sink: addr(p.sink),
      clientShareBps: p.clientShareBps,
      reporterShareBps: p.reporterShareBps,
      jailDuration: cls.jailDuration,
      permanentBan: cls.permanentBan,
    }
    this.slashes.set(report.id, slash)
    return slash
  }

  /**
   * An order's collateral slash (SlashingCourt.requestOrderSlash → OperatorVault._sizeFixedSlash): the collateral,
   * held to the slashable room of the allocation and of the vault; what the bond beyond earlier pending slashes
   * covers is the operator's forfeit, what falls on the pool is held to the allocation's window cap and counts
   * toward it (never released: the court passes an epoch no window has). None when that leaves 0. All of it goes
   * to the client, who is also the reporter; the class's jail or ban applies (none for NO_CLASS); a ban does not
   * stop it.
   */
  requestOrderSlash(
    r: {
      serviceId: bigint
      vault: string
      orderId: bigint
      client: string
      collateral: bigint
      classId: number
      signers: string[]
    },
    now: bigint,
  ): ModelSlash | undefined {
    const v = this.vault(r.vault)
    const a = this.allocationOf(v, r.serviceId)
    if (!a.live) fail('NotAllocated')
    const service = this.service(r.serviceId)
    const p = service.params
    const epoch = now / p.correlationWindow
    const windowSlashed = a.windowEpoch === epoch ? a.windowSlashed : 0n
    // senior: held only to the effective allocation and the stake other orders (their collateral and their
    // slashes) do not hold, whatever report slashes are pending
    const stake = v.bond + v.pool
    const allocated = this.effective(a, stake)
    let amount = min(r.collateral, allocated > a.reserved ? allocated - a.reserved : 0n)
    amount = min(amount, stake > v.totalReserved ? stake - v.totalReserved : 0n)
    const fromBond = min(amount, v.bond > v.pending ? v.bond - v.pending : 0n)
    const windowCap = (allocated * p.windowCapBps) / BPS // rounded down: the cap protects stakers
    // report slashes still pending count in this window too, whichever window they were requested in
    const counted = max(windowSlashed, a.pending)
    const fromPool = min(amount - fromBond, windowCap > counted ? windowCap - counted : 0n)
    amount = fromBond + fromPool
    // nothing left to take (earlier slashes emptied the allocation): the order still fails, with no slash
    if (amount === 0n) return undefined
    // it stays reserved until it settles: report slashes wait for it
    a.reserved += amount
    v.totalReserved += amount
    a.pending += amount
    a.windowEpoch = epoch
    a.windowSlashed = windowSlashed + fromPool
    v.pending += amount
    const cls = r.classId === NO_CLASS ? undefined : service.classes[r.classId]
    const queue = this.queues.get(addr(r.vault))!
    const incidentId = r.orderId | ORDER_INCIDENT_FLAG
    const slash: ModelSlash = {
      id: slashIdOf(r.serviceId, r.vault, incidentId),
      serviceId: r.serviceId,
      vault: addr(r.vault),
      classId: r.classId,
      client: addr(r.client),
      reporter: addr(r.client),
      signers: r.signers.map(addr),
      amount,
      disputeBond: p.disputeBond,
      resolutionDeadline: p.resolutionDeadline,
      seq: queue.tail++,
      requestedAt: now,
      status: 'Pending',
      disputeEnd: now + p.disputeWindow,
      resolveBy: 0n,
      sink: addr(p.sink),
      clientShareBps: BPS,
      reporterShareBps: 0n,
      jailDuration: cls?.jailDuration ?? 0n,
      permanentBan: cls?.permanentBan ?? false,
      orderId: r.orderId,
    }
    this.slashes.set(slash.id, slash)
    return slash
  }

  private slash(id: string): ModelSlash {
    const s = this.slashes.get(id)
    if (!s) return fail('SlashNotFound')
    return s
  }

  dispute(id: string, sender: string, now: bigint) {
    const s = this.slash(id)
    if (s.status !== 'Pending') fail('WrongStatus')
    if (now > s.disputeEnd) fail('DisputeWindowClosed')
    const v = this.vault(s.vault)
    if (addr(sender) !== v.operator) fail('NotOperator')
    this.move(sender, this.court, s.disputeBond)
    s.status = 'Disputed'
    s.resolveBy = now + s.resolutionDeadline
  }

  private release(s: ModelSlash, amount: bigint) {
    const v = this.vault(s.vault)
    const a = this.allocationOf(v, s.serviceId)
    const service = this.service(s.serviceId)
    a.pending -= amount
    v.pending -= amount
    // an order's collateral slash never entered the correlation windows (the court passes an epoch none has), and
    // was held as reserved collateral
    if (s.orderId !== undefined) {
      a.reserved -= amount
      v.totalReserved -= amount
      return
    }
    const requestEpoch = s.requestedAt / service.params.correlationWindow
    if (a.windowEpoch === requestEpoch)
      a.windowSlashed = a.windowSlashed > amount ? a.windowSlashed - amount : 0n
    if (service.epoch === requestEpoch) {
      service.current = service.current > amount ? service.current - amount : 0n
    }
  }

  private markSettled(s: ModelSlash) {
    const q = this.queues.get(s.vault)!
    if (s.seq >= q.head) q.settled.add(s.seq)
  }

  resolve(id: string, sender: string, upheld: bigint, now: bigint) {
    const s = this.slash(id)
    const service = this.service(s.serviceId)
    if (addr(sender) !== addr(service.resolver)) fail('NotResolver')
    if (s.status !== 'Disputed') fail('WrongStatus')
    if (now > s.resolveBy) fail('ResolutionDeadlinePassed')
    if (upheld > s.amount) fail('ResolutionExceedsSlash')
    const operator = this.vault(s.vault).operator
    if (upheld === 0n) {
      this.release(s, s.amount)
      s.status = 'Overturned'
      this.markSettled(s)
      this.move(this.court, operator, s.disputeBond)
      // the registry sends the attesters' penalties to the court, which pays them on to the operator
      const penalties = this.slashAttesters(service, s.signers, this.court)
      this.move(this.court, operator, penalties)
      return
    }
    if (upheld < s.amount) this.release(s, s.amount - upheld)
    // the reporter gets the dispute bond in proportion to what was upheld (rounded down), the operator the rest
    const toReporter = (s.disputeBond * upheld) / s.amount
    s.amount = upheld
    s.status = 'Upheld'
    this.move(this.court, s.reporter, toReporter)
    this.move(this.court, operator, s.disputeBond - toReporter)
  }

  private slashAttesters(service: ModelService, signers: string[], recipient: string): bigint {
    let total = 0n
    for (const signer of signers) {
      const a = service.attesters.get(signer)!
      // rounded up: the false reporter pays the rounding
      const penalty = mulDivUp(a.bond, service.params.attesterPenaltyBps, BPS)
      a.bond -= penalty
      this.move(this.registry, recipient, penalty)
      total += penalty
      if (a.active && (a.bond < service.params.minAttesterBond || a.bond === 0n)) a.active = false
    }
    return total
  }

  lapse(id: string, now: bigint) {
    const s = this.slash(id)
    if (s.status !== 'Disputed') fail('WrongStatus')
    if (now <= s.resolveBy) fail('ResolutionDeadlineNotPassed')
    this.release(s, s.amount)
    s.status = 'Lapsed'
    this.markSettled(s)
    this.move(this.court, this.vault(s.vault).operator, s.disputeBond)
  }

  executeSlash(id: string, now: bigint) {
    const s = this.slash(id)
    if (s.status === 'Pending') {
      if (now <= s.disputeEnd) fail('DisputeWindowOpen')
    } else if (s.status !== 'Upheld') {
      fail('WrongStatus')
    }
    const q = this.queues.get(s.vault)!
    const order = s.orderId !== undefined
    const v = this.vault(s.vault)
    const a = this.allocationOf(v, s.serviceId)
    // an order's slash is senior: it executes out of the queue; reports keep request order, and a report that would
    // leave orders' collateral unbacked waits for the orders to settle (every check before any change: a revert)
    if (!order) {
      for (let head = q.head; head < s.seq; head++) if (!q.settled.has(head)) fail('SlashNotNextInQueue')
      // ...for at most MAX_ORDER_WAIT (7 days) after its dispute window
      const mayWait = now <= s.disputeEnd + 7n * 86_400n
      if (mayWait && v.totalReserved !== 0n && v.bond + v.pool < s.amount + v.totalReserved)
        fail('SlashWaitsForOrders')
      q.head = s.seq + 1n
    } else {
      this.markSettled(s)
      a.reserved -= s.amount
      v.totalReserved -= s.amount
    }
    s.status = 'Executed'
    a.pending -= s.amount
    if (s.permanentBan) a.banned = true
    a.slashCount = (a.slashCount + 1n) % MOD_16 // resets the reputation on this service
    if (!s.permanentBan && s.jailDuration > 0n) a.jailedUntil = max(a.jailedUntil, now + s.jailDuration)
    v.pending -= s.amount
    const fromBond = min(v.bond, s.amount)
    const fromPool = min(v.pool, s.amount - fromBond)
    const uncoveredBefore = this.uncovered(v)
    v.bond -= fromBond
    v.pool -= fromPool
    // only a report past its wait can leave orders' collateral unbacked (an order's own slash takes its reservation)
    if (!order) v.leftUncovered += this.uncovered(v) - uncoveredBefore
    const split = splitSlash(
      fromBond + fromPool,
      s.clientShareBps,
      s.reporterShareBps,
      s.client !== ZERO_ADDRESS,
    )
    this.move(s.vault, s.client, split.client)
    this.move(s.vault, s.reporter, split.reporter)
    this.move(s.vault, s.sink, split.sink)
    // a banned operator earns nothing more on the service and leaves its correlation base
    if (s.permanentBan) this.syncWeight(v, s.serviceId, a, now)
    return { fromBond, fromPool, ...split }
  }

  /* ORDER COLLATERAL AND REPUTATION (OperatorVault) */

  /** The reputation now: the stored score decayed since it was written, or 0 if a slash executed since. */
  score(a: ModelAllocation, now: bigint): bigint {
    if (a.slashCount !== a.slashesSeen) return 0n
    return decay(a.score, now - a.scoredAt)
  }

  /**
   * Collateral a new order may still reserve on the service: stake leaving by queued withdrawals (what they were
   * promised at request) backs nothing new; pending slashes and other orders' collateral come off both the
   * allocation and the vault, so restaking never lets two services' orders count the same stake.
   */
  collateralRoom(v: ModelVault, a: ModelAllocation): bigint {
    const backing = v.bond + v.pool - min(v.queuedAssets, v.pool)
    const heldByVault = v.pending + v.totalReserved
    const vaultRoom = backing > heldByVault ? backing - heldByVault : 0n
    const allocated = min(this.effective(a, v.bond + v.pool), backing)
    const heldHere = a.pending + a.reserved
    return min(vaultRoom, allocated > heldHere ? allocated - heldHere : 0n)
  }

  /** OperatorVault.collateralTerms: the whole room (0 if never allocated, banned or jailed) and the score. */
  collateralTerms(vault: string, serviceId: bigint, now: bigint): { room: bigint; score: bigint } {
    const v = this.vault(vault)
    const a = this.allocationOf(v, serviceId)
    const score = this.score(a, now)
    const barred = !a.live || a.banned || a.jailedUntil > now
    return { room: barred ? 0n : this.collateralRoom(v, a), score }
  }

  /** OperatorVault.allocationTerms (what a bid checks): allocation less pending and reserved, 0 if banned or jailed. */
  allocationTerms(vault: string, serviceId: bigint, now: bigint): { room: bigint; score: bigint } {
    const a = this.allocationOf(this.vault(vault), serviceId)
    const held = a.pending + a.reserved
    const barred = a.banned || a.jailedUntil > now
    // the limit (an upper bound): acceptance checks the effective room
    return { room: !barred && a.amount > held ? a.amount - held : 0n, score: this.score(a, now) }
  }

  /**
   * OperatorVault.reserveCollateral (order book only). Returns the score; with `apply = false` only checks, so the
   * order book can run its own checks on the score before anything changes.
   */
  reserveCollateral(vault: string, serviceId: bigint, amount: bigint, now: bigint, apply = true): bigint {
    const v = this.vault(vault)
    const a = this.allocationOf(v, serviceId)
    if (!a.live) fail('NotAllocated')
    if (a.banned) fail('OperatorBanned')
    if (a.jailedUntil > now) fail('OperatorJailed')
    if (amount > this.collateralRoom(v, a)) fail('CollateralUnavailable')
    if (apply) {
      a.reserved += amount
      v.totalReserved += amount
    }
    return this.score(a, now)
  }

  /** OperatorVault.releaseCollateral (order book only): frees it and writes the reputation. Returns the operator. */
  releaseCollateral(
    vault: string,
    serviceId: bigint,
    amount: bigint,
    result: OrderResult,
    now: bigint,
    feePaid = 0n,
  ): string {
    const v = this.vault(vault)
    const a = this.allocationOf(v, serviceId)
    if (a.reserved < amount || v.totalReserved < amount) throw new RangeError('model: release above reserved')
    a.reserved -= amount
    v.totalReserved -= amount
    let score = this.score(a, now)
    if (result === 'Succeeded') {
      score = afterSuccess(score, amount, feePaid, a.amount)
      a.successes++
    } else if (result === 'Failed') {
      score = afterFailure(score)
      a.failures++
    }
    a.score = score
    a.scoredAt = now
    a.slashesSeen = a.slashCount
    return v.operator
  }

  /* REWARDS (mirrors RewardsDistributor and OperatorVault.claimRewards) */

  private sr(serviceId: bigint): ModelServiceRewards {
    let r = this.serviceRewards.get(serviceId)
    if (!r) {
      r = { acc: 0n, totalStake: 0n, lastUpdate: 0n, rate: 0n, subsidyBalance: 0n }
      this.serviceRewards.set(serviceId, r)
    }
    return r
  }

  vr(serviceId: bigint, vault: string): ModelVaultRewards {
    const k = `${serviceId}:${addr(vault)}`
    let r = this.vaultRewards.get(k)
    if (!r) {
      r = { checkpoint: 0n, stake: 0n, accrued: 0n }
      this.vaultRewards.set(k, r)
    }
    return r
  }

  private rewardsUpdate(serviceId: bigint, now: bigint) {
    const s = this.sr(serviceId)
    if (s.rate === 0n) return
    if (s.totalStake === 0n) {
      // nothing streams to no stake: the subsidy waits for the first allocation
      s.lastUpdate = now
      return
    }
    const streamed = min(s.rate * (now - s.lastUpdate), s.subsidyBalance)
    s.lastUpdate = now
    if (streamed > 0n) {
      s.subsidyBalance -= streamed
      this.rewardsDistribute(s, streamed)
    }
  }

  private rewardsDistribute(s: ModelServiceRewards, amount: bigint) {
    if (s.totalStake === 0n) {
      // income while nothing is allocated joins the subsidy and streams at the service's rate
      s.subsidyBalance += amount
      return
    }
    // rounded down: the remainder stays in the contract, owed to no one
    s.acc = (s.acc + (amount * ACC_SCALE) / s.totalStake) % MOD_160
  }

  private earned(s: ModelServiceRewards, v: ModelVaultRewards): bigint {
    const acc = s.acc % MOD_128
    if (acc === v.checkpoint) return 0n
    const delta = (((acc - v.checkpoint) % MOD_128) + MOD_128) % MOD_128
    v.checkpoint = acc
    return (v.stake * delta) / ACC_SCALE
  }

  private onAllocationChanged(serviceId: bigint, vault: string, newStake: bigint, now: bigint) {
    // order fees earned before the change go to the stake that was there: the distributor sweeps them first
    if (this.orders.unsweptFees(serviceId) > 0n) this.orders.sweepFees(serviceId, now)
    this.rewardsUpdate(serviceId, now)
    const s = this.sr(serviceId)
    const v = this.vr(serviceId, vault)
    v.accrued += this.earned(s, v)
    s.totalStake = s.totalStake - v.stake + newStake
    v.stake = newStake
  }

  addFee(sender: string, serviceId: bigint, amount: bigint, now: bigint) {
    if (amount === 0n) fail('ZeroAmount')
    this.move(sender, this.rewards, amount)
    this.rewardsUpdate(serviceId, now)
    this.rewardsDistribute(this.sr(serviceId), amount)
  }

  /** RewardsDistributor.addOrderFee: the order book has already transferred `amount` (its swept fees). */
  addOrderFee(serviceId: bigint, amount: bigint, now: bigint) {
    this.rewardsUpdate(serviceId, now)
    this.rewardsDistribute(this.sr(serviceId), amount)
  }

  fundSubsidy(sender: string, serviceId: bigint, amount: bigint, now: bigint) {
    if (amount === 0n) fail('ZeroAmount')
    this.move(sender, this.rewards, amount)
    this.rewardsUpdate(serviceId, now)
    this.sr(serviceId).subsidyBalance += amount
  }

  setSubsidyRate(sender: string, serviceId: bigint, rate: bigint, owner: string, now: bigint) {
    if (addr(sender) !== addr(owner)) fail('NotServiceOwner')
    this.rewardsUpdate(serviceId, now)
    const s = this.sr(serviceId)
    s.rate = rate
    s.lastUpdate = now
  }

  claimRewards(vault: string, serviceId: bigint, now: bigint): bigint {
    const vm = this.vault(vault)
    this.rewardsUpdate(serviceId, now)
    const s = this.sr(serviceId)
    const v = this.vr(serviceId, vault)
    let amount = this.earned(s, v)
    amount += v.accrued
    v.accrued = 0n
    if (amount === 0n) return 0n
    // the commission rounds down and joins the operator's bond; the rest raises the pool's exchange rate
    const commission = (amount * vm.commissionBps) / BPS
    this.move(this.rewards, vault, amount)
    vm.bond += commission
    vm.pool += amount - commission
    return amount
  }

  /** What the rewards contract owes right now: unstreamed subsidy, and every vault's earnings and commission. */
  rewardsOwed(now: bigint): bigint {
    let owed = 0n
    for (const [serviceId, s] of this.serviceRewards) {
      // nothing streams while no stake is allocated
      const streamed =
        s.rate === 0n || s.totalStake === 0n ? 0n : min(s.rate * (now - s.lastUpdate), s.subsidyBalance)
      owed += s.subsidyBalance - streamed
      let acc = s.acc
      if (s.totalStake > 0n) acc += (streamed * ACC_SCALE) / s.totalStake
      for (const [k, v] of this.vaultRewards) {
        if (!k.startsWith(`${serviceId}:`)) continue
        const delta = ((((acc % MOD_128) - v.checkpoint) % MOD_128) + MOD_128) % MOD_128
        owed += v.accrued + (v.stake * delta) / ACC_SCALE
      }
    }
    return owed
  }
}
