/**
 * The benches' seeded random networks in one place: the profit regimes, the members per service for a size, the
 * size flag ("1000x100") and the network itself. Every bench and probe built these the same way in its own copy;
 * a figure in docs/risk.md names a regime, a size and a seed, so the network behind it must stay bit-identical
 * (test/benchNetwork.test.ts compares this module with the copies it replaced).
 */
import { parseRiskInput } from '../src/risk/input.ts'
import type { Network } from '../src/risk/network.ts'
import { randomNetwork } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

/**
 * Profit from corruption as a multiple of the stake a lone-service attack needs (α·σ(N(s)), randomNetwork's
 * profitFactor). 'typical' networks are mostly insecure (some service is cheap to corrupt); 'boundary' ones mostly
 * secure though γ < 0, so security must be proven by the search; 'hard' sits right at the edge, where the MIP's
 * bound closes slowly.
 */
export const REGIMES = {
  typical: [0.2, 1.2],
  boundary: [0.02, 0.25],
  hard: [0.05, 0.35],
} as const satisfies Record<string, readonly [number, number]>

export type Regime = keyof typeof REGIMES

/**
 * The regime a flag names. An unknown name is refused with the known ones listed, unless the bench has a
 * fallback of its own (some probes quietly run `hard` on an unknown name, and keep doing so).
 */
export function regimeOf(text: string, fallback?: Regime): Regime {
  if (Object.hasOwn(REGIMES, text)) return text as Regime
  if (fallback !== undefined) return fallback
  throw new Error(`unknown regime '${text}' (use ${Object.keys(REGIMES).join(', ')})`)
}

/** Members per service for a size: a fifth to four fifths of 100, capped by the operators. */
export const membersFor = (ops: number, svcs: number): [number, number] =>
  ops <= 50 ? [5, 20] : ops <= 200 ? [10, 40] : svcs >= 200 ? [25, 100] : [20, 80]

/** A size flag, OPERATORSxSERVICES such as `1000x100`, as [operators, services]; anything else is refused. */
export function parseSize(text: string): [number, number] {
  const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(text)
  const ops = Number(m?.[1])
  const svcs = Number(m?.[2])
  if (!m || !(ops > 0) || !(svcs > 0) || !Number.isSafeInteger(ops) || !Number.isSafeInteger(svcs)) {
    throw new Error(
      `a size must be OPERATORSxSERVICES in positive whole numbers, such as 1000x100 (got '${text}')`,
    )
  }
  return [ops, svcs]
}

export type BenchNetworkOptions = {
  seed: number
  operators: number
  services: number
  regime: Regime
  /** Allocations per (operator, service) pair, or whole stakes (the paper's model) when false. */
  allocations: boolean
}

/** The bench network for a seed, size, regime and model: the same random draws as every bench made before. */
export function benchNetwork(o: BenchNetworkOptions): Network {
  return parseRiskInput(
    randomNetwork(createRng(o.seed), {
      operators: o.operators,
      services: o.services,
      membersPerService: membersFor(o.operators, o.services),
      allocations: o.allocations,
      profitFactor: REGIMES[o.regime],
    }),
  )
}

/**
 * A bench flag read by `read` (parseSize, regimeOf), or its error on one line and exit code 2, as the benches'
 * own flags do: a typo in `npm run bench:risk -- --regime hrad` is not a stack trace.
 */
export function flagOrExit<T>(read: () => T): T {
  try {
    return read()
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    process.exit(2)
  }
}
