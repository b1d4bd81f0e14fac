/**
 * Rebuilds protocol state from events alone (invariant 6: every state change emits an event the indexer can
 * rebuild state from). A pure fold over decoded logs in chain order; the indexer's store applies the same
 * reducer, and the invariant suite checks that what it rebuilds equals what the contracts hold.
 *
 * Orders need the block time of their logs (`blockTimestamp`, which eth_getLogs returns): a lease starts at its
 * acceptance, and a tie between two bids goes to the higher reputation *now*, which decays with time.
 */
import type { Address, Hex } from 'viem'
import { decay } from '../model/reputation.ts'
import type { SlashDetails } from '../sdk/types.ts'
import { isOrderIncident, ORDER_RESULTS, type OrderStatus, type SlashStatus } from './status.ts'

/** Reputation of a vault on a service: as last written by a collateral release, reset by any executed slash. */
export type IndexedReputation = {
  score: bigint
  scoredAt: bigint
  slashCount: number
  slashesSeen: number
  successes: bigint
  failures: bigint
}
export type IndexedAllocation = {
  amount: bigint
  pending: bigint
  /** Collateral open orders hold. */
  reserved: bigint
  jailedUntil: bigint
  banned: boolean
  reputation: IndexedReputation
}
export type IndexedVault = {
  bond: bigint
  pool: bigint
  pending: bigint
  totalSupply: bigint
  shares: Map<string, bigint>
  totalAllocated: bigint
  allocations: Map<bigint, IndexedAllocation>
  totalReserved: bigint
  /** What queued withdrawals were promised at request, and each request's promise until it is claimed. */
  queuedAssets: bigint
  withdrawals: Map<string, bigint>
}
export type IndexedOrderStatus = OrderStatus
export type IndexedOrder = {
  /** OrderParams as OrderOpened published them (the service's terms written in). */
  params: Record<string, any>
  status: IndexedOrderStatus
  settled: number
  startedAt: bigint
  vault: string
  price: bigint
  collateral: bigint
  /** As the contract counts it: paid out for work, plus the refund that spent the escrow on failure or cancel. */
  paid: bigint
  /** Paid out of escrow for work (fees included), and refunded to the client: together never above the budget. */
  paidOut: bigint
  refunded: bigint
  bids: Map<string, { price: bigint; collateral: bigint }>
}
export type IndexedSlash = {
  details: SlashDetails
  status: SlashStatus
  disputeEnd: bigint
  resolveBy: bigint
}
export type IndexedState = {
  vaults: Map<string, IndexedVault>
  slashes: Map<Hex, IndexedSlash>
  serviceAllocated: Map<bigint, bigint>
  /** The order book whose events are folded (orders are ignored until it is set). */
  orderBook?: string
  orders: Map<bigint, IndexedOrder>
  /** Stake-token order fees swept to the rewards distributor, per service. */
  feesSwept: Map<bigint, bigint>
  /** What failed and cancelled orders credited and is not withdrawn yet, by `${token}:${account}` (lower case). */
  owed: Map<string, bigint>
}

export type DecodedLog = {
  address: Address
  eventName: string
  args: Record<string, any>
  blockTimestamp?: bigint | null
}

const ZERO = '0x0000000000000000000000000000000000000000'
const key = (a: string) => a.toLowerCase()

export function emptyState(orderBook?: Address): IndexedState {
  return {
    vaults: new Map(),
    slashes: new Map(),
    serviceAllocated: new Map(),
    orderBook: orderBook && key(orderBook),
    orders: new Map(),
    feesSwept: new Map(),
    owed: new Map(),
  }
}

/** The reputation of `vault` on `serviceId` at time `now` (ReputationLib.decay; 0 after a slash since written). */
export function reputationAt(state: IndexedState, vault: string, serviceId: bigint, now: bigint): bigint {
  const v = state.vaults.get(key(vault))
  const r = v?.allocations.get(serviceId)?.reputation
  if (!r || r.slashCount !== r.slashesSeen) return 0n
  return decay(r.score, now - r.scoredAt)
}

/** A vault as created by the factory: one dead share held by itself, nothing else. */
export function addVault(state: IndexedState, vault: Address) {
  state.vaults.set(key(vault), {
    bond: 0n,
    pool: 0n,
    pending: 0n,
    totalSupply: 1n,
    shares: new Map([[key(vault), 1n]]),
    totalAllocated: 0n,
    allocations: new Map(),
    totalReserved: 0n,
    queuedAssets: 0n,
    withdrawals: new Map(),
  })
}

