/** The live feed: contract events as the stream delivers them, newest first; reorged ones vanish. */

import { describeEvent } from '../lib/describeEvent.ts'
import { useLive } from '../lib/hooks.ts'
import { Empty } from './States.tsx'
import { Ago } from './Time.tsx'

export function EventFeed({ limit = 12 }: { limit?: number }) {
  const live = useLive()
  const events = live.events.slice(0, limit)
  return (
    <div class="feed" data-testid="event-feed">
      {events.length === 0 ? (
        <Empty>
          {live.status === 'live'
            ? 'Nothing has happened on chain since this page opened. New events appear here as they are indexed.'
            : 'Connecting to the live stream…'}
        </Empty>
      ) : (
        <ul>
          {events.map((e) => (
            <li key={e.id} data-event={e.name}>
              <span class="feed-name">{e.name}</span> <span class="feed-text">{describeEvent(e)}</span>{' '}
              <span class="muted">
                block {e.block} · <Ago time={e.time} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {live.retracted > 0 ? (
        <p class="muted small">
          {live.retracted} event(s) removed by chain reorganisations since this page opened.
        </p>
      ) : null}
    </div>
  )
}
