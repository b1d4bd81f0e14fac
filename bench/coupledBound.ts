/**
 * The coupled Lagrangian bound proposed in docs/risk.md ("Insecure networks with allocations", *What next*; the
 * engine's version, searched fast and checked exactly, is coupledCap.ts): its best multipliers found by solving the
 * bound's own LP with HiGHS, and compared
 * - on 300 small networks (both models, the three small regimes) with brute force (never below it) and with the
 *   LP relaxation of the verdict's MIP (attackModel.ts);
 * - with `big [seed]`, on typical 1,000 × 100 with allocations (the bench's network), printing its value and CPU.
 * `BREAK=nokappa` drops the constant Σκ from the bound (a wrong bound): the small networks' check then finds it below
 * brute force. Run: npx tsx bench/coupledBound.ts [big [seed]]
 */
import type { Highs } from 'highs'
import { buildAttackModel } from '../src/risk/attackModel.ts'
import { bruteMostProfitable } from '../src/risk/bruteForce.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import type { Network } from '../src/risk/network.ts'
import { randomNetwork, SMALL_REGIMES } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const highs = await ((await import('highs')).default as unknown as () => Promise<Highs>)()
type Lp = {
  cost: number[]
  lower: number[]
  upper: number[]
  starts: number[]
  indices: number[]
  values: number[]
  rowLower: number[]
  rowUpper: number[]
}
function solve(lp: Lp, max: boolean, integrality?: number[]) {
  const model = highs.createModel()
  model.passModel({
    numCols: lp.cost.length,
    numRows: lp.rowLower.length,
    sense: max ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: lp.cost,
    colLower: lp.lower,
    colUpper: lp.upper,
    rowLower: lp.rowLower,
    rowUpper: lp.rowUpper,
    matrix: {
      format: 'csr',
      numRows: lp.rowLower.length,
      numCols: lp.cost.length,
      starts: lp.starts,
      indices: lp.indices,
      values: lp.values,
    },
    ...(integrality ? { integrality: Int32Array.from(integrality) } : {}),
  })
  model.options.set({ output_flag: false })
  const c0 = process.cpuUsage()
  model.run()
  const u = process.cpuUsage(c0)
  return { obj: model.getObjectiveValue(), cpu: (u.user + u.system) / 1e6 }
}
const BREAK = process.env.BREAK ?? ''
function coupledDual(n: Network) {
  const lp: Lp = {
    cost: [],
    lower: [],
    upper: [],
    starts: [0],
    indices: [],
    values: [],
    rowLower: [],
    rowUpper: [],
  }
  const col = (c: number, lo = 0) => {
    lp.cost.push(c)
    lp.lower.push(lo)
    lp.upper.push(Infinity)
    return lp.cost.length - 1
  }
  const row = (e: [number, number][], lo: number) => {
    for (const [c, v] of e) {
      lp.indices.push(c)
      lp.values.push(v)
    }
    lp.starts.push(lp.indices.length)
    lp.rowLower.push(lo)
    lp.rowUpper.push(Infinity)
  }
  const V = n.operators.length
  const opM: number[][] = Array.from({ length: V }, () => []),
    opM2: number[][] = Array.from({ length: V }, () => [])
  const opK: number[][] = Array.from({ length: V }, () => []),
    opF: number[][] = Array.from({ length: V }, () => [])
  n.services.forEach((s) => {
    const total = s.memberStake.reduce((x, y) => x + Number(y), 0)
    const need = (Number(s.threshold.num) / Number(s.threshold.den)) * total
    const mu = col(0)
    const P = col(1)
    const srow: [number, number][] = [
      [P, 1],
      [mu, need],
    ]
    s.members.forEach((v, k) => {
      const a = Number(s.memberStake[k])
      const abar = BREAK === 'nocap' ? a : Math.min(a, need)
      const rho = col(0),
        kappa = col(BREAK === 'nokappa' ? 0 : 1),
        m = col(0),
        m2 = col(0)
      srow.push([rho, -1], [kappa, 1])
      if (total - a < need) {
        const phi = col(0)
        srow.push([phi, 1])
        opF[v]!.push(phi)
      }
      // m >= c = mu abar - rho + kappa ; m2 >= c - a
      row(
        [
          [m, 1],
          [mu, -abar],
          [rho, 1],
          [kappa, -1],
        ],
        0,
      )
      row(
        [
          [m2, 1],
          [mu, -abar],
          [rho, 1],
          [kappa, -1],
        ],
        BREAK === 'noa' ? 0 : -a,
      )
      opM[v]!.push(m)
      opM2[v]!.push(m2)
      opK[v]!.push(kappa)
    })
    row(srow, Number(s.profit))
  })
  for (let v = 0; v < V; v++) {
    if (opM[v]!.length === 0) continue
    const sigma = Number(n.operators[v]!.stake)
    const R = col(0, -Infinity),
      Q = col(1)
    row([[R, 1], ...opM[v]!.map((c) => [c, -1] as [number, number])], -sigma)
    row([[R, 1], ...opM2[v]!.map((c) => [c, -1] as [number, number])], 0)
    row(
      [
        [Q, 1],
        [R, -1],
        ...opK[v]!.map((c) => [c, 1] as [number, number]),
        ...opF[v]!.map((c) => [c, -1] as [number, number]),
      ],
      0,
    )
  }
  return solve(lp, false)
}
function mipLp(n: Network) {
  const m = buildAttackModel(n, 'profit')
  const b = m.builder
  const r = solve(
    {
      cost: b.cost,
      lower: b.lower,
      upper: b.upper,
      starts: b.starts,
      indices: b.indices,
      values: b.values,
      rowLower: b.rowLower,
      rowUpper: b.rowUpper,
    },
    true,
  )
  return { obj: r.obj * Number(m.unit), cpu: r.cpu }
}
if (process.argv[2] === 'big') {
  const n = parseRiskInput(
    randomNetwork(createRng(Number(process.argv[3] ?? 1)), {
      operators: 1000,
      services: 100,
      membersPerService: [20, 80],
      allocations: true,
      profitFactor: [0.2, 1.2],
    }),
  )
  const d = coupledDual(n)
  console.log('coupled Lagrangian LP', d.obj.toFixed(1), 'cpu', d.cpu.toFixed(2))
} else {
  const rng = createRng(11)
  let below = 0
  // against the MIP's LP, per model
  const counts: Record<string, number> = {}
  let total = 0
  for (let i = 0; i < 300; i++) {
    const n = parseRiskInput(
      randomNetwork(rng, {
        operators: 8,
        services: 5,
        membersPerService: [2, 6],
        allocations: i % 2 === 0,
        profitFactor: SMALL_REGIMES[i % 3],
      }),
    )
    const opt = Number(bruteMostProfitable(n) ?? 0n)
    const d = coupledDual(n).obj
    const l = mipLp(n).obj
    total++
    if (d < opt - 1e-6) {
      below++
      if (below < 3) console.log('BELOW OPT', i, d, opt)
    }
    const model = i % 2 === 0 ? 'allocations' : 'wholeStake'
    const cmp = Math.abs(d - Math.max(l, 0)) < 1e-5 * Math.max(1, l) ? 'equal' : d < l ? 'tighter' : 'looser'
    counts[`${model} ${cmp}`] = (counts[`${model} ${cmp}`] ?? 0) + 1
  }
  console.log({ total, belowBruteForce: below, againstMipLp: counts })
}
