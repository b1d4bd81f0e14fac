/**
 * A small builder for mixed-integer programs and one call into HiGHS (the `highs` wasm build). Rows are
 * collected sparse (CSR) and passed as arrays, which is far faster to load than LP text for 10^5 nonzeros, and
 * the persistent model API lets us read the proven dual bound when a time limit stops the search.
 */
import type { Highs as HighsModule } from 'highs'
import { SuretyError } from '../errors.ts'

// TypeScript reads the package as CommonJS, but Node's `import` resolves its ES build whose default export is
// the loader itself.
type Loader = () => Promise<HighsModule>

let highsPromise: Promise<HighsModule> | undefined
/** Loads the wasm solver once per process. */
export function loadHighs(): Promise<HighsModule> {
  highsPromise ??= import('highs').then((m) => (m.default as unknown as Loader)())
  return highsPromise
}

export class MipBuilder {
  readonly cost: number[] = []
  readonly lower: number[] = []
  readonly upper: number[] = []
  readonly integer: number[] = []
  readonly starts: number[] = [0]
  readonly indices: number[] = []
  readonly values: number[] = []
  readonly rowLower: number[] = []
  readonly rowUpper: number[] = []

  get numCols(): number {
    return this.cost.length
  }
  get numRows(): number {
    return this.rowLower.length
  }

  binary(cost = 0): number {
    return this.addVar(cost, 0, 1, true)
  }

  addVar(cost: number, lower: number, upper: number, integer: boolean): number {
    this.cost.push(cost)
    this.lower.push(lower)
    this.upper.push(upper)
    this.integer.push(integer ? 1 : 0)
    return this.cost.length - 1
  }

  /** Adds lower ≤ Σ coef·x ≤ upper; zero coefficients are dropped and repeated columns merged. */
  addRow(entries: Iterable<readonly [number, number]>, lower: number, upper: number): void {
    const merged = new Map<number, number>()
    for (const [col, coef] of entries) if (coef !== 0) merged.set(col, (merged.get(col) ?? 0) + coef)
    for (const [col, coef] of merged) {
      if (coef === 0) continue
      this.indices.push(col)
      this.values.push(coef)
    }
    this.starts.push(this.indices.length)
    this.rowLower.push(lower)
    this.rowUpper.push(upper)
  }
}

export type MipStatus = 'optimal' | 'infeasible' | 'timeLimit'

export type MipSolution = {
  status: MipStatus
  /** Column values of the best solution found, or null when none was found. */
  values: Float64Array | null
  /** Objective of `values` (meaningless when values is null). */
  objective: number
  /** Proven bound on the optimum (≥ it when maximizing): equals `objective` when optimal. */
  bound: number
}

export type MipOptions = {
  maximize: boolean
  timeLimitSeconds?: number
  /**
   * A known feasible assignment of some columns (the rest are completed by HiGHS): the incumbent the search
   * starts from, so it prunes from the first node. A start that is not feasible is simply not used.
   */
  start?: { indices: number[]; values: number[] }
  /** Run HiGHS's presolve (default). Off only to re-check an answer presolve got wrong (search.ts). */
  presolve?: boolean
  /** HiGHS's `mip_feasibility_tolerance` (also its integrality tolerance) instead of SOLVER_OPTIONS'. */
  mipFeasibilityTolerance?: number
  /** Where to solve instead of this thread (mipThread.ts); undefined: here. */
  runner?: MipRunner
  /**
   * The latest the solve may end (performance.now() milliseconds): the question's deadline. Only the solver's
   * thread reads it (mipThread.ts): there a solve's limit counts from when the thread starts it (it may be queued
   * behind a thread still loading), bounded by this; on this thread a solve starts when asked.
   */
  endBy?: number
}

/** Solves a model somewhere else (mipThread.ts), answering as solveMip does. */
export type MipRunner = (b: MipArrays, options: Omit<MipOptions, 'runner'>) => Promise<MipSolution>

/**
 * Tolerances: amounts are scaled so the largest is 1 (see scaledAmounts), and 1e-9 is then the size below which
 * the solver cannot tell an amount from zero. Every answer is re-verified exactly, so these only decide how
 * close to the boundary an attack can be and still be found, never whether a reported attack is real.
 */
const SOLVER_OPTIONS = {
  output_flag: false,
  mip_feasibility_tolerance: 1e-9,
  primal_feasibility_tolerance: 1e-9,
  mip_rel_gap: 1e-9,
  mip_abs_gap: 1e-10,
  small_matrix_value: 1e-12,
  random_seed: 1,
} as const

