import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { parseNodeConfig } from '../config.ts'
import { openStore } from '../store/store.ts'
import { ingestReading } from './ingest.ts'
import { configOrderSource } from './orders.ts'
import { signReading } from './reading.ts'

const device = privateKeyToAccount(`0x${'11'.repeat(32)}`)
const stranger = privateKeyToAccount(`0x${'22'.repeat(32)}`)
const ORDER = `0x${'0a'.repeat(32)}` as const
const A = '0x1111111111111111111111111111111111111111'
const domain = { chainId: 31337 }

function setup() {
  const config = parseNodeConfig({
    chain: { rpcUrl: 'http://127.0.0.1:1', chainId: 31337, addresses: { registry: A, court: A } },
    key: { env: 'K' },
    store: { path: ':memory:' },
    api: { port: 0 },
    services: [
      {
        serviceId: 1,
        orders: [{ orderId: ORDER, vault: A, client: A, devices: [device.address], delivery: { by: 2_000 } }],
      },
    ],
  })
  const store = openStore(':memory:')
  const ctx = { store, orders: configOrderSource(config), domain, nowSec: () => 1_000, maxSkewSeconds: 60 }
  return { store, ctx }
}

const reading = (seq: number, timestamp: number) => ({
  orderId: ORDER,
  seq,
  timestamp,
  kind: 'reading' as const,
  temperatureCentiC: 450,
})

describe('telemetry ingestion', () => {
  test('accepts signed readings in order and rejects each bad one with its reason, counted', async () => {
    const { store, ctx } = setup()
    const first = await signReading(device, domain, reading(1, 900))
    assert.equal((await ingestReading(first, ctx)).accepted, true)

    const cases: [unknown, string][] = [
      [{ ...reading(2, 901), device: device.address }, 'unsigned'],
      [{ ...(await signReading(device, domain, reading(2, 901))), temperatureCentiC: 999 }, 'bad-signature'],
      [
        { ...(await signReading(stranger, domain, reading(2, 901))), device: device.address },
        'bad-signature',
      ],
      [await signReading(stranger, domain, reading(2, 901)), 'wrong-device'],
      [first, 'replay'],
      [await signReading(device, domain, { ...reading(1, 950), temperatureCentiC: 1 }), 'replay'],
      [await signReading(device, domain, reading(0, 950)), 'out-of-order'],
      [await signReading(device, domain, reading(5, 899)), 'out-of-order'],
      [await signReading(device, domain, reading(5, 1_061)), 'future-timestamp'],
      [
        await signReading(device, domain, { ...reading(5, 950), orderId: `0x${'0b'.repeat(32)}` }),
        'unknown-order',
      ],
      [{ ...first, seq: -1 }, 'malformed'],
      ['not even an object', 'malformed'],
    ]
    for (const [body, reason] of cases) {
      const result = await ingestReading(body, ctx)
      assert.equal(result.accepted, false, `expected ${reason}`)
      if (!result.accepted) assert.equal(result.reason, reason, result.message)
    }
    assert.equal(
      (await ingestReading(await signReading(device, domain, reading(2, 901)), ctx)).accepted,
      true,
    )
    assert.equal(store.telemetry.readings(ORDER).length, 2, 'only the two good readings are kept')
    assert.deepEqual(store.telemetry.rejections(), {
      unsigned: 1,
      'bad-signature': 2,
      'wrong-device': 1,
      replay: 2,
      'out-of-order': 2,
      'future-timestamp': 1,
      'unknown-order': 1,
      malformed: 2,
    })
  })
})
