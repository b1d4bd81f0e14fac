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

/** A vertical dashed line at an x value (a deadline), labelled on the plot; the x range widens to show it. */
export type ChartMarker = { at: number; label: string; color: string }

export function LineChart({
  x,
  series,
  time = true,
  height = 220,
  title,
  xLabel,
  markers = NO_MARKERS,
  yUnit,
}: {
  x: number[]
  series: ChartSeries[]
  time?: boolean
  height?: number
  title: string
  xLabel?: string
  markers?: ChartMarker[]
  /** Appended to the y axis' tick values (e.g. '°C', '%'). */
  yUnit?: string
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
        scales: {
          x: {
            time,
            range: (_u, min, max) => {
              const at = markers.map((m) => m.at)
              const lo = Math.min(min ?? Number.POSITIVE_INFINITY, ...at)
              const hi = Math.max(max ?? Number.NEGATIVE_INFINITY, ...at)
              // a margin so a marker on the edge is not drawn on the frame
              const pad = Math.max(1, (hi - lo) * 0.03)
              return [lo - pad, hi + pad]
            },
          },
        },
        axes: [
          { label: xLabel, stroke: '#555' },
          {
            stroke: '#555',
            size: 60,
            values: (_u, ticks) => ticks.map((t) => `${compact(t)}${yUnit ?? ''}`),
          },
        ],
        hooks: { draw: [(u: uPlot) => drawMarkers(u, markers)] },
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
  }, [x, series, time, height, title, xLabel, markers, yUnit])
  return <div class="chart" ref={box} role="img" aria-label={title} />
}

const NO_MARKERS: ChartMarker[] = []

function drawMarkers(u: uPlot, markers: ChartMarker[]) {
  const { ctx, bbox } = u
  const ratio = window.devicePixelRatio || 1
  ctx.save()
  ctx.font = `${11 * ratio}px system-ui, sans-serif`
  markers.forEach((m, i) => {
    const px = u.valToPos(m.at, 'x', true)
    if (px < bbox.left || px > bbox.left + bbox.width) return
    ctx.strokeStyle = m.color
    ctx.fillStyle = m.color
    ctx.lineWidth = 1.5 * ratio
    ctx.setLineDash([6 * ratio, 4 * ratio])
    ctx.beginPath()
    ctx.moveTo(px, bbox.top)
    ctx.lineTo(px, bbox.top + bbox.height)
    ctx.stroke()
    // labels stagger down so two close deadlines do not print over each other; right-aligned near the right edge
    const width = ctx.measureText(m.label).width
    const left = px + 4 * ratio + width > bbox.left + bbox.width ? px - 4 * ratio - width : px + 4 * ratio
    ctx.fillText(m.label, left, bbox.top + (14 + 14 * i) * ratio)
  })
  ctx.restore()
}

function compact(v: number): string {
  const a = Math.abs(v)
  if (a >= 1e6) return `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })}M`
  if (a >= 1e4) return `${(v / 1e3).toLocaleString('en-US', { maximumFractionDigits: 1 })}k`
  return v.toLocaleString('en-US', { maximumFractionDigits: 4 })
}
