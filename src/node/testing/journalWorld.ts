/**
 * The set-up the transaction journal's tests share (txSender.test.ts and its review): a real anvil world with one
 * service and one vault, quorum-signed reports of fresh incidents, a sender wired to a store, and helpers for
 * tests that mine by hand (automine off). Call `useJournalWorld()` at a test file's top level: it registers the
 * world's before/after hooks.
 */
import assert from 'node:assert/strict'
import { type Hex, parseGwei, parseTransaction, zeroAddress } from 'viem'
import type { HDAccount } from 'viem/accounts'
import { incident, setupService, setupVault } from '../../../test/support/fixtures.ts'
import { useWorld, type World } from '../../../test/support/world.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { orderSignatures, signReport } from '../../sdk/reports.ts'
import type { FeePolicy } from '../chain/feeBump.ts'
import { createTxSender } from '../chain/txSender.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import type { Store } from '../store/store.ts'
import { reportRequest } from './sendReportProcess.ts'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls every 50 ms until `fn` gives a value; fails the test naming `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const end = Date.now() + ms
  for (;;) {
    const value = await fn()
    if (value !== undefined && value !== false) return value
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** Fees that never bump on their own within a test (1,000 blocks) and a cap far above anvil's base fee. */
export const POLICY: FeePolicy = { bumpAfterBlocks: 1_000, bumpBps: 1_250, maxFeePerGas: parseGwei('1000') }

export const feeCapOf = (raw: Hex) => parseTransaction(raw).maxFeePerGas!

/** How many slash reports the court has taken so far. */
export const slashesRequested = async (w: World) =>
  (
    await w.public.getContractEvents({
      address: w.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashRequested',
      fromBlock: 0n,
    })
  ).length

/** Mines a block at a time until `promise` settles (automine is off). */
export async function mineUntil<T>(w: World, promise: Promise<T>): Promise<T> {
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

/** A sender for `self` journaling into `store`, polling fast, with a receipt timeout long enough to mine by hand. */
export function senderOn(
  w: World,
  self: HDAccount,
  store: Store,
  fees: FeePolicy,
  receiptTimeoutMs = 120_000,
) {
  const metrics = createNodeMetrics()
  const sender = createTxSender({
    client: w.clientFor(self),
    account: self,
    store,
    metrics,
    log: silentLogger,
    fees,
    receiptTimeoutMs,
    pollingIntervalMs: 50,
  })
  return { sender, metrics }
}

export function useJournalWorld() {
  const { world, fixture } = useWorld(async (w) => {
    const svc = await setupService(w, { params: { disputeWindow: 60, resolutionDeadline: 60 } })
    const { vault } = await setupVault(w, w.accounts[4]!, {
      bond: 10n ** 21n,
      allocations: [{ serviceId: svc.serviceId, amount: 10n ** 21n }],
    })
    return { svc, vault }
  })

  /** A 3-of-5 signed report of a fresh incident `label`, as the journal request that submits it. */
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
    return {
      self: attesters[0]!,
      attesters,
      report,
      signatures: input.signatures,
      input,
      request: reportRequest(input),
    }
  }

  return { world, fixture, signedReport }
}
