/** Pending slashes with their countdowns, then every slash that has run its course. */

import type { Slash } from '../../api/types.ts'
import {
  AddressText,
  ClassLabel,
  OrderLink,
  ServiceLink,
  SlashLink,
  VaultLink,
} from '../../components/Link.tsx'
import { Section, StatusBadge } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { List } from '../../lib/api.ts'
import { useApi } from '../../lib/hooks.ts'

function SlashTable({ slashes, pending }: { slashes: Slash[]; pending: boolean }) {
  return (
    <table class="table" data-testid={pending ? 'pending-slashes' : 'slashes'}>
      <thead>
        <tr>
          <th>Slash</th>
          <th>Operator · service</th>
          <th>Amount</th>
          <th>Class</th>
          <th>Reported by</th>
          <th>Status</th>
          <th>{pending ? 'Executes' : 'Paid to client'}</th>
        </tr>
      </thead>
      <tbody>
        {slashes.map((s) => (
          <tr key={s.id} data-slash={s.id}>
            <td>
              <SlashLink id={s.id} />
              <div class="muted small">
                <DateText time={s.report.requestedAt} />
                {s.orderId ? (
                  <>
                    {' '}
                    · <OrderLink id={s.orderId} />
                  </>
                ) : null}
              </div>
            </td>
            <td>
              <VaultLink address={s.vault} /> · <ServiceLink id={s.serviceId} />
            </td>
            <td>
              <Tokens amount={s.amount} />
            </td>
            <td>
              <ClassLabel serviceId={s.serviceId} classId={s.classId} />
            </td>
            <td>
              {s.report.signers.length > 0 ? (
                `${s.report.signers.length} attesters`
              ) : (
                <AddressText address={s.report.reporter} />
              )}
            </td>
            <td>
              <StatusBadge status={s.status} />
            </td>
            <td>
              {pending ? (
                s.status === 'Disputed' ? (
                  <>
                    ruling due <Countdown to={s.dispute?.resolveBy} />
                  </>
                ) : (
                  <Countdown to={s.disputeEnds} done="executable" />
                )
              ) : s.execution ? (
                <Tokens amount={s.execution.toClient} />
              ) : (
                <span class="muted">nothing</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export default function SlashesPage() {
  const pending = useApi<List<Slash>>('/v1/slashes?status=Pending&limit=100&sort=requested&order=asc')
  const disputed = useApi<List<Slash>>('/v1/slashes?status=Disputed&limit=100&sort=requested&order=asc')
  const all = useApi<List<Slash>>('/v1/slashes?limit=50&sort=updated')
  return (
    <>
      <h1>Slashes</h1>
      <Section title="Pending — executable after their dispute window">
        <Async resource={pending} what="pending slashes">
          {({ data }) =>
            data.length === 0 ? <Empty>No slash is pending.</Empty> : <SlashTable slashes={data} pending />
          }
        </Async>
      </Section>
      <Section title="Disputed — waiting for the resolver">
        <Async resource={disputed} what="disputed slashes">
          {({ data }) =>
            data.length === 0 ? (
              <Empty>No slash is under dispute.</Empty>
            ) : (
              <SlashTable slashes={data} pending />
            )
          }
        </Async>
      </Section>
      <Section title="All slashes, latest change first">
        <Async resource={all} what="slashes">
          {({ data }) =>
            data.length === 0 ? (
              <Empty>No slash has ever been requested.</Empty>
            ) : (
              <SlashTable slashes={data} pending={false} />
            )
          }
        </Async>
      </Section>
    </>
  )
}
