/** Overview: what the network secures, who secures it, what is open, what went wrong lately, and the verdict. */

import type { Network, Service, Slash, Vault } from '../../api/types.ts'
import { AsyncTable, type Column } from '../../components/DataTable.tsx'
import { EventFeed } from '../../components/EventFeed.tsx'
import { ServiceLink, SlashLink, VaultLink } from '../../components/Link.tsx'
import { Section, Stat, StatusBadge } from '../../components/Stat.tsx'
import { Async } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { Amount, Item, List } from '../../lib/api.ts'
import { formatBps, formatDuration } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { OrderTable } from '../order/OrderTable.tsx'
import { Verdict } from '../risk/Verdict.tsx'

const sumAmounts = (xs: Amount[]): Amount => {
  const base = xs.reduce((a, x) => a + BigInt(x.base), 0n)
  return { base: base.toString(), units: '' }
}

const SLASH_COLUMNS: Column<Slash>[] = [
  {
    head: 'Slash',
    cell: (s) => (
      <>
        <SlashLink id={s.id} />
        <div class="muted small">
          <DateText time={s.report.requestedAt} />
        </div>
      </>
    ),
  },
  { head: 'Operator', cell: (s) => <VaultLink address={s.vault} /> },
  { head: 'Amount', cell: (s) => <Tokens amount={s.amount} /> },
  { head: 'Status', cell: (s) => <StatusBadge status={s.status} /> },
  {
    head: 'Executes',
    cell: (s) => (s.status === 'Pending' ? <Countdown to={s.disputeEnds} /> : <span class="muted">—</span>),
  },
]

const SERVICE_COLUMNS: Column<Service>[] = [
  { head: 'Service', cell: (s) => <ServiceLink id={s.id} /> },
  { head: 'Allocated stake', cell: (s) => <Tokens amount={s.totalAllocated} /> },
  { head: 'Value declared', cell: (s) => <Tokens amount={s.terms.declaredValue} /> },
  { head: 'Order fee', cell: (s) => formatBps(s.terms.orderFeeBps) },
  { head: 'Dispute window', cell: (s) => formatDuration(s.terms.disputeWindowSeconds) },
]

const VAULT_COLUMNS: Column<Vault>[] = [
  { head: 'Vault', cell: (v) => <VaultLink address={v.address} /> },
  { head: 'Bond', cell: (v) => <Tokens amount={v.bond} /> },
  { head: 'Delegated', cell: (v) => <Tokens amount={v.poolAssets} /> },
  { head: 'Allocated', cell: (v) => <Tokens amount={v.totalAllocated} /> },
  { head: 'Commission', cell: (v) => formatBps(v.commissionBps) },
]

export function Overview() {
  const network = useApi<Item<Network>>('/v1/network')
  const services = useApi<List<Service>>('/v1/services?limit=100')
  const vaults = useApi<List<Vault>>('/v1/vaults?limit=100&sort=totalAllocated')
  const slashes = useApi<List<Slash>>('/v1/slashes?limit=6&sort=requested')
  return (
    <>
      <h1>Network overview</h1>
      <Async resource={network} what="the network summary">
        {({ data: n, block }) => (
          <div class="stats" data-testid="overview-stats">
            <Stat label="Stake secured" note="operators' bonds plus delegated pools">
              <Tokens amount={n.stake.total} compact />
            </Stat>
            <Stat label="Slashable stake" note="allocated to services (restaked stake counts per service)">
              <Tokens amount={n.stake.allocated} compact />
            </Stat>
            <Stat label="Value secured" note="declared by the services' owners">
              {services.data ? (
                <Tokens amount={sumAmounts(services.data.data.map((s) => s.terms.declaredValue))} compact />
              ) : (
                '…'
              )}
            </Stat>
            <Stat label="Operators" note={`${n.vaults} vaults, ${n.stakers} stakers`}>
              {n.operators}
            </Stat>
            <Stat label="Services" note={`${n.attesters.active} attesters active`}>
              {n.services}
            </Stat>
            <Stat label="Open orders" note={`${n.orders.total} orders in all`}>
              {(n.orders.byStatus.Open ?? 0) + (n.orders.byStatus.Active ?? 0)}
            </Stat>
            <Stat
              label="Pending slashes"
              tone={n.slashes.pendingAmount.base !== '0' ? 'bad' : undefined}
              note={<Tokens amount={n.slashes.pendingAmount} />}
            >
              {(n.slashes.byStatus.Pending ?? 0) +
                (n.slashes.byStatus.Disputed ?? 0) +
                (n.slashes.byStatus.Upheld ?? 0)}
            </Stat>
            <Stat label="Indexed block" note={block.final ? 'final' : `final up to ${block.finalNumber}`}>
              {block.number.toLocaleString('en-US')}
            </Stat>
          </div>
        )}
      </Async>
      <Verdict compact />
      <div class="grid two">
        <Section title="Recent incidents">
          <AsyncTable
            resource={slashes}
            what="recent slashes"
            empty="No slash has ever been requested on this network."
            columns={SLASH_COLUMNS}
            rowKey={(s) => s.id}
          />
        </Section>
        <Section title="Live events">
          <EventFeed />
        </Section>
      </div>
      <Section title="Services">
        <AsyncTable
          resource={services}
          what="services"
          empty="No service has been created yet."
          columns={SERVICE_COLUMNS}
          rowKey={(s) => s.id}
        />
      </Section>
      <Section title="Operators">
        <AsyncTable
          resource={vaults}
          what="vaults"
          empty="No operator has created a vault yet."
          columns={VAULT_COLUMNS}
          rowKey={(v) => v.address}
        />
      </Section>
      <Section title="Open orders">
        <h3 class="sub">Open: taking bids or waiting to be accepted</h3>
        <OrderTable query="status=Open" empty="No order is open right now." />
        <h3 class="sub">In progress</h3>
        <OrderTable query="status=Active" empty="No order is in progress right now." />
      </Section>
    </>
  )
}
