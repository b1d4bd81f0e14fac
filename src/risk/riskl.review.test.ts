/**
 * Review (rev3) of the exact-cover flips over services (leafFlip.ts) and their thread (flipThread.ts,
 * flipWorker.ts): flips never beat brute force nor return an invalid attack under tiny limits and adversarial
 * amounts; what the thread sends back is checked for shape (a garbled attack is no answer) and exactly
 * (isValidAttack refuses indices that are not whole and in range); and a stopped job's late answer no longer lets
 * the process exit while the next job is awaited.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { solveMostProfitable } from './attack.ts'
import type { ParallelBranch } from './branchJob.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { closeFlipThread, startFlip } from './flipThread.ts'
import { heuristicAttack, netProfit } from './heuristic.ts'
import type { RiskInput } from './input.ts'
import { parseRiskInput } from './input.ts'
import { flipByLeaf } from './leafFlip.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

const highs = await loadHighs()
after(() => closeFlipThread())

/** Amounts times 10^k (k may differ for stakes and profits: huge stakes beside tiny profits and the reverse). */
function scaled(raw: RiskInput, stakeZeros: number, profitZeros: number): RiskInput {
  const up = (x: unknown, z: number) => `${String(x)}${'0'.repeat(z)}`
  return {
    operators: raw.operators.map((o) => ({ ...o, stake: up(o.stake, stakeZeros) })),
    services: raw.services.map((s) => ({ ...s, profit: up(s.profit, profitZeros) })),
    ...(raw.allocations
      ? { allocations: raw.allocations.map((a) => ({ ...a, stake: up(a.stake, stakeZeros) })) }
      : {}),
  } as RiskInput
}

function adversarial(seed: number, count: number): Network[] {
  const rng = createRng(seed)
  return Array.from({ length: count }, (_, i) => {
    const raw = randomNetwork(rng, {
      operators: rng.int(3, 8),
      services: rng.int(1, 6),
      membersPerService: [1, 5],
      allocations: i % 2 === 0,
      profitFactor: [SMALL_REGIMES[0], SMALL_REGIMES[2], [0.6, 2], [0.99, 1.01]][i % 4] as [number, number],
      thresholds: [[1], [0.0001, 1], [1 / 3, 0.5, 2 / 3, 1]][i % 3] as number[],
    })
    const z = [
      [0, 0],
      [25, 25],
      [30, 0],
      [0, 12],
    ][i % 4] as [number, number]
    return parseRiskInput(scaled(raw, z[0], z[1]))
  })
}

describe('flipByLeaf against brute force (adversarial amounts, tiny limits)', () => {
  test('valid, no worse than its start, never above the optimum: 400 networks, both models, 0–5 ms per flip', () => {
    let checked = 0
    let improved = 0
    adversarial(1403, 400).forEach((n, i) => {
      const best = bruteMostProfitable(n)
      // the heuristic's attack, and a weak one (a single service with all its members, the least net) to move from
      const lone = n.services
        .map((sv, s): Attack => ({ services: [s], operators: [...sv.members].sort((a, b) => a - b) }))
        .filter((a) => isValidAttack(n, a))
        .sort((a, b) => (netProfit(n, a) < netProfit(n, b) ? -1 : 1))[0]
      for (const h of [heuristicAttack(n, { budgetMs: 5 }), lone]) {
        if (!h || !isValidAttack(n, h)) continue
        for (const [budget, flipMs] of [
          [0.01, 0],
          [1, 1],
          [50, 5],
          [5000, 5000],
        ] as const) {
          const out = flipByLeaf(n, h, highs, budget, Number.POSITIVE_INFINITY, flipMs)
          checked++
          assert.ok(isValidAttack(n, out), `network ${i} (${budget} ms): invalid`)
          assert.ok(netProfit(n, out) >= netProfit(n, h), `network ${i}: worse than its start`)
          assert.ok(best !== null && netProfit(n, out) <= best, `network ${i}: above brute force`)
          if (netProfit(n, out) > netProfit(n, h)) improved++
        }
      }
    })
    assert.ok(checked > 450, `only ${checked} runs checked`)
    assert.ok(improved > 50, `only ${improved} runs improved their start`)
    console.log(`flips: ${checked} runs, ${improved} improved`)
  })

  test('an outer deadline already past returns the start itself', () => {
    const n = adversarial(7, 1)[0] as Network
    const h = heuristicAttack(n, { budgetMs: 5 })
    if (!h) return
    assert.deepEqual(
      flipByLeaf(n, h, highs, 1000, () => 0),
      h,
    )
  })
})

describe('isValidAttack on indices from elsewhere', () => {
  const n = parseRiskInput({
    operators: [{ id: 'a', stake: 1 }],
    services: [{ id: 's', profit: 10, threshold: 1, operators: ['a'] }],
  })
  test('a service given as 0 and "0" is not paid twice; an operator past the end or fractional is refused', () => {
    assert.ok(isValidAttack(n, { services: [0], operators: [0] }))
    const twice = { services: [0, '0' as unknown as number], operators: [0] }
    assert.equal(attackProfit(n, twice), 20n) // what the set check alone let through
    assert.equal(isValidAttack(n, twice), false)
    assert.equal(isValidAttack(n, { services: [0], operators: [0, 1] }), false)
    assert.equal(isValidAttack(n, { services: [0], operators: [0, 0.5] }), false)
    assert.equal(isValidAttack(n, { services: [0], operators: [0, -1] }), false)
  })
})

