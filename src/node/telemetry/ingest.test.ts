import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Address, Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { orderParams, orderTerms } from '../../sdk/orders.ts'
import { orderKey } from '../orders/fold.ts'
import { createChainOrderSource } from '../orders/source.ts'
import { openStore } from '../store/store.ts'
import { ingestReading } from './ingest.ts'
import { judgeShipment } from './judge.ts'
import { signReading } from './reading.ts'

const device = privateKeyToAccount(`0x${'11'.repeat(32)}`)
const stranger = privateKeyToAccount(`0x${'22'.repeat(32)}`)
const ORDER = orderKey(10n)
const A = '0x1111111111111111111111111111111111111111' as Address
const domain = { chainId: 31337 }

/** A store holding one confirmed OrderOpened whose terms register `device`, and the order view built from it. */
function setup() {
  const store = openStore(':memory:')
  const params = orderParams({
    client: A,
    serviceId: 1n,
    paymentToken: A,
    budget: 100n,
    vault: A,
    now: 1_000,
  })
  store.chain.commitRange({
    events: [
      {
        blockNumber: 5n,
        logIndex: 0,
        blockHash: `0x${'05'.repeat(32)}` as Hex,
        txHash: `0x${'06'.repeat(32)}` as Hex,
        name: 'OrderOpened',
        orderId: 10n,
        args: {
          orderId: 10n,
          client: A,
          serviceId: 1n,
          params,
          terms: orderTerms({ device: device.address }),
        },
      },
    ],
    blocks: [{ number: 5n, hash: `0x${'05'.repeat(32)}` as Hex }],
    cursor: { number: 5n, hash: `0x${'05'.repeat(32)}` as Hex },
  })
  const orders = createChainOrderSource(store)
  const ctx = { store, orders, domain, nowSec: () => 1_000, maxSkewSeconds: 60 }
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
      'future-timestamp': 1,
      'unknown-order': 1,
      malformed: 2,
    })
  })

  test('refuses readings of orders of services this node does not attest; deletes finished orders’ readings', async () => {
    const { store, ctx } = setup()
    const r = await signReading(device, domain, reading(1, 900))
    const foreign = await ingestReading(r, { ...ctx, serviceIds: new Set([2n]) })
    assert.ok(
      !foreign.accepted && foreign.reason === 'unknown-order' && /does not attest/.test(foreign.message),
    )
    assert.equal((await ingestReading(r, { ...ctx, serviceIds: new Set([1n]) })).accepted, true)
    assert.equal(
      store.telemetry.deleteFinished(Date.now() + 1, () => true),
      0,
      'a running order keeps them',
    )
    assert.equal(
      store.telemetry.deleteFinished(Date.now() + 1, () => false),
      1,
    )
    assert.deepEqual(store.telemetry.readings(ORDER), [])
  })

  test('a relay delivering the last reading first: every reading is taken, and the excursion is still seen', async () => {
    const { store, ctx } = setup()
    const temps = [450, 450, 1200, 450, 450]
    const signed = await Promise.all(
      temps.map((t, i) =>
        signReading(device, domain, {
          ...reading(i + 1, 900 + i * 10),
          kind: i === 0 ? 'pickup' : i === 4 ? 'delivery' : 'reading',
          temperatureCentiC: t,
        }),
      ),
    )
    for (const r of [...signed].reverse()) assert.equal((await ingestReading(r, ctx)).accepted, true)
    const again = await ingestReading(signed[2], ctx)
    assert.ok(!again.accepted && again.reason === 'replay', 'each (device, seq) once')
    const verdict = judgeShipment(
      { delivery: { by: 2_000 }, checkpoints: [], temperature: { minC: 2, maxC: 8, maxExcursionSeconds: 0 } },
      store.telemetry.readings(ORDER),
      1_000,
      60,
    )
    assert.equal(verdict.outcome, 'failed')
    assert.equal(verdict.failures[0]!.milestone, 'temperature')
  })
})
