/**
 * Adversarial review of the float-filtered certified slack (slack.ts), the exhaustive cascade search
 * (smallCascade.ts) and the time limits (deadline.ts): each test is an attack that once broke, or could break, a
 * "proven exactly" answer. Every expected value here comes from the definitions (docs/risk.md), computed in
 * bigint by code that shares nothing with the code under test but verify.ts's checks.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { analyzeNetwork } from './analyze.ts'
import { parseRiskInput } from './input.ts'
import type { Network } from './network.ts'
import { add, cmp, div, min, ONE, type Rational, rat, ratToString, sub, toNumber, ZERO } from './rational.ts'
import { certifiedSlack } from './slack.ts'

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
  for (const [si, s] of n.services.entries()) {
    const ks = k[si] as Rational
    if (ks.num !== 0n) take(div(ONE, ks))
  }
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
    assert.equal(toNumber(rat(1n, 2n ** 1200n)), 0)
    assert.equal(toNumber(rat(2n ** 1200n, 3n)), Number.POSITIVE_INFINITY)
    // 2^1100 / 2^77 = 2^1023 is finite though 2^(shift difference) alone is not
    assert.equal(toNumber(rat(2n ** 1100n + 1n, 2n ** 77n)), 2 ** 1023)
  })
})
