/**
 * Adversarial review of the float-filtered certified slack (slack.ts), the exhaustive cascade search
 * (smallCascade.ts) and the time limits (deadline.ts): each test is an attack that once broke, or could break, a
 * "proven exactly" answer. Every expected value here comes from the definitions (docs/risk.md), computed in
 * bigint by code that shares nothing with the code under test but verify.ts's checks.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { bruteCascade, bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { add, cmp, div, min, ONE, type Rational, rat, ratToString, sub, toNumber, ZERO } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { cascadeBound, certifiedSlack } from './slack.ts'
import { smallCascade } from './smallCascade.ts'
import { attackCost, isValidAttack } from './verify.ts'

/** γ from the definition: every operator's load summed exactly, no float anywhere. */
function slackByDefinition(n: Network): Rational | null {
  const k: (Rational | null)[] = n.services.map((s) => {
    const stake = s.memberStake.reduce((a, b) => a + b, 0n)
    if (stake === 0n) return s.profit === 0n ? ZERO : null
    return rat(s.profit * s.threshold.den, stake * s.threshold.num)
  })
  if (k.includes(null)) return rat(-1n)
  let best: Rational | null = null
  const take = (x: Rational) => {
    best = best === null ? x : min(best, x)
  }
  for (const ks of k) if ((ks as Rational).num !== 0n) take(div(ONE, ks as Rational))
  for (const [v, o] of n.operators.entries()) {
    let load = ZERO
    for (const [si, s] of n.services.entries())
      s.members.forEach((m, j) => {
        if (m === v)
          load = add(load, rat((s.memberStake[j] ?? 0n) * (k[si] as Rational).num, (k[si] as Rational).den))
      })
    if (load.num > 0n) take(div(rat(o.stake), load))
  }
  return best === null ? null : sub(best, ONE)
}

/** |x − r| < |r|·2^-bits, in exact arithmetic: a double x is the rational m·2^e exactly. */
function within(x: number, r: Rational, bits: number): boolean {
  assert.ok(Number.isFinite(x) && x !== 0, `${x} is not a finite non-zero double`)
  let e = 0
  let m = Math.abs(x)
  while (!Number.isInteger(m)) {
    m *= 2
    e--
  }
  const xm = BigInt(m) * (x < 0 ? -1n : 1n)
  const d = sub(e < 0 ? rat(xm, 2n ** BigInt(-e)) : rat(xm * 2n ** BigInt(e)), r)
  const abs = (q: Rational) => (q.num < 0n ? rat(-q.num, q.den) : q)
  return cmp(rat(abs(d).num * 2n ** BigInt(bits), abs(d).den), abs(r)) < 0
}

const show = (g: Rational | null) => (g === null ? 'unbounded' : ratToString(g))

