/**
 * Review riskx: the cheaper coupled cascade search (58b9934, e16aa28): lbfgs.ts's fused two loops and reused history
 * arrays, cascadeCoupled.ts's hinge far from the kink, the knapsack by weighted selection, the unsmoothed L kept by
 * smoothed() (lastExact) and its module-level scratch arrays.
 *
 * - L-BFGS against the old code (a pass per dot product, a fresh pair per step) to the bit, histories included, at
 *   the extremes: N = 0 and 1, M = 1, 2, 12, the history full and wrapping, s·y ≤ 0, tiny (1e-300 either side),
 *   huge, NaN and ∞ gradients.
 * - knapsackFloat against the old sort on ties, zeros, negative, huge and ∞ gains, one item, all fitting, Ψ = 0.
 * - The search's best value is cascadeCoupledValue at its multipliers to the bit, at every fixing and at extreme
 *   τ0 (1e-300 … 1e3) and amounts (×2^200, ×10^305): no NaN from the hinge, the exact bound never below the truth.
 * - Two searches (and two branchings, and two chunked bounds) interleaved step by step, on networks of different
 *   sizes (the scratch arrays resize): each the same, to the bit, as alone.
 * - Brute force: coupledCascadeBound and branchCascadeCoupled on 300 small networks, worstCaseLoss (coupled stages
 *   and branching on, a blind solver) on 40, both models: never below R_ψ.
 * Mutants caught (one at a time, reverted): either fused loop dotting the wrong pair, γ's pass dotting the newest y,
 * M + 1 pairs kept, y written into s's array, negative curvature kept, the knapsack's tie edge taking every tie, its
 * room not reduced, an IN service's negative term or an IN edge's shocked term dropped from lastExact, record()
 * before x moves, a yield between smoothed() and record(). Missed: the hinge's slope 1 below −40τ and the cut-off at
 * 4τ (floats only: a worse search, never an unsound bound), `wDense ≥ room` and `b − θa > 0` (equivalent or nearly).
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { bruteCascade, bruteCascadeUnderFixing } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { shockBudget } from './cascadeBound.ts'
import {
  buildCascadeCoupled,
  cascadeCoupledValue,
  coupledCascadeBound,
  coupledCascadeBoundChunked,
  coupledCascadeNodeExact,
  coupledSearchSteps,
  knapsackFloat,
  searchCascadeCoupled,
  toCascadeMultipliers,
} from './cascadeCoupled.ts'
import { branchCascadeCoupled, coupledBranchSteps } from './cascadeCoupledBranch.ts'
import { parseRiskInput } from './input.ts'
import { lbfgsDirection, lbfgsRemember } from './lbfgs.ts'
import type { MipRunner } from './mip.ts'
import { closeMipThread } from './mipThread.ts'
import { type Network, totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, type Rational, rat, toNumber } from './rational.ts'
import { createRng, type Rng } from './rng.ts'

after(async () => {
  await closeMipThread()
})

/** the floats' bits, every NaN as one (a NaN's sign and payload carry nothing) */
const bits = (a: Float64Array): string => {
  const c = Float64Array.from(a, (v) => (Number.isNaN(v) ? Number.NaN : v))
  return Buffer.from(c.buffer).toString('hex')
}
const sameNum = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))

