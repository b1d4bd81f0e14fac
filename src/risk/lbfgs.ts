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
  for (let j = k - 1; j >= 0; j--) {
    let d = 0
    const sj = sHist[j] as Float64Array
    for (let i = 0; i < N; i++) d += (sj[i] as number) * (dir[i] as number)
    const aj = (rhoHist[j] as number) * d
    alpha[j] = aj
    const yj = yHist[j] as Float64Array
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) - aj * (yj[i] as number)
  }
  if (k > 0) {
    const sl = sHist[k - 1] as Float64Array,
      yl = yHist[k - 1] as Float64Array
    let sy = 0,
      yy = 0
    for (let i = 0; i < N; i++) {
      sy += (sl[i] as number) * (yl[i] as number)
      yy += (yl[i] as number) ** 2
    }
    const gamma = sy / yy
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) * gamma
  } else {
    let gg = 0
    for (let i = 0; i < N; i++) gg += (g[i] as number) ** 2
    const scale = tau / Math.max(1e-300, Math.sqrt(gg))
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) * scale
  }
  for (let j = 0; j < k; j++) {
    let d = 0
    const yj = yHist[j] as Float64Array
    for (let i = 0; i < N; i++) d += (yj[i] as number) * (dir[i] as number)
    const b = (rhoHist[j] as number) * d
    const sj = sHist[j] as Float64Array
    const coef = (alpha[j] as number) - b
    for (let i = 0; i < N; i++) dir[i] = (dir[i] as number) + coef * (sj[i] as number)
  }
}

/**
 * Keeps the step's pair s = xNew − x, y = gNew − g (before the caller moves x and g on) in the history, the oldest
 * dropped past `M` pairs; a pair without positive curvature (s·y ≤ 1e-300) is skipped, as it would break H's
 * positive definiteness.
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
  const N = x.length
  const sv = new Float64Array(N),
    yv = new Float64Array(N)
  let sy = 0
  for (let i = 0; i < N; i++) {
    sv[i] = (xNew[i] as number) - (x[i] as number)
    yv[i] = (gNew[i] as number) - (g[i] as number)
    sy += (sv[i] as number) * (yv[i] as number)
  }
  if (!(sy > 1e-300)) return
  sHist.push(sv)
  yHist.push(yv)
  rhoHist.push(1 / sy)
  if (sHist.length > M) {
    sHist.shift()
    yHist.shift()
    rhoHist.shift()
  }
}
