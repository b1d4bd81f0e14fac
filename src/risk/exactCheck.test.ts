/**
 * The branching's exact check (toShares, sharesFit, shareTerms) made cheaper — per-network tables of
 * ⌊a·den/unit⌋ in place of cross-multiplication, and members skipped in the dual cover bound when their float
 * ratio shows their term is negative — must give the very same integers as the plain bigint versions (kept
 * below as references): on random small networks (both models), at amounts of 2^1100 (past a float), with shares
 * at, one above and one below every limit, and with members whose shares per unit of stake differ from the
 * critical member's by less than a float can see.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type CostShares, sharesFit, toShares } from './costShare.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import type { Network } from './network.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng, type Rng } from './rng.ts'
import { buildShareCore, FREE, IN, largestAmount, OUT } from './shareCore.ts'
import { shareTerms } from './shareNodeBound.ts'

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

const refToShares = (n: Network, lam: Float64Array, svcStart: Int32Array): bigint[][] => {
  const DEN = 1n << 40n
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

const ceilDiv = (p: bigint, q: bigint): bigint => {
  const d = p / q
  return d * q < p ? d + 1n : d
}

/** The dual cover bound with every member's term computed exactly and the critical member found by exact sort. */
const refTerms = (n: Network, c: CostShares, fixed: Uint8Array, crits: number[]): (bigint | null)[] =>
  n.services.map((s, si) => {
    if (fixed[si] === OUT) return null
    const row = c.shares[si] ?? []
    const stakes = s.memberStake
    const total = stakes.reduce((x, y) => x + y, 0n)
    const { num, den } = s.threshold
    let p = 0n
    let q = 1n
    const crit = crits[si] as number
    if (crit >= 0) {
      const lc = row[crit] as bigint
      const ac = stakes[crit] as bigint
      let excess = 0n
      for (let k = 0; k < stakes.length; k++) {
        const x = lc * (stakes[k] as bigint) - (row[k] as bigint) * ac
        if (x > 0n) excess += x
      }
      p = lc * num * total - den * excess
      q = ac * den
      if (p < 0n) p = 0n
    }
    return ceilDiv(s.profit * c.den * q - p * c.unit, c.unit * q)
  })

/**
 * The bound is the same whichever member the floats call critical only when that member is the same: the
 * reference takes every member as the critical one in turn and the one shareTerms returned must be among them.
 */
const termsForAnyCritical = (n: Network, c: CostShares, fixed: Uint8Array): Set<string>[] =>
  n.services.map((s, si) => {
    const out = new Set<string>()
    for (let k = -1; k < s.members.length; k++) {
      if (k >= 0 && (s.memberStake[k] ?? 0n) === 0n) continue
      const crits = n.services.map(() => -1)
      crits[si] = k
      out.add(String(refTerms(n, c, fixed, crits)[si]))
    }
    return out
  })

/** Every amount of the input times `scale` (amounts as decimal strings: exact at any size). */
const scaled = (input: RiskInput, scale: bigint): RiskInput => ({
  operators: input.operators.map((o) => ({ ...o, stake: (BigInt(o.stake) * scale).toString() })),
  services: input.services.map((s) => ({ ...s, profit: (BigInt(s.profit) * scale).toString() })),
  ...(input.allocations
    ? { allocations: input.allocations.map((a) => ({ ...a, stake: (BigInt(a.stake) * scale).toString() })) }
    : {}),
})

/**
 * Shares over den = 2^60 where, on each service, every member's share per unit of stake is the same ratio rounded
 * down and then lowered by 0–2 units: ratios within 2^-50 of each other, which no float tells apart.
 */
const nearTieShares = (rng: Rng, n: Network): CostShares => {
  const den = 1n << 60n
  const unit = 1n
  const used = n.operators.map(() => 0n)
  const shares = n.services.map((s) => {
    const p = BigInt(rng.int(1, 1000))
    const q = 1000n * BigInt(n.services.length)
    return s.members.map((v, k) => {
      const a = s.memberStake[k] ?? 0n
      let l = (a * den * p) / q - BigInt(rng.int(0, 2))
      if (l < 0n) l = 0n
      const room = (n.operators[v]?.stake ?? 0n) * den - (used[v] ?? 0n)
      if (l > room) l = room
      used[v] = (used[v] ?? 0n) + l
      return l
    })
  })
  return { shares, unit, den }
}

