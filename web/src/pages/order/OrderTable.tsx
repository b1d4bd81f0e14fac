/** Orders as a table, for the overview, a service, a vault and the orders page. */

import type { Order } from '../../api/types.ts'
import { OrderLink, ServiceLink, VaultLink } from '../../components/Link.tsx'
import { StatusBadge } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { Countdown } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { List } from '../../lib/api.ts'
import { useApi } from '../../lib/hooks.ts'

export function OrderTable({ query, empty, limit = 20 }: { query: string; empty: string; limit?: number }) {
  const orders = useApi<List<Order>>(`/v1/orders?limit=${limit}&${query}`)
  return (
    <Async resource={orders} what="orders">
      {({ data }) =>
        data.length === 0 ? (
          <Empty>{empty}</Empty>
        ) : (
          <table class="table" data-testid="orders">
            <thead>
              <tr>
                <th>Order</th>
                <th>Service</th>
                <th>Operator</th>
                <th>Budget</th>
                <th>Status</th>
                <th>Due</th>
              </tr>
            </thead>
            <tbody>
              {data.map((o) => (
                <tr key={o.id}>
                  <td>
                    <OrderLink id={o.id} />
                    <div class="muted small">
                      {o.intent ? 'intent (bids)' : 'named operator'} · {o.kind}
                    </div>
                  </td>
                  <td>
                    <ServiceLink id={o.serviceId} />
                  </td>
                  <td>{o.vault ? <VaultLink address={o.vault} /> : <span class="muted">no bid yet</span>}</td>
                  <td>
                    <Tokens amount={o.budget} />
                  </td>
                  <td>
                    <StatusBadge status={o.status} />
                  </td>
                  <td>
                    {o.status === 'Open' ? (
                      <>
                        bids close <Countdown to={o.biddingEnds} />
                      </>
                    ) : o.status === 'Active' ? (
                      <Countdown to={o.deadline} done="overdue" />
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Async>
  )
}
