/** A service: its SLA, who secures it and with how much, its committee, orders, incidents and rewards. */

import type { Allocation, Attester, Incident, RewardEvent, Service, ServiceApr } from '../../api/types.ts'
import { AsyncTable, type Column } from '../../components/DataTable.tsx'
import { AddressText, ClassLabel, SlashLink, VaultLink } from '../../components/Link.tsx'
import { Standing } from '../../components/Standing.tsx'
import { Section, Stat, StatusBadge } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { Item, List } from '../../lib/api.ts'
import { formatBps, formatDuration, formatPpm, formatUnits } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { serviceNameOf, useLabels } from '../../lib/labels.ts'
import { OrderTable } from '../order/OrderTable.tsx'

/** The reward rate a staker receives (after commissions), annualised over the last 30 days, with its inputs. */
function RewardRate({ id }: { id: string }) {
  const apr = useApi<Item<ServiceApr>>(`/v1/services/${id}/apr?days=30`)
  const a = apr.data?.data
  return (
    <Stat
      label="Staker reward rate (APR, after commissions)"
      note={
        a ? (
          <span data-testid="apr-inputs">
            <Tokens amount={a.stakerRewards} /> to stakers of <Tokens amount={a.rewards} /> distributed over{' '}
            {formatDuration(a.windowSeconds)} (operators kept <Tokens amount={a.commission} />
            ), to a time-weighted stake of <Tokens amount={a.averageStake} />; before commissions{' '}
            {a.grossAprPpm === null ? '—' : formatPpm(a.grossAprPpm)}
          </span>
        ) : apr.error ? (
          apr.error.message
        ) : (
          'loading…'
        )
      }
    >
      <span data-testid="apr">{a ? (a.aprPpm === null ? '—' : formatPpm(a.aprPpm)) : '…'}</span>
    </Stat>
  )
}

const ALLOCATION_COLUMNS: Column<Allocation>[] = [
  { head: 'Vault', cell: (a) => <VaultLink address={a.vault} /> },
  { head: 'Allocated', cell: (a) => <Tokens amount={a.amount} /> },
  { head: 'Held by orders', cell: (a) => <Tokens amount={a.reserved} /> },
  { head: 'Pending slashes', cell: (a) => <Tokens amount={a.pendingSlash} /> },
  {
    head: 'Orders ok / failed',
    cell: (a) => `${a.reputation.orderSuccesses} / ${a.reputation.orderFailures}`,
  },
  { head: 'Standing', cell: (a) => <Standing banned={a.banned} jailedUntil={a.jailedUntil} /> },
]

const ATTESTER_COLUMNS: Column<Attester>[] = [
  { head: 'Attester', cell: (a) => <AddressText address={a.address} /> },
  { head: 'Bond', cell: (a) => <Tokens amount={a.bond} /> },
  { head: 'Status', cell: (a) => a.status },
]

