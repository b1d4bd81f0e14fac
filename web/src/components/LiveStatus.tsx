/** The header's live indicator: connected or not, and the block the dashboard has seen last. */
import { useLive } from '../lib/hooks.ts'

export function LiveStatus() {
  const live = useLive()
  const head = live.head
  const label = {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'reconnecting…',
    offline: 'offline',
  }[live.status]
  return (
    <div class={`live-status ${live.status}`} role="status" aria-live="polite" data-live={live.status}>
      <span class="dot" aria-hidden="true" />
      {label}
      {head ? <span class="muted"> · block {head.number.toLocaleString('en-US')}</span> : null}
    </div>
  )
}
