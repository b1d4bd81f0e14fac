/**
 * Reference model of the order book (contracts/src/OrderBook.sol): escrowed jobs and leases, named or bid on,
 * accepted against collateral the vault reserves, settled by the client, by attested outcomes or by streaming,
 * failed by an attester quorum or a deadline (a collateral slash in the court), cancelled before acceptance or by
 * mutual consent. It mirrors the contract rule by rule, including which custom error each bad call raises, and
 * composes with the vaults, court and rewards of ProtocolModel (`model.orders`).
 *
 * Failures and consented cancellations never transfer: they credit what they pay (`owed`, withdrawn with
 * withdrawOwed), so a token that refuses a transfer cannot keep an order from settling.
 *
 * Two amounts per order are bookkeeping of the model, not contract state: `toOperator` (paid out of escrow for
 * work, fee included) and `refunded` (paid or credited back to the client). Every settled order has
 * `toOperator + refunded = budget`, and no order ever pays more than its escrow: the invariant suite checks both.
 */
import { encodeAbiParameters, keccak256 } from 'viem'
import { addr, fail, ZERO_ADDRESS } from './modelRevert.ts'
import { milestoneAmount, milestoneCount, NO_CLASS, orderFee, validMilestones } from './orderMath.ts'
import type { ModelSlash, ProtocolModel } from './protocolModel.ts'
import { requiredCollateral } from './reputation.ts'
import { max, min } from './sharesMath.ts'

/** The longest an order may run (OrderBook.MAX_DURATION). */
export const MAX_DURATION = 365n * 86_400n
/** An intent's bids can be accepted this long after its bidding window, no longer. */
export const ACCEPTANCE_WINDOW = 86_400n
/** One party's agreement to cancel lapses after this long (and whenever a milestone is paid). */
export const CONSENT_WINDOW = 86_400n

/** OrderParams, every number as a bigint. */
export type ModelOrderParams = {
  client: string
  serviceId: bigint
  paymentToken: string
  vault: string
  budget: bigint
  value: bigint
  ratePerSecond: bigint
  biddingEnds: bigint
  deadline: bigint
  milestones: bigint
  feeBps: bigint
  collateralFactorBps: bigint
  collateralFloorBps: bigint
}

export type ModelOrderStatus = 'Open' | 'Active' | 'Completed' | 'Failed' | 'Cancelled'
export const ORDER_STATUSES = ['None', 'Open', 'Active', 'Completed', 'Failed', 'Cancelled'] as const

export type ModelBid = { price: bigint; collateral: bigint; at: bigint }

export type ModelOrder = {
  id: bigint
  params: ModelOrderParams
  status: ModelOrderStatus
  /** Milestones paid (jobs). */
  settled: bigint
  /** Bit 0: the client, bit 1: the operator agreed to cancel; `consentAt`: when the first of them did. */
  consent: number
  consentAt: bigint
  startedAt: bigint
  /** The named vault; the best bidder while bidding; then the operator's vault. */
  vault: string
  /** A job's price or a lease's rate: the budget (most) at open, the best bid while bidding. */
  price: bigint
  collateral: bigint
  /** Paid out of escrow, fee included; a failure or a consented cancel adds the refund (the escrow is spent). */
  paid: bigint
  bids: Map<string, ModelBid>
  /** Model bookkeeping: escrow paid for work (fee included) and escrow refunded to the client. */
  toOperator: bigint
  refunded: bigint
  /** The collateral slash a failure opened, if any. */
  slash?: ModelSlash
}

/**
 * OrderOutcome: `paramsHash` is the order's stored parameters hash (orderParamsHash), signed with the id; `vault` the
 * vault holding the order (an open-bid order's params carry vault 0, so the params alone do not pin the winner).
 */
export type ModelOutcome = {
  orderId: bigint
  paramsHash: string
  vault: string
  milestone: bigint
  success: boolean
  classId: number
}

const PARAM_KEYS = [
  'client',
  'serviceId',
  'paymentToken',
  'vault',
  'budget',
  'value',
  'ratePerSecond',
  'biddingEnds',
  'deadline',
  'milestones',
  'feeBps',
  'collateralFactorBps',
  'collateralFloorBps',
] as const

