/**
 * Adversarial review of the cheaper exact check (branch `verdict`): toShares/sharesFit on per-network tables of
 * ⌊a·den/unit⌋, shareTerms skipping members whose float share per unit of stake is clearly above the critical
 * member's, cached stake totals, and the proving search's 8 first price evaluations.
 *  - toShares with an operator's first-pass total at exactly its cap + 1 (and cap − 1 … cap + 2): the case the
 *    author's surviving mutant (the cap check off by one) lives in, which random floats almost never hit.
 *  - shareTerms on exact shares at amounts a float cannot hold (2^1024 − 1 rounds to Infinity, 2^1024 − 2^971 is
 *    the largest double, 2^1100), ratios that round to subnormals, ratios a float rounds equal or reverses, shares
 *    of 0: every term must be at least π_s − C_s(λ) with C_s the exact fractional cover (what the skip could break).
 *  - sharesFit's fallback for units and denominators ≤ 0 equals the cross-multiplication.
 *  - the branching itself (prices on, no incumbent: 8 first evaluations) against enumeration, tiny time limits too.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteMostProfitable, bruteUnderFixing } from './bruteForce.ts'
import { type CostShares, sharesFit, toShares } from './costShare.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import { loadHighs } from './mip.ts'
import type { Network, Service } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng, type Rng } from './rng.ts'
import { serviceBranch } from './serviceBranch.ts'
import { buildShareCore, FREE, IN, largestAmount, OUT } from './shareCore.ts'
import { shareNodeBound, shareTerms } from './shareNodeBound.ts'
import { attackCost, attackProfit, isValidAttack } from './verify.ts'

const DEN = 1n << 40n

/** toShares as it was on main (two bigint products per edge), the reference. */
const refToShares = (n: Network, lam: Float64Array, svcStart: Int32Array): bigint[][] => {
  const unit = largestAmount(n)
  const shares = n.services.map((s, si) =>
    s.members.map((_, k) => {
      const x = (lam[(svcStart[si] as number) + k] as number) * (1 - 1e-12) * Number(DEN)
      const l = x > 0 ? BigInt(Math.floor(x)) : 0n
      const max = ((s.memberStake[k] ?? 0n) * DEN) / unit
      return l < max ? l : max
    }),
  )
  const used = n.operators.map(() => 0n)
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      used[v] = (used[v] ?? 0n) + ((shares[si] as bigint[])[k] as bigint)
    })
  })
  n.services.forEach((s, si) => {
    s.members.forEach((v, k) => {
      const cap = ((n.operators[v]?.stake ?? 0n) * DEN) / unit
      const u = used[v] ?? 0n
      const row = shares[si] as bigint[]
      if (u > cap) row[k] = ((row[k] as bigint) * cap) / u
    })
  })
  return shares
}

const refFit = (n: Network, c: CostShares): boolean => {
  const used = n.operators.map(() => 0n)
  for (const [si, s] of n.services.entries()) {
    const row = c.shares[si]
    if (!row || row.length !== s.members.length) return false
    for (const [k, v] of s.members.entries()) {
      const l = row[k] as bigint
      if (l < 0n || l * c.unit > (s.memberStake[k] ?? 0n) * c.den) return false
      used[v] = (used[v] ?? 0n) + l
    }
  }
  return n.operators.every((o, v) => (used[v] ?? 0n) * c.unit <= o.stake * c.den)
}

/** A float whose toShares numerator is exactly t: x = lam·(1 − 1e-12)·2^40 lands on t + 0.5 (± far less than 0.5). */
const lamFor = (t: bigint): number => (t === 0n ? 0 : (Number(t) + 0.5) / (1 - 1e-12) / Number(DEN))

const scaled = (input: RiskInput, scale: bigint): RiskInput => ({
  operators: input.operators.map((o) => ({ ...o, stake: (BigInt(o.stake) * scale).toString() })),
  services: input.services.map((s) => ({ ...s, profit: (BigInt(s.profit) * scale).toString() })),
  ...(input.allocations
    ? { allocations: input.allocations.map((a) => ({ ...a, stake: (BigInt(a.stake) * scale).toString() })) }
    : {}),
})

