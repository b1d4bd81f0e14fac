import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { bruteUnderFixing } from './bruteForce.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { createRng } from './rng.ts'
import { buildShareCore, evaluate, FREE, IN, OUT, type ShareCore, workspace } from './shareCore.ts'
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

/**
 * A plain maximum flow to compare with: the same network (source → s → v → sink, capacities from the prices and
 * fixings as priceBound documents them) as a dense capacity matrix, augmented along shortest paths (Edmonds–Karp)
 * from zero. Returns the flow's value, the edge flows and the nodes the source still reaches (the minimal source
 * side of a minimum cut, the same for every maximum flow).
 */
function referenceFlow(c: ShareCore, mu: Float64Array, fixed: Uint8Array) {
  const S = c.S
  const V = c.sigma.length
  const N = S + V + 2
  const sink = N - 1
  const cap = new Float64Array(N * N)
  let counted = 0
  for (let s = 0; s < S; s++) {
    if (fixed[s] === OUT) continue
    const m = mu[s] as number
    let total = 0
    for (let e = c.svcStart[s] as number; e < (c.svcStart[s + 1] as number); e++) {
      const ce = m * (c.a[e] as number)
      const k = (1 + s) * N + 1 + S + (c.owner[e] as number)
      cap[k] = (cap[k] as number) + ce
      total += ce
    }
    const w = (c.profit[s] as number) - m * (c.need[s] as number) + total
    counted += w
    cap[1 + s] = fixed[s] === IN ? total * 2 + 1 : w
  }
  for (let v = 0; v < V; v++) cap[(1 + S + v) * N + sink] = c.sigma[v] as number
  const residual = Float64Array.from(cap)
  const reach = (): Int32Array => {
    const prev = new Int32Array(N).fill(-1)
    prev[0] = 0
    const queue = [0]
    for (let qh = 0; qh < queue.length; qh++) {
      const u = queue[qh] as number
      for (let v = 0; v < N; v++)
        if ((prev[v] as number) < 0 && (residual[u * N + v] as number) > 1e-13) {
          prev[v] = u
          queue.push(v)
        }
    }
    return prev
  }
  let value = 0
  for (let prev = reach(); (prev[sink] as number) >= 0; prev = reach()) {
    let f = Number.POSITIVE_INFINITY
    for (let v = sink; v !== 0; v = prev[v] as number)
      f = Math.min(f, residual[(prev[v] as number) * N + v] as number)
    for (let v = sink; v !== 0; v = prev[v] as number) {
      const u = prev[v] as number
      residual[u * N + v] = (residual[u * N + v] as number) - f
      residual[v * N + u] = (residual[v * N + u] as number) + f
    }
    value += f
  }
  const prev = reach()
  return {
    value: counted - value,
    sourceSide: (node: number) => (prev[node] as number) >= 0,
    N,
  }
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
  test('every evaluation equals a plain maximum flow, also re-solved from the last flow at new prices and fixings (seed 47)', () => {
    // priceBound keeps its network between calls and starts each flow from given shares cut back to the new
    // capacities: a repair that kept flow above a lowered capacity, or flow left on a service now left out, or
    // anything carried over from the last call, would show as a wrong value, shares past a capacity or a different
    // cut. Chains of 25 evaluations per network: prices moved a little (a step) or a lot, a service's fixing
    // changed, warm shares from the last evaluation, from nothing, or random (past every capacity).
    const rng = createRng(47)
    let evaluations = 0
    for (let i = 0; i < 160; i++) {
      const large = i % 8 === 7
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: large ? rng.int(60, 120) : rng.int(3, 14),
          services: large ? rng.int(10, 20) : rng.int(2, 7),
          membersPerService: large ? [5, 40] : [1, 8],
          allocations: i % 3 === 2,
          profitFactor: i % 2 === 0 ? [0.05, 0.35] : [0.2, 0.9],
        }),
      )
      const core = buildShareCore(n)
      const graph = buildFlowGraph(core)
      const fixed = Uint8Array.from(n.services, () => [FREE, FREE, FREE, IN, OUT][rng.int(0, 4)] as number)
      const mu = Float64Array.from(n.services, () => rng.next())
      let warm: Float64Array | null = null
      let last: { lam: Float64Array; copy: Float64Array } | null = null
      for (let t = 0; t < 25; t++) {
        const ev = priceBound(core, graph, mu, fixed, warm)
        // the shares returned are the caller's: the next evaluation must not write into the last one's
        if (last) assert.deepEqual(last.lam, last.copy, `network ${i} step ${t}: earlier shares overwritten`)
        last = { lam: ev.lam, copy: Float64Array.from(ev.lam) }
        const ref = referenceFlow(core, mu, fixed)
        evaluations++
        const tol = 1e-9 * Math.max(1, Math.abs(ref.value))
        assert.ok(
          Math.abs(ev.value - ref.value) <= tol,
          `network ${i} step ${t}: g ${ev.value}, reference ${ref.value}`,
        )
        // the shares are a flow: within every capacity, and what they carry is what the value says
        const used = new Float64Array(core.sigma.length)
        let carried = 0
        let counted = 0
        for (let s = 0; s < core.S; s++) {
          if (fixed[s] === OUT) continue
          let total = 0
          let sent = 0
          for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++) {
            total += (mu[s] as number) * (core.a[e] as number)
            sent += ev.lam[e] as number
          }
          const w = (core.profit[s] as number) - (mu[s] as number) * (core.need[s] as number) + total
          counted += w
          if (fixed[s] === FREE)
            assert.ok(sent <= w + 1e-12, `network ${i} step ${t}: service ${s} sends ${sent} > ${w}`)
        }
        for (let e = 0; e < core.E; e++) {
          const s = core.svcOf[e] as number
          const l = ev.lam[e] as number
          if (fixed[s] === OUT) assert.equal(l, 0, `network ${i} step ${t}: flow on a service left out`)
          assert.ok(
            l >= 0 && l <= (mu[s] as number) * (core.a[e] as number) + 1e-15,
            `network ${i} step ${t}: edge ${e}`,
          )
          used[core.owner[e] as number] = (used[core.owner[e] as number] as number) + l
          carried += l
        }
        used.forEach((u, v) => {
          assert.ok(
            u <= (core.sigma[v] as number) + 1e-12,
            `network ${i} step ${t}: operator ${v} over its stake`,
          )
        })
        assert.ok(
          Math.abs(counted - carried - ev.value) <= tol,
          `network ${i} step ${t}: value is not the flow's`,
        )
        // the cut: the services the source still reaches, and the subgradient read off the operators it reaches
        for (let s = 0; s < core.S; s++) {
          const onSource = fixed[s] === IN || (fixed[s] === FREE && ref.sourceSide(1 + s))
          assert.equal(
            ev.attacked[s],
            onSource ? 1 : 0,
            `network ${i} step ${t}: service ${s} on the wrong side`,
          )
          if (!onSource) continue
          let d = -(core.need[s] as number)
          for (let e = core.svcStart[s] as number; e < (core.svcStart[s + 1] as number); e++)
            if (ref.sourceSide(1 + core.S + (core.owner[e] as number))) d += core.a[e] as number
          assert.ok(
            Math.abs((ev.grad[s] as number) - d) <= 1e-12,
            `network ${i} step ${t}: subgradient of ${s}`,
          )
        }
        // the next evaluation: a price step (most often) or a jump, sometimes a fixing changed; warm from this one
        const kind = rng.int(0, 9)
        for (let s = 0; s < core.S; s++) {
          const m = mu[s] as number
          mu[s] =
            kind < 7
              ? Math.min(1, Math.max(0, m + (rng.next() - 0.5) * 0.3))
              : rng.int(0, 3) === 0
                ? rng.int(0, 1)
                : rng.next()
        }
        if (kind === 9) fixed[rng.int(0, core.S - 1)] = [FREE, IN, OUT][rng.int(0, 2)] as number
        warm = kind === 8 ? null : kind === 7 ? Float64Array.from(ev.lam, () => rng.next()) : ev.lam
      }
    }
    assert.equal(evaluations, 160 * 25)
  })
})
