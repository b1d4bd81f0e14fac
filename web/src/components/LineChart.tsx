/**
 * The one wrapper around uPlot: x values (unix seconds or plain numbers) and one or more series, sized to its
 * container and redrawn when the data changes. uPlot is ~50 KB and draws on a canvas, so a thousand points stay
 * smooth on a phone.
 */
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export type ChartSeries = {
  label: string
  values: (number | null)[]
  color: string
  unit?: string
  fill?: boolean
}

export function LineChart({
  x,
  series,
  time = true,
  height = 220,
  title,
  xLabel,
}: {
  x: number[]
  series: ChartSeries[]
  time?: boolean
  height?: number
  title: string
  xLabel?: string
}) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el) return
    const plot = new uPlot(
      {
        title,
        width: Math.max(240, el.clientWidth),
        height,
        scales: { x: { time } },
        axes: [
          { label: xLabel, stroke: '#555' },
          { stroke: '#555', size: 60, values: (_u, ticks) => ticks.map((t) => compact(t)) },
        ],
        // the legend names the series (values under the cursor would show dashes until hovered, confusing on a phone)
        legend: { live: false },
        series: [
          { label: time ? 'time (UTC)' : (xLabel ?? 'x') },
          ...series.map((s) => ({
            label: s.unit ? `${s.label} (${s.unit})` : s.label,
            stroke: s.color,
            width: 2,
            fill: s.fill ? `${s.color}22` : undefined,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : compact(v)),
          })),
        ],
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    )
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height }))
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.destroy()
    }
  }, [x, series, time, height, title, xLabel])
  return <div class="chart" ref={box} role="img" aria-label={title} />
}

function compact(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e6) return `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })}M`
  if (a >= 1e4) return `${(v / 1e3).toLocaleString('en-US', { maximumFractionDigits: 1 })}k`
  return v.toLocaleString('en-US', { maximumFractionDigits: 4 })
}