describe('review: toShares at an operator’s cap', () => {
  test('one operator on two services, first-pass shares summing to its cap + 1: scaled down, fits', () => {
    // unit = 1000 (the largest amount), the operator's stake 700: cap = ⌊700·2^40/1000⌋. Service 0 asks for
    // more than the stake (capped at the edge's limit = cap), service 1 for exactly one numerator.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 700 },
        { id: 'b', stake: 1000 },
      ],
      services: [
        { id: 's0', profit: 10, threshold: 0.5, operators: ['a', 'b'] },
        { id: 's1', profit: 10, threshold: 0.5, operators: ['a', 'b'] },
      ],
    })
    const core = buildShareCore(n)
    const cap = (700n * DEN) / 1000n
    for (const extra of [0n, 1n, 2n, 3n]) {
      const lam = new Float64Array(core.E)
      lam[core.svcStart[0] as number] = 5 // far above 0.7: the edge's own limit, cap, binds
      lam[core.svcStart[1] as number] = lamFor(extra)
      const c = toShares(n, lam, core.svcStart)
      const used = (c.shares[0]?.[0] as bigint) + (c.shares[1]?.[0] as bigint)
      assert.ok(used <= cap, `extra ${extra}: operator a holds ${used} > its cap ${cap}`)
      assert.ok(sharesFit(n, c), `extra ${extra}: toShares' own shares do not fit`)
      assert.deepEqual(c.shares, refToShares(n, lam, core.svcStart), `extra ${extra}`)
      // and the branching's exact check takes them (it throws on shares that do not fit)
      assert.doesNotThrow(() => shareTerms(n, c, new Uint8Array(2)))
    }
  })

  test('random networks (both models, amounts ×1, ×10^30, ×2^1100), one operator at cap − 1 … cap + 2', () => {
    const rng = createRng(4242)
    let atCapPlus = 0
    for (let i = 0; i < 240; i++) {
      const base = randomNetwork(rng, {
        operators: rng.int(2, 6),
        services: rng.int(2, 5),
        membersPerService: [1, 5],
        allocations: i % 2 === 1,
        profitFactor: SMALL_REGIMES[i % 3] as [number, number],
      })
      const scale = [1n, 10n ** 30n, 1n << 1100n][i % 3] as bigint
      const n = parseRiskInput(scaled(base, scale))
      const core = buildShareCore(n)
      const unit = largestAmount(n)
      const lam = Float64Array.from({ length: core.E }, (_, e) => (core.a[e] as number) * rng.next() * 1.5)
      // the operator with the most room across its edges
      const edges = n.operators.map(() => [] as { e: number; max: bigint }[])
      n.services.forEach((s, si) => {
        s.members.forEach((v, k) => {
          edges[v]?.push({
            e: (core.svcStart[si] as number) + k,
            max: ((s.memberStake[k] ?? 0n) * DEN) / unit,
          })
        })
      })
      const delta = BigInt(rng.int(-1, 2))
      const v = rng.int(0, n.operators.length - 1)
      const cap = ((n.operators[v]?.stake ?? 0n) * DEN) / unit
      const mine = edges[v] as { e: number; max: bigint }[]
      let rest = cap + delta
      if (rest < 0n || mine.reduce((x, y) => x + y.max, 0n) < rest) continue
      // spread cap + δ over its edges: a random part on each, the remainder wherever it fits
      const give = mine.map((m) => {
        const t = (m.max * BigInt(rng.int(0, 1000))) / 1000n
        const g = t < rest ? t : rest
        rest -= g
        return g
      })
      for (let j = 0; j < mine.length && rest > 0n; j++) {
        const more = (mine[j] as { max: bigint }).max - (give[j] as bigint)
        const g = more < rest ? more : rest
        give[j] = (give[j] as bigint) + g
        rest -= g
      }
      assert.equal(rest, 0n)
      mine.forEach((m, j) => {
        lam[m.e] = lamFor(give[j] as bigint)
      })
      const c = toShares(n, lam, core.svcStart)
      const ref = refToShares(n, lam, core.svcStart)
      assert.deepEqual(c.shares, ref, `network ${i}, δ ${delta}`)
      assert.ok(sharesFit(n, c), `network ${i}, δ ${delta}: toShares' shares do not fit`)
      if (delta > 0n) atCapPlus++
    }
    assert.ok(atCapPlus >= 60, `only ${atCapPlus} networks with an operator over its cap`)
  })
})

