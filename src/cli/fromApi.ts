/**
 * The API's answers turned into the shapes the CLI's printers and `--json` already take (the SDK's chain read
 * models), so a read prints the same lines, and the same JSON, whichever source it came from. Addresses are
 * checksummed as the chain reads give them; amounts come back to bigint from their exact base units.
 */
import { type Address, getAddress, type Hex, zeroAddress } from 'viem'
import type { ApiClient } from '../sdk/api/createApiClient.ts'
import { collect } from '../sdk/api/createApiClient.ts'
import type { ApiAmount, ApiOrder, ApiOrderDetail, ApiSlash } from '../sdk/api/types.ts'
import type { NetworkView } from '../sdk/readNetwork.ts'
import type { OpenSlash } from '../sdk/readOpenSlashes.ts'
import type { OrderBid } from '../sdk/readOrder.ts'
import type { Order } from '../sdk/types.ts'

const big = (a: ApiAmount) => BigInt(a.base)
const addr = (a: string | null) => (a === null ? zeroAddress : getAddress(a))
const unix = (t: { unix: number } | null) => t?.unix ?? 0

/** An order as `readOrder` gives it. */
export function orderFromApi(o: ApiOrder): Order {
  const kind = o.kind
  // the contract's `paid` counts the escrow a failure or an agreed cancel refunds as spent (OrderBook: `o.paid +=
  // refund`): after acceptance that is the whole of a lease's budget or a job's price
  const spent =
    (o.status === 'Failed' || o.status === 'Cancelled') && o.acceptedAt !== null
      ? kind === 'lease'
        ? big(o.budget)
        : big(o.price)
      : big(o.paidOut)
  return {
    orderId: BigInt(o.id),
    params: {
      client: getAddress(o.client),
      serviceId: BigInt(o.serviceId),
      paymentToken: getAddress(o.paymentToken.address),
      vault: addr(o.namedVault),
      budget: big(o.budget),
      value: big(o.value),
      ratePerSecond: big(o.ratePerSecond),
      biddingEnds: unix(o.biddingEnds),
      deadline: unix(o.deadline),
      milestones: BigInt(o.milestoneShares),
      feeBps: o.feeBps,
      collateralFactorBps: o.collateralFactorBps,
      collateralFloorBps: o.collateralFloorBps,
    },
    terms: {
      termsHash: o.terms.termsHash as Hex,
      maxLatencyMs: o.terms.maxLatencyMs,
      minUptimeBps: o.terms.minUptimeBps,
      minTempCentiC: o.terms.minTempCentiC,
      maxTempCentiC: o.terms.maxTempCentiC,
      pickupBy: unix(o.terms.pickupBy),
      device: addr(o.terms.device),
    },
    status: o.status,
    kind,
    settled: o.milestonesPaid,
    startedAt: unix(o.acceptedAt),
    vault: addr(o.vault),
    price: big(o.price),
    collateral: big(o.collateral),
    paid: spent,
    openedAtBlock: BigInt(o.createdBlock),
  }
}

/**
 * An order's standing bids as `readBids` gives them: lowest price first, then the earlier bid. The bid's time is
 * its latest BidPlaced event's (the order book's `bidOf(...).at`), read from the API's event list.
 */
export async function bidsFromApi(api: ApiClient, o: ApiOrderDetail): Promise<OrderBid[]> {
  if (o.bids.length === 0) return []
  const blocks = o.bids.map((b) => b.updatedBlock)
  const events = await collect(
    api.events.all({
      name: 'BidPlaced',
      fromBlock: Math.min(...blocks),
      toBlock: Math.max(...blocks),
      sort: 'block',
      order: 'asc',
      limit: 500,
    }),
  )
  const placed = new Map<string, { at: number; rank: number }>()
  for (const [rank, e] of events.entries()) {
    if (String(e.args.orderId) !== o.id) continue
    placed.set(String(e.args.vault).toLowerCase(), { at: e.time?.unix ?? 0, rank })
  }
  const rank = (vault: string) => placed.get(vault)?.rank ?? 0
  return o.bids
    .map((b) => ({ b, rank: rank(b.vault) }))
    .sort((x, y) => {
      const [p, q] = [big(x.b.price), big(y.b.price)]
      return p < q ? -1 : p > q ? 1 : x.rank - y.rank
    })
    .map(({ b }) => ({
      vault: getAddress(b.vault),
      price: big(b.price),
      collateral: big(b.collateral),
      at: placed.get(b.vault)?.at ?? 0,
    }))
}

/** A slash not yet settled as `readOpenSlashes` gives it (the details the status line prints). */
export function openSlashFromApi(s: ApiSlash): OpenSlash {
  return {
    slashId: s.id as Hex,
    status: s.status,
    disputeEnd: BigInt(s.disputeEnds.unix),
    resolveBy: BigInt(s.dispute?.resolveBy?.unix ?? 0),
    details: {
      serviceId: BigInt(s.serviceId),
      vault: getAddress(s.vault),
      classId: s.classId,
      incidentId: s.incidentId as Hex,
      client: getAddress(s.report.client),
      reporter: getAddress(s.report.reporter),
      sink: getAddress(s.terms.sink),
      amount: big(s.amount),
      disputeBond: big(s.terms.disputeBond),
      clientShareBps: s.terms.clientShareBps,
      reporterShareBps: s.terms.reporterShareBps,
      jailDuration: s.terms.jailDurationSeconds,
      permanentBan: s.terms.permanentBan,
      resolutionDeadline: s.terms.resolutionDeadlineSeconds,
      seq: BigInt(s.report.seq),
      signers: BigInt(s.report.signersBitmap),
      requestedAt: s.report.requestedAt.unix,
    },
  }
}

/** Every vault, service and allocation as `readNetwork` gives them, in the same order (creation, id). */
export async function networkFromApi(api: ApiClient): Promise<NetworkView> {
  const [vaults, services, allocations] = await Promise.all([
    collect(api.vaults.all({ sort: 'created', order: 'asc', limit: 500 })),
    collect(api.services.all({ sort: 'id', order: 'asc', limit: 500 })),
    collect(api.allocations.all({ limit: 500 })),
  ])
  const vaultRank = new Map(vaults.map((v, i) => [v.address, i]))
  return {
    vaults: vaults.map((v) => ({
      vault: getAddress(v.address),
      operator: getAddress(v.operator),
      bondAssets: big(v.bond),
      poolAssets: big(v.poolAssets),
      pendingLiabilities: big(v.pendingLiabilities),
    })),
    services: services.map((s) => ({
      id: BigInt(s.id),
      declaredValue: big(s.terms.declaredValue),
      quorumBps: s.terms.quorumBps,
    })),
    allocations: allocations
      .map((a) => ({
        vault: getAddress(a.vault) as Address,
        serviceId: BigInt(a.serviceId),
        amount: big(a.amount),
        pending: big(a.pendingSlash),
        weight: big(a.rewardStake),
        increase: a.queuedIncrease ? big(a.queuedIncrease.amount) : 0n,
        increaseReadyAt: BigInt(a.queuedIncrease?.readyAt?.unix ?? 0),
        rank: vaultRank.get(a.vault) ?? 0,
      }))
      // readNetwork's order: vault by vault (creation order), service by service
      .sort((x, y) => x.rank - y.rank || Number(x.serviceId - y.serviceId))
      .filter((a) => a.amount > 0n || a.increase > 0n)
      .map(({ rank: _, ...a }) => a),
  }
}
