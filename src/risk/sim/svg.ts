/**
 * Minimal SVG line charts (no dependency): the median as a line, the 25–75% and 5–95% bands as shaded areas
 * when there are several runs. One chart per metric.
 */

import { METRIC_INFO, type Metric } from './metrics.ts'
import type { MonteCarloResult } from './montecarlo.ts'

const W = 720
const H = 300
const PAD = { left: 70, right: 20, top: 30, bottom: 40 }

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const fmt = (x: number) =>
  Math.abs(x) >= 1e6
    ? `${(x / 1e6).toPrecision(3)}M`
    : Math.abs(x) >= 1e3
      ? `${(x / 1e3).toPrecision(3)}k`
      : x.toPrecision(3)

export function chart(mc: MonteCarloResult, metric: Metric): string {
  const single = mc.runs.length === 1
  const mid = single ? (mc.runs[0]?.series[metric] ?? new Float64Array()) : mc.bands[metric][50]
  const lo = single ? mid : mc.bands[metric][5]
  const hi = single ? mid : mc.bands[metric][95]
  let yMin = 0
  let yMax = 0
  for (let k = 0; k < mc.points; k++) {
    yMin = Math.min(yMin, lo[k] ?? 0)
    yMax = Math.max(yMax, hi[k] ?? 0)
  }
  if (yMax === yMin) yMax = yMin + 1
  const x = (k: number) =>
    PAD.left + (mc.points <= 1 ? 0 : (k / (mc.points - 1)) * (W - PAD.left - PAD.right))
  const y = (v: number) => H - PAD.bottom - ((v - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom)
  const line = (a: ArrayLike<number>) =>
    Array.from({ length: mc.points }, (_, k) => `${x(k).toFixed(1)},${y(a[k] ?? 0).toFixed(1)}`).join(' ')
  const area = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    const top = Array.from({ length: mc.points }, (_, k) => `${x(k).toFixed(1)},${y(b[k] ?? 0).toFixed(1)}`)
    const bottom = Array.from(
      { length: mc.points },
      (_, k) => `${x(mc.points - 1 - k).toFixed(1)},${y(a[mc.points - 1 - k] ?? 0).toFixed(1)}`,
    )
    return [...top, ...bottom].join(' ')
  }
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD.left}" y="18" font-size="13">${esc(`${metric} — ${METRIC_INFO[metric]}`)}</text>`,
  ]
  if (!single) {
    parts.push(
      `<polygon points="${area(mc.bands[metric][5], mc.bands[metric][95])}" fill="#4a7bd0" fill-opacity="0.15"/>`,
    )
    parts.push(
      `<polygon points="${area(mc.bands[metric][25], mc.bands[metric][75])}" fill="#4a7bd0" fill-opacity="0.3"/>`,
    )
  }
  parts.push(`<polyline points="${line(mid)}" fill="none" stroke="#1f4e9c" stroke-width="1.5"/>`)
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
    )
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`)
  }
  const epochs = mc.points * mc.sampleEvery
  parts.push(`<text x="${PAD.left}" y="${H - 12}">epoch 0</text>`)
  parts.push(
    `<text x="${W - PAD.right}" y="${H - 12}" text-anchor="end">epoch ${epochs}${single ? '' : ' — line: median; bands: 25–75%, 5–95%'}</text>`,
  )
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

/** The charts the CLI writes: losses, slashes, stake and yield. */
export const CHARTS: readonly Metric[] = ['clientLosses', 'slashed', 'stake', 'stakerYield', 'price']