describe('certified slack against float rounding', () => {
  test('an operator whose float load overflows does not hide a smaller ratio (insecure network, γ < 0)', async () => {
    // A holds just under the largest double and restakes it to three services whose k add up to exactly 1
    // (197 + 76 + 194 = 467): its exact ratio is 1, but its float load rounds past the largest double, so its float
    // ratio is 0. B (stake 10) restakes to two services worth 6 each: ratio 10/12, and B alone attacks both for a
    // net 2. A float minimum of 0 must not wave every other operator through unchecked.
    const max = BigInt(Number.MAX_VALUE)
    const q = 467n
    const a = (max / q) * q
    const n = parseRiskInput({
      operators: [
        { id: 'A', stake: String(a) },
        { id: 'B', stake: '10' },
      ],
      services: [
        { id: 's1', profit: String((a / q) * 197n), threshold: 1, operators: ['A'] },
        { id: 's2', profit: String((a / q) * 76n), threshold: 1, operators: ['A'] },
        { id: 's3', profit: String((a / q) * 194n), threshold: 1, operators: ['A'] },
        { id: 's4', profit: '6', threshold: 1, operators: ['B'] },
        { id: 's5', profit: '6', threshold: 1, operators: ['B'] },
        // links A and B into one component, worth nothing
        { id: 'link', profit: '0', threshold: 1, operators: ['A', 'B'] },
      ],
    })
    // the premise: A's float load really overflows
    const f = Number(a)
    const loadF = [197n, 76n, 194n].reduce((s, p) => s + f * toNumber(rat(p, q)), 0)
    assert.equal(loadF, Number.POSITIVE_INFINITY)
    assert.equal(show(slackByDefinition(n)), '-1/6')
    assert.equal(show(certifiedSlack(n)), '-1/6')
    const r = await analyzeNetwork(n)
    assert.equal(r.secure, false)
    assert.deepEqual(r.attack?.operators, ['B'])
  })

  test('a k with a denominator beyond a float is converted to full precision, so a near tie is still checked', () => {
    // k = (2^990 + 2^967 − 1) / (2^1030 + 2^40 + 1) ≈ 2^-40: its denominator is past a float's range. Converting
    // with one shift for both kept 23 bits of the numerator, 6e-8 low, so A's float ratio came out 6e-8 high. C's
    // ratio sits 5e-8 above A's exact one: the float filter then skipped A and reported C's ratio as "exact".
    const sA = 2n ** 40n
    const sX = 2n ** 1030n + 1n
    const p1 = 2n ** 990n + 2n ** 967n - 1n
    const k1 = rat(p1, sA + sX)
    assert.ok(within(toNumber(k1), k1, 50), 'toNumber is within 2^-50')
    const aRatio = div(ONE, add(k1, k1)) // A restakes all of σ_A to s1 and s2, each with this k
    const P = 2n ** 40n
    const sC = (aRatio.num * P * (10n ** 8n + 5n)) / (aRatio.den * 10n ** 8n) + 1n
    const n = parseRiskInput({
      operators: [
        { id: 'A', stake: String(sA) },
        { id: 'X', stake: String(sX) },
        { id: 'Y', stake: String(sX) },
        { id: 'C', stake: String(sC) },
      ],
      services: [
        { id: 's1', profit: String(p1), threshold: 1, operators: ['A', 'X'] },
        { id: 's2', profit: String(p1), threshold: 1, operators: ['A', 'Y'] },
        { id: 's3', profit: String(P / 2n), threshold: 1, operators: ['C'] },
        { id: 's4', profit: String(P / 2n), threshold: 1, operators: ['C'] },
      ],
    })
    const exact = slackByDefinition(n)
    assert.equal(show(exact), ratToString(sub(aRatio, ONE)))
    assert.equal(show(certifiedSlack(n)), show(exact))
  })

  test('toNumber keeps full precision whatever the sizes of numerator and denominator', () => {
    const cases: Rational[] = [
      rat(1n, 3n),
      rat(2n ** 1100n + 1n, 3n * 2n ** 1090n), // both past a float, near 2^10/3
      rat(2n ** 990n + 2n ** 967n - 1n, 2n ** 1030n + 1n), // only the denominator past a float
      rat(3n * 2n ** 1060n + 7n, 2n ** 40n + 1n), // only the numerator
      rat(7n, 2n ** 1000n + 3n), // tiny but normal
      rat(-(2n ** 1100n) - 5n, 2n ** 1098n + 1n),
    ]
    for (const r of cases) assert.ok(within(toNumber(r), r, 50), ratToString(r).slice(0, 40))
    // far below a float: the smallest double of its sign, never 0 (a sign is read from it, and −0 ≥ 0)
    assert.equal(toNumber(rat(1n, 2n ** 1200n)), Number.MIN_VALUE)
    assert.ok(toNumber(rat(-1n, 2n ** 1200n + 1n)) < 0)
    assert.equal(toNumber(rat(2n ** 1200n, 3n)), Number.POSITIVE_INFINITY)
    // 2^1100 / 2^77 = 2^1023 is finite though 2^(shift difference) alone is not
    assert.equal(toNumber(rat(2n ** 1100n + 1n, 2n ** 77n)), 2 ** 1023)
  })

  test('equals the definition on 150 adversarial networks: amounts from 0 to 10^400, ties, α down to 10^-36', () => {
    // Before the fix, networks 42 and 114 here (12 in 5,000) came out wrong: a k or load beyond a float's range.
    const rng = createRng(1)
    for (let i = 0; i < 150; i++) {
      const n = adversarialNetwork(rng)
      assert.equal(show(certifiedSlack(n)), show(slackByDefinition(n)), `network ${i}`)
    }
  })
})

