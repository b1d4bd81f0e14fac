/**
 * Adversarial review of the shock's credit at the cover's price (κ_vs, cascadeBound.ts's shockEdgeCredits) and its
 * opt-in split (cascadeSplitBound, cascadeSplit.ts). Three levels:
 *
 * 1. Per service and per (D, B), the inequality the bound rests on, checked on the code's own bigint numbers for
 *    every shock D ⊆ N(s) and every cover B ⊆ N(s) \ D of the lowered need — sharper than comparing the final bound
 *    with R_ψ, where the knapsack's slack can hide an under-credit:
 *      excess_s·unit + π_s·den ≤ unit·(λ(B) + Σ_{v∈D} κ_vs)   (share units × unit; excess_s = −term_s).
 *    On random, adversarial (maximal, tied, zero, one-member) and searched shares. A wrong μ for κ (another member's
 *    price than C_s's) is shown to break it, so the check can fail.
 * 2. The whole bound (plain and split with β = 0, 1, random, the LP's) against exhaustive R_ψ (smallCascade.ts)
 *    on random networks of every regime, both models, ψ ∈ {0, 0.05, 0.1, 0.25, 0.5, 0.9}, incl. huge amounts.
 * 3. worstCaseLoss with `exhaustive: false` (MIP + bound, with and without cuts, with the split, tiny limits):
 *    proven/exact only at the truth, the loss never above it, the bound never below it, the attack valid.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { worstCaseLoss } from './cascade.ts'
import {
  cascadeShareBound,
  cascadeSplitBound,
  coverExcess,
  SPLIT_DEN,
  shockBudget,
  shockEdgeCredits,
} from './cascadeBound.ts'
import { findCascadeShares } from './cascadeShares.ts'
import { findShockSplit } from './cascadeSplit.ts'
import { type CostShares, sharesFit } from './costShare.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, randomShares, SMALL_REGIMES } from './randomNetwork.ts'
import { rat, ratToString, toNumber } from './rational.ts'
import type { Rng } from './rng.ts'
import { createRng } from './rng.ts'
import { smallCascade } from './smallCascade.ts'
import { isValidAttack } from './verify.ts'

/** Loop counts times this (RISKH_SCALE=10 for a long one-off run; the default keeps the file to seconds). */
const K = Number(process.env.RISKH_SCALE ?? '1')
const REGIMES = [...SMALL_REGIMES, [0.02, 0.25] as const, [1, 3] as const]
const PSIS = [0n, 5n, 10n, 25n, 50n, 90n]
const THRESHOLDS = [[1 / 3, 0.5, 2 / 3, 1], [1], [0.0001, 0.9999, 1]] as const

function smallNetwork(rng: Rng, i: number, maxOps = 7, scale = 1n): Network {
  const input = randomNetwork(rng, {
    operators: rng.int(2, maxOps),
    services: rng.int(1, 4),
    membersPerService: [1, 5],
    allocations: i % 2 === 1,
    profitFactor: REGIMES[i % REGIMES.length],
    thresholds: THRESHOLDS[Math.floor(i / 2) % THRESHOLDS.length],
  })
  // zero stakes and zero allocations now and then (randomNetwork draws stakes ≥ 1)
  if (i % 7 === 3) for (const o of input.operators) if (rng.int(0, 3) === 0) o.stake = 0
  if (input.allocations)
    for (const a of input.allocations) {
      const st = input.operators.find((o) => o.id === a.operator)?.stake as number
      if (Number(a.stake) > st) a.stake = st
    }
  if (scale !== 1n) scaleInput(input, scale)
  return parseRiskInput(input)
}

/** Every amount times `scale` (decimal strings: exact past 2^53). */
function scaleInput(input: RiskInput, scale: bigint) {
  const up = (x: unknown) => (BigInt(x as number) * scale).toString()
  for (const o of input.operators) (o as { stake: unknown }).stake = up(o.stake)
  for (const s of input.services) (s as { profit: unknown }).profit = up(s.profit)
  for (const a of input.allocations ?? []) (a as { stake: unknown }).stake = up(a.stake)
}

