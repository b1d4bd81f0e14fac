/** Orders as a table, for the overview, a service, a vault and the orders page. */

import type { Order } from '../../api/types.ts'
import { AsyncTable, type Column } from '../../components/DataTable.tsx'
import { OrderLink, ServiceLink, VaultLink } from '../../components/Link.tsx'
import { StatusBadge } from '../../components/Stat.tsx'
import { Countdown } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { List } from '../../lib/api.ts'
import { useApi, useNow } from '../../lib/hooks.ts'
import { openOrderText, orderKind } from '../../lib/openOrder.ts'

const COLUMNS: Column<Order>[] = [
  {
    head: 'Order',
    cell: (o) => (
      <>
        <OrderLink id={o.id} />
        <div class="muted small">
          {o.intent ? 'intent (bids)' : 'named operator'} · {orderKind(o)}
        </div>
      </>
    ),
  },
  { head: 'Service', cell: (o) => <ServiceLink id={o.serviceId} /> },
  {
    head: 'Operator',
    cell: (o) => (o.vault ? <VaultLink address={o.vault} /> : <span class="muted">no bid yet</span>),
  },
  { head: 'Budget', cell: (o) => <Tokens amount={o.budget} /> },
  { head: 'Status', cell: (o) => <StatusBadge status={o.status} /> },
  {
    head: 'Due',
    cell: (o) =>
      o.status === 'Open' ? (
        <OpenOrderDue order={o} />
      ) : o.status === 'Active' ? (
        <Countdown to={o.deadline} done="overdue" />
      ) : (
        <span class="muted">—</span>
      ),
  },
]

function OpenOrderDue({ order }: { order: Order }) {
  const stage = openOrderText(order, useNow())
  if (stage.to === undefined) return <span class="muted">{stage.text}</span>
  return (
    <>
      {stage.text} <Countdown to={{ unix: stage.to, iso: new Date(stage.to * 1000).toISOString() }} />
    </>
  )
}

export function OrderTable({ query, empty, limit = 20 }: { query: string; empty: string; limit?: number }) {
  const orders = useApi<List<Order>>(`/v1/orders?limit=${limit}&${query}`)
  return (
    <AsyncTable
      resource={orders}
      what="orders"
      empty={empty}
      columns={COLUMNS}
      rowKey={(o) => o.id}
      testid="orders"
    />
  )
}
