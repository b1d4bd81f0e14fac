/**
 * Review 3: attacks on the transaction journal's fee replacement, on a real anvil chain with automine off.
 *
 * F3 (review 3, fixed): a nonce gap froze the node's queue. When the chain showed a task's work done by someone
 * else (another attester's report landed first), `finish` marked the node's own still-pending transaction
 * `abandoned` though it still held nonce N in the pool; the next task was signed at N + 1, and once the pool lost
 * the abandoned transaction nothing ever filled nonce N. Now `finish` releases the entry (open until the chain has
 * used its nonce), the gap check before and while sending replaces a lost released entry with a 0-value cancel at
 * the same nonce, and the next report lands. The second test kills a node right after the cancel is journaled.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseTransaction } from 'viem'
import type { World } from '../../../test/support/world.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { openStore, type Store } from '../store/store.ts'
import { privateKeyOf } from '../testing/cluster.ts'
import {
  mineUntil,
  POLICY,
  senderOn,
  slashesRequested,
  until,
  useJournalWorld,
} from '../testing/journalWorld.ts'
import type { SendReportInput } from '../testing/sendReportProcess.ts'

const { world, signedReport } = useJournalWorld()

/**
 * With automine off: this node sends report A (nonce N) but another attester's copy lands first; the node sees the
 * work done and finishes the task, its entry released and still pooled. Returns the entry.
 */
async function releasedWhilePooled(w: World, store: Store, a: Awaited<ReturnType<typeof signedReport>>) {
  const [self, other] = [a.attesters[0]!, a.attesters[1]!]
  const sender = senderOn(w, self, store, POLICY, 4_000).sender
  const sendA = sender.send(a.request).then(
    (o) => o,
    (e: Error) => e,
  )
  const entryA = await until('report A broadcast', () =>
    store.txs.ofTask(a.input.task).find((t) => t.state === 'sent'),
  )
  await w.test.dropTransaction({ hash: entryA.hash })
  await w.clientFor(other).wallet.writeContract({
    address: w.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'requestSlash',
    args: [a.report, a.signatures],
    account: other,
    chain: null,
  })
  await w.test.mine({ blocks: 1 })
  await until('report A back in the pool', () =>
    w.public.getTransaction({ hash: entryA.hash }).then(
      () => true,
      () => undefined,
    ),
  )
  assert.match(String(await sendA), /not mined yet/)
  assert.equal((await sender.finish(a.input.task))?.status, 'released')
  return entryA
}

