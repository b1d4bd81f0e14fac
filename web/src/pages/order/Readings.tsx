/**
 * A shipment's attested readings: temperature over time against the allowed range and the deadlines, who signed
 * them (the order's device, each signature checked by the API), and how many attesters hold each.
 */
import { useMemo } from 'preact/hooks'
import type { OrderReadings } from '../../api/types.ts'
import { LineChart } from '../../components/LineChart.tsx'
import { AddressText } from '../../components/Link.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { DateText } from '../../components/Time.tsx'
import type { Item } from '../../lib/api.ts'
import { formatCentiC } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { excursions, readingsSeries } from './readingsSeries.ts'

function NodesLine({ r }: { r: OrderReadings }) {
  const down = r.nodes.filter((n) => n.status === 'unreachable' || n.status === 'error')
  return (
    <p class="muted small" data-testid="readings-nodes">
      {r.answered} of {r.committee} attester nodes answered
      {down.length > 0 ? `; no answer from ${down.map((n) => n.url).join(', ')}` : ''}.
    </p>
  )
}

function ReadingsView({ r }: { r: OrderReadings }) {
  const chart = useMemo(() => readingsSeries(r), [r])
  const hot = excursions(r)
  const refused =
    r.rejected.unsigned + r.rejected.badSignature + r.rejected.wrongDevice + r.rejected.wrongOrder
  if (r.readings.length === 0)
    return (
      <>
        <Empty>
          No reading of device <AddressText address={r.device!} /> has reached the attesters yet; the chart
          appears with the first one.
        </Empty>
        <NodesLine r={r} />
      </>
    )
  return (
    <div data-testid="readings">
      <p>
        Signed by device <AddressText address={r.device!} />, the one the order's terms name: every reading's
        signature is checked by the API, whichever node it came from.{' '}
        {hot.length > 0 ? (
          <strong class="bad-text">
            {hot.length} reading{hot.length > 1 ? 's' : ''} outside {formatCentiC(r.minTempCentiC)} –{' '}
            {formatCentiC(r.maxTempCentiC)}.
          </strong>
        ) : (
          'Every reading is within the allowed range.'
        )}
      </p>
      <LineChart
        title="Temperature (°C)"
        x={chart.x}
        series={chart.series}
        markers={chart.markers}
        yUnit="°"
      />
      <p class="muted small">
        Dashed lines:{' '}
        {r.pickupBy ? (
          <>
            pickup by <DateText time={r.pickupBy} />
          </>
        ) : (
          'no pickup deadline'
        )}
        {r.deadline ? (
          <>
            , deliver by <DateText time={r.deadline} />
          </>
        ) : null}
        .
      </p>
      {refused > 0 || r.conflicts > 0 ? (
        <p class="notice">
          {refused > 0
            ? `${refused} cop${refused > 1 ? 'ies' : 'y'} held by a node failed the signature check and ${refused > 1 ? 'are' : 'is'} not shown. `
            : ''}
          {r.conflicts > 0
            ? `The device signed ${r.conflicts} sequence number(s) twice; the most-held copy is shown.`
            : ''}
        </p>
      ) : null}
      {r.truncated ? (
        <p class="notice">A node holds more readings than one page; the first ones are shown.</p>
      ) : null}
      <div>
        <table class="table" data-testid="readings-table">
          <thead>
            <tr>
              <th>#</th>
              <th>Time</th>
              <th>Kind</th>
              <th>Temperature</th>
              <th>Held by</th>
            </tr>
          </thead>
          <tbody>
            {r.readings.map((x) => (
              <tr key={`${x.device}:${x.seq}`}>
                <td>{x.seq}</td>
                <td>
                  <DateText time={x.time} />
                </td>
                <td>{x.kind}</td>
                <td>{x.temperatureCentiC === null ? '—' : formatCentiC(x.temperatureCentiC)}</td>
                <td title={x.heldBy.join('\n')}>
                  {x.heldBy.length} of {r.committee} attesters
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <NodesLine r={r} />
    </div>
  )
}

export function Readings({ orderId }: { orderId: string }) {
  const readings = useApi<Item<OrderReadings>>(`/v1/orders/${orderId}/readings`)
  return (
    <Async resource={readings} what="the attested readings">
      {({ data }) => <ReadingsView r={data} />}
    </Async>
  )
}
