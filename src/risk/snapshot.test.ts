import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Order } from '../sdk/types.ts'
import { parseRiskInput } from './input.ts'
import { buildRiskInput, escrowAtStake } from './snapshot.ts'

describe('buildRiskInput', () => {
  const reads = {
    vaults: [
      { operator: '0xaa', stake: 10n ** 24n },
      { operator: '0xbb', stake: 5n },
    ],
    services: [
      { id: '1', declaredValue: 100n, escrowedOrders: 23n },
      { id: '2', declaredValue: 0n, escrowedOrders: 0n, threshold: '0.6667' },
    ],
    allocations: [
      { operator: '0xaa', service: '1', amount: 7n },
      { operator: '0xbb', service: '1', amount: 9n },
      { operator: '0xbb', service: '2', amount: 0n },
      { operator: '0xcc', service: '2', amount: 4n },
    ],
  }

  test('takes profit from corruption as escrowed orders plus declared value, and stake from allocations', () => {
    const input = buildRiskInput(reads)
    assert.deepEqual(input.services[0], {
      id: '1',
      profit: '123',
      threshold: 0.5,
      operators: ['0xaa', '0xbb'],
    })
    assert.deepEqual(input.services[1], { id: '2', profit: '0', threshold: '0.6667', operators: [] })
    // 0xbb's allocation of 9 is capped at its vault's 5; empty allocations and unknown vaults are dropped.
    assert.deepEqual(input.allocations, [
      { operator: '0xaa', service: '1', stake: '7' },
      { operator: '0xbb', service: '1', stake: '5' },
    ])
    assert.equal(input.operators[0]?.stake, '1000000000000000000000000')
  })

  test('produces an input the risk engine accepts', () => {
    const n = parseRiskInput(buildRiskInput(reads, { defaultThreshold: 1 }))
    assert.equal(n.services.length, 2)
    assert.deepEqual(n.services[0]?.memberStake, [7n, 5n])
  })

  test('counts what an order still holds in escrow, in stake-token units', () => {
    const stake = '0x00000000000000000000000000000000000000aa'
    const other = '0x00000000000000000000000000000000000000bb'
    const order = (over: Partial<Order>, params: Partial<Order['params']> = {}): Order =>
      ({
        status: 'Active',
        price: 80n,
        paid: 30n,
        ...over,
        params: { paymentToken: stake, budget: 100n, value: 0n, ratePerSecond: 0n, ...params },
      }) as Order
    assert.equal(
      escrowAtStake(order({ status: 'Open' }), stake),
      100n,
      'an open order holds its whole budget',
    )
    assert.equal(escrowAtStake(order({}), stake), 50n, 'an accepted job: its price less what was paid')
    assert.equal(
      escrowAtStake(order({}, { ratePerSecond: 1n }), stake),
      70n,
      'a lease: its funds less what streamed',
    )
    assert.equal(
      escrowAtStake(order({}, { paymentToken: other, value: 7n }), stake),
      7n,
      'another token: its value',
    )
  })
})
