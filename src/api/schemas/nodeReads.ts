/** What the API gathers from the attester nodes: an order's verified readings and a vault's measured uptime. */
import { Type } from 'typebox'
import { Address, Bytes32, StringEnum, Time } from './common.ts'

export const NODE_STATUSES = ['ok', 'unreachable', 'error', 'not-on-committee', 'wrong-chain'] as const

export const NodeSource = Type.Object(
  {
    url: Type.String({ description: 'the node API the server was configured with' }),
    attester: Type.Union([Address, Type.Null()], { description: 'the address the node answered as' }),
    status: StringEnum(NODE_STATUSES, {
      description:
        'ok: answered and counted; unreachable / error: no usable answer; not-on-committee: the node is not an attester of the service; wrong-chain: it watches another chain',
    }),
    error: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'one configured node and what came of asking it' },
)

export const Reading = Type.Object(
  {
    device: Address,
    seq: Type.Integer({ description: 'the device’s sequence number' }),
    time: Time,
    kind: StringEnum(['reading', 'pickup', 'checkpoint', 'delivery'] as const),
    temperatureCentiC: Type.Union([Type.Integer(), Type.Null()], { description: 'hundredths of a °C' }),
    latE7: Type.Union([Type.Integer(), Type.Null()], { description: 'latitude × 10^7' }),
    lonE7: Type.Union([Type.Integer(), Type.Null()], { description: 'longitude × 10^7' }),
    digest: Bytes32,
    signer: Address,
    heldBy: Type.Array(Address, { description: 'the attesters that hold this exact reading' }),
  },
  { description: 'a device-signed reading, its signature checked by this server against the order’s device' },
)

export const OrderReadings = Type.Object({
  orderId: Type.String(),
  shipment: Type.Boolean({ description: 'whether the order names a device (only shipments have readings)' }),
  device: Type.Union([Address, Type.Null()]),
  minTempCentiC: Type.Integer(),
  maxTempCentiC: Type.Integer(),
  pickupBy: Type.Union([Time, Type.Null()]),
  deadline: Type.Union([Time, Type.Null()]),
  committee: Type.Integer({ description: 'attesters the service has (any status)' }),
  answered: Type.Integer({ description: 'committee nodes that answered' }),
  readings: Type.Array(Reading),
  rejected: Type.Object(
    {
      unsigned: Type.Integer(),
      badSignature: Type.Integer(),
      wrongDevice: Type.Integer(),
      wrongOrder: Type.Integer(),
    },
    { description: 'copies refused by this server, summed over nodes' },
  ),
  conflicts: Type.Integer({ description: '(device, seq) pairs the device signed twice differently' }),
  truncated: Type.Boolean({
    description: 'a node held more readings than one page (the first ones are shown)',
  }),
  nodes: Type.Array(NodeSource),
})

export const EpochUptime = Type.Object({
  epoch: Type.Integer(),
  start: Time,
  attesters: Type.Array(
    Type.Object({
      attester: Address,
      samples: Type.Integer(),
      ok: Type.Integer(),
      uptimeBps: Type.Integer({ description: 'ok / samples in basis points, rounded down' }),
      verdict: Type.Union([Type.String(), Type.Null()], {
        description: 'the node’s verdict (ok, violation, insufficient, void), null while the epoch is open',
      }),
    }),
  ),
  medianBps: Type.Integer({ description: 'the committee’s median uptime (lower median), basis points' }),
})

export const ServiceUptime = Type.Object({
  serviceId: Type.String(),
  epochSeconds: Type.Integer(),
  minUptimeBps: Type.Integer({ description: 'the uptime the nodes hold the operator to' }),
  epochs: Type.Array(EpochUptime),
})

export const VaultUptime = Type.Object({
  vault: Address,
  services: Type.Array(ServiceUptime),
  nodes: Type.Array(NodeSource),
})
