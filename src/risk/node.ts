/**
 * The Node.js-only half of the risk engine (`surety/risk/node`): a network snapshot read from a live deployment
 * (its manifest may be a file), and the Monte Carlo simulator spread over worker threads with its CSV, JSON and
 * SVG outputs, and the branch and bound over services on two worker threads (`parallelBranch()`, passed as
 * `SolveOptions.parallel`). Everything in `surety/risk` is re-exported, so a server imports one module.
 *
 * @module surety/risk/node
 */

export * from './index.ts'
export { closeBranchThreads, type ParallelBranchOptions, parallelBranch } from './parallelBranch.ts'
export {
  type Bands,
  type MonteCarloOptions,
  type MonteCarloResult,
  PERCENTILES,
  percentileBands,
  runMonteCarlo,
} from './sim/montecarlo.ts'
export { summarize, summaryText, toCsv, toJson } from './sim/output.ts'
export { CHARTS, chart } from './sim/svg.ts'
export { type SnapshotSource, snapshotFromRpc } from './snapshotRpc.ts'
