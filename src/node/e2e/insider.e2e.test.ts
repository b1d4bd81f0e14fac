/**
 * One insider against an honest majority: three honest attester nodes (processes) of a five-member committee
 * (3-of-5 quorum) and a fifth member, played by this test with its real key, who pre-signs what it can predict —
 * the success of an order the moment it is accepted, and the downtime reports of epochs that have not happened
 * yet (their incident ids follow from kind and subject) — and posts them to the honest nodes long before the facts.
 * A node that stored those early copies and expired them on the insider's clock would let its own later, honest
 * signatures land on a dead row: nothing submitted, and for the order a keeper's expiry slashing the operator.
 * The honest outcome must still happen, exactly once.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type Account, type Address, keccak256, parseEther, toBytes, zeroAddress } from 'viem'
import { type HDAccount, type LocalAccount, privateKeyToAccount } from 'viem/accounts'
import { createWorld, type World } from '../../../test/support/world.ts'
import { orderBookAbi } from '../../sdk/abis.ts'
import {
  acceptOrder,
  commitResult,
  openOrder,
  orderParams,
  orderParamsHash,
  orderTerms,
  readOrder,
  signOrderOutcome,
} from '../../sdk/index.ts'
import { signReport } from '../../sdk/reports.ts'
import { signPeerRequest } from '../http/peerAuth.ts'
import { encodeOutcomeMessage } from '../orders/outcomeMessage.ts'
import { reportOf } from '../report/incident.ts'
import { encodePeerMessage } from '../report/peerMessage.ts'
import {
  type ClusterNode,
  contractCalls,
  courtCalls,
  courtEvents,
  startAll,
  status,
  stopAll,
  waitFor,
} from '../testing/cluster.ts'
import { type Endpoints, startEndpoints } from '../testing/endpoints.ts'
import { type ResultServer, startResultServer } from '../testing/resultServer.ts'
import { prepareClusterOn } from './cluster.ts'
import { orderWorld } from './world.ts'

const DOWNTIME_CLASS = 0
const WRONG_OUTPUT_CLASS = 1
const CLASSES = [
  { basePenaltyBps: 100, jailDuration: 0, permanentBan: false },
  { basePenaltyBps: 500, jailDuration: 0, permanentBan: false },
]
const EPOCH_SECONDS = 2
/** Short, so that an early copy would have expired long before the fact it claims. */
const REPORT_TTL_MS = 4_000

let w: World
let serviceId: bigint
let operator: Account
let vault: Address
let client: Account
let insider: HDAccount
let nodes: ClusterNode[] = []
let endpoints: Endpoints
let results: ResultServer
let startBlock: bigint

before(async () => {
  w = await createWorld()
  const world = await orderWorld(w, CLASSES)
  ;({ serviceId, operator, vault, client } = world)
  insider = world.attesters[4]!
  endpoints = await startEndpoints()
  results = await startResultServer()
  ;({ nodes, startBlock } = await prepareClusterOn(w, {
    attesters: world.attesters.slice(0, 3),
    service: () => ({
      serviceId: Number(serviceId),
      epochSeconds: EPOCH_SECONDS,
      classes: { downtime: DOWNTIME_CLASS, wrongOutput: WRONG_OUTPUT_CLASS },
      // random (Poisson) timing: 20 probes expected per 2 s epoch, fewer than minSamples in 1 epoch of 60,000
      probe: { intervalMs: 100, timeoutMs: 1000 },
      verdict: { minSamples: 5, minUptimeBps: 5000 },
      operators: [{ vault, endpoint: endpoints.url('a') }],
      resultUrl: `${results.url}/results/{orderId}/{milestone}`,
    }),
    roles: (i) => ({ attester: true, keeper: i < 2 }),
    timing: { reportTtlMs: REPORT_TTL_MS },
    extra: { keeper: { expireDelaySeconds: 5 } },
  }))
  await startAll(nodes)
})

