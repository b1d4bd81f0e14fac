/** A figure on a card: a label, the value, and a line saying what it means. */
import type { ComponentChildren } from 'preact'

export function Stat({
  label,
  children,
  note,
  tone,
}: {
  label: string
  children: ComponentChildren
  note?: ComponentChildren
  tone?: 'good' | 'bad'
}) {
  return (
    <div class={`stat ${tone ?? ''}`} data-stat={label}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{children}</div>
      {note ? <div class="stat-note">{note}</div> : null}
    </div>
  )
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string
  children: ComponentChildren
  actions?: ComponentChildren
}) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  )
}

export function Badge({ children, tone }: { children: ComponentChildren; tone?: string }) {
  return <span class={`badge ${tone ?? ''}`}>{children}</span>
}

/** Status names as the contracts spell them, coloured by what they mean for the reader. */
export function StatusBadge({ status }: { status: string }) {
  const tone =
    {
      Pending: 'warn',
      Disputed: 'warn',
      Open: 'info',
      Active: 'info',
      Upheld: 'bad',
      Executed: 'bad',
      Failed: 'bad',
      Completed: 'good',
      Overturned: 'good',
      Lapsed: 'muted',
      Cancelled: 'muted',
    }[status] ?? ''
  return <Badge tone={tone}>{status}</Badge>
}
