/**
 * Nodes killed with SIGKILL at the worst moments and restarted: mid-aggregation (a signature stored but not yet
 * sent to anyone) and mid-submission (a transaction broadcast but its outcome not recorded). No report is lost,
 * none is submitted twice. Three nodes of the five-member committee run, so the quorum (3) needs every one of them.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Hex } from 'viem'
import { useWorld } from '../../../test/support/world.ts'
import { openStore } from '../store/store.ts'
import {
  type ClusterNode,
  courtCalls,
  courtEvents,
  signerIndexes,
  startAll,
  startProcess,
  status,
  waitFor,
} from '../testing/cluster.ts'
import { clusterPerTest } from './cluster.ts'
import { nodeWorld, serviceSection } from './world.ts'

const { world, fixture } = useWorld(nodeWorld)
const prepare = clusterPerTest(world)

async function threeNodes() {
  const w = world()
  const nw = fixture()
  const { nodes, startBlock, endpoints } = await prepare((endpoints) => ({
    attesters: nw.attesters.slice(0, 3),
    service: () => serviceSection(nw, endpoints, { a: 'a', b: 'b' }),
  }))
  return { w, nw, nodes, startBlock, endpoints }
}

const dead = (n: ClusterNode) => n.proc!.child.signalCode === 'SIGKILL'

describe('a node killed and restarted', () => {
  test('mid-aggregation: the signature it stored but never sent still completes the quorum, submitted once', async () => {
    const { w, nodes, startBlock, endpoints } = await threeNodes()
    // node 0 dies right after storing its second signature (the first whole epoch of the outage), before it
    // has pushed it to anyone
    await startAll(
      nodes,
      (n): Record<string, string> => (n.index === 0 ? { SURETY_NODE_FAILPOINTS: 'report.signed@2' } : {}),
    )
    await endpoints.set('a', 'down')
    await waitFor('node 0 to be killed mid-aggregation', () => dead(nodes[0]!), 30_000)
    await endpoints.set('a', 'up')

    // what node 0 had stored when it died
    const store = openStore(join(nodes[0]!.dir, 'node-0.db'))
    const own = store.reports.all().filter((r) => r.own === 'signed')
    const pending = own.at(-1)!
    const signers = store.reports.signatures(pending.digest).map((s) => s.signer)
    store.close()
    const node0 = nodes[0]!.account.address.toLowerCase() as Hex
    assert.equal(own.length, 2)
    assert.ok(signers.includes(node0), 'its signature was stored before it died')
    // The others sign the same epoch once they have judged it, which under load can be seconds after node 0 (the
    // fastest) died: wait for it rather than read their views at once (CI once read node 1's before it had judged).
    // Waiting cannot let them reach a quorum: it needs node 0's signature, which never left node 0.
    const others = await waitFor(
      'the others to sign the same epoch',
      async () => {
        const views = await Promise.all(
          nodes
            .slice(1)
            .map(async (n) => (await status(n)).reports.find((r) => r.slashId === pending.slashId)),
        )
        return views.every((v) => v !== undefined) ? views : undefined
      },
      30_000,
      { nodes: nodes.slice(1) },
    )
    for (const view of others) {
      assert.ok(view)
      assert.ok(!view.signers.includes(node0), 'but never received node 0’s signature: no quorum without it')
      assert.ok(view.signers.length <= 2)
    }
    const onChainBefore = (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).map(
      (e) => e.args.slashId,
    )
    assert.ok(!onChainBefore.includes(pending.slashId))

    await startProcess(nodes[0]!)
    const slash = await waitFor(
      'the report node 0 held to land on chain',
      async () =>
        (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).find(
          (e) => e.args.slashId === pending.slashId,
        ),
      40_000,
    )
    assert.ok(
      signerIndexes(slash.args.details!.signers).includes(0),
      'with node 0’s signature from before the crash',
    )
    await waitFor(
      'node 0 to see it confirmed',
      async () =>
        (await status(nodes[0]!)).reports.find((r) => r.slashId === pending.slashId)?.state === 'confirmed',
      20_000,
    )
    // calls and events counted up to the same block: a slash mined between two reads would skew the count
    const upTo = await w.public.getBlockNumber({ cacheTime: 0 })
    const requests = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock, upTo)
    const requested = await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock, upTo)
    assert.equal(requests.total, requested.length, 'one transaction per slash')
    assert.equal(requests.reverted, 0)
  })

  test('mid-submission: a transaction broadcast just before the kill is recognised after restart, never resent', async () => {
    const { w, nodes, startBlock, endpoints } = await threeNodes()
    // whoever submits dies the instant its transaction is out
    await startAll(nodes, () => ({ SURETY_NODE_FAILPOINTS: 'tx.sent.report' }))
    await endpoints.set('a', 'down')
    const victim = await waitFor('a submitter to be killed', () => nodes.find(dead), 40_000)
    await endpoints.set('a', 'up')
    const first = await waitFor(
      'its transaction to be mined anyway',
      async () => (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).at(0),
      20_000,
    )
    // give the survivors time to act (they must not resubmit), then bring every dead node back without the fault
    await new Promise((r) => setTimeout(r, 5_000))
    for (const n of nodes.filter(dead)) await startProcess(n)
    const restarted = await waitFor(
      'the restarted submitter to settle its journal',
      async () => {
        const r = (await status(victim)).reports.find((x) => x.slashId === first.args.slashId)
        return r && r.state === 'confirmed' && r
      },
      30_000,
    )
    assert.equal(
      restarted.tx,
      first.transactionHash as Hex,
      'it recorded the transaction it had sent before dying',
    )
    assert.equal((await status(victim)).transactions.report >= 1, true)
    await new Promise((r) => setTimeout(r, 3_000))
    // calls and events counted up to the same block: a slash mined between two reads would skew the count
    const upTo = await w.public.getBlockNumber({ cacheTime: 0 })
    const requests = await courtCalls(w.public, w.addresses.court, 'requestSlash', startBlock, upTo)
    const requested = await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock, upTo)
    assert.equal(requests.total, requested.length, 'no second transaction for any slash')
    assert.equal(requests.reverted, 0)
  })
})
