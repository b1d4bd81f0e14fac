/**
 * An adversarial review of the exact solve of fully fixed nodes (leafCover.ts), its c-MIR cuts (coverCuts.ts) and
 * its wiring into the branching over services (serviceBranch.ts). A wrong prune there reports an attackable
 * network secure, so each guard here attacks one claim the proof rests on: every cut holds at every coalition,
 * the bigint bound holds for ANY duals ≥ 0 (so a solver that lies cannot forge it), a leaf the clock stops is
 * never counted as settled, and the answers match brute force to the unit.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Highs } from 'highs'
import { bruteUnderFixing } from './bruteForce.ts'
import { type IntRow, mirCut, separateMir } from './coverCuts.ts'
import { parseRiskInput } from './input.ts'
import { solveLeaf } from './leafCover.ts'
import { loadHighs } from './mip.ts'
import type { Network, Service } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { type Rational, rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { serviceBranch } from './serviceBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, meetsThresholds } from './verify.ts'

const highs = await loadHighs()

const net = (n: Network, a: Attack) => attackProfit(n, a) - attackCost(n, a)

/** Every valid attack, by enumeration, the most profitable first (tests on ≤ 5 services and ≤ 10 operators). */
function allAttacks(n: Network): { a: Attack; net: bigint }[] {
  const out: { a: Attack; net: bigint }[] = []
  const S = n.services.length
  for (let m = 1; m < 1 << S; m++) {
    const A = [...Array(S).keys()].filter((s) => (m >> s) & 1)
    const members = [...new Set(A.flatMap((s) => n.services[s]?.members ?? []))].sort((x, y) => x - y)
    for (let b = 0; b < 1 << members.length; b++) {
      const a = { services: A, operators: members.filter((_, i) => (b >> i) & 1) }
      if (isValidAttack(n, a)) out.push({ a, net: net(n, a) })
    }
  }
  return out.sort((x, y) => (y.net > x.net ? 1 : y.net < x.net ? -1 : 0))
}

/** Amounts × K plus a few units of noise, so no two are multiples of one another. */
function scaled(n: Network, rng: Rng, K: bigint): Network {
  const operators = n.operators.map((o) => ({ ...o, stake: o.stake * K + BigInt(rng.int(0, 3)) }))
  return {
    ...n,
    operators,
    services: n.services.map((s) => ({
      ...s,
      profit: s.profit * K + BigInt(rng.int(-2, 2)),
      memberStake: s.members.map((v, k) =>
        n.hasAllocations
          ? (s.memberStake[k] as bigint) * K + BigInt(rng.int(0, 1))
          : (operators[v]?.stake as bigint),
      ),
    })),
  }
}

const THRESHOLDS: Rational[] = [
  rat(1n),
  rat(1n, 3n),
  rat(1n, 2n),
  rat(7n, 10n),
  rat(999_999_937n, 1_000_000_007n),
  rat(10n ** 30n - 1n, 10n ** 30n),
]

/**
 * A covering knapsack that needs branching over operators: 9–12 operators of similar stakes on 1–3 services
 * holding most of them, amounts of units, of 1e30 or of 2^1030 (beyond a float). Profits are set by the caller.
 */
function knapsack(rng: Rng, i: number): Network {
  const K = i % 3 === 0 ? 1n : i % 3 === 1 ? 10n ** 30n : 1n << 1030n
  const operators = Array.from({ length: rng.int(8, 11) }, (_, v) => ({
    id: `v${v}`,
    stake: BigInt(rng.int(50, 100)) * K + BigInt(rng.int(0, 5)),
  }))
  const allocations = i % 2 === 1
  const services: Service[] = Array.from({ length: rng.int(1, 3) }, (_, s) => {
    const members = operators.map((_, v) => v).filter(() => rng.next() < 0.85)
    const memberStake = members.map((v) => {
      const stake = operators[v]?.stake as bigint
      return allocations ? (stake * BigInt(rng.int(30, 100))) / 100n : stake
    })
    const threshold = THRESHOLDS[rng.int(0, THRESHOLDS.length - 1)] as Rational
    return { id: `s${s}`, profit: 0n, threshold, members, memberStake }
  })
  return { scale: 0, operators, services, hasAllocations: allocations }
}

