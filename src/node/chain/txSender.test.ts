/**
 * The transaction journal's fee replacement on a real anvil chain, with automine off so the test decides what each
 * block holds: an underpriced report is re-signed with higher fees and mined, and the next nonce follows; one
 * dropped from the pool is replaced after `bumpAfterBlocks`; the fee cap is never crossed (the transaction waits
 * for the base fee to fall instead); and a node killed between a replacement and its mining resumes from the store
 * with exactly one report on chain.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parseGwei, parseTransaction } from 'viem'
import { openStore } from '../store/store.ts'
import { privateKeyOf } from '../testing/cluster.ts'
import {
  feeCapOf,
  mineUntil,
  POLICY,
  senderOn,
  slashesRequested,
  until,
  useJournalWorld,
} from '../testing/journalWorld.ts'
import type { SendReportInput } from '../testing/sendReportProcess.ts'

const { world, signedReport } = useJournalWorld()

describe('transaction journal: fee replacement', () => {
  test('an underpriced report is replaced with higher fees, mined, and the next nonce proceeds', async () => {
    const w = world()
    const a = await signedReport(w, 'underpriced')
    const b = await signedReport(w, 'next')
    const store = openStore(':memory:')
    const { sender, metrics } = senderOn(w, a.self, store, POLICY)
    const nonce = await w.public.getTransactionCount({ address: a.self.address })
    await w.test.setAutomine(false)
    try {
      const sent = sender.send(a.request)
      const original = await until('the report broadcast', () =>
        store.txs.ofTask(a.input.task).find((t) => t.state === 'sent'),
      )
      // the base fee jumps past what the transaction may pay: the next block cannot include it
      await w.test.setNextBlockBaseFeePerGas({ baseFeePerGas: feeCapOf(original.raw) * 3n })
      await w.test.mine({ blocks: 1 })
      const [, replacement] = await until('a replacement', () => {
        const rows = store.txs.ofTask(a.input.task)
        return rows.length === 2 && rows[1]!.state === 'sent' ? rows : undefined
      })
      assert.equal(replacement!.nonce, original.nonce, 'the same nonce')
      const [was, now] = [parseTransaction(original.raw), parseTransaction(replacement!.raw)]
      assert.ok(now.maxFeePerGas! * 1_000n >= was.maxFeePerGas! * 1_125n, 'fee cap +12.5 % at least')
      assert.ok(
        now.maxPriorityFeePerGas! * 1_000n >= was.maxPriorityFeePerGas! * 1_125n,
        'tip +12.5 % at least',
      )
      assert.equal(await slashesRequested(w), 0, 'nothing mined yet')

      await w.test.mine({ blocks: 1 })
      const outcome = await sent
      assert.deepEqual([outcome.status, outcome.tx.hash], ['mined', replacement!.hash])
      assert.deepEqual(
        store.txs.ofTask(a.input.task).map((t) => t.state),
        ['abandoned', 'mined'],
        'the replaced entry is abandoned once the replacement is mined',
      )
      assert.equal(
        metrics.transactionReplacements.get({ purpose: 'report', reason: 'underpriced', result: 'sent' }),
        1,
      )

      const next = await mineUntil(w, sender.send(b.request))
      assert.equal(next.status, 'mined')
      assert.equal(next.tx.nonce, nonce + 1, 'the next nonce follows')
      assert.equal(await slashesRequested(w), 2, 'each report once')
    } finally {
      await w.test.setAutomine(true)
      store.close()
    }
  })

  test('a transaction unmined for bumpAfterBlocks blocks (dropped from the pool) is replaced and mined', async () => {
    const w = world()
    const a = await signedReport(w, 'dropped')
    const store = openStore(':memory:')
    const { sender, metrics } = senderOn(w, a.self, store, { ...POLICY, bumpAfterBlocks: 1 })
    await w.test.setAutomine(false)
    try {
      const sent = sender.send(a.request)
      const original = await until('the report broadcast', () =>
        store.txs.ofTask(a.input.task).find((t) => t.state === 'sent'),
      )
      await w.test.dropTransaction({ hash: original.hash })
      await w.test.mine({ blocks: 1 })
      const outcome = await mineUntil(w, sent)
      assert.equal(outcome.status, 'mined')
      assert.notEqual(outcome.tx.hash, original.hash, 'the replacement was mined')
      assert.equal(
        metrics.transactionReplacements.get({ purpose: 'report', reason: 'unmined', result: 'sent' }),
        1,
      )
      assert.equal(await slashesRequested(w), 1)
    } finally {
      await w.test.setAutomine(true)
      store.close()
    }
  })

  test('the fee cap is never crossed: a transaction at the cap waits for the base fee to fall', async () => {
    const w = world()
    const a = await signedReport(w, 'capped')
    const store = openStore(':memory:')
    // a cap just above the next block's base fee: the first send is held to it and no +12.5 % replacement fits
    const cap = (await w.public.getBlock({ blockTag: 'pending' })).baseFeePerGas! + 1n
    const { sender, metrics } = senderOn(w, a.self, store, { ...POLICY, maxFeePerGas: cap })
    await w.test.setAutomine(false)
    try {
      const sent = sender.send(a.request)
      const original = await until('the report broadcast', () =>
        store.txs.ofTask(a.input.task).find((t) => t.state === 'sent'),
      )
      assert.equal(feeCapOf(original.raw), cap, 'the first send is held to the cap')
      await w.test.setNextBlockBaseFeePerGas({ baseFeePerGas: cap * 4n })
      await w.test.mine({ blocks: 1 })
      await until('the capped replacement to be counted', () =>
        metrics.transactionReplacements.get({
          purpose: 'report',
          reason: 'underpriced',
          result: 'capped',
        }) === 1
          ? true
          : undefined,
      )
      assert.equal(store.txs.ofTask(a.input.task).length, 1, 'no replacement above the cap')
      // the spike passes: the original (broadcast again if the pool evicted it) is mined at its own fee
      await w.test.setNextBlockBaseFeePerGas({ baseFeePerGas: cap / 2n })
      const outcome = await mineUntil(w, sent)
      assert.deepEqual([outcome.status, outcome.tx.hash], ['mined', original.hash])
      assert.equal(await slashesRequested(w), 1)
    } finally {
      await w.test.setAutomine(true)
      store.close()
    }
  })

  for (const point of ['tx.replaced.report', 'tx.replacement.sent.report'])
    test(`a node killed at ${point} (between a replacement and its mining) resumes: the report lands once`, async () => {
      const w = world()
      const a = await signedReport(w, `crash-${point}`)
      const storePath = join(mkdtempSync(join(tmpdir(), 'surety-tx-')), 'node.db')
      const nonce = await w.public.getTransactionCount({ address: a.self.address })
      const input: SendReportInput = {
        ...a.input,
        rpcUrl: w.anvil.rpcUrl,
        chainId: w.chainId,
        storePath,
        privateKey: privateKeyOf(a.self),
        fees: {
          bumpAfterBlocks: POLICY.bumpAfterBlocks,
          bumpBps: POLICY.bumpBps,
          maxFeePerGasWei: `${POLICY.maxFeePerGas}`,
        },
      }
      await w.test.setAutomine(false)
      let child: ChildProcess | undefined
      try {
        child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
          env: { ...process.env, SURETY_TEST_SEND: JSON.stringify(input), SURETY_NODE_FAILPOINTS: point },
          stdio: ['ignore', 'ignore', 'ignore'],
        })
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child!.once('exit', (_c, s) => resolve(s)),
        )
        await until('the report in the pool', async () =>
          (await w.public.getTransactionCount({ address: a.self.address, blockTag: 'pending' })) > nonce
            ? true
            : undefined,
        )
        const pooled = await w.public.getTransaction({ blockTag: 'pending', index: 0 }).catch(() => undefined)
        const fee = pooled?.maxFeePerGas ?? parseGwei('10')
        await w.test.setNextBlockBaseFeePerGas({ baseFeePerGas: fee * 3n })
        await w.test.mine({ blocks: 1 })
        assert.equal(await exited, 'SIGKILL', 'killed at the fail point')

        const store = openStore(storePath)
        try {
          const rows = store.txs.ofTask(a.input.task)
          assert.equal(rows.length, 2, 'the replacement was journaled before the crash')
          assert.equal(rows[1]!.nonce, rows[0]!.nonce)
          // a restarted node: the same task resumes from the journal, nothing new is signed for it
          const { sender } = senderOn(w, a.self, store, POLICY)
          const outcome = await mineUntil(w, sender.send(a.request))
          assert.deepEqual([outcome.status, outcome.tx.hash], ['mined', rows[1]!.hash])
          assert.deepEqual(
            store.txs.ofTask(a.input.task).map((t) => t.state),
            ['abandoned', 'mined'],
          )
          assert.equal(await slashesRequested(w), 1, 'one report on chain, not two, not none')
          assert.equal(
            await w.public.getTransactionCount({ address: a.self.address }),
            nonce + 1,
            'one nonce used',
          )
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