const ORDER_PARAMS_ABI = [
  {
    type: 'tuple',
    components: [
      { name: 'client', type: 'address' },
      { name: 'serviceId', type: 'uint64' },
      { name: 'paymentToken', type: 'address' },
      { name: 'vault', type: 'address' },
      { name: 'budget', type: 'uint96' },
      { name: 'value', type: 'uint96' },
      { name: 'ratePerSecond', type: 'uint96' },
      { name: 'biddingEnds', type: 'uint40' },
      { name: 'deadline', type: 'uint40' },
      { name: 'milestones', type: 'uint64' },
      { name: 'feeBps', type: 'uint16' },
      { name: 'collateralFactorBps', type: 'uint16' },
      { name: 'collateralFloorBps', type: 'uint16' },
    ],
  },
] as const

/** The 160-bit hash the order book stores, as `order(orderId).paramsHash` returns it (bytes32, high bits zero). */
export function orderParamsHash(p: ModelOrderParams): string {
  const hash = BigInt(keccak256(encodeAbiParameters(ORDER_PARAMS_ABI, [p as any])))
  return `0x${(hash & ((1n << 160n) - 1n)).toString(16).padStart(64, '0')}`
}

const sameParams = (a: ModelOrderParams, b: ModelOrderParams) =>
  PARAM_KEYS.every((k) =>
    typeof a[k] === 'string' ? addr(a[k] as string) === addr(b[k] as string) : a[k] === b[k],
  )

export const isLease = (p: ModelOrderParams) => p.ratePerSecond > 0n

export class OrderBookModel {
  readonly orders = new Map<bigint, ModelOrder>()
  /** Stake-token fees per service: accrued by settlements, swept to the rewards distributor by anyone. */
  readonly feePots = new Map<bigint, { accrued: bigint; swept: bigint }>()
  /** What failures and consented cancellations credited, by token then account (withdrawOwed pays it). */
  readonly owed = new Map<string, Map<string, bigint>>()
  nextOrderId = 1n

  constructor(
    private readonly protocol: ProtocolModel,
    readonly address: string,
  ) {}

  order(id: bigint): ModelOrder | undefined {
    return this.orders.get(id)
  }

  /* OPENING AND BIDDING */

  /** The parameters as the order book stores them: the service's order terms in force now replace the caller's. */
  withServiceTerms(params: ModelOrderParams): ModelOrderParams {
    const service = this.protocol.services.get(params.serviceId)
    if (!service) return fail('ServiceNotFound')
    return {
      ...params,
      feeBps: service.params.orderFeeBps,
      collateralFactorBps: service.params.collateralFactorBps,
      collateralFloorBps: service.params.collateralFloorBps,
    }
  }

  open(sender: string, params: ModelOrderParams, now: bigint): bigint {
    if (addr(params.client) !== addr(sender)) fail('NotClient')
    const p = this.withServiceTerms(params)
    this.validate(p, now)
    this.protocol.move(sender, this.address, p.budget, p.paymentToken)
    const id = this.nextOrderId++
    this.orders.set(id, {
      id,
      params: p,
      status: 'Open',
      settled: 0n,
      consent: 0,
      consentAt: 0n,
      startedAt: 0n,
      vault: addr(p.vault),
      price: isLease(p) ? p.ratePerSecond : p.budget,
      collateral: 0n,
      paid: 0n,
      bids: new Map(),
      toOperator: 0n,
      refunded: 0n,
    })
    return id
  }

  private validate(p: ModelOrderParams, now: bigint) {
    if (addr(p.paymentToken) === ZERO_ADDRESS) fail('InvalidOrder') // paymentToken
    if (p.budget === 0n) fail('InvalidOrder') // budget
    // another token states its value in stake units; in the stake token a stated value is a floor
    if (!this.protocol.isStakeToken(p.paymentToken) && p.value === 0n) fail('InvalidOrder') // value
    if (p.biddingEnds <= now || p.biddingEnds > now + MAX_DURATION) fail('InvalidOrder') // biddingEnds
    if (isLease(p)) {
      if (p.deadline !== 0n) fail('InvalidOrder') // deadline
      if (p.milestones !== 0n) fail('InvalidOrder') // milestones
      if (p.budget / p.ratePerSecond > MAX_DURATION) fail('InvalidOrder') // ratePerSecond
    } else {
      if (p.deadline <= p.biddingEnds || p.deadline > now + MAX_DURATION) fail('InvalidOrder') // deadline
      if (!validMilestones(p.milestones)) fail('InvalidOrder') // milestones
    }
  }

