/**
 * Surety's risk engine, for a browser or a server (`surety/risk`): restaking security in the model of Durvasula &
 * Roughgarden (the most profitable attack found exactly as an integer program, the certified slack γ, the worst
 * cascade after a shock), concentration, bond calibration, and one run of the network simulator. Pure TypeScript
 * plus the HiGHS solver compiled to WebAssembly: no Node.js module is imported from here (a test walks the imports).
 * Reading a network from a chain and the multi-threaded Monte Carlo are Node.js only: `surety/risk/node`.
 *
 * @module surety/risk
 */

export { type AnalyzeReport, analyzeNetwork, type ServiceReport } from './analyze.ts'
export {
  type AttackAnswer,
  type AttackReport,
  describeAttack,
  largestAttack,
  mostProfitableAttack,
  type SolveOptions,
} from './attack.ts'
export { type BondParams, type BondReport, calibrateBond } from './bond.ts'
export { type CascadeReport, worstCaseLoss } from './cascade.ts'
export { type Nakamoto, nakamoto, nakamotoCoefficients, networkNakamoto } from './concentration.ts'
export { parseRiskInput, type RiskInput, riskInputSchema } from './input.ts'
export { type Network, type Operator, type Service, serviceStake, totalStake } from './network.ts'
export { type Rational, rat, ratToString, toNumber } from './rational.ts'
export { analyzeJson, analyzeText, attackJson, cascadeJson, cascadeText } from './report.ts'
export { type RunOptions, type RunResult, runSimulation } from './sim/engine.ts'
export { METRIC_INFO, METRICS, type Metric } from './sim/metrics.ts'
export { parseScenario, type Scenario, scenarioSchema } from './sim/scenario.ts'
export { cascadeBound, certifiedSlack } from './slack.ts'
export { buildRiskInput, type ChainReads, type SnapshotOptions } from './snapshot.ts'
export { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'
