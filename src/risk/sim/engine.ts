/**
 * One simulation run: operators, orders, faults (independent and correlated by region or provider), attesters
 * (honest or colluding), stakers moving capital by risk-adjusted yield, and token price shocks with the capital
 * flight they trigger. The per-operator loop runs on typed arrays with float token amounts (fast enough for
 * 10^4 operators × 8,760 epochs); every slash is sized and split with the protocol's bigint formulas
 * (slashing.ts). Deterministic for a given (scenario, seed, run).
 */
import { createRng } from '../rng.ts'
import { FLOW_METRICS, METRICS, type Metric } from './metrics.ts'
import type { Scenario } from './scenario.ts'
import { executeSlash, SlashBook, toTokens } from './slashing.ts'

export type RunOptions = {
  epochs: number
  seed: number
  /** Monte Carlo run index: selects an independent random stream. */
  run?: number
  /** Record one point every `sampleEvery` epochs (flows are summed over the interval). */
  sampleEvery?: number
  onProgress?: (epochsDone: number) => void
}

export type RunResult = {
  sampleEvery: number
  points: number
  series: Record<Metric, Float64Array>
  totals: {
    faults: number
    slashed: number
    falseSlashed: number
    compensation: number
    clientLosses: number
    rewards: number
  }
  finalStake: number
  initialStake: number
}

type Pending = {
  operator: number
  service: number
  amount: bigint
  clientValue: number
  falseReport: boolean
  overturned: boolean
}

