/** An allocation's standing: banned, jailed until a date, or in good standing (service and vault pages). */

import type { Time } from '../lib/api.ts'
import { chainNow } from '../lib/clock.ts'
import { StatusBadge } from './Stat.tsx'
import { DateText } from './Time.tsx'

export function Standing({ banned, jailedUntil }: { banned: boolean; jailedUntil: Time | null }) {
  if (banned) return <StatusBadge status="Banned" />
  if (jailedUntil && jailedUntil.unix > chainNow())
    return (
      <>
        jailed until <DateText time={jailedUntil} />
      </>
    )
  return <>in good standing</>
}
