import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { Address, Hex } from 'viem'
import { openStore } from './store.ts'

const h = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
const VAULT = '0x00000000000000000000000000000000000000aa' as Address

describe('node store', () => {
  test('is in WAL mode and keeps everything across a reopen', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'surety-store-')), 'node.db')
    const a = openStore(path)
    assert.equal(a.db.pragma('journal_mode', { simple: true }), 'wal')
    a.chain.commitRange({
      events: [],
      blocks: [{ number: 5n, hash: h(5) }],
      cursor: { number: 5n, hash: h(5) },
    })
    a.reports.create({
      digest: h(1),
      slashId: h(2),
      report: { serviceId: 1n, vault: VAULT, classId: 0, incidentId: h(3), client: VAULT },
      kind: 'downtime',
      subject: '42',
      own: 'signed',
      now: 1,
    })
    a.reports.addSignature(h(1), { signer: VAULT, signature: `0x${'ab'.repeat(65)}` }, 1)
    const txId = a.txs.insert({
      task: 'report:x',
      purpose: 'report',
      nonce: 3,
      hash: h(9),
      raw: '0x01',
      now: 1,
    })
    a.close()
    const b = openStore(path)
    assert.deepEqual(b.chain.cursor(), { number: 5n, hash: h(5) })
    assert.equal(b.reports.get(h(1))!.report.serviceId, 1n)
    assert.equal(b.reports.signatures(h(1)).length, 1)
    assert.equal(b.txs.open()[0]!.id, txId)
    assert.equal(b.reports.addSignature(h(1), { signer: VAULT, signature: `0x${'ab'.repeat(65)}` }, 2), false)
    b.close()
  })

  test('a rollback deletes the events above the fork point and moves the cursor back', () => {
    const s = openStore(':memory:')
    const event = (block: bigint, name: string, slash: number) => ({
      blockNumber: block,
      logIndex: 0,
      blockHash: h(Number(block)),
      txHash: h(100),
      name,
      slashId: h(slash),
      args: { disputeEnd: 5n },
    })
    s.chain.commitRange({
      events: [event(3n, 'SlashRequested', 1), event(7n, 'SlashRequested', 2)],
      blocks: [
        { number: 3n, hash: h(3) },
        { number: 7n, hash: h(7) },
      ],
      cursor: { number: 8n, hash: h(8) },
    })
    assert.equal(s.chain.openSlashEvents().length, 2)
    assert.equal(s.chain.openSlashEvents()[0]!.args.disputeEnd, 5n, 'bigints survive the JSON column')
    const removed = s.chain.rollbackTo({ number: 5n, hash: h(5) })
    assert.deepEqual(
      removed.map((e) => e.slashId),
      [h(2)],
    )
    assert.deepEqual(s.chain.cursor(), { number: 5n, hash: h(5) })
    assert.deepEqual(
      s.chain.blocksAtOrBelow(100n, 10).map((b) => b.number),
      [5n, 3n],
    )
    s.chain.commitRange({
      events: [event(6n, 'SlashExecuted', 1)],
      blocks: [],
      cursor: { number: 6n, hash: h(6) },
    })
    assert.equal(s.chain.openSlashEvents().length, 0, 'an executed slash is no longer open')
  })

  test('a transaction either lands whole or not at all', () => {
    const s = openStore(':memory:')
    assert.throws(() =>
      s.transaction(() => {
        s.measure.putVerdict({ subject: 'x', kind: 'epoch', verdict: 'ok', detail: {}, judgedAt: 1 })
        throw new Error('killed halfway')
      }),
    )
    assert.equal(s.measure.verdict('x'), undefined)
    assert.equal(
      s.measure.putVerdict({ subject: 'x', kind: 'epoch', verdict: 'ok', detail: {}, judgedAt: 1 }),
      true,
    )
    assert.equal(
      s.measure.putVerdict({ subject: 'x', kind: 'epoch', verdict: 'violation', detail: {}, judgedAt: 2 }),
      false,
      'a verdict is final',
    )
  })
})
