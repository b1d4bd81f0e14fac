/**
 * Gas budgets (gas is deterministic, so budgets are asserted) and the O(1) slashing claim: requesting and
 * executing a slash cost the same, within 2%, with 1 and with 1,000 stakers in the vault.
 * Measured like DESIGN.md's table: receipts, one transaction per block, 12 s between blocks.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { GAS_BUDGETS, type GasReport, measureGas } from '../bench/gasScenario.ts'
import { useWorld } from './support/world.ts'

const { world } = useWorld()

let few: GasReport | undefined

describe('gas', () => {
  test('every budgeted operation stays within its budget', async () => {
    few = await measureGas(world())
    for (const [operation, budget] of Object.entries(GAS_BUDGETS)) {
      const used = few[operation]
      assert.ok(used !== undefined, `${operation} was not measured`)
      assert.ok(used <= budget, `${operation} used ${used} gas, budget ${budget}`)
    }
  })

  test('an order operation costs the same for the next order as for the last: nothing grows with their number', () => {
    assert.ok(few, 'the budget test runs first')
    for (const [first, next] of [
      ['open order', 'open order (repeat)'],
      ['accept named job', 'accept named job (repeat)'],
      ['settle last milestone (completes, frees collateral)', 'settle last milestone (repeat)'],
      ['settle lease', 'settle lease (repeat)'],
    ] as const) {
      const ratio = few[next]! / few[first]!
      assert.ok(Math.abs(ratio - 1) <= 0.01, `${first}: ${few[first]} gas, then ${few[next]}`)
    }
  })

  test('requesting and executing a slash, and order operations, cost the same with 1,000 stakers as with one', async () => {
    assert.ok(few, 'the budget test runs first and measures the one-staker case')
    const many = await measureGas(world(), { extraStakers: 1000 })
    for (const operation of [
      'request slash, 3-of-5 (first on vault)',
      'request slash, 3-of-5 (repeat)',
      'execute slash (steady state)',
      // the orders' vault has the 1,000 extra stakers too
      'bid (second bidder, becomes best)',
      'accept named job',
      'settle last milestone (repeat)',
      'claim rewards (order fees)',
    ]) {
      const ratio = many[operation]! / few[operation]!
      assert.ok(
        Math.abs(ratio - 1) <= 0.02,
        `${operation}: ${few[operation]} gas with 1 staker, ${many[operation]} with 1,001`,
      )
    }
  })
})
