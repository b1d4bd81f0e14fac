/**
 * The live stream against a real chain and a live indexer, on SQLite and PostgreSQL: events and heads in chain
 * order, resuming from a cursor without repeats, and explicit retractions when anvil_reorg removes a block whose
 * events were already sent — both to a client that is connected and to one that comes back with a cursor on the
 * orphaned branch.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { parseEther, zeroAddress } from 'viem'
import {
  incident,
  reportSlash,
  type ServiceFixture,
  setupService,
  setupVault,
} from '../../test/support/fixtures.ts'
import { createWorld, type World } from '../../test/support/world.ts'
import { openSse, type SseMessage } from './stream/sseClient.ts'
import { type IndexedWorld, indexWorld } from './testing/indexedWorld.ts'

const FINALITY = 6

let w: World
let svc: ServiceFixture
let vault: `0x${string}`
type Served = IndexedWorld & { url: string }
const served = new Map<'sqlite' | 'postgres', Served>()

const reorg = (depth: number) =>
  w.test.request({ method: 'anvil_reorg', params: [depth, []] } as never) as Promise<unknown>
const catchUpAll = async () => {
  for (const s of served.values()) await s.indexer.catchUp()
}
const report = (label: string) =>
  reportSlash(w, svc.attesters.slice(0, 3), {
    serviceId: svc.serviceId,
    vault,
    classId: 0,
    incidentId: incident(label),
    client: zeroAddress,
  })

before(async () => {
  w = await createWorld()
  svc = await setupService(w)
  ;({ vault } = await setupVault(w, w.accounts[4]!, {
    bond: parseEther('10000'),
    delegations: [{ staker: w.accounts[16]!, assets: parseEther('20000') }],
    allocations: [{ serviceId: svc.serviceId, amount: parseEther('20000') }],
  }))
  for (const name of ['sqlite', 'postgres'] as const) {
    const s = await indexWorld(w, {
      store: name,
      finalityDepth: FINALITY,
      listen: true,
      server: { streamPollMs: 25 },
    })
    served.set(name, { ...s, url: s.url! })
  }
})

after(async () => {
  for (const s of served.values()) await s.close()
  await w?.anvil.stop()
})

const isEvent = (name: string) => (m: SseMessage) => m.event === 'event' && m.data.name === name
const headAt = (n: bigint) => (m: SseMessage) => m.event === 'head' && m.data.number >= Number(n)

describe('the live stream', () => {
  it('replays from a block, follows new events, retracts what a reorg removed, and resumes from a cursor', async () => {
    const head0 = await w.public.getBlockNumber({ cacheTime: 0 })
    const clients = new Map([...served].map(([name, s]) => [name, openSse(`${s.url}/v1/stream?from=0`)]))
    try {
      for (const [name, c] of clients) {
        await c.waitFor(headAt(head0))
        const events = c.messages.filter((m) => m.event === 'event')
        const indexed = await served.get(name)!.app.inject('/v1/events?limit=500&order=asc')
        assert.deepEqual(
          events.map((m) => m.id),
          indexed.json().data.map((e: { id: string }) => e.id),
          `${name}: the replay is every indexed event, in chain order`,
        )
        assert.ok(events.some((m) => m.data.name === 'VaultCreated'))
      }

      // a new event reaches every client, with its block and what it changed
      const tx = await report('stream-orphan')
      await w.test.mine({ blocks: 1 })
      await catchUpAll()
      const sent = new Map<string, SseMessage>()
      for (const [name, c] of clients) {
        const m = await c.waitFor(isEvent('SlashRequested'))
        assert.equal(m.data.block.number, Number(tx.blockNumber), name)
        assert.equal(m.data.block.final, false)
        assert.equal(m.data.args.slashId, tx.result.slashId)
        assert.ok(m.data.affects.includes(`/v1/slashes/${tx.result.slashId}`))
        assert.ok(m.data.affects.includes(`/v1/vaults/${vault.toLowerCase()}`))
        sent.set(name, m)
        const head = await c.waitFor(headAt(tx.blockNumber + 1n))
        assert.ok(head.data.changed.includes(`/v1/slashes/${tx.result.slashId}`))
      }

      // the slash's block is replaced by an empty one: every client is told to forget it
      const top = await w.public.getBlockNumber({ cacheTime: 0 })
      const marks = new Map([...clients].map(([n, c]) => [n, c.messages.length]))
      await reorg(Number(top - tx.blockNumber) + 1)
      await w.test.mine({ blocks: 2 })
      await catchUpAll()
      for (const [name, c] of clients) {
        const retract = await c.waitFor((m) => m.event === 'retract', marks.get(name))
        assert.ok(
          retract.data.events.includes(sent.get(name)!.id),
          `${name}: the orphaned event is retracted`,
        )
        assert.ok(retract.data.fromBlock <= Number(tx.blockNumber))
        const after = c.messages.slice(c.messages.indexOf(retract))
        assert.ok(!after.some(isEvent('SlashRequested')), `${name}: and not sent again`)
        const events = await served.get(name)!.app.inject('/v1/events?name=SlashRequested')
        assert.deepEqual(events.json().data, [], `${name}: the index no longer has it either`)
      }

      // a client that saw the orphaned event comes back with it as Last-Event-ID: retracted first, then the branch
      for (const [name, s] of served) {
        const orphanId = sent.get(name)!.id!
        const back = openSse(`${s.url}/v1/stream`, { 'last-event-id': orphanId })
        try {
          const retract = await back.waitFor((m) => m.event === 'retract')
          assert.equal(back.messages[0], retract, `${name}: the retraction comes before anything else`)
          assert.equal(retract.data.events, null)
          assert.equal(retract.data.fromBlock, Number(tx.blockNumber) - FINALITY + 1)
          assert.equal(retract.data.toBlock, Number(tx.blockNumber))
          const head = await back.waitFor((m) => m.event === 'head')
          const indexed = (await s.app.inject('/v1/network')).json().block
          assert.equal(head.data.hash, indexed.hash, `${name}: then the head of the new branch`)
          assert.ok(!back.messages.some(isEvent('SlashRequested')))
        } finally {
          await back.close()
        }
      }

      // a client resuming from a canonical cursor gets what came after it, and nothing twice
      const tx2 = await report('stream-kept')
      await w.test.mine({ blocks: 1 })
      await catchUpAll()
      for (const [name, s] of served) {
        const first = clients.get(name)!
        const kept = await first.waitFor(
          (m) => isEvent('SlashRequested')(m) && m.data.args.slashId === tx2.result.slashId,
        )
        assert.equal(kept.data.block.number, Number(tx2.blockNumber))
        // the newest indexed event before the kept slash (the stream's own history also holds the retracted one)
        const prior = (await s.app.inject(`/v1/events?limit=1&toBlock=${tx2.blockNumber - 1n}`)).json()
          .data[0]
        const resumed = openSse(`${s.url}/v1/stream?from=${encodeURIComponent(prior.id!)}`)
        try {
          const again = await resumed.waitFor(isEvent('SlashRequested'))
          assert.equal(again.id, kept.id, `${name}: the first slash after the cursor is the kept one`)
          const events = resumed.messages.filter((m) => m.event === 'event')
          assert.ok(
            events.every((m) => m.data.block.number > prior.block.number || m.data.logIndex > prior.logIndex),
          )
          assert.ok(!resumed.messages.some((m) => m.event === 'retract'), `${name}: nothing to retract`)
        } finally {
          await resumed.close()
        }
      }
    } finally {
      for (const c of clients.values()) await c.close()
    }
  })
})
