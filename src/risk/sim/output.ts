/**
 * Time series out of a simulation: CSV (one row per sample point; with several runs, each metric's percentile
 * bands as `metric_p5 … metric_p95`), JSON, and a plain-text summary.
 */

import { METRIC_INFO, METRICS } from './metrics.ts'
import type { MonteCarloResult } from './montecarlo.ts'
import { PERCENTILES } from './montecarlo.ts'

const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(8))

export function toCsv(mc: MonteCarloResult): string {
  const single = mc.runs.length === 1
  const header = ['epoch', ...METRICS.flatMap((m) => (single ? [m] : PERCENTILES.map((p) => `${m}_p${p}`)))]
  const rows = [header.join(',')]
  for (let k = 0; k < mc.points; k++) {
    const row = [String((k + 1) * mc.sampleEvery)]
    for (const m of METRICS) {
      if (single) row.push(num(mc.runs[0]?.series[m][k] ?? 0))
      else for (const p of PERCENTILES) row.push(num(mc.bands[m][p][k] ?? 0))
    }
    rows.push(row.join(','))
  }
  return `${rows.join('\n')}\n`
}

export function toJson(mc: MonteCarloResult, meta: Record<string, unknown>) {
  return {
    ...meta,
    sampleEvery: mc.sampleEvery,
    points: mc.points,
    metrics: METRIC_INFO,
    summary: summarize(mc),
    series:
      mc.runs.length === 1
        ? Object.fromEntries(METRICS.map((m) => [m, Array.from(mc.runs[0]?.series[m] ?? [])]))
        : Object.fromEntries(
            METRICS.map((m) => [
              m,
              Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, Array.from(mc.bands[m][p])])),
            ]),
          ),
  }
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0
}

/** Per-run totals across runs: median and the 5–95% band. */
export function summarize(mc: MonteCarloResult) {
  const pick = (f: (r: MonteCarloResult['runs'][number]) => number) => {
    const xs = mc.runs.map(f)
    return { p5: pct(xs, 5), p50: pct(xs, 50), p95: pct(xs, 95) }
  }
  return {
    runs: mc.runs.length,
    initialStake: pick((r) => r.initialStake),
    finalStake: pick((r) => r.finalStake),
    stakeRetained: pick((r) => (r.initialStake > 0 ? r.finalStake / r.initialStake : 0)),
    faults: pick((r) => r.totals.faults),
    slashed: pick((r) => r.totals.slashed),
    falseSlashed: pick((r) => r.totals.falseSlashed),
    compensation: pick((r) => r.totals.compensation),
    clientLosses: pick((r) => r.totals.clientLosses),
    rewards: pick((r) => r.totals.rewards),
  }
}

export function summaryText(mc: MonteCarloResult): string {
  const s = summarize(mc)
  const f = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : x.toPrecision(4))
  const line = (label: string, b: { p5: number; p50: number; p95: number }, unit = '') =>
    mc.runs.length === 1
      ? `  ${label.padEnd(22)}${f(b.p50)}${unit}`
      : `  ${label.padEnd(22)}${f(b.p50)}${unit}   (5–95%: ${f(b.p5)} – ${f(b.p95)})`
  return [
    `${mc.runs.length} run${mc.runs.length === 1 ? '' : 's'}${mc.runs.length > 1 ? ' — median and 5–95% band' : ''}:`,
    line(
      'stake retained',
      { p5: s.stakeRetained.p5 * 100, p50: s.stakeRetained.p50 * 100, p95: s.stakeRetained.p95 * 100 },
      '%',
    ),
    line('final stake', s.finalStake),
    line('faults', s.faults),
    line('slashed (tokens)', s.slashed),
    line('  of which false', s.falseSlashed),
    line('compensation paid', s.compensation),
    line('client losses', s.clientLosses),
    line('rewards (tokens)', s.rewards),
  ].join('\n')
}