/** C_s(λ), the fractional cheapest cover in share numerators, exactly: [P, Q] with C = P / Q; null when none. */
function exactCover(s: Service, row: bigint[]): [bigint, bigint] | null {
  const items = s.memberStake
    .map((a, k) => ({ a, l: row[k] ?? 0n }))
    .filter((it) => it.a > 0n)
    .sort((p, q) => {
      const d = p.l * q.a - q.l * p.a
      return d < 0n ? -1 : d > 0n ? 1 : 0
    })
  const total = s.memberStake.reduce((x, y) => x + y, 0n)
  let rest = s.threshold.num * total // times threshold.den
  if (rest <= 0n) return [0n, 1n]
  let cost = 0n // times held … kept as P/Q
  for (const it of items) {
    const held = it.a * s.threshold.den
    if (held >= rest) return [cost * held + it.l * rest, held]
    cost += it.l
    rest -= held
  }
  return null
}

/** Every term shareTerms gives must be ≥ π_s − C_s(λ) (share units: amount · den / unit), exactly. */
function termFailures(n: Network, c: CostShares, fixed: Uint8Array, label: string): string[] {
  const out: string[] = []
  const terms = shareTerms(n, c, fixed)
  n.services.forEach((s, si) => {
    const t = terms[si]
    if (t === null || t === undefined) return
    const cover = exactCover(s, c.shares[si] ?? [])
    if (cover === null) return // the service cannot be attacked: any term is an upper bound
    const [P, Q] = cover
    // t ≥ π·den/unit − P/Q  ⇔  t·unit·Q ≥ π·den·Q − P·unit
    if (t * c.unit * Q < s.profit * c.den * Q - P * c.unit)
      out.push(
        `${label} service ${si}: term ${t} < π − C = (${s.profit * c.den * Q - P * c.unit})/${c.unit * Q}`,
      )
  })
  return out
}

const P1024 = 1n << 1024n
const HUGE = [
  P1024 - 1n, // rounds to Infinity
  P1024 - (1n << 970n) - 1n, // the largest double's rounding range
  P1024 - (1n << 971n), // the largest double
  (1n << 1023n) + 1n,
  1n << 1100n,
  10n ** 300n + 7n,
  (1n << 80n) + 1n,
  1n << 80n,
  (1n << 53n) + 1n,
  3n,
  1n,
  0n,
]

/** A network with one or two services over the given stakes (whole stake), threshold and profit chosen by rng. */
function network(rng: Rng, stakes: bigint[], allocations: boolean): Network {
  const operators = stakes.map((stake, v) => ({ id: `v${v}`, stake }))
  const services: Service[] = Array.from({ length: rng.int(1, 2) }, (_, si) => {
    const members = operators.map((_, v) => v).filter(() => rng.next() < 0.85)
    if (members.length === 0) members.push(0)
    const memberStake = members.map((v) => {
      const st = stakes[v] as bigint
      if (!allocations) return st
      const r = rng.int(0, 2)
      return r === 0 ? st : r === 1 ? st - (st >> 1n) : (st * BigInt(rng.int(0, 1000))) / 1000n
    })
    const total = memberStake.reduce((a, b) => a + b, 0n)
    const thr = [rat(1n), rat(1n, 2n), rat(1n, 3n), rat(999_999n, 1_000_000n), rat(1n, 10n ** 30n)][
      rng.int(0, 4)
    ] as ReturnType<typeof rat>
    const profit = (total * BigInt(rng.int(0, 2000))) / 1000n
    return { id: `s${si}`, profit, threshold: thr, members, memberStake }
  })
  return { scale: 0, operators, services, hasAllocations: allocations }
}

/**
 * Exact shares (unit 1, den D) in near ties: on each service one ratio p/q, each member's numerator ⌊a·D·p/q⌋
 * moved by −2 … +2 (a float sees them all equal, or in the wrong order), or that ratio moved by ±2^-29 (just past
 * the skip's 1e-9), +2^-30 (just inside) or doubled, or 0, or 1, within every limit.
 */
