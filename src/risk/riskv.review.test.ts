/**
 * Review riskv: the coupled cascade branching (cascadeCoupledBranch.ts), its node bound (cascadeCoupled.ts
 * coupledCascadeNodeExact) and its wiring (cascade.ts concurrentStages, `cascadeCoupledBranch`).
 *
 * - The node bound against brute force under EVERY fixing of small extreme networks (zero stakes, allocations above
 *   stake, α = 1 and 1e-4, ψ = 0 and 1, ×2^200 and ×10^305 amounts, one operator, services with no members), at
 *   searched, parent (root), random and garbage multipliers (huge, negative, NaN floats): never below the node's
 *   best cascade, and null only where the node holds none.
 * - The branching with incumbents 0, truth − 1 and truth, cut short (maxNodes 1–3, 0 steps, `stop`), chunked:
 *   bound ≥ truth, proven only when the incumbent is at the truth.
 * - worstCaseLoss with `cascadeCoupledBranch: 0.6` and a solver that finds nothing (the concurrent path): bound never
 *   below brute force, proven only at it.
 * Mutants caught (one at a time, reverted): the open nodes left out of the bound, the leaves dropped, only open[0]
 * counted, a child's bound set below its parent's unchecked, pruning at incumbent + 1, proven always, null at ⌊P⌋ < 2,
 * null with nothing IN, a FREE service's negative term counted, FREE services dropped once one is IN, the IN edges
 * left out (inEdgesOut), the knapsack's φΨ halved, Ψ left out of the node bound. Not caught: a FREE edge's negative
 * b_vs counted in B's first state (unsound in principle, not found by brute force nor the descent here).
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { bruteCascade, bruteCascadeUnderFixing } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { shockBudget } from './cascadeBound.ts'
import {
  buildCascadeCoupled,
  type CascadeCoupledMultipliers,
  coupledCascadeNodeExact,
  searchCascadeCoupled,
  toCascadeMultipliers,
} from './cascadeCoupled.ts'
import { branchCascadeCoupled, branchCascadeCoupledChunked } from './cascadeCoupledBranch.ts'
import { parseRiskInput } from './input.ts'
import type { MipRunner } from './mip.ts'
import { closeMipThread } from './mipThread.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, type Rational, rat, toNumber } from './rational.ts'
import { createRng, type Rng } from './rng.ts'

after(async () => {
  await closeMipThread()
})

/** Small networks at the extremes, built directly (as riskr.review.test.ts's). */
function extreme(seed: number): Network {
  const kind = seed % 10
  const rng = createRng(seed, 22)
  const V = kind === 5 ? 1 : rng.int(2, 6)
  const S = kind === 6 ? 0 : rng.int(1, 4)
  const big = kind === 4 ? 1n << 200n : kind === 8 ? 10n ** 305n : 1n
  const alloc = kind % 2 === 1 || (kind === 8 && seed % 3 === 0)
  const operators = Array.from({ length: V }, (_, i) => ({
    id: `v${i}`,
    stake: (kind === 0 && rng.next() < 0.4 ? 0n : BigInt(rng.int(0, 60))) * big,
  }))
  const thresholds = [rat(1n), rat(1n, 10_000n), rat(1n, 3n), rat(1n, 2n), rat(2n, 3n)]
  const services = Array.from({ length: S }, (_, si) => {
    const members: number[] = []
    if (!(kind === 7 && rng.next() < 0.4)) for (let v = 0; v < V; v++) if (rng.next() < 0.6) members.push(v)
    const memberStake = members.map((v) => {
      const own = operators[v]?.stake ?? 0n
      if (!alloc) return own
      const r = rng.next()
      if (r < 0.2) return 0n
      if (kind === 3 && r > 0.8) return own + BigInt(rng.int(1, 30)) * big
      return (own * BigInt(rng.int(0, 100))) / 100n
    })
    const secured = memberStake.reduce((a, b) => a + b, 0n)
    const profit =
      BigInt(Math.max(1, Math.round(Number(secured / big) * rng.next() * 0.9))) * big + BigInt(rng.int(0, 3))
    return { id: `s${si}`, profit, threshold: thresholds[rng.int(0, 4)] as Rational, members, memberStake }
  })
  return { scale: 0, operators, services, hasAllocations: alloc }
}

