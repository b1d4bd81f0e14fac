/**
 * Projected subgradient descent on the coupled Lagrangian bound (bench/coupledBound.ts, docs/risk.md "What next")
 * for typical 1,000 × 100 with allocations: Polyak's step towards `target` (tokens), scaled by ALPHA, the direction
 * deflected by DEFLECT times the last one; WARM=1 starts from the cost shares' optimum (solved as an LP: κ = φ = 0,
 * ρ = its ν), else from μ_s = min(1, π_s / need_s). A measurement of how hard the multipliers are to find, not the engine.
 * Run: [WARM=1] [DEFLECT=0.7] [ALPHA=0.5] npx tsx bench/coupledSubgrad.ts [seed] [steps] [target]
 */
import { parseRiskInput } from '../src/risk/input.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const n = parseRiskInput(
  randomNetwork(createRng(Number(process.argv[2] ?? 1)), {
    operators: 1000,
    services: 100,
    membersPerService: [20, 80],
    allocations: true,
    profitFactor: [0.2, 1.2],
  }),
)
const iters = Number(process.argv[3] ?? 5000)
const target = Number(process.argv[4] ?? 20292)
const S = n.services.length,
  V = n.operators.length
const es: { s: number; v: number; a: number; ab: number; forced: boolean }[] = []
const need: number[] = [],
  pi: number[] = []
n.services.forEach((s, si) => {
  const total = s.memberStake.reduce((x, y) => x + Number(y), 0)
  need[si] = (Number(s.threshold.num) / Number(s.threshold.den)) * total
  pi[si] = Number(s.profit)
  s.members.forEach((v, k) => {
    const a = Number(s.memberStake[k])
    es.push({ s: si, v, a, ab: Math.min(a, need[si]!), forced: total - a < need[si]! })
  })
})
const E = es.length
const sigma = n.operators.map((o) => Number(o.stake))
const byOp: number[][] = Array.from({ length: V }, () => [])
es.forEach((e, i) => {
  byOp[e.v]?.push(i)
})
// multipliers
const mu = new Float64Array(S),
  rho = new Float64Array(E),
  kap = new Float64Array(E),
  phi = new Float64Array(E)
// start: mu = pi/need (price at which service breaks even)
for (let s = 0; s < S; s++) mu[s] = Math.min(1, pi[s]! / need[s]!)
if (process.env.WARM === '1') {
  // the shares' optimum as an LP (as in allocRoot.ts): columns p, mu, lam, nu over the same service-ordered edges
  const { default: load } = (await import('highs')) as unknown as {
    default: () => Promise<import('highs').Highs>
  }
  const highs = await load()
  const cols = 2 * S + 2 * E,
    P = 0,
    M = S,
    L = 2 * S,
    N = 2 * S + E
  const cost = new Array(cols).fill(0),
    lower = new Array(cols).fill(0),
    upper = new Array(cols).fill(Infinity)
  const starts = [0],
    indices: number[] = [],
    values: number[] = [],
    rowLower: number[] = [],
    rowUpper: number[] = []
  const row = (en: [number, number][], lo: number, up: number) => {
    for (const [c1, v1] of en) {
      indices.push(c1)
      values.push(v1)
    }
    starts.push(indices.length)
    rowLower.push(lo)
    rowUpper.push(up)
  }
  for (let q = 0; q < S; q++) cost[P + q] = 1
  for (let i = 0; i < E; i++) upper[L + i] = es[i]!.a
  let i0 = 0
  for (let q = 0; q < S; q++) {
    const en: [number, number][] = [
      [P + q, 1],
      [M + q, need[q]!],
    ]
    while (i0 < E && es[i0]!.s === q) {
      en.push([N + i0, -1])
      i0++
    }
    row(en, pi[q]!, Infinity)
  }
  for (let i = 0; i < E; i++)
    row(
      [
        [L + i, 1],
        [N + i, 1],
        [M + es[i]!.s, -es[i]!.ab],
      ],
      0,
      Infinity,
    )
  for (let v = 0; v < V; v++)
    if (byOp[v]!.length)
      row(
        byOp[v]!.map((i) => [L + i, 1] as [number, number]),
        -Infinity,
        sigma[v]!,
      )
  const model = highs.createModel()
  model.passModel({
    numCols: cols,
    numRows: rowLower.length,
    sense: highs.constants.objectiveSense.minimize,
    colCost: cost,
    colLower: lower,
    colUpper: upper,
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows: rowLower.length, numCols: cols, starts, indices, values },
  })
  model.options.set({ output_flag: false })
  model.run()
  console.log('shares LP (capped a in the cover)', model.getObjectiveValue().toFixed(1))
  const x = model.getSolution().colValue
  for (let q = 0; q < S; q++) mu[q] = x[M + q]!
  for (let i = 0; i < E; i++) rho[i] = x[N + i]!
}
const gMu = new Float64Array(S),
  gRho = new Float64Array(E),
  gKap = new Float64Array(E),
  gPhi = new Float64Array(E)