/** The hard regime of the bench on small dense networks, both models, some scaled by 1e30. */
function hardNetwork(rng: Rng, i: number): Network {
  const n = parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(5, 9),
      services: rng.int(2, 4),
      membersPerService: [3, 7],
      allocations: i % 2 === 1,
      profitFactor: i % 3 === 0 ? [0.05, 0.35] : [0.3, 1.2],
    }),
  )
  return i % 4 === 2 ? scaled(n, rng, 10n ** 30n) : n
}

/**
 * HiGHS as a liar: the real solver underneath, but its answers garbled — duals scaled up and down, negated, NaN,
 * 1e300 or random, negative where the row is slack; column values random; "optimal" after a run it skipped (the last solution, stale, for other
 * bounds and fewer rows) or after one that failed; dual arrays cut short. The exact bound holds for any duals
 * ≥ 0, so none of this may change an answer, only how long it takes.
 */
function lyingHighs(rng: Rng, mode: number): Highs {
  return new Proxy(highs, {
    get(h, p) {
      if (p !== 'createModel') return Reflect.get(h, p)
      return () => {
        const model = h.createModel()
        let ran = false
        let last: ReturnType<typeof model.getSolution> | null = null
        return new Proxy(model, {
          get(m, mp) {
            const f = Reflect.get(m, mp)
            if (mp === 'run' && mode === 3)
              return () => {
                if (ran && rng.next() < 0.5) return
                ran = true
                f.call(m)
              }
            if (mp === 'getModelStatus' && mode >= 3) return () => h.constants.modelStatus.optimal
            if (mp === 'getSolution')
              return () => {
                let s: ReturnType<typeof model.getSolution>
                try {
                  s = f.call(m)
                  last = s
                } catch (e) {
                  // a skipped or failed run: the solution kept from the last one
                  if (!last) throw e
                  s = last
                }
                const rowDual = Float64Array.from(s.rowDual, (d) => {
                  const r = rng.next()
                  if (mode === 0) return d * (0.3 + 3 * rng.next())
                  // a row the LP leaves slack has dual 0; a negative one there would lift the bound by its slack
                  if (mode === 1 && d === 0) return r < 0.5 ? -rng.next() : -1e-9
                  if (mode === 1)
                    return r < 0.15
                      ? Number.NaN
                      : r < 0.3
                        ? -d
                        : r < 0.4
                          ? 1e300
                          : r < 0.5
                            ? 0
                            : d * (1 + 1e-6 * rng.normal())
                  if (mode === 2) return 10 * rng.next()
                  return d
                })
                const colValue = mode === 2 ? Float64Array.from(s.colValue, () => rng.next()) : s.colValue
                return {
                  ...s,
                  colValue,
                  rowDual: mode === 4 ? rowDual.slice(0, rng.int(0, rowDual.length)) : rowDual,
                }
              }
            return typeof f === 'function' ? f.bind(m) : f
          },
        })
      }
    },
  }) as Highs
}

/**
 * A HiGHS whose every run burns the clock past `until()` and then reports the time limit, as a run cut short
 * inside the solver does.
 */
function slowHighs(until: () => number): Highs {
  return new Proxy(highs, {
    get(h, p) {
      if (p !== 'createModel') return Reflect.get(h, p)
      return () => {
        const model = h.createModel()
        return new Proxy(model, {
          get(m, mp) {
            const f = Reflect.get(m, mp)
            if (mp === 'run')
              return () => {
                while (performance.now() <= until()) {
                  // busy: the deadline passes inside the solver
                }
              }
            if (mp === 'getModelStatus') return () => h.constants.modelStatus.timeLimit
            return typeof f === 'function' ? f.bind(m) : f
          },
        })
      }
    },
  }) as Highs
}

const holds = (r: IntRow, x: readonly number[]) =>
  r.g.reduce((s, g, k) => s + g * BigInt(x[r.cols[k] as number] as number), 0n) >= r.h

