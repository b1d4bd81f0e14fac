/**
 * The simulation scenario (JSON), validated at the edge. Rates are per epoch (an epoch is an hour by default:
 * `epochsPerYear` 8760); money is in tokens; the token price is in an outside unit (USD) so price shocks move
 * the value of stake against the value it secures. Every field has a default, so `{}` is a valid scenario.
 * docs/risk.md documents each field.
 */
import { z } from 'zod'
import { InvalidInputError } from '../../errors.ts'

const prob = z.number().min(0).max(1)
const bps = z.number().int().min(0).max(10_000)
const range = z
  .tuple([z.number().nonnegative(), z.number().nonnegative()])
  .refine(([a, b]) => a <= b, 'low must not exceed high')

const service = z
  .object({
    id: z.string().min(1),
    /** Relative share of operators that serve this service. */
    weight: z.number().positive().default(1),
    /** Orders per operator per epoch (Bernoulli). */
    orderRate: prob.default(0.02),
    /** Order value (outside unit), uniform in the range. */
    orderValue: range.default([50, 500]),
    /** Fee on each order paid to the stake (bps of order value). */
    feeBps: bps.default(100),
    /** Subsidy streamed to the service's stake, tokens per epoch. */
    subsidyPerEpoch: z.number().nonnegative().default(0),
    basePenaltyBps: bps.default(200),
    correlationMultiplierBps: z.number().int().min(0).max(1_000_000).default(30_000),
    correlationWindow: z.number().int().positive().default(168),
    incidentCapBps: bps.default(5_000),
    windowCapBps: bps.default(10_000),
    clientShareBps: bps.default(8_000),
    reporterShareBps: bps.default(500),
    /** Epochs between a slash request and its execution, during which it can be disputed. */
    disputeWindow: z.number().int().nonnegative().default(24),
    /** Epochs an operator is jailed (serves no orders) after a fault. */
    jailEpochs: z.number().int().nonnegative().default(24),
  })
  .strict()

export const scenarioSchema = z
  .object({
    epochsPerYear: z.number().int().positive().default(8760),
    operators: z
      .object({
        count: z.number().int().positive().max(1_000_000).default(100),
        /** Initial delegated stake per operator (tokens), uniform in the range. */
        stake: range.default([1_000, 10_000]),
        /** Operator's own first-loss bond, as a fraction of its delegated stake. */
        bondFraction: z.number().nonnegative().default(0.1),
        /** Probability per epoch that an operator fails on its own. */
        failureRate: prob.default(0.00005),
        commissionBps: bps.default(1_000),
        regions: z.array(z.string()).min(1).default(['eu', 'us', 'asia']),
        providers: z.array(z.string()).min(1).default(['aws', 'gcp', 'hetzner', 'bare-metal']),
      })
      .strict()
      .default({}),
    /** Correlated outages: per epoch, with probability `rate`, one random region (or provider) goes down and each
     * operator in it fails with probability `failFraction`. */
    correlated: z
      .array(z.object({ group: z.enum(['region', 'provider']), rate: prob, failFraction: prob }).strict())
      .default([{ group: 'region', rate: 0.0001, failFraction: 0.2 }]),
    services: z
      .array(service)
      .min(1)
      .default([{ id: 'default' }]),
    attesters: z
      .object({
        count: z.number().int().positive().default(7),
        quorum: z.number().int().positive().default(5),
        /** Attesters that collude: with a quorum they can slash honest operators falsely; without one, if the
         * honest ones cannot reach quorum, they can hide real faults. */
        colluding: z.number().int().nonnegative().default(0),
        /** Per epoch, probability a colluding quorum files a false report against a random operator. */
        falseReportRate: prob.default(0.001),
        /** Probability a disputed false report is overturned by the resolver. */
        disputeSuccess: prob.default(0.9),
        /** Probability a real fault is reported (detection). */
        detection: prob.default(0.95),
      })
      .strict()
      .default({}),
    stakers: z
      .object({
        /** Annual yield stakers can get elsewhere. */
        outsideYield: z.number().default(0.04),
        /** How strongly annualised realised losses count against yield. */
        riskAversion: z.number().nonnegative().default(2),
        /** Fraction of a vault's stake moved per epoch per unit (annual) of risk-adjusted yield gap. */
        sensitivity: z.number().nonnegative().default(0.002),
        /** Cap on the fraction of stake moved per epoch. */
        maxFlowPerEpoch: prob.default(0.01),
        /** Epochs a withdrawal waits (still slashable) before it leaves. */
        withdrawalDelay: z.number().int().positive().default(168),
        /** Half-life (epochs) of the loss memory behind risk-adjusted yield. */
        lossHalfLife: z.number().positive().default(720),
      })
      .strict()
      .default({}),
    price: z
      .object({
        initial: z.number().positive().default(1),
        /** Log-volatility per epoch. */
        volatility: z.number().nonnegative().default(0.003),
        /** Random shocks: probability per epoch and the fall, uniform in the range. */
        shockRate: prob.default(0.0001),
        shockSize: range.default([0.1, 0.4]),
        /** Scheduled shocks. */
        shocks: z.array(z.object({ epoch: z.number().int().nonnegative(), drop: prob }).strict()).default([]),
        /** A drawdown from the running peak past this fraction triggers capital flight... */
        fleeThreshold: prob.default(0.4),
        /** ...of this fraction of the remaining stake per epoch while it lasts. */
        fleeRate: prob.default(0.001),
      })
      .strict()
      .default({}),
  })
  .strict()

export type Scenario = z.infer<typeof scenarioSchema>
export type ServiceScenario = Scenario['services'][number]

export function parseScenario(raw: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = (issue?.path ?? [])
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
      .join('')
      .replace(/^\./, '')
    throw new InvalidInputError(`${path || 'scenario'}: ${issue?.message ?? 'invalid'}`)
  }
  const s = parsed.data
  if (s.attesters.quorum > s.attesters.count)
    throw new InvalidInputError('attesters.quorum must not exceed attesters.count')
  if (s.attesters.colluding > s.attesters.count)
    throw new InvalidInputError('attesters.colluding must not exceed attesters.count')
  const ids = new Set<string>()
  s.services.forEach((svc, i) => {
    if (ids.has(svc.id)) throw new InvalidInputError(`services[${i}].id '${svc.id}' is a duplicate`)
    ids.add(svc.id)
  })
  return s
}
