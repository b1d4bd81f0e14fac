import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InvalidInputError } from '../../errors.ts'
import { runSimulation } from './engine.ts'
import { runMonteCarlo } from './montecarlo.ts'
import { toCsv } from './output.ts'
import { parseScenario } from './scenario.ts'
import { executeSlash, SlashBook, toUnits } from './slashing.ts'
import { chart } from './svg.ts'

const quiet = { price: { volatility: 0, shockRate: 0 }, correlated: [] }

describe('runSimulation', () => {
  test('is deterministic for a seed and differs across seeds', () => {
    const sc = parseScenario({ operators: { count: 50 } })
    const a = runSimulation(sc, { epochs: 500, seed: 9 })
    const b = runSimulation(sc, { epochs: 500, seed: 9 })
    const c = runSimulation(sc, { epochs: 500, seed: 10 })
    assert.deepEqual(a.series.stake, b.series.stake)
    assert.deepEqual(a.totals, b.totals)
    assert.notDeepEqual(a.series.stake, c.series.stake)
  })

  test('without faults, shocks or outside competition stake only grows with rewards', () => {
    const sc = parseScenario({
      ...quiet,
      operators: { count: 20, failureRate: 0 },
      stakers: { outsideYield: 0, sensitivity: 0 },
    })
    const r = runSimulation(sc, { epochs: 300, seed: 1 })
    assert.equal(r.totals.faults, 0)
    assert.equal(r.totals.slashed, 0)
    assert.ok(r.totals.rewards > 0)
    assert.ok(
      Math.abs(r.finalStake - (r.initialStake + r.totals.rewards)) < 1e-6 * r.initialStake,
      'stake = initial + rewards',
    )
  })

  test('a colluding quorum slashes honest operators falsely, and hides real faults from clients', () => {
    const sc = parseScenario({
      ...quiet,
      operators: { count: 40, failureRate: 0.01 },
      attesters: { count: 5, quorum: 3, colluding: 3, falseReportRate: 0.5, disputeSuccess: 0 },
      services: [{ id: 's', orderRate: 1, disputeWindow: 2 }],
    })
    const r = runSimulation(sc, { epochs: 200, seed: 3 })
    assert.ok(r.totals.falseSlashed > 0)
    assert.equal(
      r.totals.slashed,
      r.totals.falseSlashed,
      'only false reports are slashed: real faults are hidden',
    )
    assert.equal(r.totals.compensation, 0)
    assert.ok(r.totals.clientLosses > 0)
  })

  test('correlated outages fault many operators at once', () => {
    const sc = parseScenario({
      ...quiet,
      operators: { count: 300, failureRate: 0, regions: ['a', 'b'] },
      correlated: [{ group: 'region', rate: 0.05, failFraction: 0.9 }],
    })
    const r = runSimulation(sc, { epochs: 100, seed: 5, sampleEvery: 1 })
    assert.ok(Math.max(...r.series.faults) > 50, 'one outage faults a large part of a region')
  })

  test('a price crash past the flight threshold drains stake', () => {
    const base = { ...quiet, operators: { count: 30, failureRate: 0 }, stakers: { sensitivity: 0 } }
    const calm = runSimulation(parseScenario(base), { epochs: 600, seed: 2 })
    const crash = runSimulation(
      parseScenario({
        ...base,
        price: { ...quiet.price, shocks: [{ epoch: 10, drop: 0.6 }], fleeThreshold: 0.3, fleeRate: 0.01 },
      }),
      { epochs: 600, seed: 2 },
    )
    assert.ok(crash.finalStake < 0.7 * calm.finalStake)
    assert.ok(crash.series.outflow.reduce((a, b) => a + b, 0) > 0)
  })
})

describe('slashing with the protocol formulas', () => {
  const svc = parseScenario({
    services: [
      {
        id: 's',
        basePenaltyBps: 100,
        correlationMultiplierBps: 30_000,
        incidentCapBps: 10_000,
        windowCapBps: 10_000,
        correlationWindow: 100,
      },
    ],
  }).services
  test('a second fault in the window pays the correlation term on top of the base penalty', () => {
    const book = new SlashBook(svc)
    const first = book.request({
      service: 0,
      operator: 0,
      epoch: 5,
      allocatedTokens: 1000,
      pendingTokens: 0,
      serviceStakeTokens: 10_000,
    })
    assert.equal(first, toUnits(10)) // 1% of 1000
    const second = book.request({
      service: 0,
      operator: 1,
      epoch: 6,
      allocatedTokens: 1000,
      pendingTokens: 0,
      serviceStakeTokens: 10_000,
    })
    // 10 of 10,000 already slashed = 10 bps, × 3 = 30 bps on top of 100 bps: 13 tokens.
    assert.equal(second, toUnits(13))
  })

  test('execution takes the bond first and pays the client its share', () => {
    const ex = executeSlash(svc[0] as (typeof svc)[number], toUnits(50), 30, 1000, true)
    assert.equal(ex.fromBond, 30)
    assert.equal(ex.fromPool, 20)
    assert.equal(ex.client, 40) // default client share 80%
    assert.equal(ex.reporter + ex.sink, 10)
  })
})

describe('runMonteCarlo', () => {
  test('gives the same runs on worker threads as on this thread, with ordered bands', async () => {
    const sc = parseScenario({ operators: { count: 40 } })
    const threaded = await runMonteCarlo(sc, { epochs: 300, seed: 4, runs: 4, workers: 2 })
    const inline = await runMonteCarlo(sc, { epochs: 300, seed: 4, runs: 4, workers: 0 })
    assert.deepEqual(
      threaded.runs.map((r) => r.finalStake),
      inline.runs.map((r) => r.finalStake),
    )
    const last = threaded.points - 1
    const b = threaded.bands.stake
    assert.ok((b[5][last] ?? 0) <= (b[50][last] ?? 0) && (b[50][last] ?? 0) <= (b[95][last] ?? 0))
    const csv = toCsv(threaded).split('\n')
    assert.match(csv[0] ?? '', /^epoch,price_p5,/)
    assert.equal(csv.length - 2, threaded.points)
    assert.match(chart(threaded, 'stake'), /^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/)
  })
})

describe('parseScenario', () => {
  test('fills every default from an empty scenario', () => {
    const sc = parseScenario({})
    assert.equal(sc.operators.count, 100)
    assert.equal(sc.services[0]?.id, 'default')
  })

  test('rejects bad fields by name', () => {
    const bad = (raw: unknown, re: RegExp) =>
      assert.throws(
        () => parseScenario(raw),
        (e: unknown) => e instanceof InvalidInputError && re.test(e.message),
      )
    bad({ operators: { failureRate: 2 } }, /operators\.failureRate/)
    bad({ attesters: { count: 3, quorum: 4 } }, /attesters\.quorum/)
    bad({ services: [{ id: 'a' }, { id: 'a' }] }, /services\[1\]\.id/)
    bad({ services: [{ id: 'a', orderValue: [5, 1] }] }, /services\[0\]\.orderValue/)
    bad({ unknown: 1 }, /scenario|unknown/)
  })
})
