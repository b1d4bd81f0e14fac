/**
 * What `surety risk analyze` and `cascade` print for people: amounts grouped and in the network's units (token
 * units for a snapshot of a deployment), a table whose columns are as wide as their widest cell, and a shock
 * that removes no operator said in words. Built from the engine's JSON reports, so the engine stays untouched.
 */
import type { analyzeJson, cascadeJson } from '../risk/report.ts'
import { plural, table } from './lib/table.ts'

type Analyze = ReturnType<typeof analyzeJson>
type Cascade = ReturnType<typeof cascadeJson>
type Attack = Analyze['attack']

/** "1234567.891234" → "1,234,567.8912" (at most 4 decimals, cut). */
export function amountText(decimal: string): string {
  const negative = decimal.startsWith('-')
  const [whole, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.')
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cut = fraction.slice(0, 4).replace(/0+$/, '')
  return `${negative ? '-' : ''}${grouped}${cut ? `.${cut}` : ''}`
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const list = (xs: string[]) =>
  xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')} … (${xs.length} in all)`

function attackLines(title: string, a: Attack): string[] {
  if (!a) return [`${title}: none`]
  return [
    `${title}: profit ${amountText(a.profit)} for a forfeited stake of ${amountText(a.cost)} (net ${amountText(a.netProfit)})`,
    `  ${plural(a.services.length, 'service')}: ${list(a.services)}`,
    `  ${plural(a.operators.length, 'operator')}: ${list(a.operators)}`,
  ]
}

/**
 * Why a network is insecure, in terms an operator can act on: what each attacked service secures (its profit from
 * corruption) against the stake allocated to it, and what the coalition would forfeit for it.
 */
function whyInsecure(r: Analyze): string[] {
  const a = r.attack
  if (!a) return []
  const lines = [
    `why: corrupting ${list(a.services)} pays ${amountText(a.profit)}, while the operators who can do it forfeit only ${amountText(a.cost)} of stake`,
  ]
  for (const s of r.services.filter((x) => a.services.includes(x.id)))
    lines.push(
      `  service ${s.id} secures ${amountText(s.profit)} with ${amountText(s.allocatedStake)} of stake allocated to it${s.leverage === null ? '' : ` (leverage ${s.leverage.toFixed(2)})`}`,
    )
  lines.push(
    '  fix: more stake allocated to these services (bonds, delegations, allocations), or less value secured by them',
  )
  return lines
}

export function analyzeLines(r: Analyze): string {
  const verdict =
    r.secure === true
      ? 'SECURE — no coalition profits from corrupting any set of services'
      : r.secure === false
        ? 'INSECURE — a profitable attack exists'
        : `UNKNOWN — the time limit stopped the search before it could prove security (net profit could still reach ${r.netProfitBound.toPrecision(6)})`
  // An exact proof (bigint) or the MIP solver's answer, which holds within its float tolerances (docs/risk.md).
  const how =
    r.secure === null
      ? ''
      : r.verdictExact
        ? ' (proven exactly)'
        : ' (the solver’s verdict, within its float tolerances)'
  const lines = [verdict + how]
  if (r.secure !== null && !r.optimal)
    lines.push(
      `(not proven optimal: the time limit stopped the search; a better attack could net up to ${r.netProfitBound.toPrecision(6)})`,
    )
  lines.push(
    ...attackLines('most profitable attack', r.attack),
    ...attackLines('largest attack', r.largestAttack),
  )
  if (r.secure === false) lines.push(...whyInsecure(r))
  lines.push(
    `certified slack γ: ${r.slack === null ? 'unbounded (nothing to corrupt)' : `${r.slack.toFixed(4)} (${r.slackExact})${r.slack >= 0 ? ' — the sufficient condition proves security' : ''}`}`,
    `total stake ${amountText(r.totalStake)}; Nakamoto coefficients at 1/3, 1/2, 2/3: ${r.nakamoto.third}, ${r.nakamoto.half}, ${r.nakamoto.twoThirds}`,
    '',
    table(
      ['service', 'profit from corruption', 'allocated stake', 'leverage', 'Nakamoto 1/3 1/2 2/3'],
      r.services.map((s) => [
        s.id,
        amountText(s.profit),
        amountText(s.allocatedStake),
        s.leverage === null ? '∞' : s.leverage.toFixed(3),
        `${s.nakamoto.third} ${s.nakamoto.half} ${s.nakamoto.twoThirds}`,
      ]),
      ['left', 'right', 'right', 'right', 'left'],
    ),
  )
  return lines.join('\n')
}

/** `smallestShare`: the smallest operator's share of all stake, to say why a shock removes nobody. */
export function cascadeLines(r: Cascade, smallestShare: number | null): string {
  const shock =
    r.shock.operators.length > 0
      ? `the shock removes ${plural(r.shock.operators.length, 'operator')} holding ${amountText(r.shock.stake)}: ${list(r.shock.operators)}`
      : `a ${pct(r.psi)} shock removes no operator: ${smallestShare === null ? 'there are none' : `the smallest holds ${pct(smallestShare)} of all stake, more than the shock`}`
  const lines = [
    `worst-case loss after a ${pct(r.psi)} shock: R_ψ = ${pct(r.worstLoss)} of all stake (${r.worstLossExact})${r.proven ? (r.provenExact ? ', proven exactly' : '') : ` — NOT PROVEN (time limit); it could be as high as ${pct(r.worstLossBound)}`}`,
    shock,
    ...attackLines('attack it enables', r.attack),
  ]
  lines.push(
    r.bound !== null
      ? `bound (1 + 1/γ)·ψ = ${pct(r.bound)} (γ = ${r.slack === null ? '∞' : r.slack.toFixed(4)})`
      : `no slack bound: γ = ${r.slack === null ? '∞' : r.slack.toFixed(4)} ≤ 0`,
  )
  return lines.join('\n')
}