describe('the exact check’s fast paths agree with plain bigint arithmetic', () => {
  test('shareTerms equals the exact dual bound at the member it calls critical, sharesFit and toShares the references', () => {
    const rng = createRng(2024)
    let nearTies = 0
    for (let i = 0; i < 300; i++) {
      const allocations = i % 2 === 1
      const base = randomNetwork(rng, {
        operators: rng.int(3, 9),
        services: rng.int(1, 5),
        membersPerService: [1, 6],
        allocations,
        profitFactor: SMALL_REGIMES[i % 3] as [number, number],
      })
      const big = i % 5 === 4 ? 1n << 1100n : i % 5 === 3 ? 10n ** 30n : 1n
      const n = parseRiskInput(scaled(base, big))
      const core = buildShareCore(n)
      // floats near and past every limit, so that rounding, the per-edge cap and the operator's scaling all occur
      const lam = Float64Array.from({ length: core.E }, (_, e) => (core.a[e] as number) * rng.next() * 1.5)
      const s1 = toShares(n, lam, core.svcStart)
      assert.deepEqual(s1.shares, refToShares(n, lam, core.svcStart), `toShares, network ${i}`)
      const fixed = Uint8Array.from(
        { length: n.services.length },
        () => [FREE, IN, OUT][rng.int(0, 2)] as number,
      )
      for (const c of [s1, nearTieShares(rng, n)]) {
        assert.equal(sharesFit(n, c), refFit(n, c), `sharesFit, network ${i}`)
        if (!refFit(n, c)) continue
        const terms = shareTerms(n, c, fixed)
        const allowed = termsForAnyCritical(n, c, fixed)
        terms.forEach((t, si) => {
          if (t === null) {
            assert.equal(fixed[si], OUT)
            return
          }
          assert.ok(
            allowed[si]?.has(String(t)),
            `network ${i} service ${si}: term ${t} is no member's exact bound`,
          )
        })
        if (c !== s1) nearTies++
      }
      // shares one unit above a limit (an edge's or an operator's) must not fit; at the limit they must
      const c = toShares(n, lam, core.svcStart)
      const si = rng.int(0, n.services.length - 1)
      const row = c.shares[si] as bigint[]
      if (row.length === 0) continue
      const k = rng.int(0, row.length - 1)
      const limit = ((n.services[si]?.memberStake[k] ?? 0n) * c.den) / c.unit
      for (const delta of [-1n, 0n, 1n]) {
        const trial = { ...c, shares: c.shares.map((r) => [...r]) }
        ;(trial.shares[si] as bigint[])[k] = limit + delta
        assert.equal(sharesFit(n, trial), refFit(n, trial), `sharesFit at the limit ${delta}, network ${i}`)
      }
    }
    assert.ok(nearTies >= 250, `near-tie share sets checked: ${nearTies}`)
  })

  test('a member cheaper than the critical one by less than a float can see still counts (2^80 stakes)', () => {
    // Two members of 2^80 + 1 and 2^80; the critical one (the second, needed to reach the threshold of 1) has a
    // share per unit of stake a hair above the first's: the first's term x = l_c·a_1 − l_1·a_c is positive, and
    // skipping it would raise the cover's bound, lowering the node bound below the truth.
    const big = 1n << 80n
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: (big + 1n).toString() },
        { id: 'b', stake: big.toString() },
      ],
      services: [{ id: 's', profit: (big * 2n).toString(), threshold: 1, operators: ['a', 'b'] }],
    })
    const c: CostShares = { shares: [[big, big]], unit: 1n, den: 1n }
    const fixed = new Uint8Array(1)
    const terms = shareTerms(n, c, fixed)
    const allowed = termsForAnyCritical(n, c, fixed)
    assert.ok(allowed[0]?.has(String(terms[0])))
  })
})
