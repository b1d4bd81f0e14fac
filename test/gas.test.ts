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

  test('requesting and executing a slash cost the same with 1,000 stakers as with one', async () => {
    assert.ok(few, 'the budget test runs first and measures the one-staker case')
    const many = await measureGas(world(), { extraStakers: 1000 })
    for (const operation of [
      'request slash, 3-of-5 (first on vault)',
      'request slash, 3-of-5 (repeat)',
      'execute slash (steady state)',
    ]) {
      const ratio = many[operation]! / few[operation]!
      assert.ok(
        Math.abs(ratio - 1) <= 0.02,
        `${operation}: ${few[operation]} gas with 1 staker, ${many[operation]} with 1,001`,
      )
    }
  })
})