  bid(
    sender: string,
    orderId: bigint,
    params: ModelOrderParams,
    price: bigint,
    collateral: bigint,
    now: bigint,
  ) {
    const o = this.load(orderId, params, 'Open')
    if (addr(params.vault) !== ZERO_ADDRESS) fail('NotAnIntent')
    if (now >= params.biddingEnds) fail('BiddingClosed')
    const most = isLease(params) ? params.ratePerSecond : params.budget
    if (price === 0n || price > most) fail('PriceAboveBudget')
    // a lower rate streams the same funds for longer: no lease may hold collateral beyond MAX_DURATION
    if (isLease(params) && params.budget / price > MAX_DURATION) fail('LeaseTooLong')
    const vault = this.protocol.vaultOfOperator(sender)
    if (!vault) return fail('NotAnOperator')
    // the allocation's room is checked now, the vault-wide room when the bid is accepted
    const { room, score } = this.protocol.allocationTerms(vault, params.serviceId, now)
    // `collateral` is the most the operator pledges; acceptance reserves exactly the requirement then
    const required = this.required(params, price, score)
    if (collateral < required) fail('CollateralBelowRequirement')
    // a vault that could reserve nothing here may not hold the best bid
    if (required > room || room === 0n) fail('CollateralUnavailable')
    const previous = o.bids.get(vault)
    if (previous && price >= previous.price) fail('BidNotLower')
    o.bids.set(vault, { price, collateral, at: now })
    // lowest price wins; on a tie the higher reputation now, then the earlier bid (the incumbent) keeps it
    const best = o.vault
    if (
      best === ZERO_ADDRESS ||
      best === vault ||
      price < o.price ||
      (price === o.price && score > this.protocol.allocationTerms(best, params.serviceId, now).score)
    ) {
      o.vault = vault
      o.price = price
    }
  }

  /* ACCEPTANCE */

  accept(sender: string, orderId: bigint, params: ModelOrderParams, now: bigint) {
    const o = this.load(orderId, params, 'Open')
    if (addr(params.vault) !== ZERO_ADDRESS) {
      // a named order: its operator accepts within the window, at the order's price
      if (this.protocol.vaultOfOperator(sender) !== addr(params.vault)) fail('NotOrderOperator')
      if (now > params.biddingEnds) fail('AcceptanceClosed')
      // a named order's operator pledges whatever is required at acceptance
      this.activate(o, params, addr(params.vault), o.price, undefined, now)
    } else {
      if (now < params.biddingEnds) fail('BiddingOpen')
      this.checkAcceptanceWindow(params, now)
      if (o.vault === ZERO_ADDRESS) fail('NoBids')
      const b = o.bids.get(o.vault)!
      this.activate(o, params, o.vault, b.price, b.collateral, now)
    }
  }

  pickBid(sender: string, orderId: bigint, params: ModelOrderParams, vault: string, now: bigint) {
    const o = this.load(orderId, params, 'Open')
    if (addr(sender) !== addr(params.client)) fail('NotClient')
    if (addr(params.vault) !== ZERO_ADDRESS) fail('NotAnIntent')
    const b = o.bids.get(addr(vault))
    if (!b) return fail('NoBid')
    this.checkAcceptanceWindow(params, now)
    this.activate(o, params, addr(vault), b.price, b.collateral, now)
  }

  /**
   * Reserves exactly the requirement at acceptance — never the pledge, so a pledge above it cannot hand the
   * vault's stake to a (self-dealt) client — and starts the order. `pledge` undefined: a named order (unlimited).
   */
  private activate(
    o: ModelOrder,
    params: ModelOrderParams,
    vault: string,
    price: bigint,
    pledge: bigint | undefined,
    now: bigint,
  ) {
    if (!isLease(params) && now >= params.deadline) fail('DeadlinePassed')
    // the reputation may have fallen since the bid: the pledge must still cover what is required now
    const { score } = this.protocol.allocationTerms(vault, params.serviceId, now)
    const collateral = this.required(params, price, score)
    if (pledge !== undefined && pledge < collateral) fail('CollateralBelowRequirement')
    // the vault checks the allocation, the ban, the jail and the room
    this.protocol.reserveCollateral(vault, params.serviceId, collateral, now)
    o.status = 'Active'
    o.startedAt = now
    o.vault = vault
    o.price = price
    o.collateral = collateral
    // a job won below its budget gives the difference back now; a lease keeps all its funds to stream
    const refund = isLease(params) ? 0n : params.budget - price
    this.refund(o, refund)
  }

