/** `npm run bench:gas`: measures every operation on a real anvil chain, prints a table, writes bench/gas.json. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createWorld } from '../test/support/world.ts'
import { measureGas } from './gasScenario.ts'

const TARGETS: Record<string, number> = {
  'deposit (new staker)': 90_000,
  'deposit (top-up)': 70_000,
  'request withdrawal (first)': 80_000,
  'request withdrawal (repeat)': 80_000,
  'complete withdrawal': 70_000,
  'request slash, 3-of-5 (first on vault)': 150_000,
  'request slash, 3-of-5 (repeat)': 150_000,
  'execute slash (steady state)': 100_000,
}

const world = await createWorld()
try {
  const report = await measureGas(world)
  const rows = Object.entries(report).map(([op, gas]) => ({
    operation: op,
    gas,
    target: TARGETS[op] ?? null,
    within: TARGETS[op] === undefined ? '' : gas <= TARGETS[op]! ? 'yes' : 'NO',
  }))
  console.table(rows)
  writeFileSync(join(import.meta.dirname, 'gas.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log('wrote bench/gas.json')
} finally {
  await world.anvil.stop()
}
