/**
 * Bond calibration: the collateral C that makes cheating unprofitable for one job. Cheating gains the job's value
 * V; it is detected with probability p, and a detected fault slashes the fraction f of the bond. Cheating is
 * unprofitable when the expected penalty covers the gain: p·f·C ≥ V, so C* = V / (p·f), rounded up.
 * An honest operator that still fails with probability q per job expects to lose q·f·C* per job: the premium its
 * fee must carry. A detected fault pays the client f·C* ≥ V (since p ≤ 1), so the harmed client is made whole.
 */
import { InvalidInputError } from '../errors.ts'
import { decimalToRational, formatUnits, parseDecimal } from './decimal.ts'
import { cmp, div, mul, ONE, type Rational, rat, ZERO } from './rational.ts'

export type BondParams = {
  value: string | number
  detection: string | number
  slash: string | number
  failureRate?: string | number
  /** Decimal places to round the answer up to. */
  decimals?: number
}

export type BondReport = {
  /** Minimum collateral, exact. */
  collateral: Rational
  /** The same, rounded up to `decimals` places (rounding up keeps cheating unprofitable). */
  collateralRounded: string
  /** Expected slash per job for an honest operator failing with probability q (null without q). */
  honestCostPerJob: Rational | null
  /** What a detected fault pays out of the bond (f·C). */
  payoutOnDetection: Rational
  reasoning: string[]
}

function probability(v: string | number, field: string, allowZero: boolean): Rational {
  const r = decimalToRational(parseDecimal(v, field))
  if ((!allowZero && r.num === 0n) || cmp(r, ONE) > 0) {
    throw new InvalidInputError(`${field} must be in ${allowZero ? '[0, 1]' : '(0, 1]'} (got ${v})`)
  }
  return r
}

const ceilUnits = (r: Rational, places: number): bigint => {
  const scale = 10n ** BigInt(places)
  return (r.num * scale + r.den - 1n) / r.den
}

/** Decimal string of r rounded up to `places` (formatUnits drops trailing zeros). */
export const ceilDecimal = (r: Rational, places: number): string => formatUnits(ceilUnits(r, places), places)

const show = (r: Rational, places: number): string => ceilDecimal(r, places)

export function calibrateBond(p: BondParams): BondReport {
  const valueDec = parseDecimal(p.value, 'value')
  const value = decimalToRational(valueDec)
  const detection = probability(p.detection, 'detection', false)
  const slash = probability(p.slash, 'slash', false)
  const failure = p.failureRate === undefined ? null : probability(p.failureRate, 'failureRate', true)
  const places = p.decimals ?? Math.max(valueDec.scale, 2)

  const collateral = div(value, mul(detection, slash))
  const payout = mul(slash, collateral)
  const honest = failure === null ? null : mul(mul(failure, slash), collateral)
  const pct = (r: Rational) => `${ceilDecimal(mul(r, rat(100n)), 4)}%`

  const reasoning = [
    `Cheating on one job gains its value: V = ${show(value, places)}.`,
    `It is caught with probability p = ${pct(detection)}; a caught fault slashes f = ${pct(slash)} of the bond C.`,
    `Expected penalty p·f·C must cover the gain: p·f·C ≥ V, so C ≥ V / (p·f) = ${show(value, places)} / ${show(mul(detection, slash), 6)}.`,
    `Minimum collateral: ${show(collateral, places)} (rounded up, so cheating stays unprofitable).`,
    `A caught fault pays the client f·C = ${show(payout, places)} ≥ V: the harmed client is made whole.`,
  ]
  if (honest !== null && failure !== null) {
    reasoning.push(
      `An honest operator failing with probability q = ${pct(failure)} per job expects to lose q·f·C = ${show(honest, places)} per job; its fee must cover that.`,
    )
  }
  if (cmp(value, ZERO) === 0) reasoning.push('With nothing at stake in the job, no collateral is needed.')
  return {
    collateral,
    collateralRounded: ceilDecimal(collateral, places),
    honestCostPerJob: honest,
    payoutOnDetection: payout,
    reasoning,
  }
}