function allocation(v: IndexedVault, serviceId: bigint): IndexedAllocation {
  let a = v.allocations.get(serviceId)
  if (!a) {
    a = {
      amount: 0n,
      pending: 0n,
      reserved: 0n,
      jailedUntil: 0n,
      banned: false,
      reputation: { score: 0n, scoredAt: 0n, slashCount: 0, slashesSeen: 0, successes: 0n, failures: 0n },
    }
    v.allocations.set(serviceId, a)
  }
  return a
}

function timestampOf(log: DecodedLog): bigint {
  if (log.blockTimestamp === undefined || log.blockTimestamp === null)
    throw new Error(`${log.eventName}: the order book's events need their block timestamp`)
  return log.blockTimestamp
}

function reduceOrderLog(state: IndexedState, log: DecodedLog): void {
  const a = log.args
  if (log.eventName === 'FeesSwept') {
    state.feesSwept.set(a.serviceId, (state.feesSwept.get(a.serviceId) ?? 0n) + a.amount)
    return
  }
  if (log.eventName === 'Owed' || log.eventName === 'OwedWithdrawn') {
    const k = `${key(a.token)}:${key(a.account)}`
    const sign = log.eventName === 'Owed' ? 1n : -1n
    state.owed.set(k, (state.owed.get(k) ?? 0n) + sign * a.amount)
    return
  }
  if (log.eventName === 'OrderOpened') {
    const p = a.params
    state.orders.set(a.orderId, {
      params: p,
      status: 'Open',
      settled: 0,
      startedAt: 0n,
      vault: key(p.vault),
      price: p.ratePerSecond > 0n ? p.ratePerSecond : p.budget,
      collateral: 0n,
      paid: 0n,
      paidOut: 0n,
      refunded: 0n,
      bids: new Map(),
    })
    return
  }
  const o = a.orderId === undefined ? undefined : state.orders.get(a.orderId)
  if (!o) return
  switch (log.eventName) {
    case 'BidPlaced': {
      const vault = key(a.vault)
      o.bids.set(vault, { price: a.price, collateral: a.collateral })
      // lowest price; on a tie the higher reputation now (the bidder's is in the event), then the incumbent
      const incumbent = o.vault
      const wins =
        incumbent === ZERO ||
        incumbent === vault ||
        a.price < o.price ||
        (a.price === o.price &&
          a.score > reputationAt(state, incumbent, o.params.serviceId, timestampOf(log)))
      if (wins) {
        o.vault = vault
        o.price = a.price
      }
      return
    }
    case 'OrderAccepted':
      o.status = 'Active'
      o.vault = key(a.vault)
      o.price = a.price
      o.collateral = a.collateral
      o.startedAt = timestampOf(log)
      o.refunded += a.refund
      return
    case 'MilestonePaid':
      o.settled = Number(a.milestone) + 1
      o.paid += a.amount
      o.paidOut += a.amount
      return
    case 'LeaseSettled':
      o.paid = a.streamed
      o.paidOut += a.amount
      return
    case 'OrderCompleted':
      o.status = 'Completed'
      return
    case 'OrderFailed':
      o.status = 'Failed'
      o.paid += a.refund
      o.refunded += a.refund
      return
    case 'OrderCancelled':
      // before acceptance the whole budget goes back and `paid` stays 0; after, the refund spends the escrow
      if (o.status === 'Active') o.paid += a.refund
      o.status = 'Cancelled'
      o.refunded += a.refund
      return
    default:
      return
  }
}

