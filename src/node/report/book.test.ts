import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Address } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { signReport } from '../../sdk/reports.ts'
import type { CommitteeCache } from '../chain/committee.ts'
import type { Committee } from '../chain/quorum.ts'
import { parseNodeConfig } from '../config.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore } from '../store/store.ts'
import { createReportBook } from './book.ts'
import { type Finding, reportDigest, reportOf } from './incident.ts'
import { decodePeerMessage, encodePeerMessage } from './peerMessage.ts'
import { takeTurns } from './quorumSubmit.ts'
import { TooManySignaturesError } from './signedMessage.ts'

const keys = [1, 2, 3, 4, 5].map((i) => privateKeyToAccount(`0x${i.toString(16).padStart(64, '0')}`))
const outsider = privateKeyToAccount(`0x${'66'.repeat(32)}`)
const VAULT = '0x00000000000000000000000000000000000000aa' as Address
const CLIENT = '0x00000000000000000000000000000000000000cc' as Address
const domain = { chainId: 31337, court: '0x00000000000000000000000000000000000000c0' as Address }

function setup(self = keys[0]!, extra: Record<string, unknown> = {}, now?: () => number) {
  const config = parseNodeConfig({
    ...extra,
    chain: { rpcUrl: 'http://127.0.0.1:1', chainId: 31337, addresses: { registry: VAULT, court: VAULT } },
    key: { env: 'K' },
    store: { path: ':memory:' },
    api: { port: 0 },
    services: [
      {
        serviceId: 1,
        classes: { downtime: 0 },
        operators: [{ vault: VAULT, endpoint: 'http://127.0.0.1:1/', client: CLIENT }],
      },
    ],
  })
  const committee: Committee = {
    serviceId: 1n,
    members: new Map(keys.map((k) => [k.address.toLowerCase(), 10n])),
    totalWeight: 50n,
    quorumBps: 6000,
  }
  const committees: CommitteeCache = {
    get: async () => committee,
    invalidate: () => {},
    isMember: async (_s, who) => committee.members.has(who.toLowerCase()),
  }
  const store = openStore(':memory:')
  const metrics = createNodeMetrics()
  const changed: string[] = []
  const book = createReportBook({
    config,
    store,
    account: self,
    domain,
    committees,
    metrics,
    log: silentLogger,
    onChange: (d) => void changed.push(d),
    ...(now ? { now } : {}),
  })
  return { book, store, metrics, changed, committees }
}

/** A recent epoch (300 s epochs): ended, and within the report TTL. */
const RECENT = String(Math.floor(Date.now() / 300_000) - 2)
const finding: Finding = {
  kind: 'downtime',
  subject: RECENT,
  serviceId: 1n,
  vault: VAULT,
  classId: 0,
  client: CLIENT,
}
const report = reportOf(finding)
const digest = reportDigest(domain, report)
const peerMessage = async (signers: typeof keys, r = report, subject = RECENT) => ({
  kind: 'downtime' as const,
  subject,
  report: r,
  signatures: await Promise.all(
    signers.map(async (k) => ({ signer: k.address, signature: (await signReport(k, domain, r)).signature })),
  ),
})

