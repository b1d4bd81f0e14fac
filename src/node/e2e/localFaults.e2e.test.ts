/**
 * An attester's own outage never slashes an operator, with node processes: three attesters of a five-member
 * committee (3-of-5) lose their view of the world — the operator's endpoint and the reference endpoint both fail
 * from where they stand, as in a DNS or outbound-network outage — and report nothing; once the reference answers
 * again while the operator is still down, the operator's real downtime is reported (so the test can fail).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { useWorld } from '../../../test/support/world.ts'
import { type ClusterNode, courtEvents, metricsText, startAll, status, waitFor } from '../testing/cluster.ts'
import { clusterPerTest } from './cluster.ts'
import { nodeWorld, serviceSection } from './world.ts'

const { world, fixture } = useWorld(nodeWorld)
const prepare = clusterPerTest(world)

const skippedForReference = async (n: ClusterNode) =>
  Number(/surety_node_probes_total\{result="skipped_reference"\} (\d+)/.exec(await metricsText(n))?.[1] ?? 0)

describe('an attester’s own outage', () => {
  test('operator and reference endpoints failing together are not downtime; the operator alone failing is', async () => {
    const w = world()
    const nw = fixture()
    const { nodes, startBlock, endpoints } = await prepare((endpoints) => {
      const base = serviceSection(nw, endpoints, { a: 'a', b: 'b' })
      return {
        attesters: nw.attesters.slice(0, 3),
        service: () => ({
          ...base,
          probe: { ...(base.probe as object), references: [endpoints.url('reference')] },
        }),
      }
    })
    await endpoints.set('a', 'down')
    await endpoints.set('reference', 'down')
    await startAll(nodes)
    // several epochs (2 s each) of failed probes of A, every one of them with the reference failing too
    await waitFor(
      'every node to have voided at least 40 probes of A',
      async () => (await Promise.all(nodes.map(skippedForReference))).every((n) => n >= 40),
      60_000,
    )
    const during = await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)
    assert.deepEqual(during, [], 'no slash while this node’s own view is down')
    for (const n of nodes) {
      const s = await status(n)
      assert.deepEqual(
        s.reports.filter((r) => r.own === 'signed'),
        [],
        `node ${n.index} signed nothing`,
      )
    }

    // the reference answers again: A alone is down, and that is the operator's downtime
    await endpoints.set('reference', 'up')
    const slash = await waitFor(
      'the slash of A once the nodes can see again',
      async () => (await courtEvents(w.public, w.addresses.court, 'SlashRequested', startBlock)).at(0),
      60_000,
    )
    assert.equal(slash.args.vault!.toLowerCase(), nw.vaultA.toLowerCase())
  })
})
