/**
 * What the world's actors know, folded from the chain's events (court, order book, vaults) — the same events the
 * indexer and the nodes read — so that a restarted world rebuilds it from the chain alone. `apply` returns the
 * story line of each event, or undefined for those not worth a line.
 */
import { type Address, type Hex, type Log, parseEventLogs, zeroAddress } from 'viem'
import { operatorVaultAbi, orderBookAbi, slashingCourtAbi } from '../sdk/abis.ts'
import { ORDER_INCIDENT_FLAG } from '../sdk/reports.ts'
import type { OrderParams, OrderTerms, SlashDetails } from '../sdk/types.ts'
import { duration, type StoryEvent, tokens } from './story.ts'

export type OrderKind = 'job' | 'lease' | 'shipment'
export type WorldOrder = {
  orderId: bigint
  params: OrderParams
  terms: OrderTerms
  kind: OrderKind
  status: 'Open' | 'Active' | 'Completed' | 'Failed' | 'Cancelled'
  vault: Address
  /** Milestones paid so far. */
  settled: number
  /** Milestones whose result the operator committed. */
  committed: number
  bidders: Set<Address>
  /** The lowest bid so far (an intent): a new bid must be lower. */
  bestBid?: bigint | undefined
  openedBlock: bigint
  acceptedAt?: number | undefined
}

export type WorldSlash = {
  slashId: Hex
  details: SlashDetails
  disputeEnd: number
  status: 'Pending' | 'Disputed' | 'Upheld' | 'Overturned' | 'Lapsed' | 'Executed'
  requestedBlock: bigint
  disputedBlock?: bigint | undefined
}

export type WorldWithdrawal = {
  owner: Address
  vault: Address
  id: bigint
  readyAt: number
  claimed: boolean
}

export type Names = {
  vault: (vault: Address) => string
  service: (serviceId: bigint) => string
  className: (serviceId: bigint, classId: number) => string
  account: (address: Address) => string
}

export type WorldView = {
  orders: Map<bigint, WorldOrder>
  slashes: Map<Hex, WorldSlash>
  withdrawals: WorldWithdrawal[]
  /** Until when (chain seconds) a vault is jailed on a service, keyed `vault:serviceId` (lower-case vault). */
  jailedUntil: Map<string, number>
  lastBlock: bigint
}

export const jailKey = (vault: Address, serviceId: bigint) => `${vault.toLowerCase()}:${serviceId}`

/** A jailed operator can take no new order on that service (the vault reserves no collateral for it). */
export const isJailed = (view: WorldView, vault: Address, serviceId: bigint, now: number) =>
  (view.jailedUntil.get(jailKey(vault, serviceId)) ?? 0) > now

export const emptyView = (fromBlock: bigint): WorldView => ({
  orders: new Map(),
  slashes: new Map(),
  withdrawals: [],
  jailedUntil: new Map(),
  lastBlock: fromBlock - 1n,
})

const abi = [...slashingCourtAbi, ...orderBookAbi, ...operatorVaultAbi]

export function decodeWorldLogs(logs: Log[]) {
  return parseEventLogs({ abi, logs, strict: false })
}

type Decoded = ReturnType<typeof decodeWorldLogs>[number]

