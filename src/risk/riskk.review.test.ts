/**
 * An adversarial review of the largest attack's bound from the verdict's branching on the scaled network
 * (largestBound.ts, wired into attack.ts): the scaled network's nets, the scale, the float bound's rounding past
 * 2^53, and largestAttack against brute force under tiny limits, adversarial amounts, components and worker threads.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { largestAttack, solveMostProfitable } from './attack.ts'
import { bruteLargestCost } from './bruteForce.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import {
  chooseScale,
  floatAtLeast,
  largestFromScaled,
  largestFromScaledExact,
  scaledNetwork,
  startScaledSearch,
} from './largestBound.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { closeBranchThreads, parallelBranch } from './parallelBranch.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng, type Rng } from './rng.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, meetsThresholds } from './verify.ts'

/** A float bound at or above an exact amount, compared exactly (a float past 2^53 is an integer). */
function covers(bound: number, x: bigint): boolean {
  if (Number.isNaN(bound)) return false
  if (bound === Number.POSITIVE_INFINITY) return true
  if (!Number.isFinite(bound)) return false
  return BigInt(Math.ceil(bound)) >= x
}

/**
 * An answer's bound against the truth: exactly when unproven (a bound); a proven answer's is its value as a float
 * (attack.ts' convention: Number() of the cost, or the solver's bound within its tolerance — 169.99999999999997 for
 * 170), so only within a relative 1e-9 (the answer's cost is checked exactly instead).
 */
const boundHolds = (out: { proven: boolean; bound: number }, truth: bigint): boolean =>
  out.proven ? out.bound >= Number(truth) * (1 - 1e-9) : covers(out.bound, truth)

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)] as T

/** A random attack (any A, any B among its members), valid or not. */
function randomAttack(rng: Rng, n: Network): Attack {
  const services = n.services.flatMap((_, s) => (rng.next() < 0.5 ? [s] : []))
  const members = [...new Set(services.flatMap((s) => n.services[s]?.members ?? []))]
  return { services, operators: members.filter(() => rng.next() < 0.6) }
}

/**
 * Amounts made adversarial: 0 plain, 1 × 2^200, 2 × 10^8 (past the solver's margin rule: no solver proof), 3 × 2^70
 * plus odd units (bounds past 2^53), 4 one π = 0 service and α = 1 everywhere, 5 zero allocations and stakes of 1.
 */
function adversarial(rng: Rng, raw: RiskInput, mode: number): RiskInput {
  const out: RiskInput = structuredClone(raw)
  const f = [1n, 2n ** 200n, 10n ** 8n, 2n ** 70n, 1n, 1n][mode] as bigint
  const odd = () => (mode === 3 ? BigInt(rng.int(0, 500)) * 2n + 1n : 0n)
  out.operators = out.operators.map((o) => ({ ...o, stake: (BigInt(o.stake) * f + odd()).toString() }))
  out.services = out.services.map((s, k) => ({
    ...s,
    profit: mode === 4 && k === 0 ? 0 : (BigInt(s.profit) * f + odd()).toString(),
    threshold: mode === 4 ? 1 : s.threshold,
  }))
  if (out.allocations)
    out.allocations = out.allocations.map((a) => ({
      ...a,
      stake:
        mode === 5 && (a.operator === out.operators[0]?.id || rng.next() < 0.3)
          ? rng.int(0, 1)
          : (BigInt(a.stake) * f).toString(),
    }))
  if (mode === 5) out.operators[0] = { id: out.operators[0]?.id ?? 'v0', stake: 1 }
  return out
}

function smallNetwork(rng: Rng, i: number, maxOps = 7): RiskInput {
  return randomNetwork(rng, {
    operators: rng.int(2, maxOps),
    services: rng.int(1, 5),
    membersPerService: [1, 4],
    allocations: i % 2 === 1,
    profitFactor: SMALL_REGIMES[i % SMALL_REGIMES.length] as [number, number],
  })
}