  /* SETTLEMENT */

  confirm(sender: string, orderId: bigint, params: ModelOrderParams, now: bigint) {
    const o = this.load(orderId, params, 'Active')
    if (addr(sender) !== addr(params.client)) fail('NotClient')
    if (isLease(params)) fail('NotAJob')
    this.payMilestone(o, params, now)
  }

  /**
   * An attester quorum's outcome for the next milestone. `signers` are the recovered signers in the order given
   * (the registry requires them strictly ascending).
   */
  reportOutcome(
    orderId: bigint,
    params: ModelOrderParams,
    outcome: ModelOutcome,
    signers: string[],
    now: bigint,
  ) {
    const o = this.load(orderId, params, 'Active')
    if (outcome.orderId !== orderId) fail('OutcomeForOtherOrder')
    // the signatures name the order's terms too: an order renumbered by a reorg cannot take another's outcome
    if (outcome.paramsHash.toLowerCase() !== orderParamsHash(o.params)) fail('OutcomeForOtherParams')
    // and the holder: a reorg that hands the order to another bidder cannot carry a verdict on the first one
    if (addr(outcome.vault) !== addr(o.vault)) fail('OutcomeForOtherVault')
    // one verdict per milestone: a success moves `settled` on, a failure ends the order
    if (outcome.milestone !== o.settled) fail('MilestoneMismatch')
    this.protocol.reportTerms(params.serviceId, outcome.success ? 0 : outcome.classId, signers)
    if (outcome.success) {
      if (isLease(params)) fail('NotAJob')
      // after the deadline only the client may still pay (confirm): a late report cannot race expire
      if (now > params.deadline) fail('DeadlinePassed')
      this.payMilestone(o, params, now)
    } else {
      this.fail(o, params, outcome.classId, signers, now)
    }
  }

  expire(orderId: bigint, params: ModelOrderParams, now: bigint) {
    const o = this.load(orderId, params, 'Active')
    if (isLease(params)) fail('NotAJob')
    if (now <= params.deadline) fail('DeadlineNotPassed')
    this.fail(o, params, NO_CLASS, [], now)
  }

  settleLease(orderId: bigint, params: ModelOrderParams, now: bigint) {
    const o = this.load(orderId, params, 'Active')
    if (!isLease(params)) fail('NotALease')
    const { due, exhausted } = this.streamDue(o, params, now)
    if (due === 0n && !exhausted) fail('NothingToSettle')
    if (exhausted) {
      o.status = 'Completed'
      const operator = this.protocol.releaseCollateral(
        o.vault,
        params.serviceId,
        o.collateral,
        'Succeeded',
        now,
        this.stakeFee(params, params.budget),
      )
      this.payLease(o, params, due, operator, false)
    } else {
      this.payLease(o, params, due, this.protocol.vault(o.vault).operator, false)
    }
  }

  /** Moves a service's accrued stake-token fees to the rewards distributor. Anyone may call. */
  sweepFees(serviceId: bigint, now: bigint): bigint {
    const pot = this.feePots.get(serviceId)
    const amount = pot ? pot.accrued - pot.swept : 0n
    if (amount === 0n) return 0n
    pot!.swept = pot!.accrued
    this.protocol.move(this.address, this.protocol.rewards, amount)
    this.protocol.addOrderFee(serviceId, amount, now)
    return amount
  }

  /* CANCELLATION */

  cancel(sender: string, orderId: bigint, params: ModelOrderParams) {
    const o = this.load(orderId, params, 'Open')
    if (addr(sender) !== addr(params.client)) fail('NotClient')
    o.status = 'Cancelled'
    this.refund(o, params.budget)
  }