/** A small network with the cascade search's edge cases: stakes of 0, equal stakes, 10^30-scale amounts. */
function edgeNetwork(rng: Rng): Network {
  const nOps = rng.int(1, 6)
  const mode = rng.int(0, 3)
  const stakes = Array.from({ length: nOps }, () =>
    mode === 0
      ? BigInt(rng.int(0, 5))
      : mode === 1
        ? 4n
        : mode === 2
          ? BigInt(pick(rng, [0, 0, 1, 3]))
          : BigInt(rng.int(1, 1000)) * 10n ** 30n,
  )
  const alloc = rng.next() < 0.5
  const thresholds = [rat(1n), rat(1n, 2n), rat(2n, 3n), rat(1n, 1000n), rat(999n, 1000n), rat(1n, 3n)]
  const services = Array.from({ length: rng.int(1, 3) }, (_, si) => {
    const members = stakes.flatMap((_, v) => (rng.next() < 0.6 ? [v] : []))
    // An allocation from 0 to the whole stake, in 1/1000ths (so 0 and all of it both come up).
    const memberStake = members.map((v) =>
      alloc
        ? ((stakes[v] as bigint) * BigInt(rng.int(0, 1000) > 900 ? 1000 : rng.int(0, 1000))) / 1000n
        : (stakes[v] as bigint),
    )
    const threshold = pick(rng, thresholds)
    const S = memberStake.reduce((a, b) => a + b, 0n)
    const atThreshold = (S * threshold.num) / threshold.den
    const profit = pick(rng, [
      0n,
      1n,
      S,
      S / 2n,
      S + 1n,
      atThreshold,
      atThreshold + 1n,
      2n * S,
      BigInt(rng.int(0, 10)),
    ])
    return { id: `s${si}`, profit, threshold, members, memberStake }
  })
  return {
    scale: 0,
    hasAllocations: alloc,
    operators: stakes.map((stake, i) => ({ id: `v${i}`, stake })),
    services,
  }
}

/** ψ = 0, 1, a random percentage, or exactly (or just under) the share of a random set of operators. */
function edgePsi(rng: Rng, n: Network): Rational {
  const total = totalStake(n)
  const mode = rng.int(0, 4)
  if (mode === 0 || total === 0n) return rat(0n)
  if (mode === 1) return rat(1n)
  if (mode === 2) return rat(BigInt(rng.int(0, 100)), 100n)
  const some = n.operators.reduce((a, o) => (rng.next() < 0.5 ? a + o.stake : a), 0n)
  return mode === 3 ? rat(some, total) : rat(some > 0n ? some * 1000n - 1n : 0n, total * 1000n)
}

describe('exhaustive cascade search against brute force', () => {
  test('equals brute force on 500 edge-case networks and shocks at the budget boundary', () => {
    const rng = createRng(11)
    for (let i = 0; i < 500; i++) {
      const n = edgeNetwork(rng)
      const psi = edgePsi(rng, n)
      const r = smallCascade(n, psi)
      assert.ok(r, `network ${i}: gave up`)
      assert.equal(r.value, bruteCascade(n, psi), `network ${i}, ψ = ${ratToString(psi)}`)
      const lost = r.shock.reduce((a, v) => a + (n.operators[v]?.stake ?? 0n), 0n)
      assert.ok(lost * psi.den <= psi.num * totalStake(n), `network ${i}: shock over budget`)
      if (r.attack) assert.ok(isValidAttack(n, r.attack, new Set(r.shock)), `network ${i}: invalid attack`)
      assert.equal(r.value, lost + (r.attack ? attackCost(n, r.attack) : 0n), `network ${i}: value`)
    }
  })

  test('an operator listed twice in a service, or an allocation above its stake, counts as verify.ts counts it', () => {
    const rng = createRng(12)
    for (let i = 0; i < 150; i++) {
      const n = edgeNetwork(rng)
      for (const s of n.services) {
        if (s.members.length > 0 && rng.next() < 0.5) {
          s.members.push(s.members[0] as number)
          s.memberStake.push((s.memberStake[0] ?? 0n) + BigInt(rng.int(0, 2)))
        }
      }
      const psi = edgePsi(rng, n)
      assert.equal(smallCascade(n, psi)?.value, bruteCascade(n, psi), `network ${i}`)
    }
  })

  test('R_ψ is within the certified bound (1 + 1/γ)·ψ on 300 networks where γ > 0 or is unbounded', () => {
    const rng = createRng(13)
    let checked = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(1, 7),
          services: rng.int(1, 4),
          membersPerService: [1, 5],
          allocations: i % 2 === 1,
          profitFactor: [0.2, 1.2],
        }),
      )
      const psi = rat(BigInt(rng.int(0, 100)), 100n)
      const gamma = slackByDefinition(n)
      const bound = cascadeBound(gamma, psi)
      if (!bound) continue
      checked++
      const r = smallCascade(n, psi)
      assert.ok(r, `network ${i}: gave up`)
      assert.ok(cmp(rat(r.value, totalStake(n)), bound) <= 0, `network ${i}: R_ψ above (1 + 1/γ)·ψ`)
    }
    assert.ok(checked > 50, `only ${checked} networks had γ > 0`)
  })

  test('a search that gives up is answered by the solver and never reported exact wrongly', async () => {
    // 12 operators in every one of 6 services: far past 10 nodes, well within the solver's reach.
    const n = parseRiskInput(
      randomNetwork(createRng(14), {
        operators: 12,
        services: 6,
        membersPerService: [12, 12],
        profitFactor: [0.3, 0.9],
      }),
    )
    assert.equal(smallCascade(n, rat(1n, 4n), 10), null)
    const r = await worstCaseLoss(n, rat(1n, 4n), { exhaustive: false, timeLimitSeconds: 0 })
    // Since the burn bound (cascadeBurn.ts) this network is proven exactly even at 0 s: every service attacked by
    // every operator burns all stake (R_ψ = 1). What must hold is that an exact claim is the exhaustive answer.
    const truth = smallCascade(n, rat(1n, 4n), 1e9)
    assert.ok(truth)
    if (r.exact) assert.equal(ratToString(r.worstLoss), ratToString(rat(truth.value, totalStake(n))))
  })
})