describe('review: c-MIR cuts (coverCuts.ts)', () => {
  test('every cut holds at every coalition meeting adversarial rows: huge, equal, zero entries, h at sums (seed 61)', () => {
    const rng = createRng(61)
    const BIG = [
      0n,
      1n,
      2n,
      7n,
      10n ** 30n,
      10n ** 30n + 1n,
      (1n << 53n) + 1n,
      1n << 64n,
      1n << 1100n,
      999_999_937n,
    ]
    let cuts = 0
    let removing = 0
    for (let i = 0; i < 600; i++) {
      const n = rng.int(1, 8)
      const mode = i % 3
      const g = Array.from({ length: n }, () =>
        mode === 0
          ? BigInt(rng.int(0, 100))
          : mode === 1
            ? (BIG[rng.int(0, BIG.length - 1)] as bigint) * BigInt(rng.int(1, 3))
            : 10n ** 30n + BigInt(rng.int(-5, 5)),
      )
      const total = g.reduce((a, b) => a + b, 0n)
      // h at the total (α = 1), at a subset sum (a threshold met exactly), ⌈α·total⌉ for α with a large
      // denominator, above the total (no coalition), or ≤ 0 (every coalition)
      const hm = i % 5
      const den = [3n, 10n ** 30n, 1_000_000_007n][rng.int(0, 2)] as bigint
      const h =
        hm === 0
          ? total
          : hm === 1
            ? g.filter(() => rng.next() < 0.5).reduce((a, b) => a + b, 0n)
            : hm === 2
              ? (((BigInt(rng.int(1, 1000)) * den) / 1000n) * total + den - 1n) / den
              : hm === 3
                ? total + 1n
                : BigInt(rng.int(-3, 0))
      const row: IntRow = { cols: Int32Array.from({ length: n }, (_, k) => k), g, h }
      const points = Array.from({ length: 1 << n }, (_, m) =>
        Array.from({ length: n }, (_, k) => (m >> k) & 1),
      )
      const feasible = points.filter((p) => holds(row, p))
      const found: IntRow[] = []
      for (let t = 0; t < 4; t++) {
        const mask = rng.int(0, (1 << n) - 1)
        const some = g[rng.int(0, n - 1)] as bigint
        for (const D of [BigInt(rng.int(1, 100)), some, some / 3n, 1n, total + 1n, 1n << 1200n]) {
          const cut = mirCut(row, (k) => ((mask >> k) & 1) === 1, D)
          if (cut) found.push(cut)
        }
        const x = Float64Array.from({ length: n }, () => {
          const r = rng.next()
          return r < 0.3 ? 0 : r < 0.6 ? 1 : rng.next()
        })
        const cut = separateMir(row, x, 0)
        if (cut) found.push(cut)
      }
      for (const cut of found) {
        cuts++
        for (const p of feasible)
          assert.ok(holds(cut, p), `row ${i}: a cut removes the coalition ${p.join('')}`)
        if (points.some((p) => !holds(cut, p))) removing++
      }
    }
    assert.ok(cuts >= 10_000, `only ${cuts} cuts`)
    // not vacuous: most cuts remove some binary point
    assert.ok(removing >= cuts / 2, `only ${removing} of ${cuts} cuts remove anything`)
  })
})

