/**
 * `--scenario attack`: what an insecure world looks like. Once the world has run for a while, a whale client
 * escrows 5,000,000 STK on the GPU service in one intent — far more than the stake securing it. The value a
 * service secures is what corrupting it pays (docs/risk.md), so a majority of the GPU operators' stake could now
 * profit from a corrupt report; the risk line turns INSECURE and names the coalition, and γ goes negative. The
 * whale cancels two dispute windows later and the world is secure again.
 */
import { keccak256, parseEther, toHex, zeroAddress } from 'viem'
import { cancelOrder, openOrder, orderParams, orderTerms } from '../sdk/index.ts'
import type { WorldContext } from './context.ts'
import { GPU } from './design.ts'
import type { WorldProfile } from './profile.ts'

export const WHALE_ESCROW = parseEther('5000000')
/** The whale's intent takes bids for a long time: it is there to be seen, not to be served. */
const WHALE_BIDDING_WINDOWS = 20

export function attackScenarioTick(ctx: WorldContext, profile: WorldProfile) {
  const whale = ctx.accounts.attacker
  const startAfter = profile.hardFailAfterSeconds * 2
  if (!ctx.state.attackDone && ctx.now >= ctx.state.startedAt + startAfter) {
    ctx.state.attackDone = true
    ctx.story.tell({
      event: 'scenario',
      text: `scenario: a whale escrows ${WHALE_ESCROW / 10n ** 18n} STK on gpu-inference — more value than its stake secures`,
    })
    ctx.act(whale, 'the whale opening its order', () =>
      openOrder(ctx.clientFor(whale), {
        params: orderParams({
          client: whale.address,
          serviceId: ctx.serviceIds[GPU],
          paymentToken: ctx.addresses.stakeToken,
          budget: WHALE_ESCROW,
          now: ctx.now,
          biddingWindow: WHALE_BIDDING_WINDOWS * profile.orderSeconds,
          duration: profile.orderSeconds,
        }),
        terms: orderTerms({ termsHash: keccak256(toHex('a whale job')) }),
      }),
    )
    return
  }
  // the whale leaves two dispute windows later: cancelled, its escrow no longer counts
  for (const o of ctx.view.orders.values()) {
    if (o.status !== 'Open' || o.params.client.toLowerCase() !== whale.address.toLowerCase()) continue
    const openedAt = o.params.biddingEnds - WHALE_BIDDING_WINDOWS * profile.orderSeconds
    if (o.params.vault !== zeroAddress || ctx.now < openedAt + 2 * profile.disputeWindow) continue
    ctx.act(whale, 'the whale cancelling', () =>
      cancelOrder(ctx.clientFor(whale), { orderId: o.orderId, params: o.params }),
    )
  }
}