/** Adversarial shares: every edge as large as it fits (in a random order), or tied ratios, or one member only. */
function adversarialShares(rng: Rng, n: Network, kind: number, den = 1n << 20n): CostShares {
  const used = n.operators.map(() => 0n)
  const edges = n.services.flatMap((s, si) => s.members.map((_, k) => [si, k] as const))
  for (let i = edges.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[edges[i], edges[j]] = [edges[j] as (typeof edges)[0], edges[i] as (typeof edges)[0]]
  }
  const shares = n.services.map((s) => s.members.map(() => 0n))
  const pick = n.services.map((s) => rng.int(0, Math.max(0, s.members.length - 1)))
  for (const [si, k] of edges) {
    const s = n.services[si] as Network['services'][0]
    const v = s.members[k] as number
    const a = (s.memberStake[k] ?? 0n) * den
    const room = (n.operators[v]?.stake ?? 0n) * den - (used[v] ?? 0n)
    const max = a < room ? a : room
    let l = 0n
    if (kind === 0)
      l = max // maximal
    else if (kind === 1)
      l = a / 2n < max ? a / 2n : max // equal ratios: ties everywhere
    else if (kind === 2)
      l = k === pick[si] ? max : 0n // one member priced, the rest free
    else if (kind === 3) l = rng.int(0, 1) === 0 ? max : 0n
    else l = (max * BigInt(rng.int(0, 4))) / 4n // coarse: with a small den, a share unit is a whole amount
    if (l < 0n) l = 0n
    ;(shares[si] as bigint[])[k] = l
    used[v] = (used[v] ?? 0n) + l
  }
  return { shares, unit: 1n, den }
}

/**
 * Per service: for every D ⊆ N(s) and B ⊆ N(s) \ D covering the lowered need, excess_s·unit + π_s·den ≤
 * unit·(λ(B) + Σ_{v∈D} κ_vs). Returns the first violation, or null.
 */
function perServiceViolation(
  n: Network,
  sh: CostShares,
  kappa: readonly (readonly bigint[])[],
): string | null {
  const excess = coverExcess(n, sh)
  for (const [si, s] of n.services.entries()) {
    const m = s.members.length
    if (m > 8) continue
    const a = s.memberStake
    const full = a.reduce((x, y) => x + y, 0n)
    const { num, den } = s.threshold
    const lhs = (excess[si] as bigint) * sh.unit + s.profit * sh.den
    const row = sh.shares[si] ?? []
    const kp = kappa[si] ?? []
    // each member: 0 neither, 1 shocked, 2 in B
    const part = new Array<number>(m).fill(0)
    const total = 3 ** m
    for (let code = 0; code < total; code++) {
      let c = code
      for (let k = 0; k < m; k++) {
        part[k] = c % 3
        c = Math.floor(c / 3)
      }
      let held = 0n
      let removed = 0n
      let pay = 0n
      for (let k = 0; k < m; k++) {
        if (part[k] === 2) {
          held += a[k] as bigint
          pay += row[k] ?? 0n
        } else if (part[k] === 1) {
          removed += a[k] as bigint
          pay += kp[k] ?? 0n
        }
      }
      if (held * den < num * (full - removed)) continue
      if (lhs > pay * sh.unit) return `service ${si}, parts ${part.join('')}: ${lhs} > ${pay * sh.unit}`
    }
  }
  return null
}

/** κ with μ read off another member than the one C_s's exact term uses: a wrong variant for the check to catch. */
function wrongMuCredits(n: Network, sh: CostShares): bigint[][] {
  return n.services.map((s, si) => {
    const row = sh.shares[si] ?? []
    const stakes = s.memberStake
    // the most expensive member per unit of stake (not the critical one)
    let c = -1
    for (let k = 0; k < stakes.length; k++) {
      if ((stakes[k] as bigint) <= 0n) continue
      if (c < 0 || (row[k] ?? 0n) * (stakes[c] as bigint) > (row[c] ?? 0n) * (stakes[k] as bigint)) c = k
    }
    if (c < 0) return s.members.map(() => 0n)
    const lc = row[c] ?? 0n
    const ac = stakes[c] as bigint
    const { num, den } = s.threshold
    return s.members.map((_, k) => {
      const a = stakes[k] as bigint
      const over = lc * a - (row[k] ?? 0n) * ac
      const x = num * lc * a - (over > 0n ? den * over : 0n)
      return x > 0n ? (x + den * ac - 1n) / (den * ac) : 0n
    })
  })
}

