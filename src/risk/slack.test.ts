import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mostProfitableAttack } from './attack.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { add, div, min, ONE, type Rational, rat, ratToString, sub, ZERO } from './rational.ts'
import { createRng } from './rng.ts'
import { cascadeBound, certifiedSlack } from './slack.ts'

/** γ by exact rational sums over every operator: the definition, without slack.ts's float filter. */
function exactSlack(n: ReturnType<typeof parseRiskInput>): Rational | null {
  const k = n.services.map((s) => {
    const stake = s.memberStake.reduce((a, b) => a + b, 0n)
    if (stake === 0n) return s.profit === 0n ? ZERO : null
    return div(rat(s.profit), rat(stake * s.threshold.num, s.threshold.den))
  })
  if (k.some((x) => x === null)) return rat(-1n)
  let best: Rational | null = null
  const load = n.operators.map(() => ZERO)
  n.services.forEach((s, si) => {
    const ks = k[si] as Rational
    if (ks.num === 0n) return
    best = best === null ? div(ONE, ks) : min(best, div(ONE, ks))
    s.members.forEach((v, j) => {
      load[v] = add(load[v] as Rational, rat((s.memberStake[j] ?? 0n) * ks.num, ks.den))
    })
  })
  n.operators.forEach((o, v) => {
    const l = load[v] as Rational
    if (l.num > 0n) best = best === null ? div(rat(o.stake), l) : min(best, div(rat(o.stake), l))
  })
  return best === null ? null : sub(best, ONE)
}

describe('certifiedSlack', () => {
  test('equals the all-exact computation on 200 random networks and on near ties below a float’s resolution', () => {
    const rng = createRng(77)
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(1, 40),
          services: rng.int(1, 8),
          membersPerService: [1, 12],
          allocations: i % 2 === 1,
          profitFactor: [0.01, 1.5],
        }),
      )
      const g = certifiedSlack(n)
      const e = exactSlack(n)
      assert.equal(g && ratToString(g), e && ratToString(e), `network ${i}`)
    }
    // a and b share s; t is a's alone, u b's alone and worth one unit more in 10^29: b's ratio is the smaller by
    // 1 part in 10^29, which a float cannot see (the first float minimum is a's). Only b's exact value is right.
    const big = 10n ** 30n
    const tie = parseRiskInput({
      operators: [
        { id: 'a', stake: String(big) },
        { id: 'b', stake: String(big) },
      ],
      services: [
        { id: 's', profit: String(big / 10n), threshold: 1, operators: ['a', 'b'] },
        { id: 't', profit: String(big / 10n), threshold: 1, operators: ['a'] },
        { id: 'u', profit: String(big / 10n + 1n), threshold: 1, operators: ['b'] },
      ],
    })
    const g = certifiedSlack(tie)
    const e = exactSlack(tie)
    assert.ok(g && e)
    assert.equal(ratToString(g), ratToString(e))
    // 1 + γ = σ_b / (σ_b k_s + σ_b k_u) = 1 / (1/20 + (10^29 + 1)/10^30)
    const kS = rat(big / 10n, 2n * big)
    const kU = rat(big / 10n + 1n, big)
    assert.equal(ratToString(g), ratToString(sub(div(ONE, add(kS, kU)), ONE)))
  })

  test('is 0 on the paper’s two-operator network', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 0.1 },
        { id: 'b', stake: 0.9 },
      ],
      services: [{ id: 's', profit: 1, threshold: 1, operators: ['a', 'b'] }],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '0')
  })

  test('sums an operator’s load over every service it restakes to', () => {
    // v secures two services each worth 6 at α = 1 with stake 10: load 6/10 + 6/10, so 1 + γ = 10/12.
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 10 }],
      services: [
        { id: 's1', profit: 6, threshold: 1, operators: ['v'] },
        { id: 's2', profit: 6, threshold: 1, operators: ['v'] },
      ],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '-1/6')
  })

  test('bounds each service on its own when allocations are below stake', () => {
    // v allocates 1 of its 100 to a service worth 2: its restaking load is tiny, but the service alone is
    // attackable for 1, so γ must be negative.
    const n = parseRiskInput({
      operators: [{ id: 'v', stake: 100 }],
      services: [{ id: 's', profit: 2, threshold: 1, operators: ['v'] }],
      allocations: [{ operator: 'v', service: 's', stake: 1 }],
    })
    assert.equal(ratToString(certifiedSlack(n) ?? rat(9n)), '-1/2')
  })

  test('is -1 when a service with profit has no stake behind it, and unbounded with no profit at all', () => {
    const free = parseRiskInput({
      operators: [{ id: 'v', stake: 0 }],
      services: [{ id: 's', profit: 1, threshold: 0.5, operators: ['v'] }],
    })
    assert.equal(ratToString(certifiedSlack(free) ?? rat(9n)), '-1')
    const idle = parseRiskInput({ operators: [{ id: 'v', stake: 3 }], services: [] })
    assert.equal(certifiedSlack(idle), null)
    assert.equal(ratToString(cascadeBound(null, rat(1n, 10n)) ?? rat(9n)), '1/10')
  })

  test('certifies only secure networks: γ ≥ 0 implies no attack (300 random networks, seed 4)', async () => {
    const rng = createRng(4)
    let certified = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(1, 6),
          services: rng.int(1, 3),
          membersPerService: [1, 4],
          allocations: i % 2 === 1,
          profitFactor: [0.05, 0.6],
        }),
      )
      const gamma = certifiedSlack(n)
      if (gamma === null || gamma.num >= 0n) {
        certified++
        assert.equal((await mostProfitableAttack(n)).attack, null, `network ${i}`)
      }
    }
    assert.ok(certified > 30, `only ${certified} networks were certified; the generator should produce more`)
  })
})