describe('time limits never turn into proofs', () => {
  test('at limits from 0 to 80 ms, every claim matches brute force on 18 small networks', async () => {
    const rng = createRng(15)
    for (let i = 0; i < 18; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(2, 7),
          services: rng.int(1, 4),
          membersPerService: [1, 5],
          allocations: i % 2 === 1,
          profitFactor: SMALL_REGIMES[i % 3],
        }),
      )
      const best = bruteMostProfitable(n)
      const largest = bruteLargestCost(n)
      for (const limit of [0, 0.01, 0.045, 0.08]) {
        const at = `network ${i}, ${limit} s`
        const r = await analyzeNetwork(n, { timeLimitSeconds: limit })
        if (best === null) assert.notEqual(r.secure, false, `${at}: insecure without an attack`)
        else {
          assert.notEqual(r.secure, true, `${at}: secure with an attack netting ${best}`)
          assert.ok(r.profitBound >= Number(best), `${at}: bound ${r.profitBound} below ${best}`)
        }
        if (r.secure !== null) assert.ok(r.verdictProven, `${at}: a verdict without proof`)
        if (r.proven) {
          assert.equal(
            r.attack ? r.attack.profit - r.attack.cost : null,
            best,
            `${at}: "proven" but not the best`,
          )
          assert.equal(r.largestAttack?.cost ?? 0n, largest, `${at}: "proven" but not the largest`)
        }
      }
    }
  })
})

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)] as T

/**
 * A network built directly (no input parsing: stakes past any float, duplicates, allocations of 0 and up to the
 * stake), with profits at, just above and far from α·σ(N(s)), so that ties and near-ties come up.
 */
function adversarialNetwork(rng: Rng): Network {
  const magnitudes = [
    0n,
    1n,
    10n ** 18n,
    10n ** 30n,
    10n ** 66n,
    2n ** 1000n,
    2n ** 1023n,
    2n ** 1030n,
    10n ** 400n,
  ]
  const thresholds = [
    rat(1n),
    rat(1n, 2n),
    rat(1n, 3n),
    rat(10n ** 36n - 1n, 10n ** 36n),
    rat(1n, 10n ** 36n),
  ]
  const nOps = rng.int(1, 6)
  const base = pick(rng, magnitudes)
  const stakes = Array.from({ length: nOps }, () => {
    const m = rng.next() < 0.7 ? base : pick(rng, magnitudes)
    return m * BigInt(rng.int(1, 1000)) + BigInt(rng.int(0, 3))
  })
  const alloc = rng.next() < 0.5
  const services = Array.from({ length: rng.int(1, 5) }, (_, si) => {
    const members = stakes.flatMap((_, v) => (rng.next() < 0.6 ? [v] : []))
    const memberStake = members.map((v) =>
      alloc ? ((stakes[v] as bigint) * BigInt(rng.int(0, 1000))) / 1000n : (stakes[v] as bigint),
    )
    const threshold = pick(rng, thresholds)
    const need = memberStake.reduce((a, b) => a + b, 0n) * threshold.num
    const f = BigInt(pick(rng, [0, 1, 3, 999, 1000, 1001, 5000]))
    const profit = pick(rng, [
      (need * f) / (threshold.den * 1000n),
      (need * f) / (threshold.den * 1000n) + BigInt(rng.int(0, 2)),
      pick(rng, magnitudes) * BigInt(rng.int(0, 9)),
      BigInt(rng.int(0, 5)),
    ])
    return { id: `s${si}`, profit, threshold, members, memberStake }
  })
  return {
    scale: 0,
    hasAllocations: alloc,
    operators: stakes.map((stake, i) => ({ id: `v${i}`, stake })),
    services,
  }
}