/** The split's credits as one κ per edge for perServiceViolation: service part only (β κ, rounded up). */
function splitServicePart(kappa: bigint[][], split: bigint[][]): bigint[][] {
  return kappa.map((row, si) =>
    row.map((kp, k) => {
      const b = split[si]?.[k] ?? 0n
      const x = kp * b
      return (x + SPLIT_DEN - 1n) / SPLIT_DEN
    }),
  )
}

const randomSplit = (rng: Rng, n: Network, fine: boolean) =>
  n.services.map((s) =>
    s.members.map(() =>
      fine ? BigInt(rng.int(0, Number(SPLIT_DEN))) : (SPLIT_DEN * BigInt(rng.int(0, 2))) / 2n,
    ),
  )
const constSplit = (n: Network, b: bigint) => n.services.map((s) => s.members.map(() => b))

function shareSets(rng: Rng, n: Network, budget: bigint, i: number): CostShares[] {
  const sets = [
    randomShares(rng, n),
    adversarialShares(rng, n, i % 4),
    adversarialShares(rng, n, (i + 1) % 5, BigInt(1 + (i % 3))),
    adversarialShares(rng, n, 4, 1n),
  ]
  if (i % 3 === 0)
    sets.push(...findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 20, priceSteps: 6 }).shares)
  for (const sh of sets) assert.ok(sharesFit(n, sh), 'test shares must fit')
  return sets
}

