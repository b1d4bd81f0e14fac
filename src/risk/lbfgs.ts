/**
 * L-BFGS's two-loop recursion (Nocedal & Wright, Algorithm 7.4), shared by the coupled Lagrangians' float searches
 * (coupledCore.ts for the verdict, cascadeCoupled.ts for the cascade). Nothing here proves anything: the searches'
 * multipliers are checked exactly elsewhere.
 *
 * Writes into `dir` the quasi-Newton direction H·g for the gradient `g` from the last pairs (s_j, y_j) with
 * ρ_j = 1/(y_j·s_j), scaled by s·y / y·y of the newest pair; with no pair yet, `g` scaled to length `tau`. The
 * caller steps along −dir. `alpha` is scratch of at least the history's length.
 */
export function lbfgsDirection(
  g: Float64Array,
  dir: Float64Array,
  sHist: readonly Float64Array[],
  yHist: readonly Float64Array[],
  rhoHist: readonly number[],
  alpha: Float64Array,
  tau: number,
): void {
  const N = g.length
  dir.set(g)
  const k = sHist.length
  if (k === 0) {
    let gg = 0
    for (let i = 0; i < N; i++) gg += (g[i] as number) ** 2
    const scale = tau / Math.max(1e-300, Math.sqrt(gg))
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) * scale
    return
  }
  // Each pass over the arrays updates dir and takes the next pair's dot product with the updated values (the same
  // arithmetic, in the same order, as a pass for each): half the passes of the textbook loops, which were the
  // largest part of the coupled cascade branching's CPU at 1,000 × 100 (N ≈ 5,100, 12 pairs).
  const newest = sHist[k - 1] as Float64Array
  let d = 0
  for (let i = 0; i < N; i++) d += (newest[i] as number) * (dir[i] as number)
  for (let j = k - 1; j >= 0; j--) {
    const aj = (rhoHist[j] as number) * d
    alpha[j] = aj
    const yj = yHist[j] as Float64Array
    if (j > 0) {
      const next = sHist[j - 1] as Float64Array
      d = 0
      for (let i = 0; i < N; i++) {
        const v = (dir[i] as number) - aj * (yj[i] as number)
        dir[i] = v
        d += (next[i] as number) * v
      }
    } else for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) - aj * (yj[i] as number)
  }
  const sl = sHist[k - 1] as Float64Array,
    yl = yHist[k - 1] as Float64Array
  let sy = 0,
    yy = 0
  for (let i = 0; i < N; i++) {
    sy += (sl[i] as number) * (yl[i] as number)
    yy += (yl[i] as number) ** 2
  }
  const gamma = sy / yy
  const first = yHist[0] as Float64Array
  d = 0
  for (let i = 0; i < N; i++) {
    const v = (dir[i] as number) * gamma
    dir[i] = v
    d += (first[i] as number) * v
  }
  for (let j = 0; j < k; j++) {
    const coef = (alpha[j] as number) - (rhoHist[j] as number) * d
    const sj = sHist[j] as Float64Array
    if (j + 1 < k) {
      const next = yHist[j + 1] as Float64Array
      d = 0
      for (let i = 0; i < N; i++) {
        const v = (dir[i] as number) + coef * (sj[i] as number)
        dir[i] = v
        d += (next[i] as number) * v
      }
    } else for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) + coef * (sj[i] as number)
  }
}

/**
 * Keeps the step's pair s = xNew − x, y = gNew − g (before the caller moves x and g on) in the history, the oldest
 * dropped past `M` pairs; a pair without positive curvature (s·y ≤ 1e-300) is skipped, as it would break H's
 * positive definiteness. The dropped pair's arrays are reused for the new one: a fresh pair a step was a tenth of
 * the coupled cascade branching's CPU in allocation and collection (1,000 × 100: two arrays of 5,100 a step).
 */
export function lbfgsRemember(
  x: Float64Array,
  xNew: Float64Array,
  g: Float64Array,
  gNew: Float64Array,
  sHist: Float64Array[],
  yHist: Float64Array[],
  rhoHist: number[],
  M: number,
): void {
  // no history allowed: keep nothing (the shift below would otherwise leave one pair, past alpha's M slots)
  if (!(M > 0)) return
  const N = x.length
  let sy = 0
  for (let i = 0; i < N; i++)
    sy += ((xNew[i] as number) - (x[i] as number)) * ((gNew[i] as number) - (g[i] as number))
  if (!(sy > 1e-300)) return
  let sv: Float64Array | undefined
  let yv: Float64Array | undefined
  if (sHist.length >= M) {
    sv = sHist.shift()
    yv = yHist.shift()
    rhoHist.shift()
  }
  if (sv === undefined || sv.length !== N) sv = new Float64Array(N)
  if (yv === undefined || yv.length !== N) yv = new Float64Array(N)
  for (let i = 0; i < N; i++) {
    sv[i] = (xNew[i] as number) - (x[i] as number)
    yv[i] = (gNew[i] as number) - (g[i] as number)
  }
  sHist.push(sv)
  yHist.push(yv)
  rhoHist.push(1 / sy)
}
