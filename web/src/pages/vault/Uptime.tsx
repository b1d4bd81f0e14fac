/** A vault's uptime as the attesters measured it, per service: each attester's figure and the committee median. */
import { useMemo } from 'preact/hooks'
import type { VaultUptime } from '../../api/types.ts'
import { LineChart } from '../../components/LineChart.tsx'
import { ServiceLink } from '../../components/Link.tsx'
import { Async, Empty } from '../../components/States.tsx'
import type { Item } from '../../lib/api.ts'
import { formatBps, formatDuration } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { epochsBelow, uptimeSeries } from './uptimeSeries.ts'

function ServiceUptime({ s }: { s: VaultUptime['services'][number] }) {
  const chart = useMemo(() => uptimeSeries(s), [s])
  const below = epochsBelow(s)
  const last = s.epochs.at(-1)
  return (
    <div data-testid={`uptime-${s.serviceId}`}>
      <h3 class="sub">
        <ServiceLink id={s.serviceId} /> · epochs of {formatDuration(s.epochSeconds)},{' '}
        {formatBps(s.minUptimeBps)} required
      </h3>
      {s.epochs.length === 0 ? (
        <Empty>No probe of this vault has been recorded yet.</Empty>
      ) : (
        <>
          <p class="small">
            Latest epoch: median {formatBps(last!.medianBps)} over {last!.attesters.length} attester
            {last!.attesters.length > 1 ? 's' : ''}.{' '}
            {below.length > 0 ? (
              <strong class="bad-text">
                {below.length} of {s.epochs.length} epochs below the required uptime.
              </strong>
            ) : (
              `Every one of the last ${s.epochs.length} epochs met it.`
            )}
          </p>
          <LineChart title="Uptime per epoch (%)" x={chart.x} series={chart.series} yUnit="%" height={200} />
        </>
      )}
    </div>
  )
}

export function Uptime({ vault }: { vault: string }) {
  const uptime = useApi<Item<VaultUptime>>(`/v1/vaults/${vault}/uptime?epochs=48`)
  return (
    <Async resource={uptime} what="the measured uptime">
      {({ data }) =>
        data.services.length === 0 ? (
          <Empty>No attester probes this vault's endpoint: none of its services measures uptime.</Empty>
        ) : (
          <>
            {data.services.map((s) => (
              <ServiceUptime key={s.serviceId} s={s} />
            ))}
            <p class="muted small">
              Measured by {measuredBy(data.nodes.filter((n) => n.status === 'ok').length)}; each probes the
              operator's endpoint on its own schedule, and a verdict follows the committee, not any one of
              them.
            </p>
          </>
        )
      }
    </Async>
  )
}

/** "1 attester node", "3 attester nodes". */
const measuredBy = (n: number) => `${n} attester node${n === 1 ? '' : 's'}`