/** The old two loops (before 58b9934), verbatim in effect: the reference. */
function oldDirection(
  g: Float64Array,
  dir: Float64Array,
  sHist: Float64Array[],
  yHist: Float64Array[],
  rhoHist: number[],
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

function oldRemember(
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

/** a gradient step's next gradient, at the extremes by kind */
function nextGrad(rng: Rng, g: Float64Array, kind: number, step: number): Float64Array<ArrayBuffer> {
  const N = g.length
  const gn = Float64Array.from(g, (v) => v * (rng.next() < 0.15 ? -1 : 0.6) + (rng.next() - 0.5) * 0.2)
  if (N === 0) return gn
  const at = rng.int(0, N - 1)
  if (kind === 1 && step % 7 === 5) gn[at] = Number.NaN
  if (kind === 2 && step % 9 === 4) gn[at] = step % 2 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
  if (kind === 3) for (let i = 0; i < N; i++) gn[i] = (gn[i] as number) * 1e150
  // s·y near 1e-300 either side
  if (kind === 4) for (let i = 0; i < N; i++) gn[i] = (gn[i] as number) * 1e-160
  if (kind === 5 && step % 4 === 1) gn.set(g) // y = 0: s·y = 0
  return gn
}

describe('review riskx: L-BFGS fused loops and reused arrays (lbfgs.ts)', () => {
  test('direction and history equal the old code’s to the bit at the extremes (N 0/1, M 1/2/12, NaN, ∞, tiny, huge)', () => {
    const rng = createRng(1402)
    let pairs = 0,
      wraps = 0
    for (let t = 0; t < 240; t++) {
      const N = [0, 1, 1, 2, 3, 17][t % 6] as number
      const M = [1, 2, 12][Math.floor(t / 6) % 3] as number
      const kind = Math.floor(t / 18) % 6
      const sA: Float64Array[] = [],
        yA: Float64Array[] = [],
        rA: number[] = []
      const sB: Float64Array[] = [],
        yB: Float64Array[] = [],
        rB: number[] = []
      const alphaA = new Float64Array(M),
        alphaB = new Float64Array(M)
      let x = Float64Array.from({ length: N }, () => rng.next() * 4 - 2)
      let g = Float64Array.from({ length: N }, () => rng.next() - 0.5)
      for (let step = 0; step < 40; step++) {
        const dA = new Float64Array(N),
          dB = new Float64Array(N)
        lbfgsDirection(g, dA, sA, yA, rA, alphaA, 0.1)
        oldDirection(g, dB, sB, yB, rB, alphaB, 0.1)
        const label = `run ${t} (N ${N}, M ${M}, kind ${kind}) step ${step}`
        assert.equal(bits(dA), bits(dB), `${label}: direction`)
        const xn = Float64Array.from(x, (v, i) => {
          const d = dA[i] as number
          return v - 0.3 * (Number.isFinite(d) ? d : 1)
        })
        const gn = nextGrad(rng, g, kind, step)
        const before = sA.length
        const lastA = sA[sA.length - 1]
        lbfgsRemember(x, xn, g, gn, sA, yA, rA, M)
        oldRemember(x, xn, g, gn, sB, yB, rB, M)
        const added = sA.length > before || (before === M && sA[M - 1] !== lastA)
        if (added) pairs++
        if (added && before === M) wraps++ // the oldest pair dropped, its arrays reused
        assert.equal(sA.length, sB.length, `${label}: history length`)
        assert.ok(sA.length <= M, `${label}: more than M pairs`)
        for (let j = 0; j < sA.length; j++) {
          assert.equal(bits(sA[j] as Float64Array), bits(sB[j] as Float64Array), `${label}: s ${j}`)
          assert.equal(bits(yA[j] as Float64Array), bits(yB[j] as Float64Array), `${label}: y ${j}`)
          assert.ok(sameNum(rA[j] as number, rB[j] as number), `${label}: ρ ${j}`)
          // no pair's arrays shared with another pair's (the reuse hands the dropped pair's on, once)
          for (let k = 0; k < j; k++) {
            assert.notEqual(sA[j], sA[k], `${label}: s ${j} aliases s ${k}`)
            assert.notEqual(yA[j], yA[k], `${label}: y ${j} aliases y ${k}`)
          }
          assert.notEqual(sA[j], yA[j], `${label}: s ${j} aliases y ${j}`)
        }
        if (step % 13 === 12) {
          // the search's reset
          sA.length = yA.length = rA.length = 0
          sB.length = yB.length = rB.length = 0
        }
        x = xn
        g = gn
      }
    }
    console.log(`pairs kept ${pairs}, with the history full ${wraps}`)
    assert.ok(pairs > 1000 && wraps > 300)
  })

  test('a pair with s·y just above 1e-300 is kept, at or below it skipped (both codes)', () => {
    for (const [sy, kept] of [
      [2e-300, true],
      [1e-300, false],
      [0, false],
      [-1, false],
      [Number.NaN, false],
    ] as const) {
      const s: Float64Array[] = [],
        y: Float64Array[] = [],
        r: number[] = []
      lbfgsRemember(
        Float64Array.of(0),
        Float64Array.of(1),
        Float64Array.of(0),
        Float64Array.of(sy),
        s,
        y,
        r,
        1,
      )
      assert.equal(s.length === 1, kept, `s·y ${sy}`)
    }
  })
})

/** a random float knapsack at the extremes by kind */
function knapsackCase(rng: Rng, t: number): { gain: Float64Array; sigma: Float64Array; psi: number } {
  const kind = t % 8
  const V = kind === 0 ? 1 : rng.int(0, 30)
  const ratios = [0.5, 1, 2, 3]
  const gain = new Float64Array(V),
    sigma = new Float64Array(V)
  for (let v = 0; v < V; v++) {
    const s = rng.next() < 0.1 ? 0 : rng.next() * 10
    sigma[v] = s
    let gv = rng.next() * 10 - 3
    if (kind === 1) gv = s * (ratios[rng.int(0, 3)] as number) // ties
    if (kind === 2 && rng.next() < 0.3) gv = 0
    if (kind === 3) gv = (rng.next() - 0.5) * 1e300
    if (kind === 4 && rng.next() < 0.2) gv = Number.POSITIVE_INFINITY
    if (kind === 5) gv = -Math.abs(gv)
    if (kind === 6) sigma[v] = s * 1e-300
    gain[v] = gv
  }
  const all = sigma.reduce((a, b) => a + b, 0)
  const psi = [0, all, all * 2, all * rng.next(), Number.POSITIVE_INFINITY][t % 5] as number
  return { gain, sigma, psi }
}

function oldKnapsack(gain: Float64Array, sigma: Float64Array, psi: number): number {
  const idx: number[] = []
  let val = 0
  for (let v = 0; v < gain.length; v++) {
    const gv = gain[v] as number
    if (!(gv > 0)) continue
    if ((sigma[v] as number) <= 0) val += gv
    else idx.push(v)
  }
  idx.sort((i, j) => (gain[j] as number) / (sigma[j] as number) - (gain[i] as number) / (sigma[i] as number))
  let room = psi
  for (const v of idx) {
    const sv = sigma[v] as number
    if (sv <= room) {
      val += gain[v] as number
      room -= sv
    } else {
      val += ((gain[v] as number) * room) / sv
      break
    }
  }
  return val
}

describe('review riskx: the knapsack by weighted selection (cascadeCoupled.ts knapsackFloat)', () => {
  test('equals the sort’s value up to rounding on ties, zeros, negative, huge and ∞ gains, one item, all fitting', () => {
    const rng = createRng(77)
    for (let t = 0; t < 4000; t++) {
      const { gain, sigma, psi } = knapsackCase(rng, t)
      const a = knapsackFloat(gain, sigma, psi)
      const b = oldKnapsack(gain, sigma, psi)
      let pos = 0
      for (const gv of gain) if (gv > 0) pos += gv
      const label = `case ${t}: ${a} vs ${b}`
      if (!Number.isFinite(b) || !Number.isFinite(a)) assert.ok(sameNum(a, b) || !Number.isFinite(pos), label)
      else assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, pos), label)
      // never above all positive gains, never below the zero-weight ones
      assert.ok(!(a > pos * (1 + 1e-12)), `${label}: above Σ gains ${pos}`)
    }
  })
})