describe('the flip thread', () => {
  const n = adversarial(11, 40).find((x) => heuristicAttack(x, { budgetMs: 5 }) !== null) as Network
  test('a garbled attack comes back as no answer, and the main thread does not crash', async () => {
    // the worker hands back the attack it was given when it cannot improve it: a forged one must not come through
    const forged = [
      { services: [0, '0'], operators: [0] },
      { services: [0], operators: [1e9] },
      { services: [0], operators: [0.5] },
      { services: 'x', operators: null },
      { services: Array.from({ length: 10_000 }, () => 0), operators: [] },
    ] as unknown as Attack[]
    for (const a of forged) {
      const job = startFlip(n, a, performance.now() + 2000)
      const r = await job.result()
      assert.ok(
        r === null ||
          isValidAttack(n, r) ||
          (Array.isArray(r.services) && r.services.length <= n.services.length),
        `forged ${JSON.stringify(a).slice(0, 60)} came back as ${JSON.stringify(r).slice(0, 60)}`,
      )
      assert.ok(r === null || r.services.every((s) => Number.isInteger(s)), 'a non-integer index came back')
    }
  })

  test('stop() after the answer, and many jobs in a row, settle', async () => {
    const h = heuristicAttack(n, { budgetMs: 5 })
    assert.ok(h)
    for (let k = 0; k < 5; k++) {
      const job = startFlip(n, h, performance.now() + 200)
      if (k % 2) job.stop()
      const r = await job.result()
      job.stop()
      assert.ok(r === null || isValidAttack(n, r))
    }
  })

  test('a stopped job answered while the next runs does not let the process exit before that answer', () => {
    // in a child process (the test runner keeps this one alive): job A stopped at once, job B started on the same
    // thread without yielding; A's answer used to unref the thread while B ran, and the process exited (code 13,
    // "unsettled top-level await") without B's answer: the CLI printed nothing
    const dir = mkdtempSync(join(tmpdir(), 'riskl-'))
    const url = (f: string) => JSON.stringify(new URL(f, import.meta.url).href)
    const script = join(dir, 'lateAnswer.mts')
    writeFileSync(
      script,
      `import { startFlip } from ${url('./flipThread.ts')}
import { heuristicAttack } from ${url('./heuristic.ts')}
import { parseRiskInput } from ${url('./input.ts')}
import { randomNetwork } from ${url('./randomNetwork.ts')}
import { createRng } from ${url('./rng.ts')}
const n = parseRiskInput(randomNetwork(createRng(1), { operators: 1000, services: 100, membersPerService: [20, 80], allocations: true }))
const h = heuristicAttack(n, { budgetMs: 200 })
if (!h) throw new Error('no attack')
const a = startFlip(n, h, performance.now() + 60_000)
a.stop()
const b = startFlip(n, h, performance.now() + 2500)
const r = await b.result()
console.log('answered', r === null ? 'null' : 'attack')
`,
    )
    const out = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    assert.equal(out.status, 0, `exit ${out.status}: ${out.stderr.slice(0, 400)}`)
    assert.match(out.stdout, /answered (null|attack)/)
  })
})

describe('what the flips hand back to solveMostProfitable', () => {
  // a large component (≥ 2,500 operator–service pairs) where a service pays alone: the flips run beside the solver
  const n = parseRiskInput(
    randomNetwork(createRng(5), {
      operators: 300,
      services: 30,
      membersPerService: [90, 120],
      allocations: true,
    }),
  )
  const forgeries: [string, (start: Attack) => Attack][] = [
    ['every service, no operator', () => ({ services: [...n.services.keys()], operators: [] })],
    [
      'a service twice (0 and "0")',
      (a) => ({ ...a, services: [...a.services, String(a.services[0]) as never] }),
    ],
    ['an operator past the end', (a) => ({ ...a, operators: [...a.operators, n.operators.length] })],
    ['garbage', () => ({ services: 'x', operators: null }) as never],
  ]
  for (const [name, forge] of forgeries) {
    test(`a forged flip (${name}) is not reported`, async () => {
      let offered = false
      const parallel: ParallelBranch = {
        worthIt: () => false,
        start: () => {
          throw new Error('not used')
        },
        flip: (_n, start) => {
          offered = true
          const forged = forge(start)
          return { stop() {}, result: () => Promise.resolve(forged) }
        },
      }
      const out = await solveMostProfitable(n, { timeLimitSeconds: 1.5, parallel })
      if (!offered) return // the solver had no time left on a busy machine: nothing to check
      const a = out.attack
      assert.ok(a && isValidAttack(n, a), 'the reported attack is not valid')
      for (const xs of [a.services, a.operators])
        assert.ok(
          xs.every((x) => Number.isInteger(x)) && new Set(xs).size === xs.length,
          'indices not whole or listed twice',
        )
      assert.ok(
        a.operators.every((v) => v < n.operators.length),
        'an operator past the end',
      )
      assert.equal(out.answer.attack?.profit, attackProfit(n, a))
      assert.equal(out.answer.attack?.cost, attackCost(n, a))
      assert.ok(Number(attackProfit(n, a) - attackCost(n, a)) <= out.answer.bound, 'bound below the attack')
    })
  }
})
