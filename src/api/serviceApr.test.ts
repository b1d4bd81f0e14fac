/**
 * /v1/services/{id}/apr against a real chain: the rewards it reports are the RewardsDistributed amounts the chain
 * emitted in the window, the stake is the service's reward stake integrated over time, and the APR is the vault
 * APR's formula on those inputs (rounded down): after the operators' commissions, what the vaults' claims pay
 * their stakers, with the rate before commissions beside it.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { maxUint256, parseEther } from 'viem'
import { type OrdersFixture, setupOrders } from '../../test/support/orders.ts'
import { createWorld, type World } from '../../test/support/world.ts'
import { rewardsDistributorAbi } from '../sdk/abis.ts'
import { addFee, approveStake, claimRewards } from '../sdk/index.ts'
import { type IndexedWorld, indexWorld } from './testing/indexedWorld.ts'

const YEAR = 365n * 24n * 3600n

let w: World
let f: OrdersFixture
let served: IndexedWorld
let app: FastifyInstance

before(async () => {
  w = await createWorld()
  f = await setupOrders(w)
  await approveStake(w.clientFor(f.client), { spender: w.addresses.rewards, amount: maxUint256 })
  await addFee(w.clientFor(f.client), { serviceId: f.svc.serviceId, amount: parseEther('30') })
  await addFee(w.clientFor(f.client), { serviceId: f.svc.serviceId, amount: parseEther('12') })
  served = await indexWorld(w, { store: 'sqlite', finalityDepth: 3 })
  app = served.app
})

after(async () => {
  await served?.close()
  await w?.anvil.stop()
})

describe('the service reward rate, annualised', () => {
  it('reports what was distributed over the stake that earned it, as the vault APR computes it', async () => {
    const r = await app.inject(`/v1/services/${f.svc.serviceId}/apr?days=365`)
    assert.equal(r.statusCode, 200, r.body)
    const a = r.json().data
    const distributed = await w.public.getContractEvents({
      address: w.addresses.rewards,
      abi: rewardsDistributorAbi,
      eventName: 'RewardsDistributed',
      fromBlock: 0n,
    })
    const total = distributed.reduce((s, e) => s + e.args.amount!, 0n)
    assert.ok(total > 0n, 'the fees were distributed')
    assert.equal(a.rewards.base, total.toString())
    assert.equal(a.distributions, distributed.length)
    assert.equal(a.windowSeconds, 365 * 86_400)
    assert.equal(a.to.unix - a.from.unix, a.windowSeconds)
    const stakeSeconds = BigInt(a.stakeSeconds)
    // three vaults of 20,000 each allocated: never more than 60,000 staked at once over the window
    assert.ok(stakeSeconds > 0n && stakeSeconds <= parseEther('60000') * BigInt(a.windowSeconds))
    assert.equal(a.averageStake.base, (stakeSeconds / BigInt(a.windowSeconds)).toString())
    assert.equal(a.grossAprPpm, ((total * YEAR * 1_000_000n) / stakeSeconds).toString())
    // after commissions: what each vault's claim pays its stakers (the chain's own split, by its accumulator)
    let received = 0n
    for (const op of f.ops) {
      const claim = await claimRewards(w.clientFor(op.operator), {
        vault: op.vault,
        serviceId: f.svc.serviceId,
      })
      received += claim.result.amount - claim.result.commission
    }
    const staker = BigInt(a.stakerRewards.base)
    // the accumulator and the API's per-vault split each round down: a wei or so per vault and distribution apart
    const slack = BigInt(2 * f.ops.length * distributed.length)
    assert.ok(staker - received <= slack && received - staker <= slack, `${staker} vs ${received} received`)
    assert.ok(received < total, 'the operators kept their commission')
    assert.equal(BigInt(a.commission.base) + staker, total)
    assert.equal(a.aprPpm, ((staker * YEAR * 1_000_000n) / stakeSeconds).toString())
    assert.ok(
      BigInt(a.aprPpm) < BigInt(a.grossAprPpm),
      'the staker rate is below the rate before commissions',
    )
  })

  it('404s an unknown service and refuses a window past a year', async () => {
    assert.equal((await app.inject('/v1/services/999/apr')).statusCode, 404)
    const wide = await app.inject(`/v1/services/${f.svc.serviceId}/apr?days=400`)
    assert.equal(wide.statusCode, 400)
    assert.match(wide.json().error.message, /days/)
  })
})
