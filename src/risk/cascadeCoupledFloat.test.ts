import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { shockBudget } from './cascadeBound.ts'
import {
  buildCascadeCoupled,
  cascadeCoupledValue,
  knapsackFloat,
  searchCascadeCoupled,
} from './cascadeCoupled.ts'
import { parseRiskInput } from './input.ts'
import { randomNetwork } from './randomNetwork.ts'
import { rat } from './rational.ts'
import { createRng } from './rng.ts'

/** The fractional knapsack by a sort (the densest first, the last in part): what the selection must equal. */
function bySort(gain: Float64Array, sigma: Float64Array, psi: number): number {
  let val = 0
  const idx: number[] = []
  for (let v = 0; v < gain.length; v++) {
    const g = gain[v] as number
    if (!(g > 0)) continue
    if ((sigma[v] as number) <= 0) val += g
    else idx.push(v)
  }
  idx.sort((i, j) => (gain[j] as number) / (sigma[j] as number) - (gain[i] as number) / (sigma[i] as number))
  let room = psi
  for (const v of idx) {
    const s = sigma[v] as number
    if (s <= room) {
      val += gain[v] as number
      room -= s
    } else {
      val += ((gain[v] as number) * room) / s
      break
    }
  }
  return val
}

describe('the shock’s fractional knapsack in floats (cascadeCoupled.ts knapsackFloat)', () => {
  test('equals the sorted fractional knapsack on 2,000 item sets (ties, zero stakes, negative gains, any budget)', () => {
    const rng = createRng(14)
    for (let t = 0; t < 2000; t++) {
      const V = 1 + Math.floor(rng.next() * (t % 4 === 0 ? 300 : 12))
      const gain = new Float64Array(V)
      const sigma = new Float64Array(V)
      // few distinct values in some sets, so ratios tie and the budget's edge falls among the ties
      const coarse = t % 3 === 0
      for (let v = 0; v < V; v++) {
        sigma[v] = coarse ? Math.floor(rng.next() * 4) : rng.next() < 0.05 ? 0 : rng.next() * 100
        gain[v] = coarse ? Math.floor(rng.next() * 5) - 1 : (rng.next() - 0.3) * 50
      }
      let all = 0
      for (let v = 0; v < V; v++) all += sigma[v] as number
      const psi = t % 7 === 0 ? 0 : rng.next() * all * 1.2
      const want = bySort(gain, sigma, psi)
      const got = knapsackFloat(gain, sigma, psi)
      assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `set ${t}: ${got} ≠ ${want}`)
    }
  })
})

describe('the coupled cascade search’s best value (cascadeCoupled.ts, the unsmoothed L kept beside the smoothed one)', () => {
  test('equals cascadeCoupledValue at the multipliers it returns, to the bit (200 networks, random fixings)', () => {
    const rng = createRng(15)
    for (let i = 0; i < 200; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 30),
          services: rng.int(1, 8),
          membersPerService: [1, 8],
          allocations: i % 2 === 1,
          profitFactor: i % 3 === 0 ? [0.02, 0.25] : [0.2, 0.7],
        }),
      )
      const c = buildCascadeCoupled(n, shockBudget(n, rat(BigInt(i % 4), 10n)))
      const fixed =
        i % 3 === 2
          ? undefined
          : Uint8Array.from({ length: c.S }, () => [0, 0, 1, 2][rng.int(0, 3)] as number)
      const r = searchCascadeCoupled(c, { maxIterations: 40, deadline: Number.POSITIVE_INFINITY, fixed })
      assert.equal(r.value, cascadeCoupledValue(c, r.lam, r.p, r.theta, fixed), `network ${i}`)
    }
  })
})
