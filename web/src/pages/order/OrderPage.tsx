/** One order: its timeline (open, bids, acceptance, milestones, settlement), payments and compensation. */

import type { OrderDetail } from '../../api/types.ts'
import { AddressText, ServiceLink, SlashLink, VaultLink } from '../../components/Link.tsx'
import { Section, Stat, StatusBadge } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { Item } from '../../lib/api.ts'
import { formatBps, formatCentiC } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { Readings } from './Readings.tsx'
import { milestoneShares, orderTimeline } from './timeline.ts'

const NO_DEVICE = '0x0000000000000000000000000000000000000000'

export default function OrderPage({ id }: { id: string }) {
  const order = useApi<Item<OrderDetail>>(`/v1/orders/${id}`)
  return (
    <>
      <h1>Order #{id}</h1>
      <Async resource={order} what={`order #${id}`}>
        {({ data: o }) => {
          const steps = orderTimeline(o)
          const shares = milestoneShares(o.milestoneShares)
          return (
            <>
              <div class="stats" data-testid="order-stats">
                <Stat label="Status">
                  <StatusBadge status={o.status} />
                </Stat>
                <Stat
                  label={o.status === 'Open' ? 'Budget (most it pays)' : 'Price'}
                  note={`${o.kind}, ${o.intent ? 'taken by bids' : 'named operator'}`}
                >
                  <Tokens amount={o.status === 'Open' ? o.budget : o.price} />
                </Stat>
                <Stat
                  label="Paid to the operator"
                  note={
                    <>
                      fees <Tokens amount={o.fees} /> to the stakers
                    </>
                  }
                >
                  <Tokens amount={o.paidOut} />
                </Stat>
                <Stat
                  label="Collateral"
                  note="reserved from the operator's allocation; the client's if it fails"
                >
                  <Tokens amount={o.collateral} />
                </Stat>
                <Stat label="Refunded to the client" tone={o.refunded.base !== '0' ? 'bad' : undefined}>
                  <Tokens amount={o.refunded} />
                </Stat>
              </div>
              <div class="grid two">
                <Section title="Timeline">
                  <ol class="timeline" data-testid="timeline">
                    {steps.map((s) => (
                      <li key={s.label} class={s.done ? 'done' : s.late ? 'late' : 'todo'}>
                        <span class="step">{s.label}</span>{' '}
                        {s.time ? (
                          s.done ? (
                            <DateText time={s.time} />
                          ) : (
                            <Countdown to={s.time} done="overdue" />
                          )
                        ) : null}
                        {s.detail ? <div class="muted small">{s.detail}</div> : null}
                      </li>
                    ))}
                  </ol>
                </Section>
                <Section title="Terms">
                  <dl class="terms">
                    <dt>Client</dt>
                    <dd>
                      <AddressText address={o.client} />
                    </dd>
                    <dt>Service</dt>
                    <dd>
                      <ServiceLink id={o.serviceId} />
                    </dd>
                    <dt>Operator</dt>
                    <dd>{o.vault ? <VaultLink address={o.vault} /> : 'none yet'}</dd>
                    <dt>Milestones</dt>
                    <dd>{shares.map((b) => formatBps(b)).join(' · ')}</dd>
                    <dt>Fee</dt>
                    <dd>{formatBps(o.feeBps)} of each payment, to the service's stakers</dd>
                    {o.terms.maxTempCentiC !== 0 || o.terms.minTempCentiC !== 0 ? (
                      <>
                        <dt>Temperature</dt>
                        <dd>
                          kept between {formatCentiC(o.terms.minTempCentiC)} and{' '}
                          {formatCentiC(o.terms.maxTempCentiC)}, attested from device{' '}
                          <AddressText address={o.terms.device} />
                        </dd>
                      </>
                    ) : null}
                    {o.terms.maxLatencyMs ? (
                      <>
                        <dt>Latency</dt>
                        <dd>at most {o.terms.maxLatencyMs} ms</dd>
                      </>
                    ) : null}
                    <dt>Terms hash</dt>
                    <dd>
                      <code class="hash">{o.terms.termsHash}</code>
                    </dd>
                  </dl>
                  {o.slashId ? (
                    <p class="notice">
                      It failed: its collateral is being slashed to the client — <SlashLink id={o.slashId} />.
                    </p>
                  ) : null}
                </Section>
              </div>
              {o.terms.device !== NO_DEVICE ? (
                <Section title="Attested readings">
                  <Readings orderId={o.id} />
                </Section>
              ) : null}
              <Section title="Bids">
                {o.bids.length === 0 ? (
                  <Empty>{o.intent ? 'No operator has bid yet.' : 'A named order takes no bids.'}</Empty>
                ) : (
                  <table class="table">
                    <thead>
                      <tr>
                        <th>Vault</th>
                        <th>Price</th>
                        <th>Collateral</th>
                      </tr>
                    </thead>
                    <tbody>
                      {o.bids.map((b) => (
                        <tr key={b.vault}>
                          <td>
                            <VaultLink address={b.vault} />
                          </td>
                          <td>
                            <Tokens amount={b.price} />
                          </td>
                          <td>
                            <Tokens amount={b.collateral} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Section>
            </>
          )
        }}
      </Async>
    </>
  )
}