const randomSmall = (rng: Rng, i: number): Network =>
  parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(1, 6),
      services: rng.int(1, 4),
      membersPerService: [1, 5],
      allocations: i % 2 === 1,
      profitFactor: (
        [
          [0.02, 0.25],
          [0.05, 0.5],
          [0.2, 0.9],
        ] as const
      )[i % 3] as readonly [number, number],
    }),
  )

const scaled = (n: Network, k: bigint): Network => ({
  ...n,
  operators: n.operators.map((o) => ({ ...o, stake: o.stake * k })),
  services: n.services.map((s) => ({
    ...s,
    profit: s.profit * k,
    memberStake: s.memberStake.map((a) => a * k),
  })),
})

const PSIS = [rat(0n), rat(1n), rat(1n, 10n), rat(1n, 3n), rat(1n, 2n)]
const FAR = Number.POSITIVE_INFINITY

describe('review riskx: the search’s unsmoothed L and hinge (cascadeCoupled.ts)', () => {
  test('best value = cascadeCoupledValue at its multipliers to the bit, at every fixing, τ0 1e-300 … 1e3, ×2^200, ×10^305', () => {
    const rng = createRng(5)
    let finite = 0,
      checked = 0
    for (let i = 0; i < 60; i++) {
      const base = randomSmall(rng, i)
      const n = i % 5 === 3 ? scaled(base, 1n << 200n) : i % 5 === 4 ? scaled(base, 10n ** 290n) : base
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const core = buildCascadeCoupled(n, budget)
      const tau0 = [1e-300, 1e-12, 0.01, 1e3][i % 4] as number
      const S = core.S
      for (let k = 0; k < 3 ** S; k += i % 3 === 0 ? 1 : 4) {
        const fixed = new Uint8Array(S)
        let x = k
        for (let s = 0; s < S; s++) {
          fixed[s] = x % 3
          x = Math.floor(x / 3)
        }
        const r = searchCascadeCoupled(core, { deadline: FAR, maxIterations: 40, tau0, fixed })
        const v = cascadeCoupledValue(core, r.lam, r.p, r.theta, fixed)
        const label = `network ${i} τ0 ${tau0} fixing ${fixed}`
        assert.ok(sameNum(v, r.value), `${label}: kept ${r.value}, value ${v}`)
        if (Number.isFinite(r.value)) finite++
        const truth = bruteCascadeUnderFixing(n, psi, fixed)
        const node = coupledCascadeNodeExact(n, budget, toCascadeMultipliers(n, core, r), fixed)
        if (truth !== null) {
          checked++
          assert.ok(node !== null && node.bound >= truth, `${label}: ${node?.bound} < ${truth}`)
        }
      }
    }
    console.log(`finite best values ${finite}, node bounds checked ${checked}`)
    assert.ok(finite > 300 && checked > 300)
  })
})