describe('review: κ at the cover price and its split never under the truth', () => {
  test('per service, every shock and cover: C_s’s exact term ≤ λ(B) + κ(D) (and with a wrong μ it fails) (seed 901)', (t) => {
    const rng = createRng(901)
    let wrongCaught = 0
    let checks = 0
    for (let i = 0; i < 200 * K; i++) {
      const n = smallNetwork(rng, i)
      const budget = shockBudget(n, rat(PSIS[i % PSIS.length] as bigint, 100n))
      for (const sh of shareSets(rng, n, budget, i)) {
        const kappa = shockEdgeCredits(n, sh)
        const bad = perServiceViolation(n, sh, kappa)
        assert.equal(bad, null, `network ${i}: ${bad}`)
        // the split's service part alone must also cover it: β ≤ 1 (β = 1 is κ itself)
        assert.equal(perServiceViolation(n, sh, splitServicePart(kappa, constSplit(n, SPLIT_DEN))), null)
        // κ_vs ≤ α_s λ_vs (up to a share unit)
        for (const [si, s] of n.services.entries())
          for (const k of s.members.keys()) {
            const l = sh.shares[si]?.[k] ?? 0n
            const cap = (l * s.threshold.num + s.threshold.den - 1n) / s.threshold.den
            assert.ok((kappa[si]?.[k] ?? 0n) <= cap, `network ${i}: κ above αλ`)
          }
        if (perServiceViolation(n, sh, wrongMuCredits(n, sh)) !== null) wrongCaught++
        checks++
      }
    }
    t.diagnostic(`${checks} share sets checked, the wrong μ caught on ${wrongCaught}`)
    assert.ok(checks > 600 * K)
    assert.ok(wrongCaught >= 20, `a wrong μ broke the inequality only ${wrongCaught} times`)
  })

  test('hand-built: a shock credit of one share unit split in halves, on a bound that meets the truth (both parts must round up)', () => {
    // v0, v1 (stake 1 each) secure s (α = 1, π = 2); v2 (stake 8) secures nothing; ψ = 0.1: Ψ = 1. Shocking v0 lets
    // v1 alone open s at cost 1 < 2: R σ(V) = 2. With λ = 1 each (den 1) C_s = 2, κ_v0,s = 1, and the bound is
    // Ψ + π − 1 = 2 exactly: a split of κ = 1 into ½ + ½ that rounds either part down leaves the knapsack no room.
    const n = parseRiskInput({
      operators: [
        { id: 'v0', stake: 1 },
        { id: 'v1', stake: 1 },
        { id: 'v2', stake: 8 },
      ],
      services: [{ id: 's', profit: 2, threshold: 1, operators: ['v0', 'v1'] }],
    })
    const psi = rat(1n, 10n)
    const budget = shockBudget(n, psi)
    const truth = smallCascade(n, psi)?.value
    assert.equal(truth, 2n)
    const sh: CostShares = { shares: [[1n, 1n]], unit: 1n, den: 1n }
    assert.deepEqual(shockEdgeCredits(n, sh), [[1n, 1n]])
    assert.equal(cascadeShareBound(n, sh, budget), 2n)
    for (const b of [0n, SPLIT_DEN / 4n, SPLIT_DEN / 2n, SPLIT_DEN - 1n, SPLIT_DEN])
      assert.ok(cascadeSplitBound(n, sh, budget, constSplit(n, b)) >= 2n, `β = ${b}/${SPLIT_DEN}`)
  })

  test('plain and split bounds ≥ exhaustive R_ψ on 600 networks: 5 regimes, both models, 6 ψ, random/adversarial/searched shares, β ∈ {0, 1, random} (seed 902)', (t) => {
    const rng = createRng(902)
    let compared = 0
    let tightByKappa = 0
    for (let i = 0; i < 600 * K; i++) {
      const n = smallNetwork(rng, i, 6)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = smallCascade(n, psi)?.value
      if (truth === undefined) continue
      for (const [j, sh] of shareSets(rng, n, budget, i).entries()) {
        const at = `network ${i} (ψ ${ratToString(psi)}, shares ${j})`
        const plain = cascadeShareBound(n, sh, budget)
        assert.ok(plain >= truth, `${at}: plain ${plain} < ${truth}`)
        if (plain === truth) tightByKappa++
        for (const split of [
          constSplit(n, 0n),
          constSplit(n, SPLIT_DEN),
          constSplit(n, SPLIT_DEN / 3n),
          randomSplit(rng, n, false),
          randomSplit(rng, n, true),
        ]) {
          const b = cascadeSplitBound(n, sh, budget, split)
          assert.ok(b >= truth, `${at}: split ${b} < ${truth}`)
        }
        compared++
      }
    }
    t.diagnostic(`${compared} share sets compared, ${tightByKappa} bounds at the truth`)
    assert.ok(compared > 2000 * K, `only ${compared}`)
    assert.ok(tightByKappa > 50, `the bound met the truth only ${tightByKappa} times`)
  })

  test('huge amounts (× 10^48 and × 2^1100): plain and split bounds ≥ exhaustive R_ψ, the LP split declines or holds (seed 903)', async () => {
    const rng = createRng(903)
    for (let i = 0; i < 60 * K; i++) {
      const scale = i % 2 === 0 ? 10n ** 48n : 1n << 1100n
      const n = smallNetwork(rng, i, 5, scale)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = smallCascade(n, psi)?.value
      if (truth === undefined) continue
      for (const sh of [randomShares(rng, n), adversarialShares(rng, n, i % 4)]) {
        assert.equal(perServiceViolation(n, sh, shockEdgeCredits(n, sh)), null, `network ${i}`)
        assert.ok(cascadeShareBound(n, sh, budget) >= truth, `network ${i}: plain`)
        assert.ok(cascadeSplitBound(n, sh, budget, randomSplit(rng, n, true)) >= truth, `network ${i}: split`)
        const lp = await findShockSplit(n, sh, budget, 2)
        if (lp) assert.ok(cascadeSplitBound(n, sh, budget, lp) >= truth, `network ${i}: LP split`)
      }
    }
  })

  test('the LP’s split (findShockSplit) ≥ exhaustive R_ψ on 120 networks, random and searched shares (seed 904)', async (t) => {
    const rng = createRng(904)
    let ran = 0
    for (let i = 0; i < 120 * K; i++) {
      const n = smallNetwork(rng, i, 6)
      const psi = rat(PSIS[(i % (PSIS.length - 1)) + 1] as bigint, 100n)
      const budget = shockBudget(n, psi)
      const truth = smallCascade(n, psi)?.value
      if (truth === undefined) continue
      const sets = [randomShares(rng, n), adversarialShares(rng, n, i % 4)]
      if (i % 2 === 0)
        sets.push(findCascadeShares(n, budget, { budgetMs: 50, shareSteps: 20 }).shares[0] as CostShares)
      for (const sh of sets) {
        const split = await findShockSplit(n, sh, budget, 2)
        if (!split) continue
        ran++
        const b = cascadeSplitBound(n, sh, budget, split)
        assert.ok(b >= truth, `network ${i}: LP split ${b} < ${truth}`)
      }
    }
    t.diagnostic(`the LP split ran ${ran} times`)
    assert.ok(ran > 200 * K, `the LP split ran only ${ran} times`)
  })

  test('worstCaseLoss without the exhaustive shortcut (cuts, split, tiny limits): never proven below the truth, bound never under it, attack valid (seed 905)', async (t) => {
    const rng = createRng(905)
    let exact = 0
    let proven = 0
    const variants = [
      { cascadeSplit: 0.3 },
      { cascadeSplit: 0.3, cascadeCuts: true },
      { cascadeSplit: 0.5, cascadeCuts: true, timeLimitSeconds: 0.03 },
      { cascadeSplit: 0.3, timeLimitSeconds: 0 },
      { cascadeSplit: 0.3, cascadeBranch: 0.3, cascadeCuts: true },
    ]
    for (let i = 0; i < 75 * K; i++) {
      const n = smallNetwork(rng, i, 6)
      const psi = rat(PSIS[i % PSIS.length] as bigint, 100n)
      const truth = smallCascade(n, psi)?.value
      if (truth === undefined) continue
      const total = totalStake(n)
      const opts = { exhaustive: false, ...variants[i % variants.length] } as const
      const r = await worstCaseLoss(n, psi, opts)
      const at = `network ${i} (ψ ${ratToString(psi)}, ${JSON.stringify(opts)})`
      const found = total === 0n ? 0n : (r.worstLoss.num * total) / r.worstLoss.den
      assert.ok(found <= truth, `${at}: loss ${found} above the truth ${truth}`)
      if (r.proven || r.exact) assert.equal(found, truth, `${at}: proven at ${found}, truth ${truth}`)
      if (r.exact) exact++
      if (r.proven) proven++
      if (total > 0n)
        assert.ok(r.worstLossBound >= toNumber(rat(truth, total)), `${at}: bound ${r.worstLossBound} < truth`)
      const ids = new Map(n.operators.map((o, v) => [o.id, v]))
      const sids = new Map(n.services.map((s, si) => [s.id, si]))
      const shock = r.shock.operators.map((id) => ids.get(id) as number)
      assert.ok(r.shock.stake * psi.den <= psi.num * total, `${at}: shock over budget`)
      if (r.attack) {
        const a = {
          services: r.attack.services.map((id) => sids.get(id) as number),
          operators: r.attack.operators.map((id) => ids.get(id) as number),
        }
        assert.ok(isValidAttack(n, a, new Set(shock)), `${at}: invalid attack`)
      }
    }
    t.diagnostic(`exact ${exact}, proven ${proven}`)
    assert.ok(exact >= 5 * K && proven >= 15 * K, `exact ${exact}, proven ${proven}`)
  })

  test('a share that is not a number (bench --cascade-split abc → NaN) turns the option off, not the time limit into NaN (HiGHS threw “numeric option values must be finite”)', async () => {
    const n = smallNetwork(createRng(906), 1)
    const psi = rat(1n, 10n)
    const truth = smallCascade(n, psi)?.value as bigint
    for (const o of [{ cascadeSplit: Number.NaN }, { cascadeBranch: Number.NaN }]) {
      const r = await worstCaseLoss(n, psi, { exhaustive: false, timeLimitSeconds: 1, ...o })
      assert.ok(toNumber(r.worstLoss) <= toNumber(rat(truth, totalStake(n))), JSON.stringify(o))
    }
  })
})
