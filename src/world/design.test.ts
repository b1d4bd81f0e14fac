import assert from 'node:assert/strict'
import { test } from 'node:test'
import { analyzeNetwork } from '../risk/analyze.ts'
import { parseRiskInput } from '../risk/input.ts'
import { toNumber } from '../risk/rational.ts'
import { certifiedSlack } from '../risk/slack.ts'
import { buildRiskInput } from '../risk/snapshot.ts'
import { OPERATOR_COUNT, STAKER_COUNT } from './accounts.ts'
import { COLD, designWorld, GPU, stakeOf, type WorldDesign } from './design.ts'
import { endpointDown, hardOutage } from './endpoints.ts'
import { WHALE_ESCROW } from './scenario.ts'

/** The world's risk input as `surety risk snapshot` would read it right after seeding (plus extra escrow). */
function riskOf(design: WorldDesign, escrow: [bigint, bigint] = [0n, 0n]) {
  return parseRiskInput(
    buildRiskInput({
      vaults: design.operators.map((o) => ({ operator: o.name, stake: stakeOf(design, o.index) })),
      services: [GPU, COLD].map((s) => ({
        id: String(s),
        declaredValue: design.declaredValue[s]!,
        escrowedOrders: escrow[s]!,
      })),
      allocations: design.allocations.map((a) => ({
        operator: design.operators[a.operator]!.name,
        service: String(a.service),
        amount: a.amount,
      })),
    }),
  )
}

test('the same seed designs the same world, another seed another one', () => {
  assert.deepEqual(designWorld(7), designWorld(7))
  assert.notDeepEqual(designWorld(7).delegations, designWorld(8).delegations)
})

test('every designed world has its cast: 8 operators, 20 stakers, restakers on both services, one hard failure', () => {
  for (const seed of [1, 2, 3, 7, 42, 1234]) {
    const d = designWorld(seed)
    assert.equal(d.operators.length, OPERATOR_COUNT)
    assert.equal(new Set(d.delegations.map((x) => x.staker)).size, STAKER_COUNT)
    assert.ok(
      d.operators.every((o) => d.delegations.some((x) => x.operator === o.index)),
      'every vault has stakers',
    )
    assert.equal(d.operators.filter((o) => o.services.length === 2).length, 3, 'three restakers')
    assert.equal(d.operators.filter((o) => o.hardFail).length, 1)
    assert.equal(d.operators.filter((o) => o.flakyBps > 0).length, 2)
    // a restaker allocates 160 % of its stake: within the vault's 200 % restaking cap
    for (const o of d.operators) {
      const allocated = d.allocations.filter((a) => a.operator === o.index).reduce((s, a) => s + a.amount, 0n)
      assert.ok(allocated <= 2n * stakeOf(d, o.index))
    }
  }
})

test('every designed world is certified secure with slack γ > 0.1, with room for open orders', async () => {
  for (const seed of [1, 2, 3, 7, 42, 1234]) {
    const d = designWorld(seed)
    const gamma = toNumber(certifiedSlack(riskOf(d))!)
    assert.ok(gamma > 0.1, `seed ${seed}: γ = ${gamma}`)
    // the clients keep at most 6 orders of at most 1,500 STK each running: 9,000 STK of escrow per client
    const busy = riskOf(d, [18_000n * 10n ** 18n, 9_000n * 10n ** 18n])
    assert.ok(toNumber(certifiedSlack(busy)!) > 0.1, `seed ${seed} with open orders`)
    assert.equal((await analyzeNetwork(busy, { timeLimitSeconds: 30 })).secure, true)
  }
})

test('the attack scenario’s whale makes the GPU service worth corrupting, and the risk engine names the attack', async () => {
  const d = designWorld(1)
  const whale = riskOf(d, [WHALE_ESCROW, 0n])
  assert.ok(toNumber(certifiedSlack(whale)!) < 0)
  const report = await analyzeNetwork(whale, { timeLimitSeconds: 30 })
  assert.equal(report.secure, false)
  assert.deepEqual(report.attack!.services, [String(GPU)])
  assert.ok(report.attack!.profit > report.attack!.cost)
})

test('the script: the hard outage covers whole epochs after the start, flaky endpoints fail whole epochs', () => {
  const d = designWorld(1)
  const hard = d.operators.find((o) => o.hardFail)!
  const started = 1_800_000_003
  const outage = hardOutage(started, 90, 30, 3)
  assert.equal(outage.from % 30, 0)
  assert.ok(outage.from >= started + 90 && outage.to - outage.from === 90)
  assert.equal(endpointDown(1, hard, outage.from - 1, 30, started, outage), false)
  assert.equal(endpointDown(1, hard, outage.from, 30, started, outage), true)
  assert.equal(endpointDown(1, hard, outage.to, 30, started, outage), false)
  const flaky = d.operators.find((o) => o.flakyBps > 0)!
  let downEpochs = 0
  for (let e = 0; e < 2_000; e++) {
    const t = started + 60 + e * 30
    const epochStart = t - (t % 30)
    const down = endpointDown(1, flaky, epochStart, 30, started, outage)
    // the same verdict for every second of the epoch: every attester probing in it sees the same thing
    assert.equal(endpointDown(1, flaky, epochStart + 29, 30, started, outage), down)
    if (down) downEpochs++
  }
  assert.ok(downEpochs > 80 && downEpochs < 250, `${downEpochs} of 2000 epochs down at 8 %`)
  const steady = d.operators.find((o) => !o.hardFail && o.flakyBps === 0)!
  assert.equal(endpointDown(1, steady, outage.from, 30, started, outage), false)
})
