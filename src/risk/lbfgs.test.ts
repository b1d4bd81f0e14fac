import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { lbfgsDirection, lbfgsRemember } from './lbfgs.ts'
import { createRng } from './rng.ts'

/** Nocedal & Wright's two loops as written (a pass for each dot product and each update): the fused loops' reference. */
function textbook(
  g: Float64Array,
  sH: readonly Float64Array[],
  yH: readonly Float64Array[],
  rho: readonly number[],
  tau: number,
): Float64Array {
  const N = g.length
  const dir = Float64Array.from(g)
  const k = sH.length
  const alpha: number[] = []
  const dot = (u: Float64Array, v: Float64Array) => {
    let d = 0
    for (let i = 0; i < N; i++) d += (u[i] as number) * (v[i] as number)
    return d
  }
  for (let j = k - 1; j >= 0; j--) {
    alpha[j] = (rho[j] as number) * dot(sH[j] as Float64Array, dir)
    for (let i = 0; i < N; i++)
      dir[i] = (dir[i] as number) - (alpha[j] as number) * ((yH[j] as Float64Array)[i] as number)
  }
  if (k > 0) {
    const sl = sH[k - 1] as Float64Array,
      yl = yH[k - 1] as Float64Array
    let sy = 0,
      yy = 0
    for (let i = 0; i < N; i++) {
      sy += (sl[i] as number) * (yl[i] as number)
      yy += (yl[i] as number) ** 2
    }
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) * (sy / yy)
  } else {
    const scale = tau / Math.max(1e-300, Math.sqrt(dot(g, g)))
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) * scale
  }
  for (let j = 0; j < k; j++) {
    const coef = (alpha[j] as number) - (rho[j] as number) * dot(yH[j] as Float64Array, dir)
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) + coef * ((sH[j] as Float64Array)[i] as number)
  }
  return dir
}

describe('L-BFGS two-loop recursion (lbfgs.ts)', () => {
  test('the fused passes give the textbook direction to the bit, with the history’s arrays reused (300 runs)', () => {
    const rng = createRng(7)
    for (let t = 0; t < 300; t++) {
      const N = 1 + (t % 40)
      const M = 1 + (t % 13)
      const sH: Float64Array[] = [],
        yH: Float64Array[] = [],
        rho: number[] = []
      let x = Float64Array.from({ length: N }, () => rng.next())
      let g = Float64Array.from({ length: N }, () => rng.next() - 0.5)
      for (let step = 0; step < 25; step++) {
        const dir = new Float64Array(N)
        lbfgsDirection(g, dir, sH, yH, rho, new Float64Array(M), 0.1)
        assert.deepEqual(dir, textbook(g, sH, yH, rho, 0.1), `run ${t} step ${step}`)
        assert.ok(sH.length <= M && yH.length === sH.length && rho.length === sH.length)
        const xn = Float64Array.from(x, (v, i) => v - 0.3 * (dir[i] as number))
        // a gradient that sometimes turns (s·y ≤ 0 pairs are skipped)
        const gn = Float64Array.from(g, (v) => v * (rng.next() < 0.1 ? -1 : 0.7) + (rng.next() - 0.5) * 0.1)
        lbfgsRemember(x, xn, g, gn, sH, yH, rho, M)
        x = xn
        g = gn
      }
    }
  })
})