/** Folds one event into the view; returns its story line, if it has one. */
export function applyEvent(view: WorldView, e: Decoded, names: Names): StoryEvent | undefined {
  const block = e.blockNumber ?? undefined
  const a = e.args as Record<string, unknown>
  switch (e.eventName) {
    case 'OrderOpened': {
      const params = a.params as OrderParams
      const terms = a.terms as OrderTerms
      const kind: OrderKind =
        params.ratePerSecond > 0n ? 'lease' : terms.device !== zeroAddress ? 'shipment' : 'job'
      const orderId = a.orderId as bigint
      view.orders.set(orderId, {
        orderId,
        params,
        terms,
        kind,
        status: 'Open',
        vault: params.vault,
        settled: 0,
        committed: 0,
        bidders: new Set(),
        openedBlock: block ?? 0n,
      })
      const who = params.vault === zeroAddress ? 'intent, taking bids' : `for ${names.vault(params.vault)}`
      return {
        event: 'order-opened',
        text: `order #${orderId} opened: ${kind} on ${names.service(params.serviceId)}, ${tokens(params.budget)} in escrow, ${who}`,
        orderId,
        kind,
        block,
      }
    }
    case 'BidPlaced': {
      const o = view.orders.get(a.orderId as bigint)
      if (!o) return undefined
      o.bidders.add((a.vault as Address).toLowerCase() as Address)
      const price = a.price as bigint
      if (o.bestBid === undefined || price < o.bestBid) o.bestBid = price
      return undefined
    }
    case 'OrderAccepted': {
      const o = view.orders.get(a.orderId as bigint)
      if (!o) return undefined
      o.status = 'Active'
      o.vault = a.vault as Address
      return {
        event: 'order-accepted',
        text: `order #${o.orderId} accepted by ${names.vault(o.vault)} at ${tokens(a.price as bigint)}${o.kind === 'lease' ? ' a second' : ''}, ${tokens(a.collateral as bigint)} collateral reserved`,
        orderId: o.orderId,
        block,
      }
    }
    case 'ResultCommitted': {
      const o = view.orders.get(a.orderId as bigint)
      if (o) o.committed = Math.max(o.committed, Number(a.milestone) + 1)
      return undefined
    }
    case 'MilestonePaid': {
      const o = view.orders.get(a.orderId as bigint)
      if (!o) return undefined
      o.settled = Number(a.milestone) + 1
      return {
        event: 'milestone-paid',
        text: `order #${o.orderId} milestone ${Number(a.milestone) + 1} paid ${tokens(a.amount as bigint)} to ${names.vault(o.vault)}${a.byAttesters ? ' (attested by the nodes)' : ''}`,
        orderId: o.orderId,
        byAttesters: a.byAttesters,
        block,
      }
    }
    case 'LeaseSettled': {
      return undefined
    }
    case 'OrderCompleted': {
      const o = view.orders.get(a.orderId as bigint)
      if (o) o.status = 'Completed'
      return { event: 'order-completed', text: `order #${a.orderId} completed`, orderId: a.orderId, block }
    }
    case 'OrderFailed': {
      const o = view.orders.get(a.orderId as bigint)
      if (!o) return undefined
      o.status = 'Failed'
      const cls = Number(a.classId)
      const why = names.className(o.params.serviceId, cls)
      return {
        event: 'order-failed',
        text: `order #${o.orderId} FAILED (${why}): ${tokens(a.refund as bigint)} refunded to ${names.account(o.params.client)}, ${tokens(a.slashAmount as bigint)} of ${names.vault(o.vault)}'s collateral to be slashed`,
        orderId: o.orderId,
        block,
      }
    }
    case 'OrderCancelled': {
      const o = view.orders.get(a.orderId as bigint)
      if (o) o.status = 'Cancelled'
      return undefined
    }
    case 'SlashRequested': {
      const details = a.details as SlashDetails
      const slashId = a.slashId as Hex
      const disputeEnd = Number(a.disputeEnd)
      view.slashes.set(slashId, {
        slashId,
        details,
        disputeEnd,
        status: 'Pending',
        requestedBlock: block ?? 0n,
      })
      const signers = countBits(details.signers)
      // an order's collateral slash carries orderId | ORDER_INCIDENT_FLAG: name the order, and who failed it
      const incident = BigInt(details.incidentId)
      const orderId = incident & ORDER_INCIDENT_FLAG ? incident ^ ORDER_INCIDENT_FLAG : undefined
      const reported = `reported by ${signers} attesters`
      const by =
        orderId === undefined
          ? reported
          : `order #${orderId} failed, ${signers > 0 ? reported : 'past its deadline'}`
      return {
        event: 'slash-requested',
        text: `slash requested: ${names.vault(details.vault)}, ${names.className(details.serviceId, details.classId)}, ${tokens(details.amount)}, ${by}, dispute window ${duration(disputeEnd - details.requestedAt)}`,
        slashId,
        signers,
        block,
      }
    }
    case 'SlashDisputed': {
      const s = view.slashes.get(a.slashId as Hex)
      if (!s) return undefined
      s.status = 'Disputed'
      s.disputedBlock = block
      return {
        event: 'slash-disputed',
        text: `slash disputed by ${names.vault(s.details.vault)} (${tokens(a.bond as bigint)} bond): the resolver has ${duration(Number(a.resolveBy) - s.details.requestedAt)} from the request to rule`,
        slashId: s.slashId,
        block,
      }
    }
    case 'SlashUpheld': {
      const s = view.slashes.get(a.slashId as Hex)
      if (!s) return undefined
      s.status = 'Upheld'
      const d = a.details as SlashDetails
      s.details = d
      return {
        event: 'slash-upheld',
        text: `ruling: slash of ${names.vault(d.vault)} UPHELD at ${tokens(d.amount)}; the dispute bond goes to the reporters`,
        slashId: s.slashId,
        block,
      }
    }
    case 'SlashOverturned': {
      const s = view.slashes.get(a.slashId as Hex)
      if (!s) return undefined
      s.status = 'Overturned'
      return {
        event: 'slash-overturned',
        text: `ruling: slash of ${names.vault(s.details.vault)} OVERTURNED; the attesters who signed lose ${tokens(a.attestersSlashed as bigint)} of bond`,
        slashId: s.slashId,
        block,
      }
    }
    case 'SlashLapsed': {
      const s = view.slashes.get(a.slashId as Hex)
      if (s) s.status = 'Lapsed'
      return {
        event: 'slash-lapsed',
        text: 'a disputed slash lapsed: the resolver did not rule in time',
        block,
      }
    }
    case 'SlashExecuted': {
      const s = view.slashes.get(a.slashId as Hex)
      if (s) s.status = 'Executed'
      const client = s ? names.account(s.details.client) : 'the client'
      return {
        event: 'slash-executed',
        text: `slash executed: ${names.vault(a.vault as Address)} lost ${tokens((a.fromBond as bigint) + (a.fromPool as bigint))} (bond ${tokens(a.fromBond as bigint)}, pool ${tokens(a.fromPool as bigint)}); ${client} paid ${tokens(a.toClient as bigint)}, reporter ${tokens(a.toReporter as bigint)}`,
        slashId: a.slashId,
        toClient: a.toClient,
        block,
      }
    }
    case 'OperatorJailed': {
      const until = Number(a.until)
      view.jailedUntil.set(jailKey(a.vault as Address, a.serviceId as bigint), until)
      // chain time (UTC), which `devnet warp` may have moved ahead of the wall clock
      const clock = new Date(until * 1000).toISOString().slice(11, 19)
      return {
        event: 'operator-jailed',
        text: `${names.vault(a.vault as Address)} jailed on ${names.service(a.serviceId as bigint)} until ${clock} UTC (chain time): no new orders there until then`,
        block,
      }
    }
    case 'WithdrawalRequested': {
      view.withdrawals.push({
        owner: a.owner as Address,
        vault: e.address,
        id: a.id as bigint,
        readyAt: Number(a.readyAt),
        claimed: false,
      })
      return {
        event: 'withdrawal-requested',
        text: `${names.account(a.owner as Address)} asked to withdraw ${tokens(a.assets as bigint)} from ${names.vault(e.address)} (claimable from ${new Date(Number(a.readyAt) * 1000).toISOString().slice(11, 19)} UTC)`,
        block,
      }
    }
    case 'WithdrawalClaimed': {
      const w = view.withdrawals.find(
        (x) => x.vault.toLowerCase() === e.address.toLowerCase() && x.id === (a.id as bigint),
      )
      if (w) w.claimed = true
      return {
        event: 'withdrawal-claimed',
        text: `${names.account(a.owner as Address)} withdrew ${tokens(a.assets as bigint)} from ${names.vault(e.address)}`,
        block,
      }
    }
    case 'Deposited':
      return {
        event: 'deposited',
        text: `${names.account(a.sender as Address)} deposited ${tokens(a.assets as bigint)} into ${names.vault(e.address)}`,
        block,
      }
    case 'RewardsClaimed':
      return {
        event: 'rewards-claimed',
        text: `${names.vault(e.address)} collected ${tokens(a.amount as bigint)} of ${names.service(a.serviceId as bigint)} rewards (commission ${tokens(a.commission as bigint)})`,
        block,
      }
    default:
      return undefined
  }
}

const countBits = (x: bigint) => {
  let n = 0
  for (let v = x; v > 0n; v >>= 1n) if (v & 1n) n++
  return n
}