/** The arrays of a built model (a MipBuilder, or its copy sent to the solver's thread: mipThread.ts). */
export type MipArrays = Pick<
  MipBuilder,
  'cost' | 'lower' | 'upper' | 'integer' | 'starts' | 'indices' | 'values' | 'rowLower' | 'rowUpper'
> & { numCols: number; numRows: number }

/**
 * Passes a built model to a HiGHS model (the bench's probes use it too); `integral: false` drops the integrality,
 * for the LP relaxation.
 */
export function passBuilder(
  highs: HighsModule,
  model: ReturnType<HighsModule['createModel']>,
  b: MipArrays,
  maximize: boolean,
  integral = true,
): void {
  model.passModel({
    numCols: b.numCols,
    numRows: b.numRows,
    sense: maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost: b.cost,
    colLower: b.lower,
    colUpper: b.upper,
    rowLower: b.rowLower,
    rowUpper: b.rowUpper,
    matrix: {
      format: 'csr',
      numRows: b.numRows,
      numCols: b.numCols,
      starts: b.starts,
      indices: b.indices,
      values: b.values,
    },
    ...(integral ? { integrality: Int32Array.from(b.integer) } : {}),
  } as Parameters<ReturnType<HighsModule['createModel']>['passModel']>[0])
}

/** What a solve reports while it runs (mipThread.ts passes it on, so that an abandoned solve keeps it). */
export type MipProgress = {
  /** A new incumbent: its column values (the model's own columns) and objective. */
  incumbent(values: Float64Array, objective: number): void
  /** HiGHS's proven bound on the optimum so far (its dual bound). */
  bound(bound: number): void
}

/** solveMip on this thread with a loaded HiGHS; `progress` hears the incumbents and bounds as they come. */
export function solveMipWith(
  highs: HighsModule,
  b: MipArrays,
  options: Omit<MipOptions, 'runner'>,
  progress?: MipProgress,
): MipSolution {
  const model = highs.createModel()
  try {
    passBuilder(highs, model, b, options.maximize)
    model.options.set(SOLVER_OPTIONS)
    if (options.timeLimitSeconds !== undefined) model.options.set('time_limit', options.timeLimitSeconds)
    if (options.presolve === false) model.options.set('presolve', 'off')
    if (options.mipFeasibilityTolerance !== undefined)
      model.options.set('mip_feasibility_tolerance', options.mipFeasibilityTolerance)
    if (options.start && options.start.indices.length > 0) model.setSolution(options.start)
    const cb = highs.constants.callbackType
    let last = Number.NaN
    const { modelStatus } = model.run(
      progress
        ? {
            // the incumbent in the model's columns (HiGHS postsolves it for the callback); any other length is
            // not ours to read, and is skipped
            [cb.mipImprovingSolution](e) {
              const x = e.data.mip_solution
              const obj = e.data.objective_function_value
              if (x && x.length === b.numCols && obj !== undefined) progress.incumbent(x, obj)
            },
            [cb.mipInterrupt](e) {
              const d = e.data.mip_dual_bound
              if (d !== undefined && d !== last) {
                last = d
                progress.bound(d)
              }
            },
          }
        : undefined,
    )
    const codes = highs.constants.modelStatus
    if (modelStatus === codes.infeasible)
      return { status: 'infeasible', values: null, objective: Number.NaN, bound: Number.NaN }
    const hasSolution =
      Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible
    const values = hasSolution ? model.getSolution().colValue : null
    const objective = hasSolution ? model.getObjectiveValue() : Number.NaN
    if (modelStatus === codes.optimal) return { status: 'optimal', values, objective, bound: objective }
    if (modelStatus === codes.timeLimit || modelStatus === codes.interrupted) {
      const dual = Number(model.info.get('mip_dual_bound'))
      const worst = options.maximize ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY
      return { status: 'timeLimit', values, objective, bound: Number.isFinite(dual) ? dual : worst }
    }
    throw new SuretyError(`the MIP solver stopped with status ${modelStatus}`)
  } finally {
    model.dispose()
  }
}

/**
 * Solves on this thread, or with `options.runner` (mipThread.ts: on a thread that is abandoned at the deadline,
 * since HiGHS overruns its own time limit by seconds on large models).
 */
export async function solveMip(b: MipBuilder, options: MipOptions): Promise<MipSolution> {
  const { runner, ...rest } = options
  if (runner) return runner(b, rest)
  return solveMipWith(await loadHighs(), b, rest)
}
