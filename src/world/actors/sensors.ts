/**
 * The shipments' sensor devices: each device signs its readings (EIP-712, the node's telemetry format) and its
 * gateway posts them to every attester node. A shipment's plan is drawn from the seed: most arrive on time and
 * cold, some overheat in transit (a reading above 8 °C), some arrive after their deadline. Every reading has a
 * planned time and is sent once the chain reaches it, stamped with that time — so a restarted world re-sends
 * byte-identical readings, which the nodes refuse as replays (409) and never count twice.
 */
import { orderKey } from '../../node/orders/fold.ts'
import { type Reading, signReading } from '../../node/telemetry/reading.ts'
import type { WorldContext } from '../context.ts'
import type { WorldOrder } from '../view.ts'
import { deviceKey } from './clients.ts'

export type ShipmentPlan = 'on-time' | 'overheats' | 'late'

export function shipmentPlan(ctx: Pick<WorldContext, 'rng'>, orderId: bigint): ShipmentPlan {
  const r = ctx.rng('shipment', orderId).next()
  return r < 0.2 ? 'overheats' : r < 0.35 ? 'late' : 'on-time'
}

type Planned = { seq: number; at: number; kind: Reading['kind']; temperatureCentiC: number }

/** The readings of a shipment accepted at `acceptedAt`, in chain seconds. */
export function plannedReadings(o: WorldOrder, acceptedAt: number, plan: ShipmentPlan): Planned[] {
  const deadline = o.params.deadline
  const span = deadline - acceptedAt
  const step = Math.max(1, Math.floor(span / 6))
  const out: Planned[] = [{ seq: 1, at: acceptedAt + 1, kind: 'pickup', temperatureCentiC: 450 }]
  for (let i = 1; i <= 3; i++) {
    const hot = plan === 'overheats' && i === 2
    out.push({
      seq: i + 1,
      at: acceptedAt + 1 + i * step,
      kind: 'reading',
      temperatureCentiC: hot ? 1150 : 400 + 50 * i,
    })
  }
  const deliveredAt = plan === 'late' ? deadline + 2 : acceptedAt + 1 + 4 * step
  out.push({ seq: 5, at: deliveredAt, kind: 'delivery', temperatureCentiC: 520 })
  return out
}

type Delivery = { sent: Set<string>; devices: Map<string, ReturnType<typeof deviceKey>> }

export function createSensors(ctx: Pick<WorldContext, 'seed' | 'state'>): Delivery {
  const devices = new Map<string, ReturnType<typeof deviceKey>>()
  return { sent: new Set(), devices }
}

function deviceFor(ctx: WorldContext, d: Delivery, address: string) {
  const key = address.toLowerCase()
  // devices created since the map was last filled (or before a restart): derive their keys again
  if (!d.devices.has(key))
    for (let n = 0; n < ctx.state.devices; n++) {
      const device = deviceKey(ctx.seed, n)
      d.devices.set(device.address.toLowerCase(), device)
    }
  return d.devices.get(key)
}

export function sensorsTick(ctx: WorldContext, d: Delivery) {
  for (const o of ctx.view.orders.values()) {
    if (o.kind !== 'shipment' || o.status !== 'Active' || o.acceptedAt === undefined) continue
    const device = deviceFor(ctx, d, o.terms.device)
    if (!device) continue
    const plan = shipmentPlan(ctx, o.orderId)
    const due = plannedReadings(o, o.acceptedAt, plan).filter(
      (r) => r.at <= ctx.now && ctx.nodeUrls.some((url) => !d.sent.has(`${o.orderId}:${r.seq}:${url}`)),
    )
    if (due.length === 0) continue
    // the device's gateway uploads whatever is due, in order, to every node
    ctx.act(device, `sensor of order #${o.orderId}`, async () => {
      for (const r of due) {
        const reading = await signReading(
          device,
          { chainId: 31337 },
          {
            orderId: orderKey(o.orderId),
            seq: r.seq,
            timestamp: r.at,
            kind: r.kind,
            temperatureCentiC: r.temperatureCentiC,
          },
        )
        await Promise.all(
          ctx.nodeUrls.map(async (url) => {
            const key = `${o.orderId}:${r.seq}:${url}`
            if (d.sent.has(key)) return
            const response = await fetch(`${url}/v1/telemetry`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(reading),
            }).catch(() => undefined)
            // 202 taken, 409 already had it; a 404 (the node has not seen the acceptance yet) is sent again
            if (response && (response.status === 202 || response.status === 409)) d.sent.add(key)
          }),
        )
      }
    })
  }
}
