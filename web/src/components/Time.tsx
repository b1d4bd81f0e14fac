/** Dates and countdowns, always in UTC with the relative time beside, ticking. */
import type { Time } from '../lib/api.ts'
import { formatCountdown, formatDate } from '../lib/format.ts'
import { useNow } from '../lib/hooks.ts'

export function DateText({ time }: { time: Time | null | undefined }) {
  if (!time) return <span class="muted">—</span>
  return <time dateTime={time.iso}>{formatDate(time.unix)}</time>
}

export function Countdown({ to, done = 'now' }: { to: Time | null | undefined; done?: string }) {
  const now = useNow()
  if (!to) return <span class="muted">—</span>
  const left = to.unix - now
  return (
    <time class={left > 0 ? 'countdown' : 'countdown passed'} dateTime={to.iso} title={formatDate(to.unix)}>
      {left > 0 ? formatCountdown(to.unix, now) : `${done} (${formatCountdown(to.unix, now)})`}
    </time>
  )
}

export function Ago({ time }: { time: Time | null | undefined }) {
  const now = useNow(5000)
  if (!time) return <span class="muted">—</span>
  return (
    <time dateTime={time.iso} title={formatDate(time.unix)}>
      {formatCountdown(time.unix, now)}
    </time>
  )
}
