/**
 * Turns reports into JSON-safe objects (amounts as exact decimal strings, ratios as numbers with the exact
 * fraction beside them) and into the human text the CLI prints by default.
 */
import type { AnalyzeReport } from './analyze.ts'
import type { AttackReport } from './attack.ts'
import type { CascadeReport } from './cascade.ts'
import { formatUnits } from './decimal.ts'
import { type Rational, ratToString, toNumber } from './rational.ts'

const ratio = (r: Rational | null) => (r === null ? null : toNumber(r))
const exact = (r: Rational | null) => (r === null ? null : ratToString(r))

export function attackJson(a: AttackReport | null, scale: number) {
  if (!a) return null
  return {
    services: a.services,
    operators: a.operators,
    profit: formatUnits(a.profit, scale),
    cost: formatUnits(a.cost, scale),
    netProfit: formatUnits(a.profit - a.cost, scale),
  }
}

export function analyzeJson(r: AnalyzeReport, scale: number) {
  return {
    secure: r.secure,
    verdictProven: r.verdictProven,
    verdictExact: r.verdictExact,
    optimal: r.proven,
    optimalExact: r.provenExact,
    attack: attackJson(r.attack, scale),
    netProfitBound: r.profitBound,
    largestAttack: attackJson(r.largestAttack, scale),
    slack: ratio(r.slack),
    slackExact: r.slack === null ? 'unbounded' : exact(r.slack),
    totalStake: formatUnits(r.totalStake, scale),
    nakamoto: r.nakamoto,
    services: r.services.map((s) => ({
      id: s.id,
      profit: formatUnits(s.profit, scale),
      allocatedStake: formatUnits(s.allocatedStake, scale),
      leverage: ratio(s.leverage),
      nakamoto: s.nakamoto,
    })),
  }
}

export function cascadeJson(r: CascadeReport, scale: number) {
  return {
    psi: toNumber(r.psi),
    worstLoss: toNumber(r.worstLoss),
    worstLossExact: ratToString(r.worstLoss),
    proven: r.proven,
    provenExact: r.exact,
    worstLossBound: r.worstLossBound,
    shock: { operators: r.shock.operators, stake: formatUnits(r.shock.stake, scale) },
    attack: attackJson(r.attack, scale),
    slack: ratio(r.gamma),
    bound: ratio(r.bound),
    boundExact: exact(r.bound),
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const list = (xs: string[]) =>
  xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 8).join(', ')} … (${xs.length} in all)`

function attackLines(title: string, a: AttackReport | null, scale: number): string[] {
  if (!a) return [`${title}: none`]
  return [
    `${title}: profit ${formatUnits(a.profit, scale)} for a forfeited stake of ${formatUnits(a.cost, scale)} (net ${formatUnits(a.profit - a.cost, scale)})`,
    `  services:  ${list(a.services)}`,
    `  operators: ${list(a.operators)}`,
  ]
}

/**
 * Why a network is insecure, in the terms an operator can act on: the value each attacked service secures (its
 * profit from corruption: declared value plus open orders' escrow) against the stake allocated to it, and what
 * the coalition would forfeit for it.
 */
function whyInsecure(r: AnalyzeReport, scale: number): string[] {
  const a = r.attack!
  const attacked = r.services.filter((s) => a.services.includes(s.id))
  const lines = [
    `why: corrupting ${list(a.services)} pays ${formatUnits(a.profit, scale)}, while the operators who can do it forfeit only ${formatUnits(a.cost, scale)} of stake`,
  ]
  for (const s of attacked)
    lines.push(
      `  service ${s.id} secures ${formatUnits(s.profit, scale)} with ${formatUnits(s.allocatedStake, scale)} of stake allocated to it${s.leverage ? ` (leverage ${toNumber(s.leverage).toFixed(2)})` : ''}`,
    )
  lines.push(
    '  fix: more stake allocated to these services (bonds, delegations, allocations), or less value secured by them',
  )
  return lines
}

export function analyzeText(r: AnalyzeReport, scale: number): string {
  const verdict = r.secure
    ? 'SECURE — no coalition profits from corrupting any set of services'
    : 'INSECURE — a profitable attack exists'
  // How the verdict is known: an exact (bigint) proof, or the MIP solver's answer within its tolerances.
  const how = r.verdictExact ? 'proven exactly' : 'the solver’s verdict, within its float tolerances'
  const lines = [`${verdict} (${how})`]
  if (!r.verdictProven) {
    lines[0] = `UNKNOWN — the time limit stopped the search before it could prove security (best attack found: none; net profit could still reach ${r.profitBound.toPrecision(6)})`
  } else if (!r.proven) {
    lines.push(
      `(not proven optimal: the time limit stopped the search; a better attack could net up to ${r.profitBound.toPrecision(6)})`,
    )
  }
  if (r.attack) lines.push(...whyInsecure(r, scale))
  lines.push(...attackLines('most profitable attack', r.attack, scale))
  lines.push(...attackLines('largest attack', r.largestAttack, scale))
  const gamma =
    r.slack === null
      ? 'unbounded (nothing to corrupt)'
      : `${toNumber(r.slack).toFixed(4)} (${ratToString(r.slack)})`
  lines.push(
    `certified slack γ: ${gamma}${r.slack !== null && r.slack.num >= 0n ? ' — the sufficient condition proves security' : ''}`,
  )
  lines.push(
    `total stake ${formatUnits(r.totalStake, scale)}; Nakamoto 1/3, 1/2, 2/3: ${r.nakamoto.third}, ${r.nakamoto.half}, ${r.nakamoto.twoThirds}`,
  )
  lines.push(
    '',
    `${'service'.padEnd(20)}${'profit'.padStart(16)}${'stake'.padStart(16)}${'leverage'.padStart(10)}  Nakamoto`,
  )
  for (const s of r.services) {
    const lev = s.leverage === null ? '∞' : toNumber(s.leverage).toFixed(3)
    lines.push(
      `${s.id.padEnd(20)}${formatUnits(s.profit, scale).padStart(16)}${formatUnits(s.allocatedStake, scale).padStart(16)}${lev.padStart(10)}  ${s.nakamoto.third}/${s.nakamoto.half}/${s.nakamoto.twoThirds}`,
    )
  }
  return lines.join('\n')
}

export function cascadeText(r: CascadeReport, scale: number): string {
  const lines = [
    `worst-case loss after a ${pct(toNumber(r.psi))} shock: R_ψ = ${pct(toNumber(r.worstLoss))} of all stake (${ratToString(r.worstLoss)})${r.proven ? '' : ` — NOT PROVEN (time limit); it could be as high as ${pct(r.worstLossBound)}`}`,
    `shock: ${r.shock.operators.length === 0 ? 'none' : list(r.shock.operators)} (stake ${formatUnits(r.shock.stake, scale)})`,
    ...attackLines('attack it enables', r.attack, scale),
  ]
  if (r.bound !== null)
    lines.push(
      `bound (1 + 1/γ)·ψ = ${pct(toNumber(r.bound))} (γ = ${r.gamma === null ? '∞' : toNumber(r.gamma).toFixed(4)})`,
    )
  else lines.push(`no slack bound: γ = ${r.gamma === null ? '∞' : toNumber(r.gamma).toFixed(4)} ≤ 0`)
  return lines.join('\n')
}
