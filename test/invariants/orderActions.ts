/**
 * The order half of the invariant suite: random order actions (open named and intent jobs and leases, bid,
 * accept, pick a bid, confirm, attested outcomes, expire, settle a lease, cancel, agree to cancel, sweep fees,
 * replay a settled outcome) with their bad variants, each run on chain and in the reference model
 * (src/model/ordersModel.ts); then the order-book checks made after every step and the orders' events rebuild.
 */
import assert from 'node:assert/strict'
import {
  type Account,
  type Address,
  type Hex,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
} from 'viem'
import type { IndexedState } from '../../src/indexer/reduceEvents.ts'
import { reputationAt } from '../../src/indexer/reduceEvents.ts'
import { milestoneCount, NO_CLASS, packMilestones } from '../../src/model/orderMath.ts'
import {
  ACCEPTANCE_WINDOW,
  isLease,
  type ModelOrder,
  type ModelOrderParams,
  type ModelOutcome,
  ORDER_STATUSES,
  orderParamsHash,
} from '../../src/model/ordersModel.ts'
import type { ModelSlash, ProtocolModel } from '../../src/model/protocolModel.ts'
import { min } from '../../src/model/sharesMath.ts'
import { orderBookAbi, slashingCourtAbi, operatorVaultAbi as vaultAbi } from '../../src/sdk/abis.ts'
import { orderSignatures } from '../../src/sdk/reports.ts'
import type { SlashDetails } from '../../src/sdk/types.ts'
import { DAY } from '../support/fixtures.ts'
import type { World } from '../support/world.ts'
import type { ExecResult } from './chainExec.ts'
import type { InvariantFixture } from './invariantSuite.ts'
import type { Prng } from './prng.ts'

export type Call = { address: Address; abi: any; functionName: string; args: readonly unknown[] }
export type Executed = Extract<ExecResult, { ok: true }>

/** What the suite's step loop hands an action: the chain, the model, the dice and the step's time. */
export type SuiteContext = {
  world: World
  fx: InvariantFixture
  model: ProtocolModel
  rng: Prng
  now: bigint
  where: string
  /** Runs the call on chain and in the model; both must agree on success or on the custom error. */
  both: (account: Account, call: Call, apply: () => unknown) => Promise<Executed | undefined>
  /** Mostly a subject in the state the action needs, sometimes any. */
  choose: <T>(all: T[], fits: (t: T) => boolean) => T | undefined
  /** Follows a slash (an order's collateral slash here) through dispute, resolution and execution. */
  track: (slash: ModelSlash, details: SlashDetails) => void
  /** The sequence's warm-up: actions take their plain happy path. */
  warmUp: boolean
  /** Counts an event of interest in the run's statistics (INVARIANT_STATS=1). */
  note: (what: string) => void
  /** Moves the step's time on (for an action of several calls) and returns the new time. */
  advance: (seconds: bigint) => bigint
  /** Queued withdrawals the suite may claim later. */
  withdrawals: { vault: Address; owner: Account; id: bigint }[]
  /** Outcomes that landed, to replay: a settled milestone or a failed order must never settle again. */
  submitted: { orderId: bigint; params: ModelOrderParams; outcome: ModelOutcome; signers: Account[] }[]
}

/** Step weights of the order actions, next to the vault and court ones in invariantSuite.ts. */
export const ORDER_ACTION_WEIGHTS = {
  openOrder: 9,
  bid: 12,
  accept: 9,
  pickBid: 4,
  confirm: 9,
  outcome: 9,
  replayOutcome: 2,
  expire: 4,
  settleLease: 4,
  cancel: 2,
  agreeCancel: 5,
  sweepFees: 2,
  withdrawOwed: 2,
  requestBondWithdrawal: 2,
  claimBondWithdrawal: 2,
  escapeCollateral: 3,
} as const
export type OrderAction = keyof typeof ORDER_ACTION_WEIGHTS
export const isOrderAction = (a: string): a is OrderAction => a in ORDER_ACTION_WEIGHTS

/** The orders an action is meant for (its happy path); the action sometimes takes any order instead. */
const SUBJECTS: Partial<Record<OrderAction, (o: ModelOrder, now: bigint) => boolean>> = {
  bid: (o, now) => o.status === 'Open' && o.params.vault === zeroAddress && now < o.params.biddingEnds,
  accept: (o, now) =>
    o.status === 'Open' &&
    (o.params.vault === zeroAddress
      ? o.vault !== zeroAddress &&
        now >= o.params.biddingEnds &&
        now <= o.params.biddingEnds + ACCEPTANCE_WINDOW
      : now <= o.params.biddingEnds),
  pickBid: (o, now) =>
    o.status === 'Open' &&
    o.params.vault === zeroAddress &&
    o.bids.size > 0 &&
    now <= o.params.biddingEnds + ACCEPTANCE_WINDOW,
  confirm: (o) => o.status === 'Active' && !isLease(o.params),
  outcome: (o, now) => o.status === 'Active' && (isLease(o.params) || now <= o.params.deadline),
  expire: (o, now) => o.status === 'Active' && !isLease(o.params) && now > o.params.deadline,
  settleLease: (o) => o.status === 'Active' && isLease(o.params),
  cancel: (o) => o.status === 'Open',
  agreeCancel: (o, now) => o.status === 'Active' && (isLease(o.params) || now <= o.params.deadline),
}

