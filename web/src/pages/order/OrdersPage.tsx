/** Orders: what is taking bids, what is in progress, what settled. A client opens one here on a devnet. */

import { OpenOrderForm } from '../../actions/OpenOrderForm.tsx'
import { Section } from '../../components/Stat.tsx'
import { OrderTable } from './OrderTable.tsx'

export default function OrdersPage() {
  return (
    <>
      <h1>Orders</h1>
      <OpenOrderForm />
      <Section title="Open: taking bids or waiting to be accepted">
        <OrderTable query="status=Open" empty="No order is open." />
      </Section>
      <Section title="In progress">
        <OrderTable query="status=Active" empty="No order is in progress." />
      </Section>
      <Section title="Settled">
        <OrderTable query="sort=updated" empty="No order has been opened yet." limit={30} />
      </Section>
    </>
  )
}