export function runSimulation(sc: Scenario, opts: RunOptions): RunResult {
  const rng = createRng(opts.seed, opts.run ?? 0)
  const E = opts.epochs
  const sampleEvery = Math.max(1, opts.sampleEvery ?? Math.ceil(E / 1000))
  const points = Math.ceil(E / sampleEvery)
  const series = Object.fromEntries(METRICS.map((m) => [m, new Float64Array(points)])) as Record<
    Metric,
    Float64Array
  >

  const N = sc.operators.count
  const S = sc.services.length
  const pool = new Float64Array(N)
  const bond = new Float64Array(N)
  const queued = new Float64Array(N)
  const pending = new Float64Array(N)
  const lossMemory = new Float64Array(N)
  const jailedUntil = new Int32Array(N)
  const service = new Uint16Array(N)
  const region = new Uint16Array(N)
  const provider = new Uint16Array(N)

  // Operators are dealt to services by weight, and to regions and providers uniformly.
  const weights = sc.services.map((s) => s.weight)
  const totalWeight = weights.reduce((a, b) => a + b, 0)
  const [stakeLo, stakeHi] = sc.operators.stake
  for (let v = 0; v < N; v++) {
    pool[v] = stakeLo + rng.next() * (stakeHi - stakeLo)
    bond[v] = (pool[v] as number) * sc.operators.bondFraction
    let r = rng.next() * totalWeight
    let s = 0
    while (s < S - 1 && r >= (weights[s] as number)) r -= weights[s++] as number
    service[v] = s
    region[v] = rng.int(0, sc.operators.regions.length - 1)
    provider[v] = rng.int(0, sc.operators.providers.length - 1)
  }

  // Per-service parameters as flat arrays for the hot loop.
  const orderRate = Float64Array.from(sc.services, (s) => s.orderRate)
  const valueLo = Float64Array.from(sc.services, (s) => s.orderValue[0])
  const valueSpan = Float64Array.from(sc.services, (s) => s.orderValue[1] - s.orderValue[0])
  const feeFrac = Float64Array.from(sc.services, (s) => s.feeBps / 10_000)
  const jailEpochs = Int32Array.from(sc.services, (s) => s.jailEpochs)
  const serviceStake = new Float64Array(S)
  const fees = new Float64Array(S)
  const rewardRate = new Float64Array(S)

  const book = new SlashBook(sc.services)
  const maturing = new Map<number, Pending[]>()
  const commission = sc.operators.commissionBps / 10_000
  const { failureRate } = sc.operators
  const att = sc.attesters
  const honestQuorum = att.count - att.colluding >= att.quorum
  const colludingQuorum = att.colluding >= att.quorum
  const detection = honestQuorum ? att.detection : 0 // without honest quorum the colluders hide real faults
  const st = sc.stakers
  const year = sc.epochsPerYear
  const lossDecay = 0.5 ** (1 / st.lossHalfLife)
  const release = 1 / st.withdrawalDelay

  let price = sc.price.initial
  let peak = price
  const scheduled = new Map(sc.price.shocks.map((s) => [s.epoch, s.drop]))
  const downRegion = new Int32Array(sc.correlated.length)
  const totals = { faults: 0, slashed: 0, falseSlashed: 0, compensation: 0, clientLosses: 0, rewards: 0 }
  const flow = {
    faults: 0,
    slashed: 0,
    falseSlashed: 0,
    compensation: 0,
    clientLosses: 0,
    rewards: 0,
    inflow: 0,
    outflow: 0,
  }
  let initialStake = 0
  for (let v = 0; v < N; v++) initialStake += (pool[v] as number) + (bond[v] as number)
  for (let v = 0; v < N; v++) {
    const s = service[v] as number
    serviceStake[s] = (serviceStake[s] as number) + (pool[v] as number) + (bond[v] as number)
  }

  const requestSlash = (v: number, epoch: number, clientValue: number, falseReport: boolean) => {
    const s = service[v] as number
    const amount = book.request({
      service: s,
      operator: v,
      epoch,
      allocatedTokens: (pool[v] as number) + (bond[v] as number),
      pendingTokens: pending[v] as number,
      serviceStakeTokens: serviceStake[s] as number,
    })
    if (amount === 0n) return
    pending[v] = (pending[v] as number) + toTokens(amount)
    // A false report is always disputed; the resolver overturns it with probability disputeSuccess.
    const overturned = falseReport && rng.next() < att.disputeSuccess
    const at = epoch + (sc.services[s]?.disputeWindow ?? 0)
    const list = maturing.get(at) ?? []
    list.push({ operator: v, service: s, amount, clientValue, falseReport, overturned })
    maturing.set(at, list)
  }

  for (let t = 0; t < E; t++) {
    // Price: a log random walk, random and scheduled shocks; a deep drawdown makes stakers flee.
    price *= Math.exp(sc.price.volatility * rng.normal() - (sc.price.volatility * sc.price.volatility) / 2)
    if (rng.next() < sc.price.shockRate) {
      const [lo, hi] = sc.price.shockSize
      price *= 1 - (lo + rng.next() * (hi - lo))
    }
    const drop = scheduled.get(t)
    if (drop !== undefined) price *= 1 - drop
    if (price > peak) peak = price
    const fleeing = 1 - price / peak > sc.price.fleeThreshold ? sc.price.fleeRate : 0

    // Correlated outages this epoch: -1 when the rule does not fire, else the group index that is down.
    for (let c = 0; c < sc.correlated.length; c++) {
      const rule = sc.correlated[c]
      if (!rule) continue
      const groups = rule.group === 'region' ? sc.operators.regions.length : sc.operators.providers.length
      downRegion[c] = rng.next() < rule.rate ? rng.int(0, groups - 1) : -1
    }

    // Last epoch's fees become this epoch's reward rate per token of the service's stake.
    for (let s = 0; s < S; s++) {
      const stake = serviceStake[s] as number
      rewardRate[s] = stake > 0 ? ((fees[s] as number) + (sc.services[s]?.subsidyPerEpoch ?? 0)) / stake : 0
      fees[s] = 0
      serviceStake[s] = 0
    }

    let active = 0
    let yieldNum = 0
    let stakeSum = 0
    for (let v = 0; v < N; v++) {
      const s = service[v] as number
      let p = pool[v] as number
      const b = bond[v] as number
      const stake = p + b
      if (stake <= 0) continue
      // Rewards: commission on the whole to the operator's bond, the rest raises the pool.
      const reward = (rewardRate[s] as number) * stake
      const toOperator = reward * commission
      bond[v] = b + toOperator
      p += reward - toOperator
      flow.rewards += reward

      let orderValue = 0
      if ((jailedUntil[v] as number) <= t) {
        active++
        if (rng.next() < (orderRate[s] as number)) {
          orderValue = (valueLo[s] as number) + rng.next() * (valueSpan[s] as number)
          fees[s] = (fees[s] as number) + (orderValue * (feeFrac[s] as number)) / price
        }
        let fails = rng.next() < failureRate
        for (let c = 0; c < downRegion.length && !fails; c++) {
          const g = downRegion[c] as number
          if (g < 0) continue
          const rule = sc.correlated[c]
          const mine = rule?.group === 'region' ? region[v] : provider[v]
          if (mine === g && rng.next() < (rule?.failFraction ?? 0)) fails = true
        }
        if (fails) {
          flow.faults++
          jailedUntil[v] = t + (jailEpochs[s] as number)
          if (rng.next() < detection) requestSlash(v, t, orderValue, false)
          else flow.clientLosses += orderValue
          if (orderValue > 0 && detection === 0) orderValue = 0
        }
      }

      // Stakers move capital by risk-adjusted yield (annualised), and flee during a deep drawdown.
      const y = (rewardRate[s] as number) * (1 - commission) * year
      const risk = ((lossMemory[v] as number) / stake) * year * (1 - lossDecay)
      let move = st.sensitivity * (y - st.riskAversion * risk - st.outsideYield)
      if (move > st.maxFlowPerEpoch) move = st.maxFlowPerEpoch
      if (move < -st.maxFlowPerEpoch) move = -st.maxFlowPerEpoch
      move -= fleeing
      let q = queued[v] as number
      if (move > 0) {
        const inflow = p * move
        p += inflow
        flow.inflow += inflow
      } else if (move < 0) q += (p - q) * -move
      // Queued withdrawals leave at 1/delay per epoch (an exponential stand-in for a fixed delay).
      const out = q * release
      q -= out
      p -= out
      flow.outflow += out
      queued[v] = q
      pool[v] = p
      lossMemory[v] = (lossMemory[v] as number) * lossDecay
      const now = p + (bond[v] as number)
      serviceStake[s] = (serviceStake[s] as number) + now
      stakeSum += now
      yieldNum += y * now
    }

    // A colluding quorum files false reports against random operators.
    if (colludingQuorum && rng.next() < att.falseReportRate) requestSlash(rng.int(0, N - 1), t, 0, true)

    // Execute the slashes whose dispute window ends now.
    const due = maturing.get(t)
    if (due) {
      maturing.delete(t)
      for (const d of due) {
        const v = d.operator
        pending[v] = Math.max(0, (pending[v] as number) - toTokens(d.amount))
        if (d.overturned) continue
        const svc = sc.services[d.service]
        if (!svc) continue
        const ex = executeSlash(svc, d.amount, bond[v] as number, pool[v] as number, d.clientValue > 0)
        const p = pool[v] as number
        // Queued withdrawals stay slashable: they lose their pro-rata share of what the pool loses.
        if (p > 0) queued[v] = (queued[v] as number) * (1 - ex.fromPool / p)
        bond[v] = (bond[v] as number) - ex.fromBond
        pool[v] = p - ex.fromPool
        const taken = ex.fromBond + ex.fromPool
        lossMemory[v] = (lossMemory[v] as number) + taken
        flow.slashed += taken
        if (d.falseReport) flow.falseSlashed += taken
        const paid = ex.client * price
        flow.compensation += paid
        if (d.clientValue > paid) flow.clientLosses += d.clientValue - paid
      }
    }

    // Record: levels at the end of each interval, flows summed over it.
    const k = Math.floor(t / sampleEvery)
    series.price[k] = price
    series.stake[k] = stakeSum
    series.stakeValue[k] = stakeSum * price
    series.activeOperators[k] = active
    series.stakerYield[k] = stakeSum > 0 ? yieldNum / stakeSum : 0
    for (const m of FLOW_METRICS) {
      series[m][k] = (series[m][k] as number) + flow[m]
      if (m in totals) totals[m as keyof typeof totals] += flow[m]
      flow[m] = 0
    }
    if (opts.onProgress && (t & 255) === 255) opts.onProgress(t + 1)
  }
  opts.onProgress?.(E)
  let finalStake = 0
  for (let v = 0; v < N; v++) finalStake += (pool[v] as number) + (bond[v] as number)
  return { sampleEvery, points, series, totals, finalStake, initialStake }
}