after(async () => {
  await stopAll(nodes)
  await endpoints?.close()
  await results?.close()
  await w?.anvil.stop()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A request to a node's peer API, signed by `as` (a member or not), or unsigned. */
async function postTo(node: ClusterNode, path: string, body: unknown, as?: LocalAccount) {
  const text = JSON.stringify(body)
  const signed = as
    ? await signPeerRequest(as, { method: 'POST', path, to: node.account.address, body: text })
    : {}
  const response = await fetch(`${node.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed },
    body: text,
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/** The insider posts to every honest node, as the member it is; the answers are collected, not asserted here. */
async function postToAll(path: string, body: unknown): Promise<number[]> {
  return Promise.all(nodes.map(async (n) => (await postTo(n, path, body, insider)).status))
}

describe('an insider pre-signing what it can predict', () => {
  test('a success outcome signed the moment an order is accepted does not bury the honest one', async () => {
    const params = orderParams({
      budget: parseEther('10'),
      biddingWindow: 120,
      duration: 300,
      client: client.address,
      serviceId,
      paymentToken: w.addresses.stakeToken,
      vault,
      now: Number(await w.now()),
    })
    const opened = await openOrder(w.clientFor(client), { params, terms: orderTerms({}) })
    const order = { orderId: opened.result.orderId, params: opened.result.params }
    await acceptOrder(w.clientFor(operator), order)
    await waitFor(
      'every node to see the accepted order',
      async () =>
        (await Promise.all(nodes.map(status))).every(
          (s) => s.orders.find((o) => o.orderId === order.orderId.toString())?.status === 'Active',
        ),
      30_000,
    )

    const outcome = {
      orderId: order.orderId,
      paramsHash: orderParamsHash(order.params),
      vault: (await readOrder(w, order.orderId)).vault,
      milestone: 0,
      success: true,
      classId: 0,
    }
    const signed = await signOrderOutcome(
      insider,
      { chainId: w.chainId, orders: w.addresses.orders },
      outcome,
    )
    const answers = await postToAll(
      '/v1/outcomes',
      encodeOutcomeMessage({
        outcome,
        signatures: [{ signer: insider.address, signature: signed.signature }],
      }),
    )
    // long enough for an early copy to expire on the insider's clock
    await sleep(REPORT_TTL_MS + 2_000)

    const output = toBytes('the honest result')
    results.set(`/results/${order.orderId}/0`, output)
    await commitResult(w.clientFor(operator), { ...order, resultHash: keccak256(output) })
    const paid = await waitFor(
      `the milestone paid on the honest nodes’ attestation (the pre-signed copy was answered ${answers})`,
      async () =>
        (
          await w.public.getContractEvents({
            address: w.addresses.orders,
            abi: orderBookAbi,
            eventName: 'MilestonePaid',
            fromBlock: startBlock,
          })
        ).find((e) => e.args.orderId === order.orderId),
      // a guard against a hang: on a quiet machine the milestone is paid about a second after the result is committed.
      // The 60 s and 180 s timeouts CI met were no slowness: every node held the quorum and none ever took its turn
      // (quorumSubmit.ts: an outcome past the TTL was skipped). On a timeout the error shows each node's view.
      180_000,
      { focus: { orderId: order.orderId } },
    )
    assert.equal(paid.args.byAttesters, true)
    await sleep(3_000)
    const calls = await contractCalls(w.public, w.addresses.orders, orderBookAbi, 'reportOutcome', startBlock)
    assert.deepEqual([calls.total, calls.reverted], [1, 0], 'exactly one submission, none wasted')
    assert.equal(
      (await contractCalls(w.public, w.addresses.orders, orderBookAbi, 'expire', startBlock)).total,
      0,
    )
    assert.ok(
      answers.every((s) => s === 425),
      `the pre-signed outcome is refused (a milestone not judged yet): ${answers}`,
    )
  })

  test('downtime reports of future epochs posted in advance do not bury the honest report', async () => {
    const nowEpoch = Math.floor(Date.now() / (EPOCH_SECONDS * 1000))
    const seeded = new Map<string, number>()
    /** How far ahead of the node's clock each seeded epoch began when it was posted (ms). */
    const aheadAtPost = new Map<string, number>()
    const domain = { chainId: w.chainId, court: w.addresses.court }
    for (let e = nowEpoch + 3; e < nowEpoch + 60; e++) {
      const finding = {
        kind: 'downtime' as const,
        subject: String(e),
        serviceId,
        vault,
        classId: DOWNTIME_CLASS,
        client: zeroAddress,
      }
      const report = reportOf(finding)
      const { signature } = await signReport(insider, domain, report)
      aheadAtPost.set(String(e), e * EPOCH_SECONDS * 1000 - Date.now())
      for (const s of await postToAll(
        '/v1/reports',
        encodePeerMessage({
          kind: 'downtime',
          subject: finding.subject,
          report,
          signatures: [{ signer: insider.address, signature }],
        }),
      ))
        seeded.set(String(e), s)
    }
    const seededIncidents = new Set(
      [...seeded.keys()].map(
        (e) =>
          reportOf({ kind: 'downtime', subject: e, serviceId, vault, classId: 0, client: zeroAddress })
            .incidentId,
      ),
    )
    // the seeded epochs begin, and any early copy is past its TTL
    await sleep(REPORT_TTL_MS + 3 * EPOCH_SECONDS * 1000)

    await endpoints.set('a', 'down')
    const first = await waitFor(
      'the honest downtime report on chain',
      async () => (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).at(0),
      60_000,
    )
    await endpoints.set('a', 'up')
    assert.ok(
      seededIncidents.has(first.args.details!.incidentId),
      'the outage fell in an epoch the insider seeded',
    )
    await waitFor(
      'every report of the outage on chain or short of quorum',
      async () =>
        (await Promise.all(nodes.map(status))).every((s) => s.reports.every((r) => r.state !== 'submitting')),
      30_000,
    )
    await sleep(4_000)
    const upTo = await w.public.getBlockNumber({ cacheTime: 0 })
    const requested = await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock, upTo)
    const calls = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock, upTo)
    assert.deepEqual([calls.total, calls.reverted], [requested.length, 0], 'one submission per incident')
    assert.equal(new Set(requested.map((e) => e.args.slashId)).size, requested.length)
    // beyond the peers' clock tolerance (timing.peerSkewMs, 30 s) an epoch that has not ended is refused outright;
    // the nearer ones are taken as undecided and are harmless, as the outcome above shows
    // (measured when each was posted: on a loaded machine the posting itself takes many seconds)
    const far = [...seeded].filter(([e]) => aheadAtPost.get(e)! > 35_000)
    assert.ok(far.length > 0 && far.every(([, s]) => s === 425), 'far future epochs are refused')
  })

  test('signatures are handed only to committee members: a stranger gets none, a member gets them', async () => {
    // a fresh outage, and a report the honest nodes signed with a quorum: what a stranger would like to submit first
    const fromEpoch = Math.floor(Date.now() / (EPOCH_SECONDS * 1000))
    await endpoints.set('a', 'down')
    const held = await waitFor(
      'a signed report of the new outage holding a quorum',
      async () =>
        (await status(nodes[0]!)).reports
          .filter((r) => r.own === 'signed' && r.signers.length >= 3 && Number(r.subject) >= fromEpoch)
          .sort((x, y) => Number(y.subject) - Number(x.subject))[0],
      60_000,
    )
    await endpoints.set('a', 'up')
    const ask = {
      kind: held.kind,
      subject: held.subject,
      report: {
        serviceId: serviceId.toString(),
        vault: held.vault,
        classId: held.classId,
        client: held.client,
        incidentId: reportOf({
          kind: 'downtime',
          subject: held.subject,
          serviceId,
          vault,
          classId: held.classId,
          client: held.client,
        }).incidentId,
      },
      signatures: [],
    }
    const stranger = privateKeyToAccount(keccak256(toBytes('a stranger to the committee')))
    const unsigned = await postTo(nodes[0]!, '/v1/reports', ask)
    const byStranger = await postTo(nodes[0]!, '/v1/reports', ask, stranger)
    assert.deepEqual([unsigned.status, byStranger.status], [401, 403], 'refused')
    for (const r of [unsigned, byStranger]) assert.equal(r.body.signatures, undefined, 'no signatures')
    const text = JSON.stringify(ask)
    const forNode1 = await signPeerRequest(insider, {
      method: 'POST',
      path: '/v1/reports',
      to: nodes[1]!.account.address,
      body: text,
    })
    const misdirected = await fetch(`${nodes[0]!.apiUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...forNode1 },
      body: text,
    })
    assert.equal(misdirected.status, 401, 'a request signed for another node is refused')
    const byMember = await postTo(nodes[0]!, '/v1/reports', ask, insider)
    assert.equal(byMember.status, 200)
    assert.ok((byMember.body.signatures as unknown[]).length >= 3, 'a member gets the signatures')
  })
})
