/**
 * The clients: gpu-client opens compute jobs (named and intents), lease-client leases GPU time, cold-client books
 * refrigerated shipments with a sensor device. Each opens an order every few blocks while it has fewer than
 * MAX_OPEN running (the escrow of open orders is part of what the services secure: the world keeps it bounded).
 * An intent's client accepts the best bid once the bidding window closes, or cancels an intent nobody bid on.
 */
import { keccak256, parseEther, toHex, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { acceptOrder, cancelOrder, openOrder, orderParams, orderTerms } from '../../sdk/index.ts'
import type { WorldContext } from '../context.ts'
import { COLD, GPU } from '../design.ts'
import { isJailed } from '../view.ts'

const MAX_OPEN = 6
/** A refrigerated shipment must stay between 2 °C and 8 °C. */
export const MIN_TEMP = 200
export const MAX_TEMP = 800

/** Device n's key: derived from the seed, so a restarted world signs for the devices it created. */
export function deviceKey(seed: number, n: number) {
  return privateKeyToAccount(keccak256(toHex(`surety devnet world ${seed} device ${n}`)))
}

const running = (ctx: WorldContext, client: `0x${string}`) =>
  [...ctx.view.orders.values()].filter(
    (o) =>
      o.params.client.toLowerCase() === client.toLowerCase() &&
      (o.status === 'Open' || o.status === 'Active'),
  ).length

export function clientsTick(ctx: WorldContext) {
  const { profile, accounts } = ctx
  accounts.clients.forEach((client, i) => {
    // the three clients take turns, a block apart
    if ((ctx.head + BigInt(i)) % BigInt(profile.orderEveryBlocks) !== 0n) return
    if (ctx.busy(client) || running(ctx, client.address) >= MAX_OPEN) return
    const n = ctx.state.ordersOpened++
    const rng = ctx.rng('order', n)
    const now = ctx.now
    const budget = parseEther(String(rng.int(2, 15) * 100))
    const ops = (service: number) => ctx.design.operators.filter((o) => o.services.includes(service))
    // an operator jailed on the service takes no new order there: the client names one that is free (a draw
    // among the service's operators all the same, so the script does not depend on when a jail ends)
    const pick = (service: number) => {
      const list = ops(service)
      const drawn = list[rng.int(0, list.length - 1)]!
      const free = list.filter(
        (o) => !isJailed(ctx.view, ctx.vaults[o.index]!, ctx.serviceIds[service]!, now),
      )
      return free.includes(drawn) ? drawn : (free[0] ?? drawn)
    }
    ctx.act(client, `${['gpu-client', 'lease-client', 'cold-client'][i]} opening an order`, async () => {
      const c = ctx.clientFor(client)
      const base = { client: client.address, paymentToken: ctx.addresses.stakeToken, budget, now }
      if (i === 0) {
        const intent = rng.next() < 0.4
        const params = orderParams({
          ...base,
          serviceId: ctx.serviceIds[GPU],
          ...(intent ? {} : { vault: ctx.vaults[pick(GPU).index]! }),
          milestones: rng.next() < 0.5 ? [5000, 5000] : [],
          biddingWindow: profile.biddingSeconds,
          duration: profile.orderSeconds,
        })
        await openOrder(c, {
          params,
          terms: orderTerms({ termsHash: keccak256(toHex(`inference job ${n}`)) }),
        })
      } else if (i === 1) {
        const params = orderParams({
          ...base,
          serviceId: ctx.serviceIds[GPU],
          vault: ctx.vaults[pick(GPU).index]!,
          // streams its whole budget over about the length of a job
          ratePerSecond: budget / BigInt(profile.orderSeconds),
          biddingWindow: profile.biddingSeconds,
        })
        await openOrder(c, { params, terms: orderTerms({ termsHash: keccak256(toHex(`gpu lease ${n}`)) }) })
      } else {
        const device = deviceKey(ctx.seed, ctx.state.devices++)
        const intent = rng.next() < 0.3
        const biddingEnds = now + profile.biddingSeconds
        const params = orderParams({
          ...base,
          serviceId: ctx.serviceIds[COLD],
          ...(intent ? {} : { vault: ctx.vaults[pick(COLD).index]! }),
          milestones: [3000, 7000],
          biddingEnds,
          deadline: biddingEnds + profile.orderSeconds,
        })
        await openOrder(c, {
          params,
          terms: orderTerms({
            termsHash: keccak256(toHex(`vaccines, 2–8 °C, shipment ${n}`)),
            device: device.address,
            pickupBy: biddingEnds + Math.floor(profile.orderSeconds / 3),
            minTempCentiC: MIN_TEMP,
            maxTempCentiC: MAX_TEMP,
          }),
        })
      }
    })
  })
  // orders whose bidding closed: the client takes an intent's best bid, or cancels when nobody bid (or the named
  // operator did not accept, e.g. jailed meanwhile): an order left open would count against MAX_OPEN for good
  for (const o of ctx.view.orders.values()) {
    if (o.status !== 'Open' || ctx.now <= o.params.biddingEnds) continue
    const client = accounts.clients.find((c) => c.address.toLowerCase() === o.params.client.toLowerCase())
    if (!client || ctx.busy(client)) continue
    const ref = { orderId: o.orderId, params: o.params }
    if (o.params.vault === zeroAddress && o.bidders.size > 0)
      ctx.act(client, `accepting the best bid on intent #${o.orderId}`, () =>
        acceptOrder(ctx.clientFor(client), ref),
      )
    else ctx.act(client, `cancelling order #${o.orderId}`, () => cancelOrder(ctx.clientFor(client), ref))
  }
}