function networkPair(seed: number): [Network, Network] {
  const rng = createRng(seed)
  const a = parseRiskInput(
    randomNetwork(rng, { operators: 8, services: 5, membersPerService: [2, 6], allocations: true }),
  )
  const b = parseRiskInput(
    randomNetwork(rng, {
      operators: 20,
      services: 9,
      membersPerService: [3, 12],
      allocations: seed % 2 === 0,
    }),
  )
  return [a, b]
}

describe('review riskx: interleaved searches share no state (module scratch, reused history)', () => {
  test('two searches stepped in turn (sizes differ, slices of 0 ms) equal each alone, to the bit', () => {
    for (let seed = 1; seed <= 4; seed++) {
      const [na, nb] = networkPair(seed)
      const ca = buildCascadeCoupled(na, shockBudget(na, rat(1n, 10n)))
      const cb = buildCascadeCoupled(nb, shockBudget(nb, rat(1n, 3n)))
      const opts = { deadline: FAR, maxIterations: 150 }
      const aloneA = searchCascadeCoupled(ca, opts)
      const aloneB = searchCascadeCoupled(cb, opts)
      const ga = coupledSearchSteps(ca, { ...opts, sliceMs: 0 })
      const gb = coupledSearchSteps(cb, { ...opts, sliceMs: 0 })
      let ra: ReturnType<typeof ga.next> | undefined
      let rb: ReturnType<typeof gb.next> | undefined
      let turns = 0
      while (!ra?.done || !rb?.done) {
        if (!ra?.done) ra = ga.next()
        if (!rb?.done) rb = gb.next()
        turns++
      }
      const ia = ra.value,
        ib = rb.value
      for (const [x, y, w] of [
        [ia, aloneA, 'A'],
        [ib, aloneB, 'B'],
      ] as const) {
        assert.equal(bits(x.lam), bits(y.lam), `seed ${seed} ${w}: λ`)
        assert.equal(bits(x.p), bits(y.p), `seed ${seed} ${w}: p`)
        assert.ok(sameNum(x.theta, y.theta) && sameNum(x.value, y.value), `seed ${seed} ${w}: θ, value`)
        assert.equal(x.iterations, y.iterations)
      }
      assert.ok(turns > 50, `seed ${seed}: ${turns} turns`)
    }
  })

  test('two branchings stepped in turn equal each alone; two chunked bounds at once equal each alone', async () => {
    for (let seed = 5; seed <= 7; seed++) {
      const [na, nb] = networkPair(seed)
      const ba = shockBudget(na, rat(1n, 10n)),
        bb = shockBudget(nb, rat(1n, 10n))
      const opts = { deadline: FAR, maxNodes: 9, rootIterations: 60, nodeIterations: 25 }
      const aloneA = branchCascadeCoupled(na, ba, 0n, opts)
      const aloneB = branchCascadeCoupled(nb, bb, 0n, opts)
      const ga = coupledBranchSteps(na, ba, 0n, { ...opts, sliceMs: 0 })
      const gb = coupledBranchSteps(nb, bb, 0n, { ...opts, sliceMs: 0 })
      let ra: ReturnType<typeof ga.next> | undefined
      let rb: ReturnType<typeof gb.next> | undefined
      while (!ra?.done || !rb?.done) {
        if (!ra?.done) ra = ga.next()
        if (!rb?.done) rb = gb.next()
      }
      assert.deepEqual(ra.value, aloneA, `seed ${seed}: A`)
      assert.deepEqual(rb.value, aloneB, `seed ${seed}: B`)
      assert.ok(aloneA.nodes > 1 || aloneB.nodes > 1)

      const copts = { deadline: FAR, maxIterations: 120 }
      const [ca, cb] = await Promise.all([
        coupledCascadeBoundChunked(na, ba, { ...copts, sliceMs: 0 }),
        coupledCascadeBoundChunked(nb, bb, { ...copts, sliceMs: 0 }),
      ])
      assert.equal(ca.bound, coupledCascadeBound(na, ba, copts).bound, `seed ${seed}: chunked A`)
      assert.equal(cb.bound, coupledCascadeBound(nb, bb, copts).bound, `seed ${seed}: chunked B`)
      assert.equal(bits(cb.search.lam), bits(coupledCascadeBound(nb, bb, copts).search.lam))
    }
  })
})