describe('report book', () => {
  test('attest signs once (idempotent) and the stance is remembered', async () => {
    const { book, store, changed } = setup()
    assert.equal(await book.attest(finding), digest)
    assert.equal(await book.attest(finding), digest)
    const stored = store.reports.get(digest)!
    assert.equal(stored.own, 'signed')
    assert.equal(stored.state, 'collecting')
    assert.deepEqual(
      store.reports.signatures(digest).map((s) => s.signer),
      [keys[0]!.address.toLowerCase()],
    )
    assert.equal(changed.length, 1)
  })

  test('takes valid signatures of committee members, drops forged and outsider ones', async () => {
    const { book, store, metrics } = setup()
    const good = await peerMessage([keys[1]!, keys[2]!])
    const forged = { signer: keys[3]!.address, signature: good.signatures[0]!.signature }
    const fromOutsider = (await peerMessage([outsider])).signatures[0]!
    const result = await book.receive({ ...good, signatures: [...good.signatures, forged, fromOutsider] })
    assert.ok(result.ok)
    assert.equal(result.added, 2)
    assert.equal(store.reports.get(digest)!.own, 'unknown', 'not judged by this node yet: it has not signed')
    assert.equal(metrics.signatureChecks.get({ kind: 'report', result: 'invalid' }), 1)
    assert.equal(metrics.signatureChecks.get({ kind: 'report', result: 'not_member' }), 1)
    const again = await book.receive(good)
    assert.ok(again.ok && again.added === 0, 'known signatures are not checked or stored again')
  })

  test('refuses a report that does not match this node’s terms for the finding', async () => {
    const { book } = setup()
    const wrongClass = await book.receive(await peerMessage([keys[1]!], { ...report, classId: 2 }))
    assert.deepEqual(wrongClass, {
      ok: false,
      status: 409,
      error: 'the report does not match this node’s terms for that finding: classId 2 (this node: 0)',
    })
    const wrongClient = await book.receive(await peerMessage([keys[1]!], { ...report, client: VAULT }))
    assert.equal(wrongClient.ok, false)
    const otherService = await book.receive(await peerMessage([keys[1]!], { ...report, serviceId: 2n }))
    assert.ok(!otherService.ok && otherService.status === 404)
  })

  test('a node that measured nothing wrong keeps its disagreement whatever its peers send', async () => {
    const { book, store } = setup()
    book.clear(finding)
    const result = await book.receive(await peerMessage([keys[1]!, keys[2]!, keys[3]!]))
    assert.ok(result.ok)
    assert.equal(store.reports.get(digest)!.own, 'disagree')
    assert.equal(
      store.reports.signatures(digest).some((s) => s.signer === keys[0]!.address.toLowerCase()),
      false,
      'it never adds its own signature',
    )
  })
})

