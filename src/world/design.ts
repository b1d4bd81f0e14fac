/**
 * The world's cast and script as a pure function of the seed: which operators serve which service, their bonds,
 * who delegates how much where, which endpoints are flaky and which one fails hard, and each service's declared
 * value. The same seed gives the same world on every machine.
 *
 * Security by construction. In the restaking model of docs/risk.md an operator's load is Σ_s a_vs·k_s with
 * k_s = π_s / (α_s·σ(N(s))): the profit from corrupting a service over the stake an attacker must hold to corrupt
 * it. Each operator allocates ALLOCATION_BPS of its stake to each service it serves (restakers to both), and each
 * service declares a value of DECLARED_K_BPS of α·σ(N(s)) (α = 1/2, the snapshot's default). A restaker's load is
 * then 2 · 0.8 · 0.3 = 0.48 of its stake, so the certified slack is γ = 1/0.48 − 1 ≈ 1.08 before orders add
 * their escrow to π — far above the 0.1 the world promises, with room for slashes and a few hundred open orders.
 * (The old demo world declared 250,000 on a service only 200,000 secured — k = 2.5 — hence INSECURE.)
 */
import { parseEther } from 'viem'
import { createRng } from '../risk/rng.ts'
import { OPERATOR_COUNT, STAKER_COUNT } from './accounts.ts'

export const GPU = 0
export const COLD = 1
export const SERVICE_NAMES = ['gpu-inference', 'cold-chain'] as const
export const ALLOCATION_BPS = 8_000n
export const DECLARED_K_BPS = 3_000n
/** α of the risk snapshot (docs/risk.md): a majority of the stake securing a service corrupts it. */
export const ATTACK_THRESHOLD_BPS = 5_000n
const BPS = 10_000n

export type OperatorDesign = {
  index: number
  name: string
  services: number[]
  bond: bigint
  commissionBps: number
  /** Chance per probe epoch that the endpoint is down for that whole epoch (0: never). */
  flakyBps: number
  /** Fails hard: down for the profile's hardFailEpochs, some time after start. */
  hardFail: boolean
  /** Chance per compute job that the result it serves is not the one it committed. */
  wrongOutputBps: number
  /** Disputes the slashes it receives (the resolver rules). */
  disputes: boolean
}

export type WorldDesign = {
  seed: number
  operators: OperatorDesign[]
  /** Each staker's deposits: vault (operator index) and amount. */
  delegations: { staker: number; operator: number; assets: bigint }[]
  /** Stake each operator allocates to each service it serves. */
  allocations: { operator: number; service: number; amount: bigint }[]
  declaredValue: [bigint, bigint]
}

const NAMES = ['gpu-1', 'gpu-2', 'gpu-3', 'dual-1', 'dual-2', 'dual-3', 'cold-1', 'cold-2']
const SERVES = [[GPU], [GPU], [GPU], [GPU, COLD], [GPU, COLD], [GPU, COLD], [COLD], [COLD]]

/** Whole tokens in [lo, hi], in wei. */
const tokens = (rng: ReturnType<typeof createRng>, lo: number, hi: number) =>
  parseEther(String(rng.int(lo / 1000, hi / 1000) * 1000))

export function designWorld(seed: number): WorldDesign {
  const rng = createRng(seed, 12)
  // endpoints measured by probes are the GPU operators' (0..5): one fails hard, two are flaky
  const gpuOps = [0, 1, 2, 3, 4, 5]
  const shuffled = gpuOps.map((i) => ({ i, r: rng.next() })).sort((a, b) => a.r - b.r)
  const hard = shuffled[0]!.i
  const flaky = new Set([shuffled[1]!.i, shuffled[2]!.i])
  const sloppy = shuffled[3]!.i
  const operators: OperatorDesign[] = NAMES.slice(0, OPERATOR_COUNT).map((name, index) => ({
    index,
    name,
    services: SERVES[index]!,
    bond: tokens(rng, 25_000, 35_000),
    commissionBps: rng.int(5, 15) * 100,
    flakyBps: flaky.has(index) ? 800 : 0,
    hardFail: index === hard,
    wrongOutputBps: index === sloppy ? 3_000 : SERVES[index]!.includes(GPU) ? 300 : 0,
    // the operators that fail dispute what they are slashed for; the resolver decides
    disputes: index === hard || flaky.has(index),
  }))
  const delegations: WorldDesign['delegations'] = []
  for (let s = 0; s < STAKER_COUNT; s++) {
    // every vault gets stakers (s mod 8), and most stakers spread to a second vault
    delegations.push({ staker: s, operator: s % OPERATOR_COUNT, assets: tokens(rng, 30_000, 60_000) })
    if (rng.next() < 0.7) {
      const other = (s + rng.int(1, OPERATOR_COUNT - 1)) % OPERATOR_COUNT
      delegations.push({ staker: s, operator: other, assets: tokens(rng, 10_000, 30_000) })
    }
  }
  const stakeOf = (o: number) =>
    operators[o]!.bond + delegations.filter((d) => d.operator === o).reduce((a, d) => a + d.assets, 0n)
  const allocations: WorldDesign['allocations'] = []
  // rounded down: an allocation never exceeds the share the world promises
  for (const op of operators)
    for (const service of op.services)
      allocations.push({ operator: op.index, service, amount: (stakeOf(op.index) * ALLOCATION_BPS) / BPS })
  const declared = [GPU, COLD].map((service) => {
    const allocated = allocations.filter((a) => a.service === service).reduce((a, x) => a + x.amount, 0n)
    // rounded down to whole thousands of tokens: a lower declared value only makes the world safer
    const value = (allocated * ATTACK_THRESHOLD_BPS * DECLARED_K_BPS) / (BPS * BPS)
    const unit = parseEther('1000')
    return (value / unit) * unit
  }) as [bigint, bigint]
  return { seed, operators, delegations, allocations, declaredValue: declared }
}

export const stakeOf = (design: WorldDesign, operator: number) =>
  design.operators[operator]!.bond +
  design.delegations.filter((d) => d.operator === operator).reduce((a, d) => a + d.assets, 0n)