const c = new Float64Array(E)
function evalL(): number {
  gMu.fill(0)
  gRho.fill(0)
  gKap.fill(0)
  gPhi.fill(0)
  let val = 0
  const coef = pi.slice()
  for (let i = 0; i < E; i++) {
    const e = es[i]!
    coef[e.s]! += rho[i]! - kap[i]! - phi[i]!
    val += kap[i]!
    gKap[i]! += 1
    c[i] = mu[e.s]! * e.ab - rho[i]! + kap[i]!
  }
  for (let s = 0; s < S; s++) {
    const cs = coef[s]! - mu[s]! * need[s]!
    if (cs > 0) {
      val += cs
      gMu[s]! -= need[s]!
    }
  }
  for (let i = 0; i < E; i++) {
    const e = es[i]!
    const cs = coef[e.s]! - mu[e.s]! * need[e.s]!
    if (cs > 0) {
      gRho[i]! += 1
      gKap[i]! -= 1
      gPhi[i]! -= 1
    }
  }
  for (let v = 0; v < V; v++) {
    const ids = byOp[v]!
    if (!ids.length) continue
    let t1 = -sigma[v]!,
      t2 = 0,
      K = 0,
      F = 0
    for (const i of ids) {
      t1 += Math.max(0, c[i]!)
      t2 += Math.max(0, c[i]! - es[i]!.a)
      K += kap[i]!
      F += phi[i]!
    }
    const inner = -K + F + Math.max(t1, t2)
    if (inner > 0) {
      val += inner
      const cap = t1 >= t2
      for (const i of ids) {
        gKap[i]! -= 1
        gPhi[i]! += 1
        const e = es[i]!
        if (cap ? c[i]! > 0 : c[i]! - e.a > 0) {
          gMu[e.s]! += e.ab
          gRho[i]! -= 1
          gKap[i]! += 1
        }
      }
    }
  }
  return val
}
let best = Infinity
const dMu = new Float64Array(S),
  dRho = new Float64Array(E),
  dKap = new Float64Array(E),
  dPhi = new Float64Array(E)
const t0 = process.cpuUsage()
for (let it = 0; it < iters; it++) {
  const val = evalL()
  if (val < best) best = val
  let norm = 0
  for (let s = 0; s < S; s++) norm += gMu[s]! ** 2
  for (let i = 0; i < E; i++) norm += gRho[i]! ** 2 + gKap[i]! ** 2 + (es[i]!.forced ? gPhi[i]! ** 2 : 0)
  if (norm === 0) break
  const D = Number(process.env.DEFLECT ?? 0),
    A = Number(process.env.ALPHA ?? 1)
  let dn = 0
  for (let s = 0; s < S; s++) {
    dMu[s] = gMu[s]! + D * dMu[s]!
    dn += dMu[s]! ** 2
  }
  for (let i = 0; i < E; i++) {
    dRho[i] = gRho[i]! + D * dRho[i]!
    dKap[i] = gKap[i]! + D * dKap[i]!
    dPhi[i] = es[i]!.forced ? gPhi[i]! + D * dPhi[i]! : 0
    dn += dRho[i]! ** 2 + dKap[i]! ** 2 + dPhi[i]! ** 2
  }
  const step = (A * (val - target)) / dn
  for (let s = 0; s < S; s++) mu[s] = Math.max(0, mu[s]! - step * dMu[s]!)
  for (let i = 0; i < E; i++) {
    rho[i] = Math.max(0, rho[i]! - step * dRho[i]!)
    kap[i] = Math.max(0, kap[i]! - step * dKap[i]!)
    if (es[i]!.forced) phi[i] = Math.max(0, phi[i]! - step * dPhi[i]!)
  }
  if (it % Math.max(1, Math.floor(iters / 10)) === 0) {
    const u = process.cpuUsage(t0)
    console.log(
      `it ${it} val ${val.toFixed(1)} best ${best.toFixed(1)} cpu ${((u.user + u.system) / 1e6).toFixed(2)}`,
    )
  }
}
const u = process.cpuUsage(t0)
console.log(`best ${best.toFixed(1)} after ${iters} cpu ${((u.user + u.system) / 1e6).toFixed(2)}`)