describe('review riskx: brute force', () => {
  test('coupled bound and branching never below R_ψ on 300 small networks, both models', () => {
    const rng = createRng(2026)
    let tight = 0
    for (let i = 0; i < 300; i++) {
      const n = randomSmall(rng, i)
      const psi = PSIS[i % PSIS.length] as Rational
      const budget = shockBudget(n, psi)
      const truth = bruteCascade(n, psi)
      const r = coupledCascadeBound(n, budget, { deadline: FAR, maxIterations: 80 })
      assert.ok(r.bound >= truth, `network ${i}: coupled ${r.bound} < ${truth}`)
      const b = branchCascadeCoupled(n, budget, truth > 0n ? truth - 1n : 0n, {
        deadline: FAR,
        start: r.search,
        maxNodes: 30,
        rootIterations: 40,
        nodeIterations: 20,
      })
      assert.ok(b.bound >= truth, `network ${i}: branched ${b.bound} < ${truth}`)
      assert.ok(!b.proven || truth === 0n, `network ${i}: proven below the truth`)
      if (b.bound === truth) tight++
    }
    console.log(`branching at the truth ${tight} of 300`)
    assert.ok(tight > 30)
  })

  test('worstCaseLoss with the coupled stages and branching on, a blind solver: bound ≥ R_ψ, both models', async () => {
    const blind: MipRunner = () =>
      new Promise((resolve) =>
        setTimeout(
          () =>
            resolve({
              status: 'timeLimit',
              values: null,
              objective: Number.NaN,
              bound: Number.POSITIVE_INFINITY,
            }),
          5,
        ),
      )
    const rng = createRng(4040)
    let proven = 0
    for (let i = 0; i < 40; i++) {
      const n = randomSmall(rng, i)
      const psi = PSIS[(i + 2) % PSIS.length] as Rational
      const truth = bruteCascade(n, psi)
      const total = totalStake(n)
      const expected = rat(truth, total === 0n ? 1n : total)
      const r = await worstCaseLoss(n, psi, {
        exhaustive: false,
        timeLimitSeconds: 0.3,
        mipRunner: blind,
        cascadeCoupledBranch: 0.6,
      })
      const label = `network ${i}`
      assert.ok(cmp(r.worstLoss, expected) <= 0, `${label}: found above R_ψ`)
      assert.ok(r.worstLossBound >= toNumber(expected) * (1 - 1e-12), `${label}: bound below R_ψ`)
      if (r.proven) {
        proven++
        assert.equal(cmp(r.worstLoss, expected), 0, `${label}: proven at ${toNumber(r.worstLoss)}`)
      }
    }
    console.log(`worstCaseLoss proven ${proven} of 40`)
  })
})

describe('review riskx: L-BFGS with no history allowed (M = 0)', () => {
  test('M = 0 keeps no pair and the direction stays the scaled gradient, as the old code', () => {
    const s: Float64Array[] = [],
      y: Float64Array[] = [],
      r: number[] = []
    const alpha = new Float64Array(0)
    let x = Float64Array.of(1, 2),
      g = Float64Array.of(0.5, -0.25)
    for (let step = 0; step < 5; step++) {
      const dir = new Float64Array(2),
        ref = new Float64Array(2)
      lbfgsDirection(g, dir, s, y, r, alpha, 0.1)
      oldDirection(g, ref, [], [], [], alpha, 0.1)
      assert.equal(bits(dir), bits(ref), `step ${step}`)
      const xn = Float64Array.from(x, (v, i) => v - (dir[i] as number))
      const gn = Float64Array.from(g, (v) => v * 0.5)
      lbfgsRemember(x, xn, g, gn, s, y, r, 0)
      assert.equal(s.length, 0, `step ${step}: a pair kept with M = 0`)
      x = xn
      g = gn
    }
  })
})