const randomSmall = (rng: Rng, i: number): Network =>
  parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(1, 6),
      services: rng.int(1, 4),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: (
        [
          [0.02, 0.25],
          [0.05, 0.5],
          [0.2, 0.9],
        ] as const
      )[i % 3] as readonly [number, number],
    }),
  )

const PSIS = [rat(0n), rat(1n), rat(1n, 10n), rat(1n, 3n), rat(1n, 2n)]

/** every fixing of S services (0 FREE, 1 IN, 2 OUT) */
function allFixings(S: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let k = 0; k < 3 ** S; k++) {
    const f = new Uint8Array(S)
    let x = k
    for (let s = 0; s < S; s++) {
      f[s] = x % 3
      x = Math.floor(x / 3)
    }
    out.push(f)
  }
  return out
}

/** multipliers from nowhere: huge, negative, zero; the node bound must hold at any */
function garbage(rng: Rng, n: Network, unit: bigint, kind: number): CascadeCoupledMultipliers {
  const pick = (): bigint => {
    const r = rng.next()
    if (kind === 0) return r < 0.5 ? -(1n << 300n) : 1n << 300n
    if (kind === 1) return BigInt(Math.round((r - 0.5) * 2 ** 44))
    if (kind === 2) return r < 0.3 ? 0n : -BigInt(rng.int(1, 1 << 30))
    return BigInt(Math.round((r - 0.3) * 2 ** 41))
  }
  return {
    lam: n.services.map((s) => s.members.map(pick)),
    mu: n.services.map(pick),
    theta: pick(),
    unit,
  }
}

const networks = (): Network[] => {
  const out: Network[] = []
  for (let seed = 0; seed < 40; seed++) out.push(extreme(seed))
  const rng = createRng(4242)
  for (let i = 0; i < 30; i++) out.push(randomSmall(rng, i))
  return out
}

