import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteUnderFixing } from './bruteForce.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { buildShareCore, evaluate, FREE, IN, OUT, workspace } from './shareCore.ts'
import { buildFlowGraph, priceBound } from './shareFlow.ts'

/**
 * max over IN ⊆ A ⊆ IN ∪ FREE of Σ_{s∈A} (π_s − μ_s need_s) + Σ_v max(0, Σ_{s∈A} μ_s a_vs − σ_v), by enumeration:
 * what the minimum cut must equal (straight from the definition, no flow).
 */
function bruteG(core: ReturnType<typeof buildShareCore>, mu: Float64Array, fixed: Uint8Array): number {
  const free = [...fixed.keys()].filter((s) => fixed[s] === FREE)
  let best = Number.NEGATIVE_INFINITY
  for (let mask = 0; mask < 1 << free.length; mask++) {
    const inA = Uint8Array.from(fixed, (f) => (f === IN ? 1 : 0))
    free.forEach((s, i) => {
      if (mask & (1 << i)) inA[s] = 1
    })
    let h = 0
    const load = new Float64Array(core.sigma.length)
    for (let s = 0; s < core.S; s++) {
      if (!inA[s]) continue
      h += (core.profit[s] as number) - (mu[s] as number) * (core.need[s] as number)
      for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++)
        load[core.owner[e] as number] =
          (load[core.owner[e] as number] as number) + (mu[s] as number) * (core.a[e] as number)
    }
    load.forEach((l, v) => {
      h += Math.max(0, l - (core.sigma[v] as number))
    })
    best = Math.max(best, h)
  }
  return best
}

describe('node bounds over prices per service (max flow)', () => {
  test('g(μ) bounds every attack a node allows, its flow fits every stake, and its cut is a subgradient (seed 31)', () => {
    // Random prices and fixings on small hard-regime networks, both models. A flow that broke a capacity, a wrong
    // source capacity (a free service counted below 0, a forced one clipped at 0) or a cut read on the wrong side
    // fails one of the three checks.
    const rng = createRng(31)
    let compared = 0
    let subgradients = 0
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(4, 7),
          services: rng.int(3, 6),
          membersPerService: [2, 6],
          allocations: i % 3 === 2,
          profitFactor: i % 2 === 0 ? [0.05, 0.35] : [0.2, 0.9],
        }),
      )
      const core = buildShareCore(n)
      const graph = buildFlowGraph(core)
      const ws = workspace(core)
      const fixed = Uint8Array.from(n.services, () => [FREE, FREE, IN, OUT][rng.int(0, 3)] as number)
      const mu = Float64Array.from(n.services, () => rng.next())
      const ev = priceBound(core, graph, mu, fixed, null)
      const unit = Number(core.unit)
      const tol = 1e-9
      // the shares: within μ_s a_vs, each operator within its stake, none on a service left out
      const used = new Float64Array(core.sigma.length)
      for (let e = 0; e < core.E; e++) {
        const s = core.svcOf[e] as number
        const l = ev.lam[e] as number
        assert.ok(l >= 0 && l <= (mu[s] as number) * (core.a[e] as number) + tol, `network ${i}: share ${e}`)
        if (fixed[s] === OUT) assert.equal(l, 0)
        used[core.owner[e] as number] = (used[core.owner[e] as number] as number) + l
      }
      used.forEach((u, v) => {
        assert.ok(u <= (core.sigma[v] as number) + tol, `network ${i}: operator ${v}`)
      })
      // the greedy cover is the cheapest, so the shares' own bound is at most g
      assert.ok(evaluate(core, ev.lam, fixed, ws).value <= ev.value + tol, `network ${i}: L above g`)
      // the flow's value is the best attack's bound at these prices (minimum cut = maximum flow)
      const exact = bruteG(core, mu, fixed)
      assert.ok(Math.abs(ev.value - exact) <= 1e-9, `network ${i}: g ${ev.value}, by enumeration ${exact}`)
      // warm-started from its own shares, the flow is as large
      assert.ok(Math.abs(priceBound(core, graph, mu, fixed, ev.lam).value - ev.value) <= tol)
      // a bound on every attack the node allows (profits in the core are inflated by 1e-7: compare with that slack)
      const best = bruteUnderFixing(n, fixed)
      if (best !== null) {
        compared++
        assert.ok(
          ev.value * unit >= Number(best) - 1e-6 * unit,
          `network ${i}: g ${ev.value * unit} < ${best}`,
        )
      }
      // subgradient inequality at other prices
      for (let t = 0; t < 5; t++) {
        const nu = Float64Array.from(n.services, () => rng.next())
        const other = priceBound(core, graph, nu, fixed, null).value
        let lin = ev.value
        for (let s = 0; s < core.S; s++)
          lin += (ev.grad[s] as number) * ((nu[s] as number) - (mu[s] as number))
        assert.ok(other >= lin - 1e-9, `network ${i}: g(ν) ${other} below the cut's linearisation ${lin}`)
        subgradients++
      }
    }
    assert.ok(compared >= 120, `only ${compared} nodes allowed an attack`)
    assert.equal(subgradients, 1000)
  })
})
