/**
 * bench/benchNetwork.ts replaced fourteen copies of the same set-up in bench/; every figure in docs/risk.md names a
 * regime, size and seed, so the shared builder must draw exactly the networks the copies drew. The old path is
 * spelled out here as the copies had it (their own regime table and members rule, options in their order).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { benchNetwork, membersFor, parseSize, REGIMES, regimeOf } from '../bench/benchNetwork.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import type { Network } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const OLD_REGIMES: Record<string, [number, number]> = {
  typical: [0.2, 1.2],
  boundary: [0.02, 0.25],
  hard: [0.05, 0.35],
}
const oldMembersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]

function oldNetwork(seed: number, size: string, regime: string, allocations: boolean): Network {
  const [ops, svcs] = size.split('x').map(Number) as [number, number]
  return parseRiskInput(
    randomNetwork(createRng(seed), {
      operators: ops,
      services: svcs,
      membersPerService: oldMembersFor(ops, svcs),
      allocations,
      profitFactor: OLD_REGIMES[regime],
    }),
  )
}

const json = (n: Network) => JSON.stringify(n, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))

test('the shared bench network is the old copies’ network for every size, seed, regime and model', () => {
  for (const size of ['200x50', '1000x100']) {
    for (const seed of [1, 2, 3]) {
      for (const regime of ['typical', 'boundary', 'hard'] as const) {
        for (const allocations of [false, true]) {
          const [operators, services] = parseSize(size)
          const now = json(benchNetwork({ seed, operators, services, regime, allocations }))
          const label = `${size} seed ${seed} ${regime}${allocations ? ' alloc' : ''}`
          assert.equal(now, json(oldNetwork(seed, size, regime, allocations)), label)
        }
      }
    }
  }
})

test('the probes that hard-coded 1000 × 100 with 20–80 members get the same network from the shared builder', () => {
  // largestProbe.ts and largestSwapCheck.ts (the latter left allocations out: whole stakes).
  const old = parseRiskInput(
    randomNetwork(createRng(3), {
      operators: 1000,
      services: 100,
      membersPerService: [20, 80],
      profitFactor: [0.05, 0.35],
    }),
  )
  const now = benchNetwork({ seed: 3, operators: 1000, services: 100, regime: 'hard', allocations: false })
  assert.equal(json(now), json(old))
})

test('the regimes and the members per service are the values the benches’ figures were measured with', () => {
  assert.deepEqual(REGIMES, OLD_REGIMES)
  for (const [ops, svcs] of [
    [50, 10],
    [51, 10],
    [200, 50],
    [201, 50],
    [1000, 100],
    [1000, 199],
    [1000, 200],
    [5000, 200],
  ] as const) {
    assert.deepEqual(membersFor(ops, svcs), oldMembersFor(ops, svcs), `${ops}x${svcs}`)
  }
})

test('a size is OPERATORSxSERVICES in positive whole numbers; anything else is refused by name', () => {
  assert.deepEqual(parseSize('1000x100'), [1000, 100])
  assert.deepEqual(parseSize('50x10'), [50, 10])
  for (const bad of [
    '',
    '1000',
    '1000x',
    'x100',
    '1000x100x5',
    '0x10',
    '10x0',
    '1.5x10',
    '-5x10',
    '1000X100',
    'ax b',
  ]) {
    assert.throws(() => parseSize(bad), /OPERATORSxSERVICES.*got '/, bad)
  }
})

test('an unknown regime is refused unless the bench names its fallback', () => {
  assert.equal(regimeOf('boundary'), 'boundary')
  assert.equal(regimeOf('hrad', 'hard'), 'hard')
  assert.throws(() => regimeOf('hrad'), /unknown regime 'hrad' \(use typical, boundary, hard\)/)
  assert.throws(() => regimeOf('toString'), /unknown regime/)
})