describe('review: the exact leaf solve (leafCover.ts)', () => {
  test('agrees with brute force to the unit under a lying HiGHS, incumbents at and around the optimum (seed 67)', () => {
    const rng = createRng(67)
    let checked = 0
    let branched = 0
    let improved = 0
    for (let i = 0; i < 48; i++) {
      const n = i % 2 === 0 ? knapsack(rng, i / 2) : hardNetwork(rng, i)
      const A = n.services.flatMap((_, s) => (rng.next() < 0.7 ? [s] : []))
      if (A.length === 0) continue
      const fixed = Uint8Array.from(n.services, (_, s) => (A.includes(s) ? 1 : 2))
      // the optimum for A moved to a small net profit by the profit of A's first service
      const before = bruteUnderFixing(n, fixed) as bigint
      const first = n.services[A[0] as number] as Service
      const shift = ([0n, 1n, 2n, 1000n][rng.int(0, 3)] as bigint) - before
      if (first.profit + shift < 0n) continue
      first.profit += shift
      const best = bruteUnderFixing(n, fixed) as bigint
      const mode = i % 6 === 5 ? -1 : i % 6
      const solver = mode < 0 ? highs : lyingHighs(rng, mode)
      for (const value of [best - 1n, best, best + 1n, 0n]) {
        if (value < 0n) continue
        checked++
        const out = solveLeaf(n, A, value, solver, performance.now() + 60_000)
        const at = `network ${i} (mode ${mode}), incumbent ${value}, optimum ${best}`
        assert.equal(out.complete, true, `${at}: incomplete`)
        if (out.nodes > 1) branched++
        if (best > value) {
          improved++
          assert.ok(out.attack, `${at}: missed the optimum — reported none better`)
          assert.ok(meetsThresholds(n, out.attack), `${at}: a threshold missed`)
          assert.equal(net(n, out.attack), out.value, `${at}: value`)
          assert.equal(out.value, best, `${at}: found ${out.value}`)
        } else assert.equal(out.attack, null, `${at}: an attack netting ${out.value}`)
      }
    }
    assert.ok(checked >= 140 && improved >= 45, `checked ${checked}, improved ${improved}`)
    assert.ok(branched >= 25, `only ${branched} leaves branched over operators`)
  })

  test('a leaf whose solver runs past the deadline is never complete, and the branching not proven', () => {
    // 10 operators of stakes 100–109 on one service of α = 0.55: any 6 cover it (615 at least), no 5 do, while
    // the LP covers it for 574.75 — so no shares prune it, no propagation settles its root, and at a profit of
    // 600 it is secure by 15 units, at 700 insecure by 85
    const at = (profit: number) =>
      parseRiskInput({
        operators: Array.from({ length: 10 }, (_, v) => ({ id: `v${v}`, stake: 100 + v })),
        services: [
          { id: 's', profit, threshold: 0.55, operators: Array.from({ length: 10 }, (_, v) => `v${v}`) },
        ],
      })
    for (const [profit, best] of [
      [600, null],
      [700, 85n],
    ] as const) {
      const n = at(profit)
      // settled exactly with a working solver, by the leaf and by the branching that meets it
      const ok = solveLeaf(n, [0], 0n, highs, performance.now() + 60_000)
      assert.equal(ok.complete, true)
      assert.equal(ok.attack === null ? null : ok.value, best)
      const proof = serviceBranch(n, { highs, budgetMs: 60_000 })
      assert.equal(proof.proven, true)
      assert.equal(proof.attack === null ? null : proof.value, best)
      // the deadline passes inside the root's LP: the leaf must say so, whatever it found
      let until = performance.now() + 20
      const out = solveLeaf(
        n,
        [0],
        0n,
        slowHighs(() => until),
        until,
      )
      assert.equal(out.complete, false, `profit ${profit}: a leaf stopped by the clock counted as settled`)
      assert.ok(out.bound >= Number(best ?? 0n), `profit ${profit}: bound ${out.bound}`)
      // …and the branching that meets that leaf ends unproven, with a bound at least the optimum
      let stopped = 0
      until = Number.POSITIVE_INFINITY
      const budgetMs = 1000
      const branch = serviceBranch(n, {
        budgetMs,
        highs: slowHighs(() => until),
        leafTrace: (_, __, complete) => {
          if (!complete) stopped++
        },
        // the solver stalls past the branching's own deadline (at most its budget after its first node)
        trace: () => {
          if (until === Number.POSITIVE_INFINITY) until = performance.now() + budgetMs
        },
      })
      assert.equal(stopped, 1, `profit ${profit}: no leaf was stopped by the clock`)
      assert.equal(branch.proven, false, `profit ${profit}: a leaf the clock stopped counted as a proof`)
      assert.ok(
        branch.bound >= Number(best ?? 0n),
        `profit ${profit}: bound ${branch.bound} below the optimum`,
      )
    }
  })
  test('every LP of a leaf gets the time left to the deadline (HiGHS counts time_limit over all runs of a model)', () => {
    // HiGHS's time_limit is measured against its run clock, which adds up every run of a model since its last
    // zeroAllClocks(): set to the time left, it gave a leaf's LPs less and less, then none (every run returned
    // timeLimit at once once the leaf had spent half its time in LPs, and the leaf went on blind to its deadline).
    // Here each run checks what it is given: time_limit less the clock's count, against the time left.
    const rng = createRng(73)
    let deadline = 0
    let runs = 0
    let short = 0
    const spy = new Proxy(highs, {
      get(h, p) {
        if (p !== 'createModel') return Reflect.get(h, p)
        return () => {
          const model = h.createModel()
          return new Proxy(model, {
            get(m, mp) {
              const f = Reflect.get(m, mp)
              if (mp === 'run')
                return () => {
                  runs++
                  const given = Number(m.options.get('time_limit')) - m.getRunTime()
                  const left = (deadline - performance.now()) / 1000
                  if (given < left - 1e-4) short++
                  return f.call(m)
                }
              return typeof f === 'function' ? f.bind(m) : f
            },
          })
        }
      },
    }) as Highs
    for (let i = 0; i < 6; i++) {
      const n = knapsack(rng, 3 * i)
      const A = n.services.map((_, s) => s)
      // each service paying a little more than its share of stake α·σ(N(s)): an edge the LP alone cannot settle
      for (const s of n.services) {
        const need = (s.threshold.num * s.memberStake.reduce((a, b) => a + b, 0n)) / s.threshold.den
        s.profit = need + need / 50n
      }
      deadline = performance.now() + 3600_000
      const out = solveLeaf(n, A, 0n, spy, deadline)
      assert.equal(out.complete, true)
    }
    assert.ok(runs >= 20, `only ${runs} LPs`)
    assert.equal(short, 0, `${short} of ${runs} LPs were given less than the time left`)
  })
})

