/** `npm run bench:gas`: measures every operation on a real anvil chain, prints a table, writes bench/gas.json. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createWorld } from '../test/support/world.ts'
import { GAS_BUDGETS, measureGas } from './gasScenario.ts'

const world = await createWorld()
try {
  const report = await measureGas(world)
  const rows = Object.entries(report).map(([op, gas]) => ({
    operation: op,
    gas,
    target: GAS_BUDGETS[op] ?? null,
    within: GAS_BUDGETS[op] === undefined ? '' : gas <= GAS_BUDGETS[op]! ? 'yes' : 'NO',
  }))
  console.table(rows)
  writeFileSync(join(import.meta.dirname, 'gas.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log('wrote bench/gas.json')
} finally {
  await world.anvil.stop()
}
