/**
 * The operators: each accepts the jobs, leases and shipments named for its vault, bids on the intents of the
 * services it serves, commits the result of each compute milestone (and serves it on its endpoint — the wrong
 * bytes now and then for a sloppy one), and disputes some of the slashes it receives.
 */
import { keccak256, zeroAddress } from 'viem'
import {
  acceptOrder,
  bidOnOrder,
  commitResult,
  disputeSlash,
  maxRequiredCollateral,
} from '../../sdk/index.ts'
import type { WorldContext } from '../context.ts'
import { correctResult } from '../results.ts'
import { isJailed, type WorldOrder } from '../view.ts'

/** Bids sent (whether or not they landed): an operator bids once per intent. */
const attempts = new Map<bigint, Set<number>>()
const tried = (orderId: bigint) => {
  const set = attempts.get(orderId) ?? new Set<number>()
  attempts.set(orderId, set)
  return set
}

export function operatorsTick(ctx: WorldContext) {
  for (const id of attempts.keys()) if (ctx.view.orders.get(id)?.status !== 'Open') attempts.delete(id)
  for (const o of ctx.view.orders.values()) {
    const ref = { orderId: o.orderId, params: o.params }
    // a jailed operator takes no new order on the service (its vault reserves no collateral there)
    const jailed = (vault: `0x${string}`) => isJailed(ctx.view, vault, o.params.serviceId, ctx.now)
    if (o.status === 'Open' && o.params.vault !== zeroAddress && ctx.now < o.params.biddingEnds) {
      if (jailed(o.params.vault)) continue
      const op = ctx.operatorOfVault(o.params.vault)
      const account = ctx.accounts.operators[op]!
      ctx.act(account, `${ctx.design.operators[op]!.name} accepting order #${o.orderId}`, () =>
        acceptOrder(ctx.clientFor(account), ref),
      )
    } else if (
      o.status === 'Open' &&
      o.params.vault === zeroAddress &&
      // a bid is mined a block or two after the head it was decided on, and the order book takes none from
      // biddingEnds on: one decided later would only revert (BiddingClosed) and show as a failure in the log
      ctx.now + 2 * ctx.profile.blockSeconds < o.params.biddingEnds
    ) {
      // the world's operators bid on the world's clients' intents (not on the attack scenario's whale)
      if (!ctx.accounts.clients.some((c) => c.address.toLowerCase() === o.params.client.toLowerCase()))
        continue
      // one bid per intent per block, each below the best so far (bids placed in one block would race)
      if (ctx.rng('bid-turn', o.orderId, ctx.head).next() > 0.5) continue
      const candidates = ctx.design.operators.filter(
        (op) =>
          op.services.includes(ctx.serviceIds.indexOf(o.params.serviceId)) &&
          !o.bidders.has(ctx.vaults[op.index]!.toLowerCase() as `0x${string}`) &&
          !tried(o.orderId).has(op.index) &&
          !jailed(ctx.vaults[op.index]!) &&
          !ctx.busy(ctx.accounts.operators[op.index]!),
      )
      const op = candidates[ctx.rng('bidder', o.orderId, ctx.head).int(0, candidates.length - 1)]
      if (!op) continue
      const rng = ctx.rng('bid', o.orderId, op.index)
      const account = ctx.accounts.operators[op.index]!
      // a price between 60 % and 95 % of the budget, under the best bid; the collateral pledged is the most the
      // order can require
      let price = (o.params.budget * BigInt(rng.int(60, 95))) / 100n
      if (o.bestBid !== undefined && price >= o.bestBid) price = (o.bestBid * 97n) / 100n
      const collateral = maxRequiredCollateral(o.params, price, ctx.addresses.stakeToken)
      tried(o.orderId).add(op.index)
      ctx.act(account, `${op.name} bidding on intent #${o.orderId}`, () =>
        bidOnOrder(ctx.clientFor(account), { ...ref, price, collateral }),
      )
    } else if (
      o.status === 'Active' &&
      o.kind === 'job' &&
      o.committed === o.settled &&
      o.settled < milestones(o)
    ) {
      const op = ctx.operatorOfVault(o.vault)
      const account = ctx.accounts.operators[op]!
      const resultHash = keccak256(correctResult(ctx.seed, o.orderId, o.settled))
      ctx.act(account, `${ctx.design.operators[op]!.name} committing a result of order #${o.orderId}`, () =>
        commitResult(ctx.clientFor(account), { ...ref, resultHash }),
      )
    }
  }
  for (const s of ctx.view.slashes.values()) {
    if (s.status !== 'Pending' || ctx.now >= s.disputeEnd) continue
    const op = ctx.operatorOfVault(s.details.vault)
    if (op < 0 || !ctx.design.operators[op]!.disputes) continue
    // disputes its first slash, then about half of the others; the resolver decides
    const disputedBefore = [...ctx.view.slashes.values()].some(
      (x) => x.disputedBlock !== undefined && x.details.vault.toLowerCase() === s.details.vault.toLowerCase(),
    )
    if (disputedBefore && ctx.rng('dispute', s.slashId).next() > 0.5) continue
    const account = ctx.accounts.operators[op]!
    ctx.act(account, `${ctx.design.operators[op]!.name} disputing a slash`, () =>
      disputeSlash(ctx.clientFor(account), { details: s.details }),
    )
  }
}

export const milestones = (o: WorldOrder) => {
  let n = 0
  for (let m = o.params.milestones; m > 0n; m >>= 16n) if ((m & 0xffffn) > 0n) n++
  return Math.max(1, n)
}