describe('review 3: the transaction journal under attack', () => {
  test('a released transaction the pool loses is replaced by a cancel: no nonce gap, the next report lands', async () => {
    const w = world()
    const a = await signedReport(w, 'gap-a')
    const b = await signedReport(w, 'gap-b')
    const self = a.attesters[0]!
    const other = a.attesters[1]!
    const store = openStore(':memory:')
    const sender = senderOn(w, self, store, POLICY, 4_000).sender
    const nonce = await w.public.getTransactionCount({ address: self.address })
    await w.test.setAutomine(false)
    try {
      // this node submits report A (nonce N)
      const sendA = sender.send(a.request).then(
        (o) => o,
        (e: Error) => e,
      )
      const entryA = await until('report A broadcast', () =>
        store.txs.ofTask(a.input.task).find((t) => t.state === 'sent'),
      )
      // the block that lands the same report from another attester does not carry A (our RPC's pool lost it)
      await w.test.dropTransaction({ hash: entryA.hash })
      await w.clientFor(other).wallet.writeContract({
        address: w.addresses.court,
        abi: slashingCourtAbi,
        functionName: 'requestSlash',
        args: [a.report, a.signatures],
        account: other,
        chain: null,
      })
      await w.test.mine({ blocks: 1 })
      assert.equal(await slashesRequested(w), 1, 'the other attester’s report landed')
      // the sender sees A gone from the pool and broadcasts the same bytes again; no block comes in time
      await until('report A back in the pool', () =>
        w.public.getTransaction({ hash: entryA.hash }).then(
          () => true,
          () => undefined,
        ),
      )
      assert.match(String(await sendA), /not mined yet/, 'this node’s copy is still pending')
      // the submitter sees the work done on chain and finishes the task: the entry is released, not abandoned —
      // it still holds nonce N in the pool
      const finished = await sender.finish(a.input.task)
      assert.equal(finished?.status, 'released')
      assert.equal(sender.openTx(a.input.task)?.hash, entryA.hash, 'still open in the journal')

      // the next report goes out while A still holds nonce N in the pool
      const sendB = sender.send(b.request).then(
        (o) => o,
        (e: Error) => ({ status: `threw: ${e.message}` }),
      )
      const entryB = await until('report B broadcast', () =>
        store.txs.ofTask(b.input.task).find((t) => t.state === 'sent'),
      )
      assert.equal(entryA.nonce, nonce)
      assert.equal(entryB.nonce, nonce + 1, 'B is signed behind the released A')
      // the pool loses A before the next block (an RPC restart, an eviction): nobody broadcasts it again
      await w.test.dropTransaction({ hash: entryA.hash })

      // B's wait sees nonce N unused and no longer pooled: A is replaced by a cancel, and B lands behind it
      const outcomeB = await mineUntil(w, sendB)
      const used = await w.public.getTransactionCount({ address: self.address })
      assert.equal(
        outcomeB.status,
        'mined',
        `report B must land (the chain is at nonce ${used - nonce} past N)`,
      )
      assert.equal(used, nonce + 2, 'nonces N and N + 1 used')
      const rowsA = store.txs.ofTask(a.input.task)
      assert.deepEqual(
        rowsA.map((t) => [t.purpose, t.state]),
        [
          ['report', 'abandoned'],
          ['cancel', 'mined'],
        ],
        'A was replaced by a cancel at its nonce, which was mined',
      )
      assert.equal(rowsA[1]!.nonce, nonce)
      const cancelTx = await w.public.getTransaction({ hash: rowsA[1]!.hash })
      assert.deepEqual(
        [cancelTx.to, cancelTx.value],
        [self.address.toLowerCase(), 0n],
        'a 0-value self-transfer',
      )
      assert.ok(
        cancelTx.maxFeePerGas! * 1_000n >= parseTransaction(entryA.raw).maxFeePerGas! * 1_125n,
        'fee-bumped like a replacement',
      )
      assert.equal(await slashesRequested(w), 2, 'the other attester’s A and this node’s B')
      assert.equal(store.txs.open().length, 0, 'nothing left open')
    } finally {
      await w.test.setAutomine(true)
      store.close()
    }
  })

  test('a node killed right after journaling a cancel resumes: the same cancel fills the nonce, the next report lands', async () => {
    const w = world()
    const a = await signedReport(w, 'cancel-crash-a')
    const b = await signedReport(w, 'cancel-crash-b')
    const self = a.attesters[0]!
    const storePath = join(mkdtempSync(join(tmpdir(), 'surety-tx-')), 'node.db')
    const nonce = await w.public.getTransactionCount({ address: self.address })
    await w.test.setAutomine(false)
    let child: ChildProcess | undefined
    try {
      let store = openStore(storePath)
      const entryA = await releasedWhilePooled(w, store, a)
      store.close()
      // the pool loses A; the node (a separate process) goes to send report B and dies once the cancel for
      // nonce N is journaled, before it is broadcast
      await w.test.dropTransaction({ hash: entryA.hash })
      const input: SendReportInput = {
        ...b.input,
        rpcUrl: w.anvil.rpcUrl,
        chainId: w.chainId,
        storePath,
        privateKey: privateKeyOf(self),
        fees: {
          bumpAfterBlocks: POLICY.bumpAfterBlocks,
          bumpBps: POLICY.bumpBps,
          maxFeePerGasWei: `${POLICY.maxFeePerGas}`,
        },
      }
      child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        env: {
          ...process.env,
          SURETY_TEST_SEND: JSON.stringify(input),
          SURETY_NODE_FAILPOINTS: 'tx.cancel.signed',
        },
        stdio: ['ignore', 'ignore', 'ignore'],
      })
      const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
        child!.once('exit', (_c, s) => resolve(s)),
      )
      assert.equal(signal, 'SIGKILL', 'killed at the fail point')

      store = openStore(storePath)
      try {
        const journaled = store.txs.ofTask(a.input.task)
        assert.deepEqual(
          journaled.map((t) => [t.purpose, t.state, t.released]),
          [
            ['report', 'sent', true],
            ['cancel', 'signed', true],
          ],
          'the cancel was journaled before the crash, never broadcast',
        )
        assert.equal(store.txs.ofTask(b.input.task).length, 0, 'nothing signed above the gap')
        const cancelHash = journaled[1]!.hash
        // the restarted node sends B again: the journaled cancel goes out first, B behind it
        const sender = senderOn(w, self, store, POLICY, 60_000).sender
        const outcomeB = await mineUntil(w, sender.send(b.request))
        assert.equal(outcomeB.status, 'mined')
        assert.equal(outcomeB.tx.nonce, nonce + 1)
        assert.deepEqual(
          store.txs.ofTask(a.input.task).map((t) => [t.purpose, t.state, t.hash]),
          [
            ['report', 'abandoned', entryA.hash],
            ['cancel', 'mined', cancelHash],
          ],
          'the same cancel bytes filled nonce N',
        )
        assert.equal(await w.public.getTransactionCount({ address: self.address }), nonce + 2)
        assert.equal(await slashesRequested(w), 2)
      } finally {
        store.close()
      }
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await w.test.setAutomine(true)
    }
  })
})

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'sendReportProcess.ts')
