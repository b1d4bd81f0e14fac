/**
 * Five attester nodes as separate processes on a real chain: an operator endpoint goes down, a 3-of-5 report is
 * signed, exchanged, submitted once, and the slash is executed once by the keepers after the dispute window;
 * attesters who lie cannot reach a quorum, and an honest quorum wins over two dissenters.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { useWorld } from '../../../test/support/world.ts'
import {
  courtCalls,
  courtEvents,
  metricsText,
  signerIndexes,
  startAll,
  status,
  waitFor,
} from '../testing/cluster.ts'
import { clusterPerTest } from './cluster.ts'
import { type NodeWorld, nodeWorld, serviceSection } from './world.ts'

const { world, fixture } = useWorld(nodeWorld)
const prepare = clusterPerTest(world)

/** Starts five nodes; `view(i)` is the endpoint path node i probes for vaults A and B. */
async function cluster(nw: NodeWorld, view: (i: number) => { a: string; b: string }) {
  const { nodes, startBlock, endpoints } = await prepare((endpoints) => ({
    attesters: nw.attesters,
    service: (i) => serviceSection(nw, endpoints, view(i)),
  }))
  await endpoints.set('dead', 'down')
  await startAll(nodes)
  return { nodes, startBlock, endpoints }
}

const requestedFor = async (vault: string, fromBlock: bigint) =>
  (await courtEvents(world().public, world().addresses.court, 'SlashRequested', fromBlock)).filter(
    (e) => e.args.vault!.toLowerCase() === vault.toLowerCase(),
  )

