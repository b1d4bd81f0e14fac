/**
 * GET /v1/dashboard/risk — the risk engine on the live network, for the dashboard's Risk page and its verdict on
 * the overview: the operator–service graph, the most profitable attack (exact, src/risk), the certified slack,
 * the worst-case cascade loss R_ψ for a few shock sizes with its bound, concentration, and a Monte Carlo
 * simulation seeded from the network's own stakes. The network is read off the chain exactly as `surety risk
 * snapshot` reads it, so the page and the CLI give the same verdict; the answer is computed once per block, and
 * the newest finished one is served while the next is computed (blockCache.ts).
 *
 * It lives beside the API (not in it) because the API serves indexed rows and this is a computation over them;
 * the route is the dashboard's, named for it.
 */
// for the route option `schema.hide` (keeps the dashboard's routes out of /openapi.json)
import type {} from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { type Address, createPublicClient, formatUnits as formatTokenUnits, http } from 'viem'
import { analyzeNetwork } from '../risk/analyze.ts'
import { worstCaseLoss } from '../risk/cascade.ts'
import { formatUnits } from '../risk/decimal.ts'
import { parseRiskInput, type RiskInput } from '../risk/input.ts'
import { rat, toNumber } from '../risk/rational.ts'
import { analyzeJson } from '../risk/report.ts'
import { runSimulation } from '../risk/sim/engine.ts'
import { percentileBands } from '../risk/sim/montecarlo.ts'
import { parseScenario } from '../risk/sim/scenario.ts'
import { snapshotFromRpc } from '../risk/snapshotRpc.ts'
import { vaultFactoryAbi } from '../sdk/abis.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { createBlockCache } from './blockCache.ts'
import { createRiskThread } from './dashboardRiskThread.ts'

/** Shock sizes ψ of the cascade chart: 5% to half of all stake. */
export const CASCADE_PSIS = [
  [1n, 20n],
  [1n, 10n],
  [1n, 5n],
  [1n, 3n],
  [1n, 2n],
] as const

export type DashboardRiskOptions = {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
  /** The stake token's decimals (default 18). */
  decimals?: number
  /** Seconds each solver call may take before the answer says it is not proven (default 10). */
  timeLimitSeconds?: number
  /** Simulation size (defaults: 90 days hourly, 16 runs). */
  simulation?: { epochs?: number; runs?: number; seed?: number }
}

/** The whole answer from a risk input: pure apart from the solver, so it is tested without a chain. */
export async function buildDashboardRisk(
  input: RiskInput,
  options: Pick<DashboardRiskOptions, 'timeLimitSeconds' | 'simulation'> = {},
) {
  const network = parseRiskInput(input)
  const scale = network.scale
  const solve = { timeLimitSeconds: options.timeLimitSeconds ?? 10 }
  const analysis = analyzeJson(await analyzeNetwork(network, solve), scale)
  const cascade = []
  for (const [num, den] of CASCADE_PSIS) {
    const r = await worstCaseLoss(network, rat(num, den), solve)
    cascade.push({
      psi: toNumber(r.psi),
      worstLoss: toNumber(r.worstLoss),
      proven: r.proven,
      bound: r.bound === null ? null : toNumber(r.bound),
      shock: r.shock.operators,
    })
  }
  return {
    graph: {
      operators: network.operators.map((o) => ({ id: o.id, stake: formatUnits(o.stake, scale) })),
      services: network.services.map((s) => ({
        id: s.id,
        profit: formatUnits(s.profit, scale),
        threshold: toNumber(s.threshold),
      })),
      edges: network.services.flatMap((s) =>
        s.members.map((m, k) => ({
          operator: network.operators[m]!.id,
          service: s.id,
          stake: formatUnits(s.memberStake[k] ?? 0n, scale),
        })),
      ),
    },
    analysis,
    cascade,
    simulation: simulate(input, options.simulation),
  }
}

/**
 * A Monte Carlo run of the simulator (src/risk/sim) on a scenario shaped like the live network: as many
 * operators as it has, their stakes' range, one simulated service per real one with the simulator's default
 * rates. Percentile bands of stake, slashes and client losses per day.
 */
export function simulate(input: RiskInput, o: DashboardRiskOptions['simulation'] = {}) {
  const stakes = input.operators.map((op) => Number(op.stake))
  const epochs = o.epochs ?? 24 * 90
  const runs = o.runs ?? 16
  const sampleEvery = 24
  const scenario = parseScenario({
    operators: {
      count: Math.max(1, stakes.length),
      stake: stakes.length ? [Math.min(...stakes), Math.max(...stakes)] : [1000, 1000],
    },
    services: input.services.length ? input.services.map((s) => ({ id: String(s.id) })) : [{ id: 'default' }],
  })
  const results = Array.from({ length: runs }, (_, run) =>
    runSimulation(scenario, { epochs, seed: o.seed ?? 1, run, sampleEvery }),
  )
  const points = Math.ceil(epochs / sampleEvery)
  const bands = percentileBands(results, points)
  const pick = (metric: 'stake' | 'slashed' | 'clientLosses' | 'stakerYield') => ({
    p5: Array.from(bands[metric][5]),
    p50: Array.from(bands[metric][50]),
    p95: Array.from(bands[metric][95]),
  })
  return {
    epochHours: 1,
    days: Array.from({ length: points }, (_, i) => i + 1),
    runs,
    stake: pick('stake'),
    slashed: pick('slashed'),
    clientLosses: pick('clientLosses'),
    stakerYield: pick('stakerYield'),
  }
}

/**
 * The snapshot is in base units (wei); the engine works in any one scale, and people read tokens: convert every
 * amount exactly (a decimal string with up to `decimals` places, which the engine parses without loss).
 */
export function inTokens(input: RiskInput, decimals: number): RiskInput {
  const t = (v: string | number) => formatTokenUnits(BigInt(v), decimals)
  return {
    ...input,
    operators: input.operators.map((o) => ({ ...o, stake: t(o.stake) })),
    services: input.services.map((s) => ({ ...s, profit: t(s.profit) })),
    allocations: input.allocations?.map((a) => ({ ...a, stake: t(a.stake) })),
  }
}

export function registerDashboardRisk(app: FastifyInstance, options: DashboardRiskOptions): void {
  const client = createPublicClient({ transport: http(options.rpcUrl) })
  // the solver and the simulation take seconds, a devnet block two: the newest finished answer is served while
  // the head's is computed (the answer names its block), on a thread of its own so the API keeps serving
  const answers = createBlockCache(compute)
  const thread = createRiskThread()
  app.addHook('onClose', () => thread.close())

  async function compute(block: bigint) {
    const input = inTokens(
      await snapshotFromRpc({
        rpcUrl: options.rpcUrl,
        chainId: options.chainId,
        addresses: options.addresses,
      }),
      options.decimals ?? 18,
    )
    const risk = await thread.compute(input, {
      timeLimitSeconds: options.timeLimitSeconds,
      simulation: options.simulation,
    })
    // operators are named by address in the model; the page links each to its vault
    const vaults: Record<string, Address> = {}
    for (const op of input.operators) {
      vaults[op.id] = await client.readContract({
        address: options.addresses.factory,
        abi: vaultFactoryAbi,
        functionName: 'vaultOf',
        args: [op.id as Address],
      })
    }
    return { block: Number(block), ...risk, vaults }
  }

  app.get('/v1/dashboard/risk', { schema: { hide: true } }, async () =>
    answers.get(await client.getBlockNumber()),
  )
}