describe('report book against an insider', () => {
  const epochMs = 300_000
  const at = (subject: string) => reportOf({ ...finding, subject })
  const status = (r: Awaited<ReturnType<ReturnType<typeof setup>['book']['receive']>>) =>
    r.ok ? 200 : r.status

  test('refuses a report of an epoch that has not ended (a pre-signed future finding), and odd spellings', async () => {
    const nowMs = 2000 * epochMs + 1000
    const { book, store } = setup(keys[0]!, { timing: { peerSkewMs: 30_000 } }, () => nowMs)
    assert.equal(status(await book.receive(await peerMessage([keys[4]!], at('2000'), '2000'))), 425)
    assert.equal(status(await book.receive(await peerMessage([keys[4]!], at('2005'), '2005'))), 425)
    assert.equal(status(await book.receive(await peerMessage([keys[4]!], at('1999'), '1999'))), 200, 'ended')
    for (const odd of ['01999', '+1999', '1999.0', '1e3', ' 1999'])
      assert.equal(status(await book.receive(await peerMessage([keys[4]!], at(odd), odd))), 404, odd)
    assert.equal(store.reports.all().length, 1, 'only the ended epoch is stored')
  })

  test('caps the undecided reports one signer can make this node hold, before any signature recovery', async () => {
    const { book, store, metrics } = setup(keys[0]!, { limits: { undecidedPerSigner: 2 } })
    const [e1, e2, e3] = [3, 4, 5].map((back) => String(Number(RECENT) - back)) as [string, string, string]
    for (const e of [e1, e2])
      assert.equal(status(await book.receive(await peerMessage([keys[4]!], at(e), e))), 200)
    const third = await book.receive(await peerMessage([keys[4]!], at(e3), e3))
    assert.equal(status(third), 429)
    assert.equal(store.reports.all().length, 2)
    assert.equal(
      metrics.signatureChecks.get({ kind: 'report', result: 'valid' }),
      2,
      'no recovery for the third',
    )
    // another member is not held back by the first one's flood
    assert.equal(status(await book.receive(await peerMessage([keys[1]!], at(e3), e3))), 200)
    const old = String(Number(RECENT) - 100)
    assert.equal(status(await book.receive(await peerMessage([keys[1]!], at(old), old))), 410, 'past the TTL')
  })

  test('a signed report expires on the clock of this node’s own signature, never on a peer’s', async () => {
    let nowMs = Date.now()
    const { book, store, committees } = setup(keys[0]!, {}, () => nowMs)
    // the insider's copy arrives long before the outage
    assert.ok((await book.receive(await peerMessage([keys[4]!]))).ok)
    const expired: string[] = []
    const turns = (ttlMs: number) =>
      takeTurns(store.reports.inState('collecting'), {
        now: () => nowMs,
        ttlMs,
        staggerMs: 0,
        self: keys[0]!.address.toLowerCase() as Address,
        quorumSince: new Map(),
        committees,
        serviceIdOf: () => 1n,
        turnKeyOf: (r) => r.slashId,
        signers: (r) => store.reports.signatures(r.digest).map((x) => x.signer),
        setState: (r, state) => {
          expired.push(state)
          store.reports.setState(r.digest, state, nowMs)
        },
        submit: async () => {},
        signedAt: (r) => store.reports.signedAt(r.digest, keys[0]!.address),
      })
    nowMs += 10_000
    await turns(5_000)
    assert.deepEqual(expired, [], 'a row this node never signed does not expire (retention deletes it)')
    await book.attest(finding)
    nowMs += 4_000
    await turns(5_000)
    assert.equal(store.reports.get(digest)!.state, 'collecting', 'within the TTL of its own signature')
    nowMs += 2_000
    await turns(5_000)
    assert.equal(store.reports.get(digest)!.state, 'expired')
  })

  test('a repeated signer is refused while decoding, more signatures than members before any recovery', async () => {
    const { book, metrics } = setup()
    const one = await peerMessage([keys[1]!])
    const repeated = decodePeerMessage(
      encodePeerMessage({ ...one, signatures: [one.signatures[0]!, one.signatures[0]!] }),
    )
    assert.deepEqual(repeated, { ok: false, error: 'signatures: repeated signer' })
    const many = await peerMessage([...keys, outsider])
    await assert.rejects(book.receive(many), TooManySignaturesError)
    assert.equal(metrics.signatureChecks.get({ kind: 'report', result: 'valid' }), 0, 'no recovery done')
  })

  test('settled reports are deleted after the retention, with their signatures; open ones are kept', async () => {
    const { book, store } = setup()
    await book.attest(finding)
    assert.equal(store.reports.deleteSettled(Date.now() + 1), 0, 'a collecting report is kept')
    store.reports.setState(digest, 'confirmed', 5)
    assert.equal(store.reports.deleteSettled(4), 0, 'not yet past the retention')
    assert.equal(store.reports.deleteSettled(6), 1)
    assert.deepEqual([store.reports.all(), store.reports.signatures(digest)], [[], []])
  })

  test('peer reports this node never signed are deleted after the TTL, with their signatures', async () => {
    const { book, store } = setup()
    assert.ok((await book.receive(await peerMessage([keys[4]!]))).ok)
    assert.equal(store.reports.deleteStalePeerItems(Date.now() + 1), 1)
    assert.deepEqual([store.reports.all(), store.reports.signatures(digest)], [[], []])
  })
})

describe('incident ids', () => {
  test('are the same for every node and never use the order namespace (top bit)', async () => {
    const { incidentIdOf } = await import('./incident.ts')
    const { ORDER_INCIDENT_FLAG } = await import('../../sdk/reports.ts')
    const ids = Array.from({ length: 64 }, (_, epoch) => incidentIdOf('downtime', String(epoch)))
    assert.ok(ids.every((id) => BigInt(id) < ORDER_INCIDENT_FLAG))
    assert.equal(incidentIdOf('downtime', '7'), ids[7])
    assert.notEqual(incidentIdOf('latency', '7'), ids[7], 'each kind of finding is its own incident')
  })
})