export function reduceLog(state: IndexedState, log: DecodedLog): void {
  const a = log.args
  if (state.orderBook !== undefined && key(log.address) === state.orderBook) {
    reduceOrderLog(state, log)
    return
  }
  const vault = state.vaults.get(key(log.address))
  if (vault) {
    switch (log.eventName) {
      case 'Transfer': {
        const amount = a.value as bigint
        if (key(a.from) === ZERO) vault.totalSupply += amount
        else vault.shares.set(key(a.from), (vault.shares.get(key(a.from)) ?? 0n) - amount)
        if (key(a.to) === ZERO) vault.totalSupply -= amount
        else vault.shares.set(key(a.to), (vault.shares.get(key(a.to)) ?? 0n) + amount)
        return
      }
      case 'Deposited':
        vault.pool += a.assets
        return
      case 'WithdrawalRequested':
        vault.queuedAssets += a.assets
        vault.withdrawals.set(`${key(a.owner)}:${a.id}`, a.assets)
        return
      case 'WithdrawalClaimed': {
        vault.pool -= a.assets
        const promised = `${key(a.owner)}:${a.id}`
        vault.queuedAssets -= vault.withdrawals.get(promised) ?? 0n
        vault.withdrawals.delete(promised)
        return
      }
      case 'CollateralReserved':
        allocation(vault, a.serviceId).reserved = a.reserved
        vault.totalReserved = a.totalReserved
        return
      case 'CollateralReleased': {
        const al = allocation(vault, a.serviceId)
        al.reserved -= a.amount
        vault.totalReserved -= a.amount
        const r = al.reputation
        r.score = a.score
        r.scoredAt = timestampOf(log)
        r.slashesSeen = r.slashCount
        const result = ORDER_RESULTS[Number(a.result)]
        if (result === 'Succeeded') r.successes++
        else if (result === 'Failed') r.failures++
        return
      }
      case 'RewardsClaimed':
        // the commission joins the operator's bond, the rest the pool
        vault.bond += a.commission
        vault.pool = a.poolAssets
        return
      case 'BondDeposited':
      case 'BondWithdrawn':
        vault.bond = a.bond
        return
      case 'SlashReserved':
        vault.pending = a.pendingLiabilities
        allocation(vault, a.serviceId).pending += a.amount
        return
      case 'SlashReleased':
        vault.pending = a.pendingLiabilities
        allocation(vault, a.serviceId).pending -= a.amount
        return
      case 'Allocated':
        allocation(vault, a.serviceId).amount = a.amount
        vault.totalAllocated = a.totalAllocated
        return
      case 'Deallocated':
        allocation(vault, a.serviceId).amount = a.amount
        vault.totalAllocated = a.totalAllocated
        return
      default:
        return
    }
  }
  switch (log.eventName) {
    case 'SlashRequested':
      state.slashes.set(a.slashId, {
        details: a.details,
        status: 'Pending',
        disputeEnd: a.disputeEnd,
        resolveBy: 0n,
      })
      // an order's slash stays reserved (senior to reports) until it settles
      holdOrderSlash(state, a.details, a.details.amount)
      return
    case 'SlashDisputed': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Disputed'
      s.resolveBy = a.resolveBy
      return
    }
    case 'SlashUpheld': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Upheld'
      holdOrderSlash(state, s.details, a.details.amount - s.details.amount)
      s.details = a.details
      return
    }
    case 'SlashOverturned': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Overturned'
      holdOrderSlash(state, s.details, -s.details.amount)
      return
    }
    case 'SlashLapsed': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Lapsed'
      holdOrderSlash(state, s.details, -s.details.amount)
      return
    }
    case 'SlashExecuted': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Executed'
      holdOrderSlash(state, s.details, -s.details.amount)
      const v = state.vaults.get(key(a.vault))
      if (v) {
        v.bond -= a.fromBond
        v.pool -= a.fromPool
        // the whole reserved amount leaves the liabilities, whatever was actually taken
        v.pending -= s.details.amount
        const al = allocation(v, a.serviceId)
        al.pending -= s.details.amount
        al.reputation.slashCount = (al.reputation.slashCount + 1) % 65_536 // resets the reputation
      }
      return
    }
    case 'OperatorJailed': {
      const v = state.vaults.get(key(a.vault))
      if (v) allocation(v, a.serviceId).jailedUntil = a.until
      return
    }
    case 'OperatorBannedForever': {
      const v = state.vaults.get(key(a.vault))
      if (v) allocation(v, a.serviceId).banned = true
      return
    }
    case 'ServiceAllocationChanged':
      state.serviceAllocated.set(a.serviceId, a.totalAllocated)
      return
    default:
      return
  }
}

/** An order's slash is held as reserved collateral of its vault from its request until it settles. */
function holdOrderSlash(
  state: IndexedState,
  details: { vault: string; serviceId: bigint; incidentId: string },
  delta: bigint,
) {
  if (!isOrderIncident(details.incidentId) || delta === 0n) return
  const v = state.vaults.get(key(details.vault))
  if (!v) return
  allocation(v, details.serviceId).reserved += delta
  v.totalReserved += delta
}
