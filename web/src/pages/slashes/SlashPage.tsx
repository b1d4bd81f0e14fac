/** One slash, the whole story: the signed report, the dispute, the ruling, the execution and every payout. */
import { DisputeForm } from '../../actions/DisputeForm.tsx'
import type { SlashDetail, Vault } from '../../api/types.ts'
import { AddressText, ClassLabel, OrderLink, ServiceLink, VaultLink } from '../../components/Link.tsx'
import { Section, Stat, StatusBadge } from '../../components/Stat.tsx'
import { Async } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { Item } from '../../lib/api.ts'
import { formatBps, formatDuration, shortAddress } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'

export default function SlashPage({ id }: { id: string }) {
  const slash = useApi<Item<SlashDetail>>(`/v1/slashes/${id}`)
  const vault = useApi<Item<Vault>>(slash.data ? `/v1/vaults/${slash.data.data.vault}` : null)
  return (
    <>
      <h1>Slash {shortAddress(id)}</h1>
      <Async resource={slash} what="the slash">
        {({ data: s }) => (
          <>
            <div class="stats">
              <Stat label="Status">
                <StatusBadge status={s.status} />
              </Stat>
              <Stat
                label="Amount"
                note={
                  s.requestedAmount.base !== s.amount.base ? (
                    <>
                      requested <Tokens amount={s.requestedAmount} />
                    </>
                  ) : (
                    'as requested'
                  )
                }
              >
                <Tokens amount={s.amount} />
              </Stat>
              <Stat label={s.status === 'Pending' ? 'Executable' : 'Dispute window'}>
                {s.status === 'Pending' ? (
                  <Countdown to={s.disputeEnds} done="executable" />
                ) : (
                  <DateText time={s.disputeEnds} />
                )}
              </Stat>
              <Stat label="Class">
                <ClassLabel serviceId={s.serviceId} classId={s.classId} />
                {s.terms.permanentBan
                  ? ' · bans'
                  : s.terms.jailDurationSeconds
                    ? ` · jails ${formatDuration(s.terms.jailDurationSeconds)}`
                    : ''}
              </Stat>
            </div>
            <Section title="The signed report">
              <dl class="terms">
                <dt>Operator</dt>
                <dd>
                  <VaultLink address={s.vault} /> on <ServiceLink id={s.serviceId} />
                </dd>
                <dt>Incident</dt>
                <dd>
                  <code class="hash">{s.incidentId}</code>
                  {s.orderId ? (
                    <>
                      {' '}
                      — the failure of <OrderLink id={s.orderId} />
                    </>
                  ) : null}
                </dd>
                <dt>Harmed client</dt>
                <dd>
                  <AddressText address={s.report.client} />
                </dd>
                <dt>Signed by</dt>
                <dd>
                  {s.report.signers.length === 0
                    ? 'no attester (an order that failed by its deadline)'
                    : s.report.signers.map((a) => (
                        <span key={a} class="chip">
                          <AddressText address={a} />
                        </span>
                      ))}
                </dd>
                <dt>Submitted</dt>
                <dd>
                  <DateText time={s.report.requestedAt} /> by <AddressText address={s.report.reporter} />, tx{' '}
                  <code class="hash">{shortAddress(s.report.txHash)}</code>
                </dd>
              </dl>
            </Section>
            <Section title="Dispute">
              {s.dispute ? (
                <p data-testid="dispute-state">
                  Disputed by <AddressText address={s.dispute.by} /> with a bond of{' '}
                  <Tokens amount={s.dispute.bond} />; the resolver must rule{' '}
                  <Countdown to={s.dispute.resolveBy} done="by now" />.
                  {s.ruling ? (
                    <>
                      {' '}
                      Ruled in block {s.ruling.block}: {s.status === 'Overturned' ? 'overturned' : 'upheld'}
                      {s.ruling.attestersSlashed ? (
                        <>
                          , the signing attesters lost <Tokens amount={s.ruling.attestersSlashed} />
                        </>
                      ) : null}
                      .
                    </>
                  ) : null}
                </p>
              ) : (
                <p data-testid="dispute-state">
                  {s.status === 'Pending'
                    ? 'Not disputed. The operator may dispute until the window closes, posting the service’s dispute bond.'
                    : 'Not disputed.'}
                </p>
              )}
            </Section>
            <DisputeForm slash={s} vault={vault.data?.data} />
            <Section title="Execution and payouts">
              {s.execution ? (
                <table class="table" data-testid="payouts">
                  <tbody>
                    <tr>
                      <th>Taken from the bond</th>
                      <td>
                        <Tokens amount={s.execution.fromBond} />
                      </td>
                    </tr>
                    <tr>
                      <th>Taken from the pool</th>
                      <td>
                        <Tokens amount={s.execution.fromPool} />
                      </td>
                    </tr>
                    <tr>
                      <th>Paid to the client</th>
                      <td>
                        <Tokens amount={s.execution.toClient} />
                      </td>
                    </tr>
                    <tr>
                      <th>Paid to the reporter</th>
                      <td>
                        <Tokens amount={s.execution.toReporter} />
                      </td>
                    </tr>
                    <tr>
                      <th>Sent to the sink</th>
                      <td>
                        <Tokens amount={s.execution.toSink} /> (<AddressText address={s.terms.sink} />)
                      </td>
                    </tr>
                  </tbody>
                </table>
              ) : (
                <p class="muted">
                  Not executed yet. When it is: {formatBps(s.terms.clientShareBps)} to the client,{' '}
                  {formatBps(s.terms.reporterShareBps)} to the reporter, the rest to the sink.
                </p>
              )}
              {s.attesterPenalties.length > 0 ? (
                <p>
                  Attesters penalised:{' '}
                  {s.attesterPenalties.map((p) => (
                    <span key={p.attester} class="chip">
                      <AddressText address={p.attester} /> <Tokens amount={p.amount} />
                    </span>
                  ))}
                </p>
              ) : null}
            </Section>
          </>
        )}
      </Async>
    </>
  )
}
