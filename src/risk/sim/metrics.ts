/** The series a simulation records, in the order they appear in CSV and charts. */
/** Flows, summed over each interval. */
export const FLOW_METRICS = [
  'faults',
  'slashed',
  'falseSlashed',
  'compensation',
  'clientLosses',
  'rewards',
  'inflow',
  'outflow',
] as const

export const METRICS = [
  // levels, sampled at the end of each interval
  'price',
  'stake',
  'stakeValue',
  'activeOperators',
  'stakerYield',
  ...FLOW_METRICS,
] as const

export type Metric = (typeof METRICS)[number]

export const LEVELS: ReadonlySet<Metric> = new Set([
  'price',
  'stake',
  'stakeValue',
  'activeOperators',
  'stakerYield',
])

export const METRIC_INFO: Record<Metric, string> = {
  price: 'token price (outside unit)',
  stake: 'total stake, bond + pool (tokens)',
  stakeValue: 'total stake × price',
  activeOperators: 'operators not jailed',
  stakerYield: 'stakers’ annualised yield after commission, before losses',
  faults: 'operator faults',
  slashed: 'stake slashed by executed slashes (tokens)',
  falseSlashed: 'of which from false reports that were not overturned (tokens)',
  compensation: 'paid to harmed clients out of slashes (outside unit)',
  clientLosses: 'value of failed orders not covered by compensation (outside unit)',
  rewards: 'fees and subsidies paid to stake (tokens)',
  inflow: 'new delegated stake (tokens)',
  outflow: 'withdrawn stake (tokens)',
}