function nearTies(rng: Rng, n: Network, den: bigint): CostShares {
  const left = n.operators.map((o) => o.stake * den)
  const shares = n.services.map((s) => {
    const p = BigInt(rng.int(1, 1000))
    const q = BigInt(rng.int(1, 1000)) * 1000n
    return s.members.map((v, k) => {
      const a = s.memberStake[k] ?? 0n
      const r = rng.int(0, 9)
      const base = (a * den * p) / q
      // ratios 2^-29 (≈ 1.9e-9, past the skip's 1e-9) above or below the tie, 2^-30 above, twice it, or in the tie
      const moved =
        [base + (base >> 29n), base - (base >> 29n), base + (base >> 30n), 2n * base][r - 2] ?? base
      let l = r === 0 ? 0n : r === 1 ? 1n : moved + BigInt(rng.int(-2, 2))
      if (l < 0n) l = 0n
      const max = a * den < (left[v] as bigint) ? a * den : (left[v] as bigint)
      if (l > max) l = max
      left[v] = (left[v] as bigint) - l
      return l
    })
  })
  return { shares, unit: 1n, den }
}

describe('review: the float skip in shareTerms', () => {
  test('hand-built: huge stakes (Infinity as a float), subnormal ratios, ratios a float reverses', () => {
    const failures: string[] = []
    // a: stake 2^1024 − 1 (Infinity as a float), b: 2^1024 − 2^971 (the largest double); shares equal per unit
    // of stake to within one numerator, either way round
    for (const [la, lb] of [
      [P1024 - 2n, P1024 - (1n << 971n)],
      [P1024 - 1n, P1024 - (1n << 971n) - 1n],
      [1n, 1n],
      [0n, 1n],
      [1n, 0n],
      [P1024 - 1n, 0n],
    ] as [bigint, bigint][]) {
      for (const thr of [rat(1n), rat(1n, 2n), rat(1n, 10n ** 30n)]) {
        const n: Network = {
          scale: 0,
          operators: [
            { id: 'a', stake: P1024 - 1n },
            { id: 'b', stake: P1024 - (1n << 971n) },
            { id: 'c', stake: 3n },
          ],
          services: [
            {
              id: 's',
              profit: P1024,
              threshold: thr,
              members: [0, 1, 2],
              memberStake: [P1024 - 1n, P1024 - (1n << 971n), 3n],
            },
          ],
          hasAllocations: false,
        }
        for (const lc of [0n, 1n, 2n, 3n]) {
          const c: CostShares = { shares: [[la, lb, lc]], unit: 1n, den: 1n }
          failures.push(...termFailures(n, c, new Uint8Array(1), `huge ${la} ${lb} ${lc}`))
        }
      }
    }
    // subnormal ratios: l = 1..3 over stakes near 2^1023, against a normal critical ratio
    for (const l1 of [1n, 2n, 3n]) {
      const n: Network = {
        scale: 0,
        operators: [
          { id: 'a', stake: (1n << 1023n) + 1n },
          { id: 'b', stake: (1n << 1022n) * 3n },
          { id: 'c', stake: 1n << 60n },
        ],
        services: [
          {
            id: 's',
            profit: 1n << 1023n,
            threshold: rat(1n),
            members: [0, 1, 2],
            memberStake: [(1n << 1023n) + 1n, (1n << 1022n) * 3n, 1n << 60n],
          },
        ],
        hasAllocations: false,
      }
      for (const [l2, l3] of [
        [3n, 1n],
        [1n, 0n],
        [l1, 1n << 10n],
      ] as [bigint, bigint][]) {
        const c: CostShares = { shares: [[l1, l2, l3]], unit: 1n, den: 1n }
        failures.push(...termFailures(n, c, new Uint8Array(1), `subnormal ${l1} ${l2} ${l3}`))
      }
    }
    // a member whose float ratio is above the critical one's though its true ratio is below: numerators and
    // stakes rounded opposite ways at 2^80 (ulp 2^28)
    const u = 1n << 27n
    const big = 1n << 80n
    const n: Network = {
      scale: 0,
      operators: [
        { id: 'k', stake: big + u - 1n },
        { id: 'c', stake: big + u + 1n },
      ],
      services: [
        {
          id: 's',
          profit: big * 4n,
          threshold: rat(1n),
          members: [0, 1],
          memberStake: [big + u - 1n, big + u + 1n],
        },
      ],
      hasAllocations: false,
    }
    for (const [lk, lc] of [
      [big + u - 2n, big + u],
      [big - 5n, big + u],
      [big + u - 1n, big + u + 1n],
    ] as [bigint, bigint][]) {
      const c: CostShares = { shares: [[lk, lc]], unit: 1n, den: 1n }
      failures.push(...termFailures(n, c, new Uint8Array(1), `reversed ${lk} ${lc}`))
    }
    // near 2^80 (ulp 2^28), numerators and stakes rounded so that k's float ratio is 2–4 ulps above c's though
    // its true ratio is below (found by search): at α = 1/2 the floats take c first and call it critical, and
    // k's term x = l_c·a_k − l_k·a_c > 0 must count. Shares over den 2^100 so that x is many share units.
    for (const [lc, ac, lk, ak] of [
      [
        '1208925841035536568942591',
        '1208925850990559407112196',
        '1208925814090898398091349',
        '1208925824045921014382590',
      ],
      [
        '1208925840667202857992188',
        '1208925840974738622513154',
        '1208925826668398520981145',
        '1208925826975934281940989',
      ],
      [
        '1208925854054909588013053',
        '1208925854639174390382595',
        '1208925849319549769542569',
        '1208925849903814569623548',
      ],
    ].map((r) => r.map(BigInt)) as [bigint, bigint, bigint, bigint][]) {
      assert.ok(lk * ac < lc * ak && Number(lk) / Number(ak) > Number(lc) / Number(ac))
      const n: Network = {
        scale: 0,
        operators: [
          { id: 'c', stake: ac },
          { id: 'k', stake: ak },
        ],
        services: [{ id: 's', profit: ac, threshold: rat(1n, 2n), members: [0, 1], memberStake: [ac, ak] }],
        hasAllocations: false,
      }
      const c: CostShares = { shares: [[lc << 100n, lk << 100n]], unit: 1n, den: 1n << 100n }
      failures.push(...termFailures(n, c, new Uint8Array(1), `float-reversed ${lk}/${ak}`))
    }
    // a share past a float (2^1024, over den 2^100) on a finite stake 2^953: its float ratio is Infinity, its true
    // ratio 2^71 is below the critical member's 2^100 (stake 1, taken first by the floats, alone enough at
    // α = 10^-300), so its term x = 2^1053 − 2^1024 is positive and must count (an infinite ratio is never skipped)
    const inf: Network = {
      scale: 0,
      operators: [
        { id: 'k', stake: 1n << 953n },
        { id: 'c', stake: 1n },
      ],
      services: [
        {
          id: 's',
          profit: 1n,
          threshold: rat(1n, 10n ** 300n),
          members: [0, 1],
          memberStake: [1n << 953n, 1n],
        },
      ],
      hasAllocations: false,
    }
    const cInf: CostShares = { shares: [[1n << 1024n, 1n << 100n]], unit: 1n, den: 1n << 100n }
    assert.ok(refFit(inf, cInf))
    failures.push(...termFailures(inf, cInf, new Uint8Array(1), 'infinite ratio'))
    assert.deepEqual(failures, [])
  })

  test('random near-tie shares over extreme amounts (800 networks): every term ≥ π − C exactly, node ≥ brute', () => {
    const rng = createRng(777)
    const failures: string[] = []
    let checked = 0
    for (let i = 0; i < 800; i++) {
      const stakes = Array.from({ length: rng.int(1, 5) }, () =>
        i % 4 === 0 ? BigInt(rng.int(0, 50)) : (HUGE[rng.int(0, HUGE.length - 1)] as bigint),
      )
      const n = network(rng, stakes, i % 2 === 1)
      const den = [1n, 1n << 40n, 1n << 200n][rng.int(0, 2)] as bigint
      const c = nearTies(rng, n, den)
      assert.ok(refFit(n, c))
      assert.equal(sharesFit(n, c), true)
      const fixed = Uint8Array.from(n.services, () => [FREE, FREE, IN, OUT][rng.int(0, 3)] as number)
      failures.push(...termFailures(n, c, fixed, `network ${i}`))
      const best = bruteUnderFixing(n, fixed)
      if (best !== null) {
        const b = shareNodeBound(n, c, fixed)
        if (b.num < best * b.den) failures.push(`network ${i}: node bound ${b.num}/${b.den} < brute ${best}`)
      }
      checked++
    }
    assert.deepEqual(failures, [])
    assert.equal(checked, 800)
  })

  test('sharesFit at an operator’s cap: cap − 1 and cap fit, cap + 1 and cap + 2 do not (units 1–10^30)', () => {
    const rng = createRng(9)
    let over = 0
    for (let i = 0; i < 300; i++) {
      const base = randomNetwork(rng, {
        operators: rng.int(1, 5),
        services: rng.int(2, 5),
        membersPerService: [1, 5],
        allocations: i % 2 === 1,
      })
      const n = parseRiskInput(scaled(base, [1n, 10n ** 30n][i % 2] as bigint))
      const unit = [1n, 3n, 10n ** 30n, largestAmount(n)][rng.int(0, 3)] as bigint
      const den = [1n, 13n, 1n << 40n][rng.int(0, 2)] as bigint
      const v = rng.int(0, n.operators.length - 1)
      const delta = BigInt(rng.int(-1, 2))
      let rest = ((n.operators[v]?.stake ?? 0n) * den) / unit + delta
      if (rest < 0n) continue
      const shares = n.services.map((s) =>
        s.members.map((w, k) => {
          if (w !== v) return 0n
          const max = ((s.memberStake[k] ?? 0n) * den) / unit
          const l = max < rest ? max : rest
          rest -= l
          return l
        }),
      )
      if (rest > 0n) continue // the allocations cannot hold cap + δ
      const c: CostShares = { shares, unit, den }
      assert.equal(sharesFit(n, c), refFit(n, c), `network ${i}, δ ${delta}`)
      assert.equal(sharesFit(n, c), delta <= 0n, `network ${i}, δ ${delta}`)
      if (delta > 0n) over++
    }
    assert.ok(over >= 40, `only ${over} share sets over an operator's cap`)
  })

  test('sharesFit with a unit or denominator ≤ 0 (the cross-multiplication fallback) equals the reference', () => {
    const rng = createRng(5)
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, { operators: rng.int(1, 4), services: rng.int(1, 3), membersPerService: [1, 4] }),
      )
      const unit = [0n, -1n, -7n, 1n, 3n][rng.int(0, 4)] as bigint
      const den = [0n, -1n, 1n, 1n << 40n][rng.int(0, 3)] as bigint
      const shares = n.services.map((s) => s.members.map(() => BigInt(rng.int(-1, 200))))
      const c: CostShares = { shares, unit, den }
      assert.equal(sharesFit(n, c), refFit(n, c), `network ${i}, unit ${unit}, den ${den}`)
    }
  })
})