/**
 * The next time an order's possibilities change: an intent's bidding window with bids closes (it can be accepted),
 * a job's deadline passes (it can expire), a lease's funds run out.
 */
export function nextOrderMoment(model: ProtocolModel, now: bigint): bigint | undefined {
  let next: bigint | undefined
  const consider = (t: bigint) => {
    if (t > now && (next === undefined || t < next)) next = t
  }
  for (const o of model.orders.orders.values()) {
    if (o.status === 'Open' && o.params.vault === zeroAddress && o.bids.size > 0)
      consider(o.params.biddingEnds)
    if (o.status === 'Active') {
      if (!isLease(o.params)) consider(o.params.deadline + 1n)
      else consider(o.startedAt + (o.params.budget + o.price - 1n) / o.price)
    }
  }
  return next
}

/**
 * Whether the action has a subject in the state it needs. The step loop mostly draws again when it has not, so
 * orders move through their lives instead of piling up reverts (the bad variants still run).
 */
export function orderActionApplies(model: ProtocolModel, action: OrderAction, now: bigint): boolean {
  const fits = SUBJECTS[action]
  if (fits) return [...model.orders.orders.values()].some((o) => fits(o, now))
  if (action === 'replayOutcome') return model.orders.orders.size > 0
  if (action === 'withdrawOwed')
    return [...model.orders.owed.values()].some((ledger) => [...ledger.values()].some((x) => x > 0n))
  if (action === 'escapeCollateral') return [...model.vaults.values()].some((v) => v.totalReserved > 0n)
  if (action === 'claimBondWithdrawal')
    return [...model.vaults.values()].some(
      (v) => v.bondWithdrawal.amount > 0n && v.bondWithdrawal.readyAt <= now,
    )
  return true
}

const TERMS = {
  termsHash: keccak256(toHex('invariant suite order terms')),
  maxLatencyMs: 250,
  minUptimeBps: 9_900,
  minTempCentiC: -2_000,
  maxTempCentiC: 800,
  pickupBy: 0,
  device: zeroAddress,
}

const OUTCOME_TYPES = {
  OrderOutcome: [
    { name: 'orderId', type: 'uint256' },
    { name: 'paramsHash', type: 'bytes32' },
    { name: 'vault', type: 'address' },
    { name: 'milestone', type: 'uint8' },
    { name: 'success', type: 'bool' },
    { name: 'classId', type: 'uint8' },
  ],
} as const

async function signOutcomes(world: World, signers: Account[], outcome: ModelOutcome) {
  const domain = {
    name: 'Surety Orders',
    version: '1',
    chainId: world.chainId,
    verifyingContract: world.addresses.orders,
  }
  const message = {
    ...outcome,
    paramsHash: outcome.paramsHash as Hex,
    vault: outcome.vault as Address,
    milestone: Number(outcome.milestone),
  }
  const signed = await Promise.all(
    signers.map(async (a) => ({
      signer: a.address,
      signature: await a.signTypedData!({
        domain,
        types: OUTCOME_TYPES,
        primaryType: 'OrderOutcome',
        message,
      }),
    })),
  )
  return orderSignatures(signed)
}

/** Two to four non-zero shares of 10 000 bps. */
function randomMilestones(rng: Prng): bigint {
  const count = 2 + rng.int(3)
  const cuts = new Set<number>()
  while (cuts.size < count - 1) cuts.add(1 + rng.int(9_999))
  const sorted = [...cuts].sort((a, b) => a - b)
  const shares = [...sorted, 10_000].map((cut, i) => BigInt(cut - (i === 0 ? 0 : sorted[i - 1]!)))
  return packMilestones(shares)
}

/** The operator of `vault` (the first fixture operator for an order without a vault yet). */
const operatorOf = (fx: InvariantFixture, vault: string) =>
  (fx.vaults.find((v) => v.address.toLowerCase() === vault.toLowerCase()) ?? fx.vaults[0]!).operator

