/**
 * The signature exchange (exchange.ts) between fake peers, through a fake fetch and clock: a refusal is not taken
 * for "the peer holds our signatures", so a statement refused while a peer could not take it yet is offered again;
 * a peer that never takes it is asked rarely.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import type { StoredSignature } from '../store/reportRepo.ts'
import { createExchange, type ExchangeChannel, REFUSED_BASE_MS, REFUSED_MAX_MS } from './exchange.ts'

const DIGEST = `0x${'ab'.repeat(32)}` as Hex
const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

/**
 * An attester as its peers see it: it takes (and answers with) signatures only once it has judged the statement,
 * refusing with 425 before; `refuseNext` transient refusals (a committee read or an order view lagging: 403)
 * come first.
 */
type FakeNode = { name: string; url: string; judged: boolean; sigs: Set<string>; refuseNext: number }

const node = (name: string): FakeNode => ({
  name,
  url: `http://${name}.test`,
  judged: false,
  sigs: new Set(),
  refuseNext: 0,
})

const asSignatures = (signers: Iterable<string>): StoredSignature[] =>
  [...signers].map((signer) => ({ signer, signature: '0x' }) as unknown as StoredSignature)

/** Routes every request to the fake node at its URL; counts requests per node. */
function fakeNetwork(nodes: FakeNode[]) {
  const requests = new Map<string, number>()
  globalThis.fetch = (async (input: string | URL, init?: RequestInit) => {
    const target = nodes.find((n) => String(input).startsWith(n.url))!
    requests.set(target.name, (requests.get(target.name) ?? 0) + 1)
    const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status })
    if (target.refuseNext > 0) {
      target.refuseNext--
      return reply(403, { error: 'not on the committee of this service' })
    }
    if (!target.judged) return reply(425, { error: 'not judged by this node yet' })
    for (const s of (JSON.parse(String(init?.body)) as { signers: string[] }).signers) target.sigs.add(s)
    return reply(200, { signers: [...target.sigs] })
  }) as typeof fetch
  return requests
}

/** The exchange of node `self`, its channel backed by the fake node's judgement and signatures. */
function exchangeOf(self: FakeNode, peers: FakeNode[], clock: { now: number }) {
  const channel: ExchangeChannel = {
    path: '/v1/outcomes',
    open: () => (self.judged ? [DIGEST] : []),
    signatures: () => asSignatures(self.sigs),
    body: () => ({ signers: [...self.sigs] }),
    receive: async (reply) => {
      const { signers } = reply as { signers: string[] }
      for (const s of signers) self.sigs.add(s)
      return signers
    },
  }
  return createExchange({
    peers: peers.map((p) => ({ url: p.url, address: privateKeyToAccount(keyOf(p.name)).address })),
    channels: [channel],
    account: privateKeyToAccount(keyOf(self.name)),
    metrics: createNodeMetrics(),
    log: silentLogger,
    timeoutMs: 1_000,
    now: () => clock.now,
    random: () => 1,
  })
}

const keyOf = (name: string) => `0x${name.charCodeAt(0).toString(16).padStart(2, '0').repeat(32)}` as Hex

const judge = (n: FakeNode) => {
  n.judged = true
  n.sigs.add(n.name)
}

describe('signature exchange', () => {
  test('three attesters judging in turn, the last one’s pushes refused once: every one still gathers all three', async () => {
    const [a, b, c] = [node('a'), node('b'), node('c')]
    fakeNetwork([a, b, c])
    const clock = { now: 0 }
    const ex = {
      a: exchangeOf(a, [b, c], clock),
      b: exchangeOf(b, [a, c], clock),
      c: exchangeOf(c, [a, b], clock),
    }
    judge(a)
    await ex.a.tick() // b and c have not judged: 425
    judge(b)
    await ex.b.tick() // a takes b's and answers with its own; c: 425
    await ex.a.tick() // a offers {a, b} to c: 425
    await ex.b.tick() // so does b
    judge(c)
    // c's pushes meet a transient refusal at a and b (a committee read or an order view lagging under load)
    a.refuseNext = 1
    b.refuseNext = 1
    await ex.c.tick()
    // a and b were refused by c while it had not judged; c was refused by both: no one holds all three yet
    assert.deepEqual([a.sigs.size, b.sigs.size, c.sigs.size], [2, 2, 1])
    for (let t = 300; t <= 10 * 60_000; t += 300) {
      clock.now = t
      await Promise.all([ex.a.tick(), ex.b.tick(), ex.c.tick()])
    }
    for (const n of [a, b, c])
      assert.deepEqual([...n.sigs].sort(), ['a', 'b', 'c'], `${n.name} holds a quorum`)
  })

  test('a peer refused is asked again at once when our signatures change', async () => {
    const [self, peer] = [node('s'), node('p')]
    const requests = fakeNetwork([self, peer])
    const clock = { now: 0 }
    const ex = exchangeOf(self, [peer], clock)
    judge(self)
    await ex.tick()
    await ex.tick()
    assert.equal(requests.get('p'), 1, 'refused: not asked again within the backoff')
    self.sigs.add('q')
    await ex.tick()
    assert.equal(requests.get('p'), 2, 'ours changed: asked again')
  })

  test('what a peer holds of a statement no longer open is forgotten (it grew with every statement): reopened, it is pushed once more', async () => {
    const [self, peer] = [node('s'), node('p')]
    const requests = fakeNetwork([self, peer])
    const clock = { now: 0 }
    const ex = exchangeOf(self, [peer], clock)
    judge(self)
    judge(peer)
    await ex.tick()
    await ex.tick()
    assert.equal(requests.get('p'), 1, 'the peer holds ours: asked once')
    self.judged = false // landed: no longer open
    await ex.tick()
    self.judged = true // open again (a reorg took the landing away)
    await ex.tick()
    await ex.tick()
    assert.equal(requests.get('p'), 2, 'pushed once more, then known again')
  })

  test('a peer that never takes a statement is asked at most once per backoff, which grows to a minute', async () => {
    const [self, peer] = [node('s'), node('p')]
    const requests = fakeNetwork([self, peer])
    const clock = { now: 0 }
    const ex = exchangeOf(self, [peer], clock)
    judge(self)
    const minutes = 30
    for (let t = 0; t <= minutes * 60_000; t += 100) {
      clock.now = t
      await ex.tick()
    }
    // 1 s, 2 s, 4 s … doubling to REFUSED_MAX_MS, then one request per REFUSED_MAX_MS
    let expected = 0
    for (let t = 0, n = 1; t <= minutes * 60_000; n++) {
      expected++
      t += Math.min(REFUSED_MAX_MS, REFUSED_BASE_MS * 2 ** (n - 1))
    }
    const asked = requests.get('p')!
    assert.ok(asked > 1, 'asked again')
    assert.ok(asked <= expected + 1, `asked ${asked} times in ${minutes} minutes (bound ${expected + 1})`)
  })
})