  /**
   * Client or operator agrees; when both have, within CONSENT_WINDOW of each other and with no milestone paid in
   * between, the order is cancelled: a lease credits the operator what streamed, the client is credited the rest.
   * Returns whether it was cancelled.
   */
  agreeCancel(sender: string, orderId: bigint, params: ModelOrderParams, now: bigint): boolean {
    const o = this.load(orderId, params, 'Active')
    // after a job's deadline the order can only fail: a late consent cannot dodge expire
    if (!isLease(params) && now > params.deadline) fail('DeadlinePassed')
    let party: number
    if (addr(sender) === addr(params.client)) party = 1
    else if (this.protocol.vaultOfOperator(sender) === o.vault) party = 2
    else return fail('NotOrderOperator')
    // an old agreement does not bind: it lapses after CONSENT_WINDOW
    let consent = o.consent
    if (consent !== 0 && now > o.consentAt + CONSENT_WINDOW) consent = 0
    if ((consent | party) !== 3) {
      if (consent === 0) o.consentAt = now
      o.consent = consent | party
      return false
    }
    o.status = 'Cancelled'
    const operator = this.protocol.releaseCollateral(
      o.vault,
      params.serviceId,
      o.collateral,
      'Cancelled',
      now,
    )
    if (isLease(params)) {
      const { due } = this.streamDue(o, params, now)
      if (due > 0n) this.payLease(o, params, due, operator, true)
    }
    const refund = this.escrowOf(o) - o.paid
    o.paid += refund // nothing is owed any more: the escrow of this order is spent
    this.credit(params.paymentToken, params.client, refund)
    o.refunded += refund
    return true
  }

  /** Pays the caller what failed or cancelled orders credited it in `token`. */
  withdrawOwed(sender: string, token: string): bigint {
    const amount = this.owedTo(token, sender)
    if (amount === 0n) return 0n
    this.owed.get(addr(token))!.set(addr(sender), 0n)
    this.protocol.move(this.address, sender, amount, token)
    return amount
  }

  /* VIEWS */

  /** An accepted order's escrow: a job's price (the budget above it went back at acceptance) or a lease's funds. */
  escrowOf(o: ModelOrder): bigint {
    return isLease(o.params) || o.status === 'Open' ? o.params.budget : o.price
  }

  /** Escrow of the order not yet paid out: all of it while Open, then the price (job) or funds (lease) less paid. */
  escrowLeft(o: ModelOrder): bigint {
    if (o.status === 'Open') return o.params.budget
    if (o.status !== 'Active') return 0n
    return this.escrowOf(o) - o.paid
  }

  owedTo(token: string, account: string): bigint {
    return this.owed.get(addr(token))?.get(addr(account)) ?? 0n
  }

  /**
   * What the order book must hold of `token`: the unpaid escrow of its orders, what it credited and nobody has
   * withdrawn yet, and (stake token) the unswept fees.
   */
  held(token: string): bigint {
    let total = 0n
    for (const o of this.orders.values())
      if (addr(o.params.paymentToken) === addr(token)) total += this.escrowLeft(o)
    for (const amount of this.owed.get(addr(token))?.values() ?? []) total += amount
    if (this.protocol.isStakeToken(token))
      for (const pot of this.feePots.values()) total += pot.accrued - pot.swept
    return total
  }

  unsweptFees(serviceId: bigint): bigint {
    const pot = this.feePots.get(serviceId)
    return pot ? pot.accrued - pot.swept : 0n
  }

  /**
   * The stake-token fee an order of `amount` paid the service's stakers (what a success's reputation step weighs);
   * a foreign token's fee goes to the service owner and counts as none.
   */
  stakeFee(params: ModelOrderParams, amount: bigint): bigint {
    return this.protocol.isStakeToken(params.paymentToken) ? orderFee(amount, params.feeBps) : 0n
  }

  /**
   * The collateral an order needs at `score`: base = value (foreign token), or the larger of the budget (lease) or
   * price (job) and the value the client stated as a floor (stake token).
   */
  required(params: ModelOrderParams, price: bigint, score: bigint): bigint {
    const base = !this.protocol.isStakeToken(params.paymentToken)
      ? params.value
      : max(isLease(params) ? params.budget : price, params.value)
    return requiredCollateral(base, params.collateralFactorBps, params.collateralFloorBps, score)
  }

  /* INTERNAL */

  private checkAcceptanceWindow(params: ModelOrderParams, now: bigint) {
    if (now > params.biddingEnds + ACCEPTANCE_WINDOW) fail('AcceptanceClosed')
  }

  private load(orderId: bigint, params: ModelOrderParams, expected: ModelOrderStatus): ModelOrder {
    const o = this.orders.get(orderId)
    if (!o) return fail('OrderNotFound')
    if (!sameParams(o.params, params)) fail('ParamsMismatch')
    if (o.status !== expected) fail('WrongOrderStatus')
    return o
  }