describe('review riskv: the coupled cascade branching', () => {
  test('node bound ≥ brute force under every fixing, at any multipliers; null only on empty nodes', () => {
    const rng = createRng(99)
    let checked = 0
    let nulls = 0
    let tight = 0
    for (const [i, n] of networks().entries()) {
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const core = buildCascadeCoupled(n, budget)
      const root = searchCascadeCoupled(core, { deadline: Number.POSITIVE_INFINITY, maxIterations: 60 })
      const rootM = toCascadeMultipliers(n, core, root)
      // NaN and infinite floats through toCascadeMultipliers
      const nanM = toCascadeMultipliers(n, core, {
        lam: new Float64Array(core.E).fill(Number.NaN),
        p: new Float64Array(core.S).fill(Number.POSITIVE_INFINITY),
        theta: Number.NaN,
        value: 0,
        iterations: 0,
      })
      for (const fixed of allFixings(core.S)) {
        const truth = bruteCascadeUnderFixing(n, psi, fixed)
        const search = searchCascadeCoupled(core, {
          deadline: Number.POSITIVE_INFINITY,
          maxIterations: 25,
          fixed,
          start: root,
        })
        const ms: [string, CascadeCoupledMultipliers][] = [
          ['searched', toCascadeMultipliers(n, core, search)],
          ['root', rootM],
          ['nan', nanM],
          ...[0, 1, 2, 3].map((k): [string, CascadeCoupledMultipliers] => [
            `garbage${k}`,
            garbage(rng, n, core.unit, k),
          ]),
        ]
        for (const [name, m] of ms) {
          const node = coupledCascadeNodeExact(n, budget, m, fixed)
          const label = `network ${i} fixing ${fixed} ${name}`
          if (node === null) {
            nulls++
            assert.equal(truth, null, `${label}: node called empty, holds ${truth}`)
            assert.ok(fixed.includes(1), `${label}: null without a service IN`)
            continue
          }
          assert.ok(node.bound >= budget, `${label}: below Ψ`)
          if (truth !== null) {
            checked++
            assert.ok(node.bound >= truth, `${label}: ${node.bound} < ${truth}`)
            if (node.bound === truth) tight++
          }
        }
      }
    }
    console.log(`node checks ${checked}, null ${nulls}, tight ${tight}`)
    assert.ok(checked > 2000 && nulls > 50 && tight > 100)
  })

  test('node bound ≥ brute force at multipliers pushed down by a descent in bigint (any multipliers are valid)', () => {
    const rng = createRng(7)
    let steps = 0
    let lowered = 0
    for (const [i, n] of networks().entries()) {
      const psi = PSIS[(i + 3) % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const core = buildCascadeCoupled(n, budget)
      if (core.S === 0) continue
      const fixings = allFixings(core.S)
      for (let f = 0; f < 3; f++) {
        const fixed = fixings[rng.int(0, fixings.length - 1)] as Uint8Array
        const truth = bruteCascadeUnderFixing(n, psi, fixed)
        const search = searchCascadeCoupled(core, {
          deadline: Number.POSITIVE_INFINITY,
          maxIterations: 40,
          fixed,
        })
        let m = toCascadeMultipliers(n, core, search)
        const value = (x: CascadeCoupledMultipliers) => {
          const r = coupledCascadeNodeExact(n, budget, x, fixed)
          if (r === null)
            assert.equal(truth, null, `network ${i} fixing ${fixed}: empty at descended multipliers`)
          else if (truth !== null)
            assert.ok(r.bound >= truth, `network ${i} fixing ${fixed}: ${r.bound} < ${truth}`)
          return r === null ? -1n : r.p
        }
        let best = value(m)
        const start = best
        for (let k = 0; k < 600; k++) {
          steps++
          const scale = BigInt(Math.round(2 ** (rng.next() * 44)))
          const delta = (rng.next() < 0.5 ? -1n : 1n) * scale
          const lam = m.lam.map((l) => [...l])
          const mu = [...m.mu]
          let theta = m.theta
          const which = rng.int(0, 2)
          if (which === 0 && core.E > 0) {
            const s = rng.int(0, core.S - 1)
            const row = lam[s] as bigint[]
            if (row.length > 0) {
              const e = rng.int(0, row.length - 1)
              row[e] = (row[e] as bigint) + delta
            }
          } else if (which === 1) {
            const s = rng.int(0, core.S - 1)
            mu[s] = (mu[s] as bigint) + delta
          } else theta += delta
          const next = { lam, mu, theta, unit: m.unit }
          const v = value(next)
          if (v <= best) {
            best = v
            m = next
          }
        }
        if (best < start) lowered++
      }
    }
    console.log(`descent steps ${steps}, lowered ${lowered}`)
    assert.ok(lowered > 20)
  })

  test('branching: bound ≥ brute force, cut short or not; proven only with the incumbent at the truth', async () => {
    let proven = 0
    let lowered = 0
    for (const [i, n] of networks().entries()) {
      const psi = PSIS[(i + 2) % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const total = totalStake(n)
      const variants: [string, bigint, Parameters<typeof branchCascadeCoupled>[3]][] = [
        ['full0', 0n, { rootIterations: 60, nodeIterations: 20, maxNodes: 200 }],
        ['below', truth > 0n ? truth - 1n : 0n, { rootIterations: 60, nodeIterations: 20, maxNodes: 200 }],
        ['at', truth, { rootIterations: 60, nodeIterations: 20, maxNodes: 200 }],
        ['one', 0n, { rootIterations: 0, nodeIterations: 0, maxNodes: 1 }],
        ['three', 0n, { rootIterations: 5, nodeIterations: 1, maxNodes: 3 }],
        ...[2, 4, 6, 9].map((k): [string, bigint, Parameters<typeof branchCascadeCoupled>[3]] => [
          `max${k}`,
          0n,
          { rootIterations: 0, nodeIterations: 0, maxNodes: k },
        ]),
        ['rootBound', 0n, { rootIterations: 20, nodeIterations: 5, maxNodes: 50, rootBound: truth }],
      ]
      for (const [name, inc, opts] of variants) {
        const r = branchCascadeCoupled(n, budget, inc, opts)
        const label = `network ${i} ${name}`
        assert.ok(r.bound >= truth, `${label}: bound ${r.bound} < ${truth} after ${r.nodes} nodes`)
        assert.ok(r.bound <= total || total === 0n, `${label}: above σ(V)`)
        assert.ok(r.bound >= inc)
        if (r.proven) {
          assert.ok(inc >= truth, `${label}: proven at ${inc}, truth ${truth}`)
          assert.equal(r.bound, inc)
          if (name === 'at') proven++
        }
        if (name === 'full0' && r.bound < r.rootBound) lowered++
      }
      // stopped after k checks, and chunked with 0 ms slices
      let calls = 0
      const s = branchCascadeCoupled(n, budget, 0n, {
        rootIterations: 30,
        nodeIterations: 10,
        stop: () => ++calls > 40,
      })
      assert.ok(s.bound >= truth, `network ${i} stopped: ${s.bound} < ${truth}`)
      const c = await branchCascadeCoupledChunked(n, budget, truth > 0n ? truth - 1n : 0n, {
        rootIterations: 30,
        nodeIterations: 10,
        maxNodes: 30,
        sliceMs: 1, // (0 yields forever without a step: coupledSearchSteps re-arms its slice at now + 0)
      })
      assert.ok(c.bound >= truth && !(c.proven && truth > 0n), `network ${i} chunked: ${c.bound} < ${truth}`)
    }
    console.log(`branching proven at the truth ${proven}, lowered below root ${lowered}`)
    assert.ok(proven > 20 && lowered > 3)
  })

  test('worstCaseLoss with cascadeCoupledBranch 0.6 and a blind solver: bound ≥ brute force, proven only at it', async () => {
    const blind: MipRunner = () =>
      new Promise((resolve) =>
        setTimeout(
          () =>
            resolve({
              status: 'timeLimit',
              values: null,
              objective: Number.NaN,
              bound: Number.POSITIVE_INFINITY,
            }),
          5,
        ),
      )
    let proven = 0
    for (const [i, n] of networks().entries()) {
      if (i % 3 !== 0) continue
      const psi = PSIS[(i + 1) % PSIS.length] as Rational
      const truth = bruteCascade(n, psi)
      const total = totalStake(n)
      const expected = rat(truth, total === 0n ? 1n : total)
      const r = await worstCaseLoss(n, psi, {
        exhaustive: false,
        timeLimitSeconds: 1,
        mipRunner: blind,
        cascadeCoupledBranch: 0.6,
      })
      const label = `network ${i}`
      assert.ok(cmp(r.worstLoss, expected) <= 0, `${label}: found above R_ψ`)
      assert.ok(
        r.worstLossBound >= toNumber(expected) * (1 - 1e-12),
        `${label}: bound ${r.worstLossBound} below R_ψ ${toNumber(expected)}`,
      )
      assert.equal(r.proven, r.exact, `${label}: proven without an exact bound`)
      if (r.proven) {
        proven++
        assert.equal(cmp(r.worstLoss, expected), 0, `${label}: proven at ${toNumber(r.worstLoss)}`)
      }
    }
    console.log(`worstCaseLoss proven ${proven}`)
  })
})
