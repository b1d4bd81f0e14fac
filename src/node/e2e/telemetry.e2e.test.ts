/**
 * Physical SLAs end to end: a device signs its readings, three attester nodes (of the five-member committee) take
 * them in over HTTP and refuse the bad ones with a reason and a count; a late delivery becomes a failure report
 * naming the client, the report gathers its quorum and lands, and after the window the client is compensated.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { type Hex, keccak256, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { useWorld } from '../../../test/support/world.ts'
import { incidentIdOf } from '../report/incident.ts'
import { type Reading, signReading } from '../telemetry/reading.ts'
import {
  type ClusterNode,
  courtCalls,
  courtEvents,
  metricsText,
  prepareCluster,
  startAll,
  status,
  stopAll,
  waitFor,
} from '../testing/cluster.ts'
import { type Endpoints, startEndpoints } from '../testing/endpoints.ts'
import { DELIVERY_CLASS, intervalMining, nodeWorld, serviceSection } from './world.ts'

const { world, fixture } = useWorld(nodeWorld)

let nodes: ClusterNode[] = []
let endpoints: Endpoints | undefined
afterEach(async () => {
  await stopAll(nodes)
  await endpoints?.close()
  await intervalMining(world(), false)
})

const device = privateKeyToAccount(keccak256(toHex('surety test device')))
const stranger = privateKeyToAccount(keccak256(toHex('not the registered device')))
const LATE = keccak256(toHex('order: late shipment'))
const ON_TIME = keccak256(toHex('order: on-time shipment'))

async function post(node: ClusterNode, body: unknown) {
  const response = await fetch(`${node.apiUrl}/v1/telemetry`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { accepted: boolean; reason?: string } }
}

describe('telemetry', () => {
  test('bad readings are refused and counted; a late delivery is reported and the client compensated', async () => {
    const w = world()
    const nw = fixture()
    const domain = { chainId: w.chainId }
    const now = Math.floor(Date.now() / 1000)
    const order = (orderId: Hex, deliverBy: number) => ({
      orderId,
      vault: nw.vaultA,
      client: nw.client.address,
      devices: [device.address],
      pickup: { by: now + 60 },
      temperature: { minC: 2, maxC: 8 },
      delivery: { by: deliverBy },
    })
    endpoints = await startEndpoints()
    await intervalMining(w, true)
    const startBlock = await w.public.getBlockNumber({ cacheTime: 0 })
    nodes = await prepareCluster({
      rpcUrl: w.anvil.rpcUrl,
      chainId: w.chainId,
      addresses: w.addresses,
      startBlock,
      attesters: nw.attesters.slice(0, 3),
      service: () =>
        serviceSection(
          nw,
          endpoints!,
          { a: 'a', b: 'b' },
          { orders: [order(LATE, now + 5), order(ON_TIME, now + 600)] },
        ),
    })
    await startAll(nodes)

    const reading = (orderId: Hex, seq: number, ts: number, kind: Reading['kind'], temperatureCentiC = 450) =>
      signReading(device, domain, { orderId, seq, timestamp: ts, kind, temperatureCentiC })
    // the device's gateway sends every reading to every attester
    const good = [
      await reading(LATE, 1, now, 'pickup'),
      await reading(LATE, 2, now + 1, 'reading', 610),
      await reading(LATE, 3, now + 8, 'delivery'),
      await reading(ON_TIME, 1, now, 'pickup'),
      await reading(ON_TIME, 2, now + 2, 'delivery'),
    ]
    for (const r of good) for (const n of nodes) assert.equal((await post(n, r)).status, 202)

    const { signature: _drop, ...unsigned } = await reading(LATE, 4, now + 9, 'reading')
    const bad: [unknown, number, string][] = [
      [unsigned, 422, 'unsigned'],
      [{ ...(await reading(LATE, 4, now + 9, 'reading')), temperatureCentiC: 420 }, 422, 'bad-signature'],
      [
        await signReading(stranger, domain, { orderId: LATE, seq: 4, timestamp: now + 9, kind: 'reading' }),
        422,
        'wrong-device',
      ],
      [good[0], 409, 'replay'],
      [await reading(LATE, 0, now + 9, 'reading'), 422, 'out-of-order'],
    ]
    for (const [body, code, reason] of bad) {
      const answer = await post(nodes[0]!, body)
      assert.equal(answer.status, code, reason)
      assert.deepEqual([answer.body.accepted, answer.body.reason], [false, reason])
    }
    const metrics = await metricsText(nodes[0]!)
    for (const [, , reason] of bad)
      assert.match(metrics, new RegExp(`surety_node_telemetry_rejected_total\\{reason="${reason}"\\} 1\\n`))
    assert.match(metrics, /surety_node_telemetry_accepted_total 5\n/)
    assert.deepEqual((await status(nodes[0]!)).telemetryRejections, {
      unsigned: 1,
      'bad-signature': 1,
      'wrong-device': 1,
      replay: 1,
      'out-of-order': 1,
    })

    const incident = incidentIdOf('delivery', LATE)
    const slash = await waitFor(
      'the late shipment’s failure report on chain',
      async () =>
        (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).find(
          (e) => e.args.details!.incidentId === incident,
        ),
      40_000,
    )
    assert.equal(slash.args.details!.classId, DELIVERY_CLASS)
    assert.equal(slash.args.details!.client.toLowerCase(), nw.client.address.toLowerCase())
    assert.equal(slash.args.vault!.toLowerCase(), nw.vaultA.toLowerCase())

    const clientBefore = await w.balanceOf(nw.client.address)
    await w.test.increaseTime({ seconds: 61 })
    const executed = await waitFor(
      'the keepers to execute it',
      async () =>
        (await courtEvents(w.public, w.addresses.court, 'SlashExecuted', startBlock)).find(
          (e) => e.args.slashId === slash.args.slashId,
        ),
      30_000,
    )
    assert.ok(executed.args.toClient! > 0n)
    assert.equal(
      (await w.balanceOf(nw.client.address)) - clientBefore,
      executed.args.toClient,
      'the client is paid',
    )

    const requested = await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)
    assert.deepEqual(
      requested.filter((e) => e.args.details!.incidentId === incidentIdOf('delivery', ON_TIME)),
      [],
      'the on-time shipment is not reported',
    )
    const requests = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock)
    assert.equal(requests.total, requested.length)
    assert.equal(requests.reverted, 0)
  })
})