export async function runOrderAction(ctx: SuiteContext, action: OrderAction): Promise<boolean> {
  const { world, fx, model, rng } = ctx
  const book = model.orders
  const orders = world.addresses.orders
  const all = [...book.orders.values()]
  const now = ctx.now
  const call = (functionName: string, args: readonly unknown[]): Call => ({
    address: orders,
    abi: orderBookAbi,
    functionName,
    args,
  })
  /** The order's id and parameters, now and then wrong: a stale id or tampered parameters. */
  const ref = (o: ModelOrder): { id: bigint; params: ModelOrderParams } => {
    const r = ctx.warmUp ? 1 : rng.next()
    if (r < 0.02) return { id: book.nextOrderId + 3n, params: o.params }
    if (r < 0.05) return { id: o.id, params: { ...o.params, budget: o.params.budget + 1n } }
    return { id: o.id, params: o.params }
  }
  const someoneElse = () => rng.pick(fx.stakers)
  /** Mostly an order in the state the action needs; now and then any order (WrongOrderStatus and the like). */
  const chooseOrder = (fits: (o: ModelOrder) => boolean) => {
    const fitting = all.filter(fits)
    if (fitting.length > 0 && rng.next() < 0.92) return rng.pick(fitting)
    return all.length > 0 ? rng.pick(all) : undefined
  }
  const allocated = (vault: string, serviceId: bigint) =>
    model.vault(vault).allocations.get(serviceId)?.live === true

  switch (action) {
    case 'openOrder': {
      // the warm-up's orders are jobs in the stake token: first a named one (accepted and confirmed next, so one
      // vault starts with a reputation), then an intent both vaults bid on at one price (the tie rule)
      const warm = ctx.warmUp
      const lease = !warm && rng.next() < 0.35
      const named = warm ? book.orders.size === 0 : rng.next() < 0.45
      const foreign = !warm && rng.next() < 0.15
      const service =
        warm && book.orders.size > 0
          ? fx.services.find((x) => x.id === all[0]!.params.serviceId)!
          : rng.pick(fx.services)
      const vault = named
        ? ctx.choose(fx.vaults, (v) => allocated(v.address, service.id))!.address
        : zeroAddress
      // mostly an order the vault(s) could take: its collateral base within the room at a zero score
      // (the warm-up's intent: within what both vaults could take, so both can bid)
      let room: bigint | undefined
      for (const v of named ? [vault] : fx.vaults.map((x) => x.address)) {
        const r = model.collateralTerms(v, service.id, now).room
        if (room === undefined || (warm ? r < room : r > room)) room = r
      }
      room ??= 0n
      const factor = BigInt(service.params.collateralFactorBps)
      const fitting = factor > 0n ? (room * 10_000n) / factor : room
      const most =
        (warm || rng.next() < 0.75) && fitting > 0n ? min(fitting, parseEther('3000')) : parseEther('3000')
      const budget = 1n + rng.amount(most - 1n)
      const biddingEnds = now + BigInt(warm ? 6 * 3600 : rng.pick([120, 300, 900, 3600, 6 * 3600]))
      let ratePerSecond = 0n
      let deadline = 0n
      let milestones = 0n
      if (lease) {
        ratePerSecond = budget / BigInt(rng.pick([2 * 3600, DAY, 3 * DAY, 10 * DAY]))
        if (ratePerSecond === 0n) ratePerSecond = 1n
      } else {
        deadline = biddingEnds + BigInt(rng.pick([600, 1800, 3600, DAY, 3 * DAY, 10 * DAY]))
        milestones = warm || rng.next() < 0.4 ? 0n : randomMilestones(rng)
      }
      const params: ModelOrderParams = {
        client: fx.client.address,
        serviceId: service.id,
        paymentToken: foreign ? fx.foreignToken : world.addresses.stakeToken,
        // mostly a vault allocated to the service (else acceptance reverts NotAllocated)
        vault,
        budget,
        // a foreign token states its value; in the stake token a stated value is a floor on the collateral base
        value: foreign ? 1n + rng.amount(most - 1n) : !warm && rng.next() < 0.2 ? rng.amount(most) : 0n,
        ratePerSecond,
        biddingEnds,
        deadline,
        milestones,
        // whatever the client passes, the service's terms in force are written in
        feeBps: BigInt(rng.int(5_000)),
        collateralFactorBps: BigInt(rng.int(50_000)),
        collateralFloorBps: BigInt(rng.int(10_000)),
      }
      let sender = fx.client
      const bad = warm ? 1 : rng.next()
      if (bad < 0.02) sender = someoneElse()
      else if (bad < 0.04) params.biddingEnds = now - BigInt(rng.int(2))
      else if (bad < 0.055) {
        if (lease) params.deadline = biddingEnds + 1n
        else params.milestones = packMilestones([5_000n, 0n, 5_000n])
      } else if (bad < 0.07 && foreign) params.value = 0n
      else if (bad < 0.08) params.budget = 0n
      else if (bad < 0.085) params.serviceId = 99n
      else if (bad < 0.095 && !lease) params.deadline = params.biddingEnds
      const r = await ctx.both(sender, call('open', [params, TERMS]), () =>
        book.open(sender.address, params, now),
      )
      if (r) {
        const [event] = parseEventLogs({ abi: orderBookAbi, eventName: 'OrderOpened', logs: r.receipt.logs })
        const stored = book.order(r.result as bigint)!.params
        const published = event!.args.params
        assert.equal(published.feeBps, Number(stored.feeBps), `${ctx.where}: service fee written in`)
        assert.equal(
          published.collateralFactorBps,
          Number(stored.collateralFactorBps),
          `${ctx.where}: collateral factor written in`,
        )
        assert.equal(
          orderParamsHash(stored),
          (
            (await world.public.readContract({
              address: orders,
              abi: orderBookAbi,
              functionName: 'order',
              args: [r.result as bigint],
            })) as readonly unknown[]
          )[0],
          `${ctx.where}: params hash`,
        )
      }
      return true
    }
    case 'bid': {
      const o = chooseOrder((x) => SUBJECTS.bid!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      // mostly an allocated vault, preferring one that is not already the best bidder (competition, ties)
      const bidder =
        ctx.warmUp || rng.next() < 0.93
          ? ctx.choose(
              fx.vaults,
              (v) => allocated(v.address, o.params.serviceId) && v.address.toLowerCase() !== o.vault,
            )
          : undefined
      const sender = bidder ? bidder.operator : someoneElse()
      const vault = bidder?.address.toLowerCase()
      const most = isLease(o.params) ? o.params.ratePerSecond : o.params.budget
      const previous = vault ? o.bids.get(vault)?.price : undefined
      const ceiling = previous !== undefined && previous <= o.price ? previous - 1n : o.price
      let price: bigint
      const r = ctx.warmUp ? (o.vault === zeroAddress ? 0.5 : 0) : rng.next()
      if (r < 0.4 && o.vault !== zeroAddress && o.vault !== vault)
        price = o.price // a tie with the best bid
      else if (r < 0.7 && ceiling > 0n) price = 1n + rng.amount(ceiling - 1n)
      else if (r < 0.92) price = 1n + rng.amount(most - 1n)
      else price = rng.next() < 0.5 ? 0n : most + 1n
      const terms = vault ? model.allocationTerms(vault, o.params.serviceId, now) : { room: 0n, score: 0n }
      const required = price > 0n && price <= most ? book.required(o.params, price, terms.score) : 0n
      let collateral = required
      const c = ctx.warmUp ? 1 : rng.next()
      if (c < 0.15 && terms.room > required) collateral = required + rng.amount(terms.room - required)
      else if (c < 0.23 && required > 0n) collateral = required - 1n
      else if (c < 0.3) collateral = terms.room + 1n
      const incumbent = { vault: o.vault, price: o.price }
      const placed = await ctx.both(sender, call('bid', [id, params, price, collateral]), () =>
        book.bid(sender.address, id, params, price, collateral, now),
      )
      if (placed && incumbent.vault !== zeroAddress && incumbent.vault !== vault && price === incumbent.price)
        ctx.note(o.vault === vault ? 'bid:tieWonOnReputation' : 'bid:tieKeptByIncumbent')
      return true
    }
    case 'accept': {
      const o = chooseOrder((x) => SUBJECTS.accept!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      let sender: Account = fx.reporter // anyone accepts an intent for its best bid
      if (o.params.vault !== zeroAddress) {
        const named = operatorOf(fx, o.params.vault)
        sender = ctx.warmUp || rng.next() < 0.9 ? named : rng.pick(fx.vaults.map((v) => v.operator))
      }
      const r = await ctx.both(sender, call('accept', [id, params]), () =>
        book.accept(sender.address, id, params, now),
      )
      if (r) assertReservationFits(ctx, o)
      return true
    }
    case 'pickBid': {
      const o = chooseOrder((x) => SUBJECTS.pickBid!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      const sender = rng.next() < 0.92 ? fx.client : someoneElse()
      const bidders = [...o.bids.keys()]
      const vault = (
        rng.next() < 0.9 && bidders.length > 0 ? rng.pick(bidders) : rng.pick(fx.vaults).address
      ) as Address
      const r = await ctx.both(sender, call('pickBid', [id, params, vault]), () =>
        book.pickBid(sender.address, id, params, vault, now),
      )
      if (r) assertReservationFits(ctx, o)
      return true
    }
    case 'confirm': {
      const o = chooseOrder((x) => SUBJECTS.confirm!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      const sender = ctx.warmUp || rng.next() < 0.92 ? fx.client : operatorOf(fx, o.vault)
      await ctx.both(sender, call('confirm', [id, params]), () =>
        book.confirm(sender.address, id, params, now),
      )
      return true
    }
    case 'outcome': {
      const o = chooseOrder((x) => SUBJECTS.outcome!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      const success = isLease(o.params) ? rng.next() < 0.1 : rng.next() < 0.65
      const classId = success ? rng.int(4) : rng.next() < 0.05 ? rng.pick([4, NO_CLASS]) : rng.int(4)
      const m = rng.next()
      const milestone = m < 0.9 ? o.settled : m < 0.95 ? o.settled + 1n : o.settled > 0n ? o.settled - 1n : 1n
      const t = rng.next()
      const outcome: ModelOutcome = {
        orderId: t < 0.97 ? id : id + 1n,
        // now and then signed over other terms (an order renumbered by a reorg): refused as OutcomeForOtherParams
        paramsHash: orderParamsHash(
          t < 0.95 || t >= 0.97 ? o.params : { ...o.params, budget: o.params.budget + 1n },
        ),
        // now and then signed for another vault (an intent a reorg gave to another bidder): OutcomeForOtherVault
        vault:
          rng.next() < 0.97
            ? o.vault
            : (fx.vaults.find((v) => v.address.toLowerCase() !== o.vault.toLowerCase()) ?? fx.vaults[0]!)
                .address,
        milestone,
        success,
        classId,
      }
      const active = fx.attesters.filter(
        (a) => model.service(o.params.serviceId).attesters.get(a.address.toLowerCase())?.active,
      )
      const count = rng.next() < 0.85 ? Math.max(3, active.length - rng.int(3)) : 1 + rng.int(active.length)
      const signers = [...active]
        .sort(() => rng.next() - 0.5)
        .slice(0, count)
        .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
      if (signers.length === 0) return false
      const signatures = await signOutcomes(world, signers, outcome)
      const r = await ctx.both(fx.reporter, call('reportOutcome', [id, params, outcome, signatures]), () =>
        book.reportOutcome(
          id,
          params,
          outcome,
          signers.map((s) => s.address),
          now,
        ),
      )
      if (r) {
        ctx.submitted.push({ orderId: id, params, outcome, signers })
        if (!success) trackOrderSlash(ctx, o, r)
      }
      return true
    }
    case 'replayOutcome': {
      if (ctx.submitted.length === 0) return false
      const s = rng.pick(ctx.submitted)
      const signatures = await signOutcomes(world, s.signers, s.outcome)
      const r = await ctx.both(
        fx.reporter,
        call('reportOutcome', [s.orderId, s.params, s.outcome, signatures]),
        () =>
          book.reportOutcome(
            s.orderId,
            s.params,
            s.outcome,
            s.signers.map((a) => a.address),
            now,
          ),
      )
      assert.equal(r, undefined, `${ctx.where}: a settled outcome settled again`)
      return true
    }
    case 'expire': {
      const o = chooseOrder((x) => SUBJECTS.expire!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      const r = await ctx.both(fx.reporter, call('expire', [id, params]), () => book.expire(id, params, now))
      if (r) trackOrderSlash(ctx, o, r)
      return true
    }
    case 'settleLease': {
      const o = chooseOrder((x) => SUBJECTS.settleLease!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      await ctx.both(fx.reporter, call('settleLease', [id, params]), () => book.settleLease(id, params, now))
      return true
    }
    case 'cancel': {
      const o = chooseOrder((x) => SUBJECTS.cancel!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      const sender = rng.next() < 0.92 ? fx.client : someoneElse()
      await ctx.both(sender, call('cancel', [id, params]), () => book.cancel(sender.address, id, params))
      return true
    }
    case 'agreeCancel': {
      const o = chooseOrder((x) => SUBJECTS.agreeCancel!(x, now))
      if (!o) return false
      const { id, params } = ref(o)
      // mostly the party that has not agreed yet
      const r = rng.next()
      const clientFirst = o.consent === 2 ? 0.8 : o.consent === 1 ? 0.1 : 0.45
      const sender = r < clientFirst ? fx.client : r < 0.92 ? operatorOf(fx, o.vault) : someoneElse()
      await ctx.both(sender, call('agreeCancel', [id, params]), () =>
        book.agreeCancel(sender.address, id, params, now),
      )
      return true
    }
    case 'sweepFees': {
      const service = rng.pick(fx.services)
      await ctx.both(fx.reporter, call('sweepFees', [service.id]), () => book.sweepFees(service.id, now))
      return true
    }
    case 'withdrawOwed': {
      const owed = [...book.owed.entries()].flatMap(([token, ledger]) =>
        [...ledger.entries()].filter(([, x]) => x > 0n).map(([account]) => ({ token, account })),
      )
      const accounts = [fx.client, fx.services[0]!.owner, ...fx.vaults.map((v) => v.operator)]
      const pick =
        owed.length > 0 && rng.next() < 0.9
          ? rng.pick(owed)
          : {
              token: rng.pick([world.addresses.stakeToken, fx.foreignToken]),
              account: rng.pick(accounts).address,
            }
      const account =
        accounts.find((a) => a.address.toLowerCase() === pick.account.toLowerCase()) ?? fx.reporter
      await ctx.both(account, call('withdrawOwed', [pick.token]), () =>
        book.withdrawOwed(account.address, pick.token),
      )
      return true
    }
    case 'escapeCollateral': {
      // stake behind open orders tries to leave: all of a staker's shares, the whole bond, or the whole
      // allocation of a service with reservations; mostly the claim follows as soon as it is due (the orders
      // still open), to meet StakeHeldByOrders, a bond paid net of pending and reserved, AllocationHeldByOrders
      const v = ctx.choose(fx.vaults, (x) => model.vault(x.address).totalReserved > 0n)!
      const m = model.vault(v.address)
      const vaultCall = (functionName: string, args: readonly unknown[]): Call => ({
        address: v.address,
        abi: vaultAbi,
        functionName,
        args,
      })
      const claimSoon = rng.next() < 0.6
      const how = rng.int(3)
      if (how === 0) {
        // every staker queues all its shares (the pool tries to leave whole), then claims in turn
        const queued: { staker: Account; id: bigint }[] = []
        for (const staker of fx.stakers) {
          const shares = model.sharesOf(v.address, staker.address)
          if (shares === 0n) continue
          const time = queued.length === 0 ? now : ctx.advance(1n)
          const r = await ctx.both(staker, vaultCall('requestWithdrawal', [shares]), () =>
            model.requestWithdrawal(v.address, staker.address, shares, time),
          )
          if (!r) continue
          queued.push({ staker, id: r.result as bigint })
          ctx.withdrawals.push({ vault: v.address, owner: staker, id: r.result as bigint })
        }
        if (!claimSoon) return true
        const at = ctx.advance(m.withdrawalDelay + 1n)
        for (const [i, { staker, id }] of queued.entries()) {
          const time = i === 0 ? at : ctx.advance(1n)
          await ctx.both(staker, vaultCall('claimWithdrawal', [id, staker.address]), () =>
            model.claimWithdrawal(v.address, staker.address, id, staker.address, time),
          )
        }
      } else if (how === 1) {
        const amount = m.bond > 0n ? m.bond : 1n
        const r = await ctx.both(v.operator, vaultCall('requestBondWithdrawal', [amount]), () =>
          model.requestBondWithdrawal(v.address, v.operator.address, amount, now),
        )
        if (!r || !claimSoon) return true
        const at = ctx.advance(m.withdrawalDelay + 1n)
        await ctx.both(v.operator, vaultCall('claimBondWithdrawal', []), () =>
          model.claimBondWithdrawal(v.address, v.operator.address, at),
        )
      } else {
        const s = ctx.choose(fx.services, (x) => (m.allocations.get(x.id)?.reserved ?? 0n) > 0n)!
        const amount = m.allocations.get(s.id)?.amount ?? 0n
        const decrease = amount > 0n ? amount : 1n
        const r = await ctx.both(v.operator, vaultCall('requestDeallocation', [s.id, decrease]), () =>
          model.requestDeallocation(v.address, v.operator.address, s.id, decrease, now),
        )
        if (!r || !claimSoon) return true
        const at = ctx.advance(model.vault(v.address).allocations.get(s.id)!.decreaseReadyAt - now)
        await ctx.both(fx.reporter, vaultCall('completeDeallocation', [s.id]), () =>
          model.completeDeallocation(v.address, s.id, at),
        )
      }
      return true
    }
    case 'requestBondWithdrawal': {
      const v = rng.pick(fx.vaults)
      const bond = model.vault(v.address).bond
      const amount = rng.next() < 0.05 ? 0n : 1n + rng.amount(bond + parseEther('1000'))
      await ctx.both(
        v.operator,
        { address: v.address, abi: vaultAbi, functionName: 'requestBondWithdrawal', args: [amount] },
        () => model.requestBondWithdrawal(v.address, v.operator.address, amount, now),
      )
      return true
    }
    case 'claimBondWithdrawal': {
      const v = ctx.choose(fx.vaults, (x) => {
        const w = model.vault(x.address).bondWithdrawal
        return w.amount > 0n && w.readyAt <= now
      })!
      const sender = rng.next() < 0.95 ? v.operator : someoneElse()
      await ctx.both(
        sender,
        { address: v.address, abi: vaultAbi, functionName: 'claimBondWithdrawal', args: [] },
        () => model.claimBondWithdrawal(v.address, sender.address, now),
      )
      return true
    }
  }
}

/**
 * Right after a reservation, everything the vault has promised fits what backs new orders (its stake less what
 * queued withdrawals were promised), vault-wide and on the order's service: the reservation counted nothing twice.
 */
function assertReservationFits(ctx: SuiteContext, o: ModelOrder) {
  if (o.collateral === 0n) return
  const v = ctx.model.vault(o.vault)
  const a = ctx.model.allocationOf(v, o.params.serviceId)
  const backing = v.bond + v.pool - (v.queuedAssets < v.pool ? v.queuedAssets : v.pool)
  const held = v.pending + v.totalReserved
  const allocated = a.amount < backing ? a.amount : backing
  assert.ok(held <= backing, `${ctx.where}: reservations + pending ${held} above the backing ${backing}`)
  assert.ok(
    a.pending + a.reserved <= allocated,
    `${ctx.where}: the service's reservations + pending ${a.pending + a.reserved} above its backing ${allocated}`,
  )
}

/** A failed order's collateral slash: the court's event must carry the model's amount, then the suite follows it. */
function trackOrderSlash(ctx: SuiteContext, o: ModelOrder, r: Executed) {
  const events = parseEventLogs({ abi: slashingCourtAbi, eventName: 'SlashRequested', logs: r.receipt.logs })
  const [failed] = parseEventLogs({ abi: orderBookAbi, eventName: 'OrderFailed', logs: r.receipt.logs })
  assert.ok(failed, `${ctx.where}: OrderFailed emitted`)
  if (!o.slash) {
    assert.equal(events.length, 0, `${ctx.where}: no collateral slash expected`)
    assert.equal(failed!.args.slashAmount, 0n, `${ctx.where}: OrderFailed reports no slash`)
    return
  }
  assert.equal(events.length, 1, `${ctx.where}: one collateral slash`)
  const details = events[0]!.args.details as SlashDetails
  assert.equal(events[0]!.args.slashId, o.slash.id, `${ctx.where}: order slash id`)
  assert.equal(details.amount, o.slash.amount, `${ctx.where}: order slash amount`)
  assert.equal(failed!.args.slashAmount, o.slash.amount, `${ctx.where}: OrderFailed slash amount`)
  assert.ok(o.slash.amount <= o.collateral, `${ctx.where}: an order slash never exceeds the collateral`)
  ctx.track(o.slash, details)
}

/* CHECKS AFTER EVERY STEP */

export type Reader = (
  address: Address,
  abi: any,
  functionName: string,
  args?: readonly unknown[],
) => Promise<any>

/**
 * The order book equals the model: every order's on-chain state, its bids while open, the fee pots and the next
 * id; every vault's reservations, reputation, collateral terms and jail. Views that decay with time are compared at
 * `chainTime`, the time of the block they are read at.
 */
export async function assertOrdersMatchModel(
  world: World,
  fx: InvariantFixture,
  model: ProtocolModel,
  read: Reader,
  chainTime: bigint,
  frozen: Map<bigint, string>,
  where: string,
) {
  const book = model.orders
  const orders = world.addresses.orders
  const list = [...book.orders.values()]
  const openIntents = list.filter((o) => o.status === 'Open' && o.params.vault === zeroAddress)
  const pairs = fx.vaults.flatMap((v) => fx.services.map((s) => ({ v, s })))
  const tokens = [world.addresses.stakeToken, fx.foreignToken]
  const accounts = [
    fx.client.address,
    fx.services[0]!.owner.address,
    ...fx.vaults.map((v) => v.operator.address),
  ]
  const owedPairs = tokens.flatMap((token) => accounts.map((account) => ({ token, account })))
  const [states, bids, fees, nextId, perVault, perPair, owed] = await Promise.all([
    Promise.all(list.map((o) => read(orders, orderBookAbi, 'order', [o.id]))),
    Promise.all(
      openIntents.flatMap((o) =>
        fx.vaults.map((v) => read(orders, orderBookAbi, 'bidOf', [o.id, v.address])),
      ),
    ),
    Promise.all(fx.services.map((s) => read(orders, orderBookAbi, 'unsweptFees', [s.id]))),
    read(orders, orderBookAbi, 'nextOrderId'),
    Promise.all(
      fx.vaults.map((v) =>
        Promise.all([
          read(v.address, vaultAbi, 'totalReserved'),
          read(v.address, vaultAbi, 'queuedAssets'),
          read(v.address, vaultAbi, 'bondWithdrawal'),
        ]),
      ),
    ),
    Promise.all(
      pairs.map(({ v, s }) =>
        Promise.all([
          read(v.address, vaultAbi, 'reputation', [s.id]),
          read(v.address, vaultAbi, 'collateralTerms', [s.id]),
          read(v.address, vaultAbi, 'allocationTerms', [s.id]),
          read(v.address, vaultAbi, 'jailedUntil', [s.id]),
        ]),
      ),
    ),
    Promise.all(owedPairs.map(({ token, account }) => read(orders, orderBookAbi, 'owed', [token, account]))),
  ])
  for (const [i, { token, account }] of owedPairs.entries()) {
    assert.equal(owed[i], book.owedTo(token, account), `${where}: owed ${token} to ${account}`)
  }

  assert.equal(nextId, book.nextOrderId, `${where}: next order id`)
  for (const [i, o] of list.entries()) {
    const [paramsHash, status, settled, startedAt, vault, price, collateral, paid] = states[i]
    const chain = {
      status: ORDER_STATUSES[status],
      settled,
      startedAt,
      vault: vault.toLowerCase(),
      price,
      collateral,
      paid,
    }
    assert.deepEqual(
      chain,
      {
        status: o.status,
        settled: Number(o.settled),
        startedAt: Number(o.startedAt),
        vault: o.vault,
        price: o.price,
        collateral: o.collateral,
        paid: o.paid,
      },
      `${where}: order ${o.id}`,
    )
    assert.equal(paramsHash, orderParamsHash(o.params), `${where}: order ${o.id} params hash`)
    // no order pays twice: never more than its escrow, everything exactly once when settled, and a settled order
    // never changes again
    const escrow = book.escrowOf(o)
    assert.ok(o.paid <= escrow, `${where}: order ${o.id} paid ${o.paid} above its escrow ${escrow}`)
    assert.ok(
      o.toOperator + o.refunded <= o.params.budget,
      `${where}: order ${o.id} paid out above its budget`,
    )
    assert.ok(o.settled <= milestoneCount(o.params.milestones), `${where}: order ${o.id} settled too many`)
    const terminal = o.status !== 'Open' && o.status !== 'Active'
    if (terminal) {
      assert.equal(
        o.toOperator + o.refunded,
        o.params.budget,
        `${where}: order ${o.id} did not pay out its budget`,
      )
      const snapshot = JSON.stringify(chain, (_, x) => (typeof x === 'bigint' ? x.toString() : x))
      const before = frozen.get(o.id)
      if (before === undefined) frozen.set(o.id, snapshot)
      else assert.equal(snapshot, before, `${where}: settled order ${o.id} changed`)
    }
  }
  let b = 0
  for (const o of openIntents) {
    for (const v of fx.vaults) {
      const [price, collateral, at] = bids[b++]
      const m = o.bids.get(v.address.toLowerCase())
      assert.deepEqual(
        [price, collateral, at],
        [m?.price ?? 0n, m?.collateral ?? 0n, m?.at ?? 0n],
        `${where}: bid of ${v.address} on order ${o.id}`,
      )
    }
  }
  for (const [i, s] of fx.services.entries()) {
    assert.equal(fees[i], book.unsweptFees(s.id), `${where}: unswept fees of service ${s.id}`)
  }

  // conservation: the order book holds exactly the unpaid escrow of its orders (per token) and the unswept fees
  const stake = world.addresses.stakeToken
  assert.equal(model.balance(orders), book.held(stake), `${where}: order book ≠ escrow + unswept fees`)
  assert.equal(model.balance(orders, fx.foreignToken), book.held(fx.foreignToken), `${where}: foreign escrow`)

  for (const [i, v] of fx.vaults.entries()) {
    const m = model.vault(v.address)
    const [totalReserved, queuedAssets, bondWithdrawal] = perVault[i]!
    assert.deepEqual(
      [totalReserved, queuedAssets, bondWithdrawal[0], BigInt(bondWithdrawal[1])],
      [m.totalReserved, m.queuedAssets, m.bondWithdrawal.amount, m.bondWithdrawal.readyAt],
      `${where}: vault reservations, queued assets, bond withdrawal`,
    )
    // reserved collateral is counted exactly once: the vault's total is the sum over services, and each
    // allocation's reservation is the collateral of exactly the active orders it backs plus the unsettled slashes
    // of failed ones (an order's slash stays reserved, senior to reports, until it settles)
    let sum = 0n
    for (const [serviceId, a] of m.allocations) {
      let collateral = 0n
      for (const o of list)
        if (o.status === 'Active' && o.vault === m.address && o.params.serviceId === serviceId)
          collateral += o.collateral
      for (const sl of model.slashes.values())
        if (
          sl.orderId !== undefined &&
          sl.vault === m.address &&
          sl.serviceId === serviceId &&
          (sl.status === 'Pending' || sl.status === 'Disputed' || sl.status === 'Upheld')
        )
          collateral += sl.amount
      assert.equal(
        a.reserved,
        collateral,
        `${where}: reservation ≠ active orders' collateral + their open slashes`,
      )
      sum += a.reserved
    }
    assert.equal(m.totalReserved, sum, `${where}: total reserved ≠ Σ allocations' reserved`)
  }
  for (const [i, { v, s }] of pairs.entries()) {
    const [reputation, collateralTerms, allocationTerms, jailedUntil] = perPair[i]!
    const a = model.allocationOf(model.vault(v.address), s.id)
    const score = model.score(a, chainTime)
    const pair = `${where}: vault ${v.address} service ${s.id}`
    assert.deepEqual(
      [...reputation],
      [score, a.successes, a.failures, a.reserved],
      `${pair}: reputation (score, successes, failures, reserved)`,
    )
    const terms = model.collateralTerms(v.address, s.id, chainTime)
    assert.deepEqual([...collateralTerms], [terms.room, terms.score], `${pair}: collateral terms`)
    const atms = model.allocationTerms(v.address, s.id, chainTime)
    assert.deepEqual([...allocationTerms], [atms.room, atms.score], `${pair}: allocation terms`)
    assert.equal(jailedUntil, a.jailedUntil, `${pair}: jailed until`)
  }
}

/** Orders and reservations rebuilt from events equal the model; money flows rebuilt from events pay each order once. */
export function assertOrdersRebuilt(
  state: IndexedState,
  fx: InvariantFixture,
  model: ProtocolModel,
  chainTime: bigint,
  where: string,
) {
  for (const o of model.orders.orders.values()) {
    const r = state.orders.get(o.id)
    assert.ok(r, `${where}: order ${o.id} not rebuilt`)
    assert.deepEqual(
      [r.status, r.vault, r.price, r.paid, r.collateral, r.settled, r.startedAt],
      [o.status, o.vault, o.price, o.paid, o.collateral, Number(o.settled), o.startedAt],
      `${where}: order ${o.id} rebuilt from events (status, vault, price, paid, collateral, settled, start)`,
    )
    assert.deepEqual([r.paidOut, r.refunded], [o.toOperator, o.refunded], `${where}: order ${o.id} payouts`)
    const settled = r.status !== 'Open' && r.status !== 'Active'
    if (settled)
      assert.equal(r.paidOut + r.refunded, r.params.budget, `${where}: order ${o.id} paid its budget once`)
    else assert.ok(r.paidOut + r.refunded <= r.params.budget, `${where}: order ${o.id} paid above its budget`)
  }
  assert.equal(state.orders.size, model.orders.orders.size, `${where}: orders rebuilt`)
  for (const [token, ledger] of model.orders.owed)
    for (const [account, amount] of ledger)
      assert.equal(state.owed.get(`${token}:${account}`) ?? 0n, amount, `${where}: owed rebuilt from events`)
  for (const s of fx.services) {
    const pot = model.orders.feePots.get(s.id)
    assert.equal(state.feesSwept.get(s.id) ?? 0n, pot?.swept ?? 0n, `${where}: fees swept`)
  }
  for (const v of fx.vaults) {
    const m = model.vault(v.address)
    const rebuilt = state.vaults.get(v.address.toLowerCase())!
    assert.deepEqual(
      [rebuilt.totalReserved, rebuilt.queuedAssets],
      [m.totalReserved, m.queuedAssets],
      `${where}: vault reservations rebuilt from events`,
    )
    for (const [serviceId, a] of m.allocations) {
      const ra = rebuilt.allocations.get(serviceId)
      assert.deepEqual(
        [
          ra?.reserved ?? 0n,
          ra?.jailedUntil ?? 0n,
          ra?.banned ?? false,
          ra?.reputation.successes ?? 0n,
          ra?.reputation.failures ?? 0n,
          reputationAt(state, v.address, serviceId, chainTime),
        ],
        [a.reserved, a.jailedUntil, a.banned, a.successes, a.failures, model.score(a, chainTime)],
        `${where}: allocation ${serviceId} reservation, jail, ban and reputation rebuilt from events`,
      )
    }
  }
}
