/**
 * A minimal Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition
 * format (version 0.0.4). Written here rather than pulled in because the node needs a few dozen series and no
 * push gateway, default process metrics or cluster aggregation.
 */
export type Labels = Record<string, string | number>

type Series = { labels: Labels; value: number }
type HistogramSeries = { labels: Labels; buckets: number[]; sum: number; count: number }

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${String(labels[k])}`)
    .join(',')
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
}

function renderLabels(labels: Labels, extra?: [string, string]): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(String(labels[k]))}"`)
  if (extra) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`)
  return parts.length ? `{${parts.join(',')}}` : ''
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN'
  if (v === Number.POSITIVE_INFINITY) return '+Inf'
  if (v === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(v)
}

abstract class Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
  ) {
    if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`)
  }
  abstract lines(): string[]
  render(): string {
    return [
      `# HELP ${this.name} ${this.help.replace(/\n/g, ' ')}`,
      `# TYPE ${this.name} ${this.type}`,
      ...this.lines(),
    ].join('\n')
  }
}

export class Counter extends Metric {
  private series = new Map<string, Series>()
  constructor(name: string, help: string) {
    super(name, help, 'counter')
  }
  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`)
    const key = labelKey(labels)
    const s = this.series.get(key)
    if (s) s.value += by
    else this.series.set(key, { labels, value: by })
  }
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.value ?? 0
  }
  lines(): string[] {
    return [...this.series.values()].map(
      (s) => `${this.name}${renderLabels(s.labels)} ${formatValue(s.value)}`,
    )
  }
}

export class Gauge extends Metric {
  private series = new Map<string, Series>()
  constructor(name: string, help: string) {
    super(name, help, 'gauge')
  }
  set(value: number, labels: Labels = {}): void {
    this.series.set(labelKey(labels), { labels, value })
  }
  get(labels: Labels = {}): number | undefined {
    return this.series.get(labelKey(labels))?.value
  }
  lines(): string[] {
    return [...this.series.values()].map(
      (s) => `${this.name}${renderLabels(s.labels)} ${formatValue(s.value)}`,
    )
  }
}

export class Histogram extends Metric {
  private series = new Map<string, HistogramSeries>()
  constructor(
    name: string,
    help: string,
    readonly bounds: number[],
  ) {
    super(name, help, 'histogram')
  }
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels)
    let s = this.series.get(key)
    if (!s) {
      s = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 }
      this.series.set(key, s)
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) s.buckets[i]!++
    s.sum += value
    s.count++
  }
  count(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.count ?? 0
  }
  lines(): string[] {
    const out: string[] = []
    for (const s of this.series.values()) {
      this.bounds.forEach((b, i) => {
        out.push(`${this.name}_bucket${renderLabels(s.labels, ['le', formatValue(b)])} ${s.buckets[i]}`)
      })
      out.push(`${this.name}_bucket${renderLabels(s.labels, ['le', '+Inf'])} ${s.count}`)
      out.push(`${this.name}_sum${renderLabels(s.labels)} ${formatValue(s.sum)}`)
      out.push(`${this.name}_count${renderLabels(s.labels)} ${s.count}`)
    }
    return out
  }
}

export class Registry {
  private metrics = new Map<string, Metric>()
  private register<M extends Metric>(metric: M): M {
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} registered twice`)
    this.metrics.set(metric.name, metric)
    return metric
  }
  counter(name: string, help: string): Counter {
    return this.register(new Counter(name, help))
  }
  gauge(name: string, help: string): Gauge {
    return this.register(new Gauge(name, help))
  }
  histogram(name: string, help: string, bounds: number[]): Histogram {
    return this.register(new Histogram(name, help, bounds))
  }
  render(): string {
    return `${[...this.metrics.values()].map((m) => m.render()).join('\n')}\n`
  }
}