  /** Pays the next milestone of a job (the last takes the remainder) and completes the order after the last. */
  private payMilestone(o: ModelOrder, params: ModelOrderParams, now: bigint) {
    const index = o.settled
    const last = index + 1n === milestoneCount(params.milestones)
    const amount = last ? o.price - o.paid : milestoneAmount(o.price, params.milestones, index)
    o.settled = index + 1n
    o.paid += amount
    o.consent = 0 // an agreement to cancel was about the work before this milestone
    let operator: string
    if (last) {
      o.status = 'Completed'
      operator = this.protocol.releaseCollateral(
        o.vault,
        params.serviceId,
        o.collateral,
        'Succeeded',
        now,
        this.stakeFee(params, o.price),
      )
    } else {
      operator = this.protocol.vault(o.vault).operator
    }
    this.pay(o, params, operator, amount, orderFee(amount, params.feeBps), false)
  }

  /** The fee is taken on what has streamed in all (fee(paid + due) − fee(paid)): settling often never adds rounding. */
  private payLease(o: ModelOrder, params: ModelOrderParams, due: bigint, operator: string, credit: boolean) {
    const before = o.paid
    o.paid = before + due
    const fee = orderFee(o.paid, params.feeBps) - orderFee(before, params.feeBps)
    if (due > 0n) this.pay(o, params, operator, due, fee, credit)
  }

  /** What a lease has streamed and not yet paid, and whether its funds are all streamed. */
  streamDue(o: ModelOrder, params: ModelOrderParams, now: bigint) {
    const streamed = min(params.budget, o.price * (now - o.startedAt))
    return { due: streamed - o.paid, exhausted: streamed === params.budget }
  }

  /**
   * Fails an active order: a lease first pays what streamed; the client gets the rest of the escrow back; the
   * collateral leaves the reservation and becomes a pending slash in the court, paid to the client.
   */
  private fail(o: ModelOrder, params: ModelOrderParams, classId: number, signers: string[], now: bigint) {
    o.status = 'Failed'
    const operator = this.protocol.releaseCollateral(o.vault, params.serviceId, o.collateral, 'Failed', now)
    if (isLease(params)) {
      const { due } = this.streamDue(o, params, now)
      if (due > 0n) this.payLease(o, params, due, operator, true)
    }
    const refund = this.escrowOf(o) - o.paid
    o.paid += refund // the escrow is spent: nothing of this order can be paid twice
    // an order of a service that asks no collateral fails without a slash
    if (o.collateral > 0n)
      o.slash = this.protocol.requestOrderSlash(
        {
          serviceId: params.serviceId,
          vault: o.vault,
          orderId: o.id,
          client: params.client,
          collateral: o.collateral,
          classId,
          signers,
        },
        now,
      )
    this.credit(params.paymentToken, params.client, refund)
    o.refunded += refund
  }

  /** A refund at acceptance or before it: transferred at once. */
  private refund(o: ModelOrder, amount: bigint) {
    this.protocol.move(this.address, o.params.client, amount, o.params.paymentToken)
    o.refunded += amount
  }

  private credit(token: string, account: string, amount: bigint) {
    if (amount === 0n) return
    let ledger = this.owed.get(addr(token))
    if (!ledger) {
      ledger = new Map()
      this.owed.set(addr(token), ledger)
    }
    ledger.set(addr(account), (ledger.get(addr(account)) ?? 0n) + amount)
  }

  /**
   * Pays `amount` of the escrow: the fee into the service's fee pot for the stake token, or to the service owner
   * for another token; the rest to the operator. With `credit` (failures, cancellations) transfers become credits.
   */
  private pay(
    o: ModelOrder,
    params: ModelOrderParams,
    operator: string,
    amount: bigint,
    fee: bigint,
    credit: boolean,
  ) {
    const send = (to: string, value: bigint) => {
      if (credit) this.credit(params.paymentToken, to, value)
      else this.protocol.move(this.address, to, value, params.paymentToken)
    }
    if (fee > 0n) {
      if (this.protocol.isStakeToken(params.paymentToken)) {
        const pot = this.feePots.get(params.serviceId) ?? { accrued: 0n, swept: 0n }
        pot.accrued += fee
        this.feePots.set(params.serviceId, pot)
      } else {
        send(this.protocol.service(params.serviceId).owner, fee)
      }
    }
    if (amount > fee) send(operator, amount - fee)
    o.toOperator += amount
  }
}