describe('review: the branching over services with exact leaves (serviceBranch.ts)', () => {
  test('proves the brute-force optimum with incumbents at it, one unit below it and below it (seed 71)', () => {
    const rng = createRng(71)
    let runs = 0
    let insecure = 0
    for (let i = 0; i < 40; i++) {
      let n = hardNetwork(rng, i)
      if (i % 4 === 3) n = scaled(n, rng, 1n << 1030n)
      const attacks = allAttacks(n)
      const best = attacks[0]?.net ?? null
      if (best !== null) insecure++
      const incumbents: (Attack | null)[] = [null]
      if (best !== null) {
        incumbents.push((attacks[0] as { a: Attack }).a)
        const below = attacks.find((x) => x.net === best - 1n) ?? attacks.find((x) => x.net < best)
        if (below) incumbents.push(below.a)
      }
      for (const incumbent of incumbents) {
        runs++
        // loose float bounds on every other run (few steps): the exact checks must carry the proof alone
        const steps =
          runs % 2 === 0 ? { rootSteps: 2, nodeSteps: 1, rootPriceSteps: 1, nodePriceSteps: 1 } : {}
        // and on every third a lying solver under the leaves
        const solver = runs % 3 === 0 ? lyingHighs(rng, runs % 5) : highs
        const out = serviceBranch(n, { incumbent, budgetMs: 60_000, highs: solver, ...steps })
        const at = `network ${i}, incumbent ${incumbent ? net(n, incumbent) : 'none'}`
        assert.equal(out.proven, true, `${at}: unproven`)
        assert.equal(out.value, best ?? 0n, `${at}: proved ${out.value}, brute force finds ${best}`)
        assert.equal(out.attack === null, best === null, `${at}: verdict`)
        if (out.attack)
          assert.ok(isValidAttack(n, out.attack) && net(n, out.attack) === out.value, `${at}: attack`)
      }
    }
    assert.ok(insecure >= 10 && runs >= 60, `insecure ${insecure}, runs ${runs}`)
  })
})
