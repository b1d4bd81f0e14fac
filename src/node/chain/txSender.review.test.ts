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
import { parseGwei, parseTransaction, zeroAddress } from 'viem'
import type { HDAccount } from 'viem/accounts'
import { incident, setupService, setupVault } from '../../../test/support/fixtures.ts'
import { useWorld, type World } from '../../../test/support/world.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { orderSignatures, signReport } from '../../sdk/reports.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore, type Store } from '../store/store.ts'
import { privateKeyOf } from '../testing/cluster.ts'
import { reportRequest, type SendReportInput } from '../testing/sendReportProcess.ts'
import { createTxSender } from './txSender.ts'

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w, { params: { disputeWindow: 60, resolutionDeadline: 60 } })
  const { vault } = await setupVault(w, w.accounts[4]!, {
    bond: 10n ** 21n,
    allocations: [{ serviceId: svc.serviceId, amount: 10n ** 21n }],
  })
  return { svc, vault }
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const end = Date.now() + ms
  for (;;) {
    const value = await fn()
    if (value !== undefined && value !== false) return value
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

async function signedReport(w: World, label: string) {
  const { svc, vault } = fixture()
  const attesters = svc.attesters as HDAccount[]
  const report = {
    serviceId: svc.serviceId,
    vault,
    classId: 0,
    incidentId: incident(label),
    client: zeroAddress,
  }
  const domain = { chainId: w.chainId, court: w.addresses.court }
  const signed = await Promise.all(attesters.slice(0, 3).map((a) => signReport(a, domain, report)))
  const input = {
    addresses: w.addresses,
    task: `report:${label}`,
    report: { ...report, serviceId: report.serviceId.toString() },
    signatures: orderSignatures(signed),
  }
  return { attesters, report, signatures: input.signatures, input, request: reportRequest(input) }
}

const slashesRequested = async (w: World) =>
  (
    await w.public.getContractEvents({
      address: w.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashRequested',
      fromBlock: 0n,
    })
  ).length

/** Mines a block at a time until `promise` settles (automine is off). */
async function mineUntil<T>(w: World, promise: Promise<T>): Promise<T> {
  let done = false
  const result = promise.finally(() => {
    done = true
  })
  while (!done) {
    await w.test.mine({ blocks: 1 })
    await sleep(150)
  }
  return result
}

const POLICY = { bumpAfterBlocks: 1_000, bumpBps: 1_250, maxFeePerGas: parseGwei('1000') }

/**
 * With automine off: this node sends report A (nonce N) but another attester's copy lands first; the node sees the
 * work done and finishes the task, its entry released and still pooled. Returns the entry.
 */
async function releasedWhilePooled(w: World, store: Store, a: Awaited<ReturnType<typeof signedReport>>) {
  const [self, other] = [a.attesters[0]!, a.attesters[1]!]
  const sender = createTxSender({
    client: w.clientFor(self),
    account: self,
    store,
    metrics: createNodeMetrics(),
    log: silentLogger,
    fees: POLICY,
    receiptTimeoutMs: 4_000,
    pollingIntervalMs: 50,
  })
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
    const sender = createTxSender({
      client: w.clientFor(self),
      account: self,
      store,
      metrics: createNodeMetrics(),
      log: silentLogger,
      fees: { bumpAfterBlocks: 1_000, bumpBps: 1_250, maxFeePerGas: parseGwei('1000') },
      receiptTimeoutMs: 4_000,
      pollingIntervalMs: 50,
    })
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
        const sender = createTxSender({
          client: w.clientFor(self),
          account: self,
          store,
          metrics: createNodeMetrics(),
          log: silentLogger,
          fees: POLICY,
          receiptTimeoutMs: 60_000,
          pollingIntervalMs: 50,
        })
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