describe('review: the largest attack bounded by the scaled verdict', () => {
  after(() => closeBranchThreads())

  test('the scaled network: every attack nets q·π − p·cost there, exactly, and meets the same thresholds (200 networks, both models; an amount left unscaled fails here)', () => {
    const rng = createRng(71)
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(adversarial(rng, smallNetwork(rng, i), i % 6))
      const scale = { p: BigInt(rng.int(1, 1023)), q: 1024n }
      const m = scaledNetwork(n, scale)
      for (let k = 0; k < 20; k++) {
        const a = randomAttack(rng, n)
        const at = `network ${i}, attack ${JSON.stringify(a)}`
        assert.equal(attackProfit(m, a), scale.q * attackProfit(n, a), `${at}: profit`)
        assert.equal(attackCost(m, a), scale.p * attackCost(n, a), `${at}: cost`)
        assert.equal(meetsThresholds(m, a), meetsThresholds(n, a), `${at}: thresholds`)
        // every valid attack of n is one of m (it nets (q − p)·cost + q there at least)
        if (isValidAttack(n, a)) assert.ok(isValidAttack(m, a), `${at}: valid in n, not in m`)
      }
    }
  })

  test('the scale: 0 < p < q whatever the attacks known, ties of net included (p ≥ q divides by zero or flips the bound)', () => {
    const rng = createRng(72)
    for (let i = 0; i < 100; i++) {
      const n = parseRiskInput(adversarial(rng, smallNetwork(rng, i), i % 6))
      const attacks = Array.from({ length: rng.int(0, 6) }, () => randomAttack(rng, n))
      // a largest attack netting exactly what the most profitable one nets: the tie's c is 1
      const { p, q } = chooseScale(n, [...attacks, ...attacks])
      assert.ok(p > 0n && p < q, `network ${i}: p/q = ${p}/${q}`)
    }
    const tie = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 30 },
      ],
      services: [
        { id: 's', profit: 15, threshold: 1, operators: ['a'] },
        { id: 't', profit: 35, threshold: 1, operators: ['b'] },
      ],
    })
    // s alone and t alone both net 5: (35 − 15)/(30 − 10) = 1
    const small = { services: [0], operators: [0] }
    const large = { services: [1], operators: [1] }
    const { p, q } = chooseScale(tie, [small, large])
    assert.ok(p > 0n && p < q, `tie: p/q = ${p}/${q}`)
  })

  test('the exact bound at an attack netting exactly one unit is its cost (off by one either way fails)', () => {
    for (const cost of [1n, 7n, 1000n, 2n ** 70n + 1n]) {
      for (const p of [1n, 512n, 563n, 819n, 1023n]) {
        const scale = { p, q: 1024n }
        // the scaled net of the attack (cost, π = cost + 1): (q − p)·cost + q
        const net = (scale.q - p) * cost + scale.q
        assert.equal(largestFromScaledExact(net, scale), cost)
        assert.equal(largestFromScaledExact(net - 1n, scale), cost - 1n)
        assert.ok(covers(largestFromScaled(Number(net), scale), cost), `${cost} at ${p}/1024`)
      }
    }
  })

  test('floats past 2^53: floatAtLeast never below, and the proven scaled bound on 2^70 + 1 covers it exactly', async () => {
    for (const x of [0n, 1n, 2n ** 53n + 1n, 2n ** 70n + 1n, 2n ** 70n - 1n, 3n ** 100n, 2n ** 1030n])
      assert.ok(covers(floatAtLeast(x), x), `${x}`)
    const S = 2n ** 70n + 1n
    // the largest attack: {v0} on s (S ≥ (S + 3)/2), netting exactly one unit
    const n = parseRiskInput({
      operators: [
        { id: 'v0', stake: S.toString() },
        { id: 'v1', stake: '3' },
      ],
      services: [{ id: 's', profit: (S + 1n).toString(), threshold: 0.5, operators: ['v0', 'v1'] }],
    })
    assert.equal(bruteLargestCost(n), S)
    const s = startScaledSearch(n, [], {
      deadlineMs: performance.now() + 5000,
      syncMs: 2000,
      highs: await loadHighs(),
    })
    assert.ok(s)
    const b = await s.finish(true)
    assert.equal(b.exact, S)
    assert.ok(covers(b.bound, S), `bound ${BigInt(b.bound)} below ${S}`)
    // the solver given (almost) no time: the answer rests on the scaled search (Number(S) = 2^70 was reported)
    const out = await largestAttack(n, { timeLimitSeconds: 0.5, scaledPart: 0.5, growPart: 0.999 })
    assert.ok(boundHolds(out, S), `largestAttack's bound ${BigInt(out.bound)} below ${S}`)
    // the scaled search's own attack is the largest (the scaled network's best) and meets its exact bound
    assert.equal(out.attack?.cost, S)
    assert.ok(out.proven && out.exact)
  })

  test('limits of 40–80 ms with the scaled search first and no start: where the solver gets no time, the answer rests on the scaled bound and is proven only at the truth', async () => {
    // v0 alone attacks s netting one unit, v1 attacks t netting 40: together with v2 they burn 63
    const n = parseRiskInput({
      operators: [
        { id: 'v0', stake: 50 },
        { id: 'v1', stake: 10 },
        { id: 'v2', stake: 3 },
      ],
      services: [
        { id: 's', profit: 51, threshold: 0.5, operators: ['v0', 'v2'] },
        { id: 't', profit: 50, threshold: 1, operators: ['v1'] },
      ],
    })
    const truth = bruteLargestCost(n)
    assert.equal(truth, 63n)
    for (let ms = 40; ms <= 80; ms++) {
      for (const start of [undefined, { services: [1], operators: [1] }]) {
        const out = await largestAttack(n, { start, timeLimitSeconds: ms / 1000, scaledPart: 0.99 })
        const cost = out.attack?.cost ?? 0n
        const at = `${ms} ms${start ? ', from t' : ''}`
        assert.ok(boundHolds(out, truth), `${at}: bound ${out.bound} below ${truth}`)
        if (out.proven) assert.equal(cost, truth, `${at}: proven at ${cost}`)
      }
    }
  })

  test('largestAttack under tiny limits (0.01–0.2 s) and adversarial amounts against brute force: never above the truth, its bound never below (exactly), proven only at it (240 networks, seed 73)', async () => {
    const rng = createRng(73)
    let proven = 0
    for (let i = 0; i < 240; i++) {
      const mode = i % 6
      const n = parseRiskInput(adversarial(rng, smallNetwork(rng, i), mode))
      const truth = bruteLargestCost(n)
      const best = rng.next() < 0.7 ? await solveMostProfitable(n) : null
      const limit = pick(rng, [0.01, 0.02, 0.05, 0.1, 0.2])
      const out = await largestAttack(n, {
        start: best?.attack ?? undefined,
        timeLimitSeconds: limit,
        scaledPart: pick(rng, [0.1, 0.5, 0.9, 0.99]),
        ...(rng.next() < 0.5 ? { growPart: 0.999 } : {}),
      })
      const cost = out.attack?.cost ?? 0n
      const at = `network ${i} (mode ${mode}, ${limit} s)`
      assert.ok(cost <= truth, `${at}: ${cost} above the largest attack ${truth}`)
      assert.ok(boundHolds(out, truth), `${at}: bound ${out.bound} below ${truth}`)
      if (out.proven) {
        proven++
        assert.equal(cost, truth, `${at}: proven at ${cost}, truth ${truth}`)
      }
    }
    assert.ok(proven >= 100, `${proven} proven`)
  })

  test('components: on disjoint unions of small networks the scaled bound covers the largest attack (the union of each part’s), exact when proven (60 unions, seed 74)', async () => {
    const rng = createRng(74)
    const highs = await loadHighs()
    for (let i = 0; i < 60; i++) {
      const parts = [smallNetwork(rng, i, 4), smallNetwork(rng, i + 1, 4)]
      const raw: RiskInput = {
        operators: parts.flatMap((p, k) => p.operators.map((o) => ({ ...o, id: `${k}${o.id}` }))),
        services: parts.flatMap((p, k) =>
          p.services
            .slice(0, 3)
            .map((s) => ({ ...s, id: `${k}${s.id}`, operators: s.operators.map((v) => `${k}${v}`) })),
        ),
        ...(i % 2 === 1
          ? {
              allocations: parts.flatMap((p, k) =>
                (p.allocations ?? [])
                  .filter((a) => Number(a.service.slice(1)) < 3)
                  .map((a) => ({ ...a, operator: `${k}${a.operator}`, service: `${k}${a.service}` })),
              ),
            }
          : {}),
      }
      const n = parseRiskInput(raw)
      const truth = bruteLargestCost(n)
      const s = startScaledSearch(n, [], { deadlineMs: performance.now() + 5000, syncMs: 2000, highs })
      assert.ok(s)
      const b = await s.finish(true)
      assert.ok(covers(b.bound, truth), `union ${i}: bound ${b.bound} below ${truth}`)
      if (b.exact !== undefined) assert.ok(b.exact >= truth, `union ${i}: exact ${b.exact} below ${truth}`)
    }
  })

  test('allocations above the stake (a Network built directly, as a snapshot may be): the scaled nets and the bound still hold (80 networks, seed 76)', async () => {
    const rng = createRng(76)
    const highs = await loadHighs()
    for (let i = 0; i < 80; i++) {
      const parsed = parseRiskInput(smallNetwork(rng, 1))
      const n: Network = {
        ...parsed,
        hasAllocations: true,
        services: parsed.services.map((sv) => ({
          ...sv,
          memberStake: sv.members.map(
            (v) => ((parsed.operators[v]?.stake ?? 0n) * BigInt(rng.int(0, 20))) / 10n,
          ),
        })),
      }
      const scale = chooseScale(n, [])
      const m = scaledNetwork(n, scale)
      for (let k = 0; k < 10; k++) {
        const a = randomAttack(rng, n)
        assert.equal(attackCost(m, a), scale.p * attackCost(n, a), `network ${i}: cost`)
      }
      const truth = bruteLargestCost(n)
      const s = startScaledSearch(n, [], { deadlineMs: performance.now() + 5000, syncMs: 2000, highs })
      assert.ok(s)
      const b = await s.finish(true)
      assert.ok(covers(b.bound, truth), `network ${i}: bound ${b.bound} below ${truth}`)
      if (b.exact !== undefined) assert.ok(b.exact >= truth, `network ${i}: exact ${b.exact} below ${truth}`)
    }
  })

  test('on worker threads, stopped at once or at deadlines of 1–400 ms: the bound covers the largest attack (24 networks, seed 75)', async () => {
    const rng = createRng(75)
    const par = parallelBranch({ minEdges: 0 })
    // the threads' cold start: a job is only started cold with 2 s or more
    const warm = startScaledSearch(parseRiskInput(smallNetwork(rng, 0)), [], {
      parallel: par,
      deadlineMs: performance.now() + 2500,
    })
    if (warm) await warm.finish(false)
    const highs = await loadHighs()
    let started = 0
    for (let i = 0; i < 24; i++) {
      const n = parseRiskInput(adversarial(rng, smallNetwork(rng, i), i % 6))
      const truth = bruteLargestCost(n)
      const best = await solveMostProfitable(n)
      const s = startScaledSearch(n, best.attack ? [best.attack] : [], {
        parallel: par,
        deadlineMs: performance.now() + pick(rng, [1, 5, 20, 100, 400]),
        highs,
      })
      if (!s) continue
      started++
      const b = await s.finish(rng.next() < 0.5)
      assert.ok(covers(b.bound, truth), `network ${i}: bound ${b.bound} below ${truth}`)
      if (b.exact !== undefined) assert.ok(b.exact >= truth, `network ${i}: exact ${b.exact} below ${truth}`)
    }
    assert.ok(started >= 12, `${started} searches started on the threads`)
  })
})
