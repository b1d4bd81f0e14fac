import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { efficacy, type IntRow, mirCut, separateMir } from './coverCuts.ts'
import { createRng } from './rng.ts'

/** Every binary point of n columns. */
function* points(n: number): Generator<Float64Array> {
  for (let mask = 0; mask < 1 << n; mask++) yield Float64Array.from({ length: n }, (_, k) => (mask >> k) & 1)
}

const holds = (r: IntRow, x: Float64Array) =>
  r.g.reduce((s, g, k) => s + g * BigInt(x[r.cols[k] as number] as number), 0n) >= r.h

describe('c-MIR cuts of covering rows', () => {
  test('every cut holds at every binary point meeting its row, for any complementing and divisor (seed 47)', () => {
    const rng = createRng(47)
    let cuts = 0
    let tight = 0
    for (let i = 0; i < 400; i++) {
      const n = rng.int(2, 8)
      // covering rows as the leaves have (non-negative), and on every fifth mixed signs (cuts of cuts)
      const g = Array.from({ length: n }, () => BigInt(rng.int(i % 5 === 4 ? -40 : 0, 60)))
      const total = g.reduce((s, v) => s + (v > 0n ? v : 0n), 0n)
      const row: IntRow = {
        cols: Int32Array.from({ length: n }, (_, k) => k),
        g,
        h: BigInt(rng.int(1, Number(total) + 1)),
      }
      const mask = rng.int(0, (1 << n) - 1)
      const D = BigInt(rng.int(1, 70))
      const cut = mirCut(row, (k) => ((mask >> k) & 1) === 1, D)
      if (!cut) continue
      cuts++
      let cutsOff = false
      for (const x of points(n)) {
        if (!holds(row, x)) {
          if (!holds(cut, x)) cutsOff = true
          continue
        }
        assert.ok(
          holds(cut, x),
          `row ${i} (D ${D}, mask ${mask}): the cut removes the integer point ${x.join('')}`,
        )
      }
      if (cutsOff) tight++
    }
    assert.ok(cuts >= 300, `only ${cuts} cuts`)
    // not trivially valid: most cuts remove some point the row's LP allows or at least some binary non-solution
    assert.ok(tight >= 100, `only ${tight} cuts removed anything`)
  })

  test('separation finds a cut the LP point violates, and never one that removes an integer solution (seed 53)', () => {
    const rng = createRng(53)
    let found = 0
    for (let i = 0; i < 300; i++) {
      const n = rng.int(3, 9)
      const g = Array.from({ length: n }, () => BigInt(rng.int(1, 100)))
      const total = g.reduce((s, v) => s + v, 0n)
      const h = BigInt(rng.int(Math.floor(Number(total) / 4), Number(total) - 1))
      const row: IntRow = { cols: Int32Array.from({ length: n }, (_, k) => k), g, h }
      // a fractional LP point on the row: greedy by a random price, the last member in part
      const x = new Float64Array(n)
      let rest = Number(h)
      for (const k of [...g.keys()].sort(() => rng.next() - 0.5)) {
        if (rest <= 0) break
        const gk = Number(g[k] as bigint)
        x[k] = Math.min(1, rest / gk)
        rest -= (x[k] as number) * gk
      }
      const cut = separateMir(row, x)
      if (!cut) continue
      found++
      assert.ok(efficacy(cut, x) > 0, `row ${i}: the cut is not violated`)
      for (const p of points(n))
        if (holds(row, p)) assert.ok(holds(cut, p), `row ${i}: removes ${p.join('')}`)
    }
    assert.ok(found >= 100, `only ${found} cuts separated`)
  })
})
