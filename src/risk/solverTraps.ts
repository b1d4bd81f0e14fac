/**
 * Small networks on which HiGHS 1.15.3 at mip_feasibility_tolerance 1e-9 (mip.ts) called a wrong answer "optimal"
 * though the true optimum meets every row of the model with room: the review tests' fixtures for the second opinion
 * (search.ts secondOpinion), each with its true optimum in amount units. Test data only.
 */
import type { RiskInput } from './input.ts'

const ops = (stakes: number[]) => stakes.map((stake, i) => ({ id: `v${i}`, stake }))
const allocs = (rows: [string, string, number][]) =>
  rows.map(([operator, service, stake]) => ({ operator, service, stake }))

/** The largest attack: "no attack", proven, where one burns 158 and 163 (bench/largestSweep.ts, 2 of 7,000). */
export const WRONG_LARGEST: [RiskInput, bigint][] = [
  [
    {
      operators: ops([77, 75, 7, 47, 8]),
      services: [
        { id: 's0', profit: 1, threshold: 0.3333, operators: ['v2'] },
        { id: 's1', profit: 181, threshold: 1, operators: ['v1', 'v0', 'v3'] },
      ],
      allocations: allocs([
        ['v2', 's0', 1],
        ['v1', 's1', 49],
        ['v0', 's1', 73],
        ['v3', 's1', 35],
      ]),
    },
    158n,
  ],
  [
    {
      operators: ops([64, 83, 80]),
      services: [
        { id: 's0', profit: 56, threshold: 1, operators: ['v1'] },
        { id: 's1', profit: 79, threshold: 0.6667, operators: ['v1', 'v0', 'v2'] },
        { id: 's2', profit: 35, threshold: 0.6667, operators: ['v1', 'v0', 'v2'] },
      ],
    },
    163n,
  ],
]

/** The cascade at ψ = 1/2: the shock alone (186 and 96), proven, where R_ψ·σ(V) is 311 and 133 (2 of 3,754). */
export const WRONG_CASCADES: [RiskInput, bigint][] = [
  [
    {
      operators: ops([2, 67, 58, 75, 62, 95, 14]),
      services: [
        { id: 's0', profit: 18, threshold: 0.3333, operators: ['v4', 'v2', 'v5', 'v3', 'v6'] },
        { id: 's1', profit: 71, threshold: 0.6667, operators: ['v2', 'v5', 'v3', 'v1'] },
        { id: 's2', profit: 45, threshold: 0.6667, operators: ['v5', 'v4', 'v1', 'v6', 'v2'] },
      ],
    },
    311n,
  ],
  [
    {
      operators: ops([15, 37, 68, 1, 55, 25]),
      services: [
        { id: 's0', profit: 38, threshold: 1, operators: ['v3', 'v1', 'v4', 'v0', 'v5'] },
        { id: 's1', profit: 12, threshold: 0.6667, operators: ['v0', 'v2'] },
      ],
    },
    133n,
  ],
]
