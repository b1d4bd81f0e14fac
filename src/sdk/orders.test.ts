/** Milestone packing and the order parameters builder: pure, no chain. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { zeroAddress } from 'viem'
import { InvalidInputError } from '../errors.ts'
import {
  ACCEPTANCE_WINDOW,
  acceptanceCloses,
  maxRequiredCollateral,
  milestoneAmounts,
  orderParams,
  packMilestones,
  unpackMilestones,
} from './orders.ts'

const client = '0x00000000000000000000000000000000000000c1'
const token = '0x00000000000000000000000000000000000000a1'

describe('milestones', () => {
  test('pack from the lowest 16 bits and unpack back', () => {
    assert.equal(packMilestones([2000, 8000]), 2000n | (8000n << 16n))
    assert.equal(packMilestones([]), 0n)
    assert.deepEqual(unpackMilestones(0n), [10_000])
    for (const shares of [[10_000], [2000, 8000], [1, 2, 3, 9994], [2500, 2500, 2500, 2500]]) {
      assert.deepEqual(unpackMilestones(packMilestones(shares)), shares)
    }
  })

  test('refuse what the order book refuses', () => {
    for (const bad of [[5000], [5000, 5001], [0, 10_000], [2000, 2000, 2000, 2000, 2000], [10_000.5]]) {
      assert.throws(() => packMilestones(bad), InvalidInputError, String(bad))
    }
    assert.throws(() => unpackMilestones(10_000n << 16n), InvalidInputError, 'a gap before a later share')
    assert.throws(() => unpackMilestones(1n << 64n), InvalidInputError)
  })

  test('amounts round down and the last takes the remainder', () => {
    assert.deepEqual(milestoneAmounts(107n, packMilestones([2000, 8000])), [21n, 86n])
    assert.deepEqual(milestoneAmounts(10n, packMilestones([3333, 3333, 3334])), [3n, 3n, 4n])
    assert.deepEqual(milestoneAmounts(99n, 0n), [99n])
  })
})

describe('orderParams', () => {
  test('defaults: an intent job, bids for an hour, a deadline a day later, terms left to the contract', () => {
    const p = orderParams({ client, serviceId: 1n, paymentToken: token, budget: 5n, now: 1000 })
    assert.deepEqual(p, {
      client,
      serviceId: 1n,
      paymentToken: token,
      vault: zeroAddress,
      budget: 5n,
      value: 0n,
      ratePerSecond: 0n,
      biddingEnds: 4600,
      deadline: 4600 + 86_400,
      milestones: 0n,
      feeBps: 0,
      collateralFactorBps: 0,
      collateralFloorBps: 0,
    })
  })

  test('a lease has no deadline nor milestones; bad fields are named', () => {
    const lease = orderParams({
      client,
      serviceId: 1n,
      paymentToken: token,
      budget: 100n,
      ratePerSecond: 1n,
      now: 0,
    })
    assert.equal(lease.deadline, 0)
    const error = (f: () => unknown, field: string) =>
      assert.throws(f, (e: unknown) => e instanceof InvalidInputError && e.message.startsWith(field))
    const base = { client, serviceId: 1n, paymentToken: token, budget: 100n, now: 1000 } as const
    error(() => orderParams({ ...base, ratePerSecond: 1n, milestones: [5000, 5000] }), 'milestones')
    error(() => orderParams({ ...base, ratePerSecond: 1n, deadline: 5000 }), 'deadline')
    error(() => orderParams({ ...base, budget: 10n ** 12n, ratePerSecond: 1n }), 'ratePerSecond')
    error(() => orderParams({ ...base, deadline: 2000 }), 'deadline')
    error(() => orderParams({ ...base, biddingEnds: 999 }), 'biddingEnds')
    error(() => orderParams({ ...base, budget: 0n }), 'budget')
    error(() => orderParams({ client, serviceId: 1n, paymentToken: token, budget: 1n }), 'biddingEnds')
  })
})

describe('acceptanceCloses', () => {
  test('a named order by its biddingEnds, an intent a day (ACCEPTANCE_WINDOW) after it', () => {
    const base = { client, serviceId: 1n, paymentToken: token, budget: 5n, now: 1000 } as const
    assert.equal(ACCEPTANCE_WINDOW, 86_400)
    assert.equal(acceptanceCloses(orderParams(base)), 4600 + 86_400)
    assert.equal(acceptanceCloses(orderParams({ ...base, vault: client })), 4600)
  })
})

test('the most a requirement can be: the price (a lease’s budget) floored by the stated value, times the factor', () => {
  const stake = '0x00000000000000000000000000000000000000aa' as const
  const base = orderParams({
    client: stake,
    serviceId: 1n,
    paymentToken: stake,
    budget: 1000n,
    now: 1_000,
  })
  const p = { ...base, collateralFactorBps: 15_000, collateralFloorBps: 5_000 }
  assert.equal(maxRequiredCollateral(p, 101n, stake), 152n, '1.5 × 101, rounded up')
  assert.equal(
    maxRequiredCollateral({ ...p, value: 400n }, 101n, stake),
    600n,
    'the stated value floors the base',
  )
  const lease = { ...p, ratePerSecond: 1n, deadline: 0 }
  assert.equal(maxRequiredCollateral(lease, 1n, stake), 1500n, 'a lease backs its whole budget')
  const foreign = { ...p, paymentToken: '0x00000000000000000000000000000000000000bb' as const, value: 50n }
  assert.equal(maxRequiredCollateral(foreign, 999n, stake), 75n, 'another token: its stated value')
})
