/**
 * The live feed: the latest indexed events (read once and again on every change) merged with what the stream
 * delivers, newest first. A retracted event leaves both: the stream drops it by id and the refetch no longer has it.
 */
import type { ChainEvent } from '../api/types.ts'
import type { List } from '../lib/api.ts'
import { describeEvent } from '../lib/describeEvent.ts'
import { mergeFeed } from '../lib/feed.ts'
import { useApi, useLive } from '../lib/hooks.ts'
import { Empty } from './States.tsx'
import { Ago } from './Time.tsx'

export function EventFeed({ limit = 12 }: { limit?: number }) {
  const live = useLive()
  const recent = useApi<List<ChainEvent>>(`/v1/events?limit=${limit}&order=desc`)
  const events = mergeFeed(live.events, recent.data?.data ?? [], live.retractedIds).slice(0, limit)
  return (
    <div class="feed" data-testid="event-feed">
      {events.length === 0 ? (
        <Empty>
          {live.status === 'live'
            ? 'No event has been indexed yet. New events appear here as they happen.'
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
