/**
 * The routes the API answers from the attester nodes, end to end: a real chain with a shipment order, indexed
 * into SQLite; several nodes' real HTTP servers with their read routes over real stores (node/testing/readNode.ts);
 * the API asking them. What a node holds is checked by the API, never trusted: tampered and foreign readings are
 * refused and counted, readings held by several attesters are shown once with who held them, nodes off the
 * committee do not count, and when no node answers the API says which and why.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import type { FastifyInstance } from 'fastify'
import { keccak256, parseEther, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { TestStore } from '../../test/support/indexedStores.ts'
import { type OrdersFixture, openTestOrder, setupOrders } from '../../test/support/orders.ts'
import { createWorld, type World } from '../../test/support/world.ts'
import { freePort } from '../chain/anvil.ts'
import { epochOf } from '../node/measure/verdict.ts'
import { orderKey } from '../node/orders/fold.ts'
import { signReading } from '../node/telemetry/reading.ts'
import { keepReading, keepSamples, type ReadNode, startReadNode } from '../node/testing/readNode.ts'
import { openOrder, orderParams, orderTerms } from '../sdk/index.ts'
import { createApiServer } from './server.ts'
import { type IndexedWorld, indexWorld } from './testing/indexedWorld.ts'

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked field by field
type Json = Record<string, any>

const device = privateKeyToAccount(keccak256(toHex('surety api test device')))
const otherDevice = privateKeyToAccount(keccak256(toHex('a device of another order')))
const EPOCH_SECONDS = 60

let w: World
let f: OrdersFixture
let indexed: IndexedWorld
let store: TestStore
let shipmentId: bigint
let plainId: bigint
let pickupBy: number
const nodes: ReadNode[] = []
let stranger: ReadNode
let deadUrl: string
let app: FastifyInstance
const current = epochOf(Date.now(), EPOCH_SECONDS)

const sign = (seq: number, temperatureCentiC: number, by = device) =>
  signReading(
    by,
    { chainId: w.chainId },
    { orderId: orderKey(shipmentId), seq, timestamp: 1_000 + seq * 60, kind: 'reading', temperatureCentiC },
  )

before(async () => {
  w = await createWorld()
  f = await setupOrders(w)
  pickupBy = Number(await w.now()) + 3_600
  const params = orderParams({
    client: f.client.address,
    serviceId: f.svc.serviceId,
    paymentToken: w.addresses.stakeToken,
    vault: f.ops[0]!.vault,
    budget: parseEther('10'),
    now: await w.now(),
  })
  const terms = orderTerms({ device: device.address, minTempCentiC: 200, maxTempCentiC: 800, pickupBy })
  shipmentId = (await openOrder(w.clientFor(f.client), { params, terms })).result.orderId
  plainId = (await openTestOrder(w, f.client, { serviceId: f.svc.serviceId, budget: parseEther('5') }))
    .orderId

  const services = [
    {
      serviceId: Number(f.svc.serviceId),
      epochSeconds: EPOCH_SECONDS,
      // 12 probes expected per epoch (the node config refuses too few for random timing)
      probe: { intervalMs: 5_000 },
      verdict: { minUptimeBps: 9_000 },
      operators: [{ vault: f.ops[0]!.vault, endpoint: 'http://127.0.0.1:1/health' }],
    },
  ]
  for (const a of f.svc.attesters.slice(0, 3))
    nodes.push(await startReadNode({ address: a.address, chainId: w.chainId, services }))
  stranger = await startReadNode({ address: w.accounts[19]!.address, chainId: w.chainId, services })
  deadUrl = `http://127.0.0.1:${await freePort()}`

  const [a, b, c] = nodes as [ReadNode, ReadNode, ReadNode]
  const good = await Promise.all([sign(1, 450), sign(2, 500), sign(3, 1_150), sign(4, 520)])
  for (const r of good) keepReading(a.store, w.chainId, r)
  for (const r of good.slice(0, 3)) keepReading(b.store, w.chainId, r)
  keepReading(c.store, w.chainId, good[0]!)
  // node c "holds" reading 2 with its temperature lowered under the device's signature, and a reading of another
  // device: neither passes the API's own check
  keepReading(c.store, w.chainId, { ...good[1]!, temperatureCentiC: 300 })
  keepReading(c.store, w.chainId, await sign(5, 400, otherDevice))
  for (const r of good) keepReading(stranger.store, w.chainId, r)

  const vault = f.ops[0]!.vault
  const sid = f.svc.serviceId
  keepSamples(a.store, { serviceId: sid, vault, epoch: current - 2, samples: 10, ok: 10, verdict: 'ok' })
  keepSamples(b.store, {
    serviceId: sid,
    vault,
    epoch: current - 2,
    samples: 10,
    ok: 5,
    verdict: 'violation',
  })
  keepSamples(c.store, { serviceId: sid, vault, epoch: current - 2, samples: 10, ok: 9, verdict: 'ok' })
  keepSamples(a.store, { serviceId: sid, vault, epoch: current - 1, samples: 4, ok: 4 })
  keepSamples(stranger.store, { serviceId: sid, vault, epoch: current - 2, samples: 10, ok: 0 })

  indexed = await indexWorld(w, {
    store: 'sqlite',
    finalityDepth: 3,
    server: { nodes: { urls: [...nodes.map((n) => n.url), stranger.url, deadUrl], timeoutMs: 1_000 } },
  })
  ;({ store, app } = indexed)
})

after(async () => {
  await indexed?.close()
  for (const n of [...nodes, stranger]) await n?.close()
  await w?.anvil.stop()
})

const get = async (a: FastifyInstance, url: string) => {
  const r = await a.inject({ method: 'GET', url })
  return { status: r.statusCode, body: r.json() as Json }
}

async function conforms(url: string, body: unknown) {
  const doc = (await app.inject('/openapi.json')).json() as Json
  const template = Object.keys(doc.paths).find((t) =>
    new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(url.split('?')[0]!),
  )
  assert.ok(template, `${url} is in the OpenAPI document`)
  const ajv = new Ajv({ strict: false, allErrors: true })
  ;(formats as unknown as { default: (a: Ajv) => void }).default(ajv)
  const validate = ajv.compile(doc.paths[template].get.responses['200'].content['application/json'].schema)
  assert.ok(validate(body), `${url} matches its schema: ${ajv.errorsText(validate.errors)}`)
}

const lower = (a: string) => a.toLowerCase()

describe('readings gathered from the attester nodes', () => {
  it('shows each signed reading once, checked against the order’s device, with the attesters that hold it', async () => {
    const url = `/v1/orders/${shipmentId}/readings`
    const { status, body } = await get(app, url)
    assert.equal(status, 200, JSON.stringify(body))
    await conforms(url, body)
    const d = body.data
    assert.equal(d.shipment, true)
    assert.equal(d.device, lower(device.address))
    assert.equal(d.minTempCentiC, 200)
    assert.equal(d.maxTempCentiC, 800)
    assert.equal(d.pickupBy.unix, pickupBy)
    assert.equal(d.committee, 5)
    assert.equal(d.answered, 3)
    const [a, b, c] = nodes.map((n) => lower(n.address))
    assert.deepEqual(
      d.readings.map((r: Json) => [r.seq, r.temperatureCentiC, r.time.unix, r.heldBy]),
      [
        [1, 450, 1_060, [a, b, c].sort()],
        [2, 500, 1_120, [a, b].sort()],
        [3, 1_150, 1_180, [a, b].sort()],
        [4, 520, 1_240, [a]],
      ],
    )
    for (const r of d.readings) assert.equal(r.signer, lower(device.address))
    assert.deepEqual(d.rejected, { unsigned: 0, badSignature: 1, wrongDevice: 1, wrongOrder: 0 })
    assert.equal(d.conflicts, 0)
    const byUrl = new Map<string, Json>(d.nodes.map((n: Json) => [n.url, n]))
    assert.equal(byUrl.get(nodes[0]!.url)!.status, 'ok')
    assert.equal(byUrl.get(stranger.url)!.status, 'not-on-committee')
    assert.equal(byUrl.get(deadUrl)!.status, 'unreachable')
    assert.equal(byUrl.get(deadUrl)!.attester, null)
  })

  it('is not cached: a reading a node receives shows without the indexed block moving', async () => {
    const before = (await get(app, `/v1/orders/${shipmentId}/readings`)).body
    keepReading(nodes[1]!.store, w.chainId, await sign(4, 520))
    const afterIt = (await get(app, `/v1/orders/${shipmentId}/readings`)).body
    assert.equal(afterIt.block.number, before.block.number)
    assert.deepEqual(
      afterIt.data.readings.at(-1).heldBy,
      [nodes[0]!, nodes[1]!].map((n) => lower(n.address)).sort(),
    )
  })

  it('answers an order without a device with no readings, without asking the nodes', async () => {
    const { status, body } = await get(app, `/v1/orders/${plainId}/readings`)
    assert.equal(status, 200)
    assert.equal(body.data.shipment, false)
    assert.deepEqual(body.data.readings, [])
    assert.deepEqual(body.data.nodes, [])
  })

  it('404s an order the index does not hold', async () => {
    const { status, body } = await get(app, '/v1/orders/999999/readings')
    assert.equal(status, 404)
    assert.match(body.error.message, /no order 999999 is indexed/)
  })

  it('says 503 and names every node when no attester answers, and what to do when none is configured', async () => {
    const lonely = await createApiServer({
      db: store.idb.db,
      dialect: store.idb.dialect,
      nodes: { urls: [deadUrl, stranger.url], timeoutMs: 500 },
    })
    try {
      const { status, body } = await get(lonely, `/v1/orders/${shipmentId}/readings`)
      assert.equal(status, 503)
      assert.equal(body.error.code, 'NODES_UNAVAILABLE')
      assert.ok(body.error.message.includes(`${deadUrl}: unreachable`), body.error.message)
      assert.ok(body.error.message.includes(`${stranger.url}: not-on-committee`), body.error.message)
    } finally {
      await lonely.close()
    }
    const none = await createApiServer({ db: store.idb.db, dialect: store.idb.dialect })
    try {
      const { status, body } = await get(none, `/v1/orders/${shipmentId}/readings`)
      assert.equal(status, 503)
      assert.match(body.error.message, /--node URL/)
    } finally {
      await none.close()
    }
  })
})

describe('uptime measured by the attester nodes', () => {
  it('gives per service and epoch each attester’s fraction up and the committee median', async () => {
    const vault = f.ops[0]!.vault
    const url = `/v1/vaults/${vault}/uptime?epochs=5`
    const { status, body } = await get(app, url)
    assert.equal(status, 200, JSON.stringify(body))
    await conforms(url, body)
    const [s] = body.data.services
    assert.equal(body.data.services.length, 1)
    assert.equal(s.serviceId, String(f.svc.serviceId))
    assert.equal(s.minUptimeBps, 9_000)
    assert.equal(s.epochSeconds, EPOCH_SECONDS)
    assert.deepEqual(
      s.epochs.map((e: Json) => [e.epoch, e.start.unix, e.medianBps, e.attesters.length]),
      [
        // 10000, 5000, 9000 → 9000; the stranger's 0 does not count
        [current - 2, (current - 2) * EPOCH_SECONDS, 9_000, 3],
        [current - 1, (current - 1) * EPOCH_SECONDS, 10_000, 1],
      ],
    )
    const b = s.epochs[0].attesters.find((x: Json) => x.attester === lower(nodes[1]!.address))
    assert.deepEqual([b.samples, b.ok, b.uptimeBps, b.verdict], [10, 5, 5_000, 'violation'])
    assert.equal(s.epochs[1].attesters[0].verdict, null, 'the open epoch has no verdict yet')
  })

  it('404s a vault the index does not hold and refuses an unbounded window', async () => {
    const unknown = await get(app, `/v1/vaults/${'0x'.padEnd(42, '7')}/uptime`)
    assert.equal(unknown.status, 404)
    const wide = await get(app, `/v1/vaults/${f.ops[0]!.vault}/uptime?epochs=10000`)
    assert.equal(wide.status, 400)
    assert.match(wide.body.error.message, /epochs/)
  })

  it('the node itself refuses a malformed order key or vault in one line', async () => {
    const r = await fetch(`${nodes[0]!.url}/v1/telemetry?order=42`)
    assert.equal(r.status, 400)
    assert.match(((await r.json()) as Json).error, /32-byte order key/)
    const u = await fetch(`${nodes[0]!.url}/v1/uptime?vault=${f.ops[0]!.vault}&epochs=0`)
    assert.equal(u.status, 400)
    assert.match(((await u.json()) as Json).error, /epochs must be an integer from 1 to 288/)
  })
})