describe('five attester nodes', () => {
  test('an endpoint down: a 3-of-5 report is submitted once and executed once after the window; a lone liar gets nowhere', async () => {
    const w = world()
    const nw = fixture()
    // node 4 lies about vault B: it probes a path that is always down, while B is up for everyone else
    const { nodes, startBlock, endpoints } = await cluster(nw, (i) => ({ a: 'a', b: i === 4 ? 'dead' : 'b' }))
    await endpoints.set('a', 'down')
    const first = await waitFor(
      'a slash of vault A on chain',
      async () => (await requestedFor(nw.vaultA, startBlock)).at(0),
      45_000,
    )
    await endpoints.set('a', 'up')
    // let every report of the outage settle, and the liar keep signing B for a few more epochs
    await waitFor(
      'every node to see its A reports on chain or short of quorum',
      async () => {
        const all = await Promise.all(nodes.map(status))
        return all.every((s) =>
          s.reports.filter((r) => r.vault === nw.vaultA.toLowerCase()).every((r) => r.state !== 'submitting'),
        )
      },
      20_000,
    )
    await new Promise((r) => setTimeout(r, 6_000))

    const slashes = await requestedFor(nw.vaultA, startBlock)
    // calls and events counted up to the same block: a slash mined between two reads would skew the count
    const upTo = await w.public.getBlockNumber({ cacheTime: 0 })
    const requests = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock, upTo)
    assert.equal(requests.reverted, 0, 'no node sent a report someone else had already submitted')
    assert.equal(
      requests.total,
      (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock, upTo)).length,
    )
    assert.equal(new Set(slashes.map((s) => s.args.slashId)).size, slashes.length)
    const d = first!.args.details!
    assert.equal(d.classId, 0)
    assert.equal(d.client.toLowerCase(), nw.client.address.toLowerCase())
    assert.ok(signerIndexes(d.signers).length >= 3, 'at least three of the five signed')

    assert.deepEqual(await requestedFor(nw.vaultB, startBlock), [], 'the liar alone reaches no quorum')
    const liar = await status(nodes[4]!)
    const lies = liar.reports.filter((r) => r.vault === nw.vaultB.toLowerCase())
    assert.ok(lies.length >= 2, 'the liar kept reporting B')
    for (const r of lies) {
      assert.deepEqual(r.signers, [nodes[4]!.account.address.toLowerCase()])
      assert.equal(r.state, 'collecting')
    }
    // honest nodes hold the liar's signature but never add theirs: they measured B up ('disagree'), or had too
    // few samples of that epoch to judge it ('unknown', e.g. the epoch they started in)
    const honestViews = (await Promise.all(nodes.slice(0, 4).map(status))).flatMap((h) =>
      h.reports.filter((x) => x.vault === nw.vaultB.toLowerCase()),
    )
    for (const r of honestViews) {
      assert.notEqual(r.own, 'signed')
      assert.deepEqual(r.signers, [nodes[4]!.account.address.toLowerCase()])
    }
    assert.ok(honestViews.filter((r) => r.own === 'disagree').length >= 4, 'they recorded their disagreement')

    // nothing executes inside the dispute window
    assert.deepEqual(await courtEvents(w.public, w.addresses.court, 'SlashExecuted', startBlock), [])
    const clientBefore = await w.balanceOf(nw.client.address)
    await w.test.increaseTime({ seconds: 61 })
    const executed = await waitFor(
      'the keepers to execute every slash of vault A',
      async () => {
        const ev = await courtEvents(w.public, w.addresses.court, 'SlashExecuted', startBlock)
        return ev.length === slashes.length && ev
      },
      40_000,
    )
    await new Promise((r) => setTimeout(r, 4_000))
    const executions = await courtCalls(w.public, w.addresses.court, 'executeSlash', startBlock)
    assert.equal(executions.total, slashes.length, 'five keepers, one execution per slash')
    assert.equal(executions.reverted, 0)
    const toClient = executed.reduce((sum, e) => sum + e.args.toClient!, 0n)
    assert.ok(toClient > 0n)
    assert.equal((await w.balanceOf(nw.client.address)) - clientBefore, toClient, 'the client is compensated')

    const metrics = await metricsText(nodes[0]!)
    assert.match(metrics, /# TYPE surety_node_probes_total counter/)
    assert.match(metrics, /surety_node_signature_checks_total\{kind="report",result="valid"\} [1-9]/)
    assert.match(metrics, /surety_node_last_processed_block \d+/)
  })

  test('two attesters disagreeing with three: the honest quorum wins, the two cannot slash', async () => {
    const w = world()
    const nw = fixture()
    // nodes 3 and 4 lie both ways: A looks up to them (it is down), B looks down (it is up)
    const { nodes, startBlock, endpoints } = await cluster(nw, (i) =>
      i >= 3 ? { a: 'always-up', b: 'dead' } : { a: 'a', b: 'b' },
    )
    await endpoints.set('a', 'down')
    const slash = await waitFor(
      'the honest quorum’s slash of A',
      async () => (await requestedFor(nw.vaultA, startBlock)).at(0),
      45_000,
    )
    await endpoints.set('a', 'up')
    await new Promise((r) => setTimeout(r, 6_000))
    const honestIndexes = [0, 1, 2]
    assert.deepEqual(
      signerIndexes(slash!.args.details!.signers),
      honestIndexes,
      'signed by the three honest nodes only',
    )
    assert.deepEqual(await requestedFor(nw.vaultB, startBlock), [], 'two liars are below quorum')
    const requests = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock)
    assert.equal(requests.reverted, 0)
    // the liar records its stance once it has judged A's epoch itself, which a loaded machine may delay past
    // the honest quorum's slash: waited for, then asserted (a dissenter must never have signed)
    const onA = await waitFor(
      'the liar’s own stance on the slash of A',
      async () => {
        const report = (await status(nodes[3]!)).reports.find((r) => r.slashId === slash!.args.slashId)
        return report && report.own !== 'unknown' ? report : undefined
      },
      30_000,
      { focus: { slashId: slash!.args.slashId } },
    )
    assert.equal(onA.own, 'disagree', 'a dissenter records that it disagrees')
    const liar = await status(nodes[3]!)
    for (const r of liar.reports.filter((x) => x.vault === nw.vaultB.toLowerCase())) {
      assert.ok(r.signers.length <= 2)
      assert.equal(r.state, 'collecting')
    }
  })
})