describe('review: the branching with 8 first price evaluations against enumeration', () => {
  test('120 small networks (both models, three regimes, amounts ×1 and ×2^1100), limits of 0–40 ms too', async () => {
    const highs = await loadHighs()
    const rng = createRng(606)
    const failures: string[] = []
    let proven = 0
    let branched = 0
    for (let i = 0; i < 120; i++) {
      const base = randomNetwork(rng, {
        operators: rng.int(2, 7),
        services: rng.int(2, 5),
        membersPerService: [1, 5],
        allocations: i % 2 === 1,
        profitFactor: SMALL_REGIMES[i % 3] as [number, number],
      })
      const n = parseRiskInput(i % 4 === 3 ? scaled(base, 1n << 1100n) : base)
      const truth = bruteMostProfitable(n)
      const best = truth === null || truth < 0n ? 0n : truth
      const budgetMs = i % 5 === 4 ? [0, 1, 5, 40][rng.int(0, 3)] : 2000
      const r = serviceBranch(n, { budgetMs, highs, roundedMinEdges: 0 })
      if (r.nodes > 1) branched++
      if (r.attack && !isValidAttack(n, r.attack)) failures.push(`network ${i}: invalid attack`)
      if (r.attack && attackProfit(n, r.attack) - attackCost(n, r.attack) !== r.value)
        failures.push(`network ${i}: value ${r.value} is not the attack's`)
      if (r.value > best) failures.push(`network ${i}: value ${r.value} above the truth ${best}`)
      if (r.proven) {
        proven++
        if (r.value !== best) failures.push(`network ${i}: proven ${r.value}, truth ${best}`)
      } else if (r.bound < Number(best) * (1 - 1e-12))
        failures.push(`network ${i}: open bound ${r.bound} < truth ${best}`)
    }
    assert.deepEqual(failures, [])
    assert.ok(proven >= 95, `proven only ${proven}`)
    assert.ok(branched >= 30, `the branching went past the root on only ${branched}`)
  })
})