export default function ServicePage({ id }: { id: string }) {
  const service = useApi<Item<Service>>(`/v1/services/${id}`)
  const allocations = useApi<List<Allocation>>(`/v1/allocations?service=${id}&limit=100`)
  const attesters = useApi<List<Attester>>(`/v1/services/${id}/attesters?limit=100`)
  const incidents = useApi<List<Incident>>(`/v1/incidents?service=${id}&limit=20`)
  const rewards = useApi<List<RewardEvent>>(`/v1/rewards?service=${id}&limit=200`)
  const name = serviceNameOf(useLabels(), id)
  return (
    <>
      <h1>
        Service #{id}
        {name ? <span class="muted"> · {name}</span> : null}
      </h1>
      <Async resource={service} what={`service #${id}`}>
        {({ data: s }) => {
          const t = s.terms
          return (
            <>
              <div class="stats">
                <Stat label="Allocated stake" note="slashable for this service's incidents">
                  <Tokens amount={s.totalAllocated} compact />
                </Stat>
                <Stat label="Value declared" note="what the service secures, by its owner">
                  <Tokens amount={t.declaredValue} compact />
                </Stat>
                <Stat label="Rewards distributed" note="fees and subsidy paid to its stakers, all time">
                  <Tokens amount={s.rewards.distributed} compact />
                </Stat>
                <RewardRate id={id} />
                <Stat label="Subsidy" note={`${formatUnits(s.rewards.subsidyRatePerSecond.base)} per second`}>
                  <Tokens amount={s.rewards.subsidyBalance} compact />
                </Stat>
              </div>
              <div class="grid two">
                <Section title="SLA terms">
                  <dl class="terms">
                    <dt>Quorum</dt>
                    <dd>{formatBps(t.quorumBps)} of the committee's bond</dd>
                    <dt>Dispute window</dt>
                    <dd>
                      {formatDuration(t.disputeWindowSeconds)}, bond <Tokens amount={t.disputeBond} />
                    </dd>
                    <dt>Resolution deadline</dt>
                    <dd>{formatDuration(t.resolutionDeadlineSeconds)} after a dispute</dd>
                    <dt>Caps</dt>
                    <dd>
                      {formatBps(t.incidentCapBps)} per incident, {formatBps(t.windowCapBps)} per{' '}
                      {formatDuration(t.correlationWindowSeconds)} window
                    </dd>
                    <dt>Correlation</dt>
                    <dd>
                      penalty × up to {formatBps(t.correlationMultiplierBps)} as more stake is slashed in the
                      window
                    </dd>
                    <dt>Payouts</dt>
                    <dd>
                      {formatBps(t.clientShareBps)} to the harmed client, {formatBps(t.reporterShareBps)} to
                      reporters, the rest to <AddressText address={s.sink} />
                    </dd>
                    <dt>Orders</dt>
                    <dd>
                      fee {formatBps(t.orderFeeBps)}; collateral {formatBps(t.collateralFactorBps)} of the
                      value, down to {formatBps(t.collateralFloorBps)} with reputation
                    </dd>
                    <dt>Resolver</dt>
                    <dd>
                      <AddressText address={s.resolver} />
                    </dd>
                  </dl>
                  {s.pendingChange ? (
                    <p class="notice">
                      A change of terms is queued; it applies <DateText time={s.pendingChange.readyAt} />.
                    </p>
                  ) : null}
                </Section>
                <Section title="Violation classes">
                  <table class="table">
                    <thead>
                      <tr>
                        <th>Class</th>
                        <th>Base penalty</th>
                        <th>Consequence</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.classes.map((c) => (
                        <tr key={c.classId}>
                          <td>
                            <ClassLabel serviceId={id} classId={c.classId} />
                          </td>
                          <td>{formatBps(c.basePenaltyBps)} of the allocation</td>
                          <td>
                            {c.permanentBan
                              ? 'permanent ban'
                              : c.jailDurationSeconds > 0
                                ? `jailed ${formatDuration(c.jailDurationSeconds)}`
                                : 'none'}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Section>
              </div>
            </>
          )
        }}
      </Async>
      <Section title="Allocated stake by operator">
        <AsyncTable
          resource={allocations}
          what="allocations"
          empty="No operator has allocated stake to this service yet."
          columns={ALLOCATION_COLUMNS}
          rowKey={(a) => a.vault}
          testid="allocations"
        />
      </Section>
      <div class="grid two">
        <Section title="Attesters">
          <AsyncTable
            resource={attesters}
            what="the committee"
            empty="No attester has joined this service."
            columns={ATTESTER_COLUMNS}
            rowKey={(a) => a.address}
          />
        </Section>
        <Section title="Incidents and outcomes">
          <Async resource={incidents} what="incidents">
            {({ data }) =>
              data.length === 0 ? (
                <Empty>No incident has been reported on this service.</Empty>
              ) : (
                <ul class="list">
                  {data.map((i) => (
                    <li key={i.id}>
                      <DateText time={i.firstRequestedAt} /> — {i.isOrder ? 'order failure' : 'SLA report'},{' '}
                      <Tokens amount={i.requestedAmount} /> requested, <Tokens amount={i.toClients} /> paid to
                      clients{' '}
                      {i.slashes.map((s) => (
                        <span key={s.id}>
                          · <SlashLink id={s.id} /> <StatusBadge status={s.status} />
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              )
            }
          </Async>
        </Section>
      </div>
      <Section title="Orders">
        <OrderTable query={`service=${id}&sort=updated`} empty="No order has been opened on this service." />
      </Section>
      <Section title="Reward flows">
        <Async resource={rewards} what="rewards">
          {({ data }) =>
            data.length === 0 ? (
              <Empty>No fee or subsidy has reached this service's stakers yet.</Empty>
            ) : (
              <p>
                {data.length} flows; fees added{' '}
                <Tokens
                  amount={{
                    base: data
                      .filter((r) => r.kind === 'fee')
                      .reduce((a, r) => a + BigInt(r.amount.base), 0n)
                      .toString(),
                    units: '',
                  }}
                />
                , last <DateText time={data[0]!.time} />.
              </p>
            )
          }
        </Async>
      </Section>
    </>
  )
}
