/**
 * Test helper run as a child process: submits one signed slash report through the node's transaction journal
 * (chain/txSender.ts) and prints the outcome, so a test can kill it with a fail point (SURETY_NODE_FAILPOINTS) in
 * the middle of a fee replacement and resume the same task from the store in another process.
 *
 * Input: the SURETY_TEST_SEND environment variable, JSON of SendReportInput.
 */
import type { Address, Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { createSuretyClient } from '../../sdk/createSuretyClient.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import { createTxSender, type TxRequest } from '../chain/txSender.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore } from '../store/store.ts'

export type SendReportInput = {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
  storePath: string
  privateKey: Hex
  task: string
  report: { serviceId: string; vault: Address; classId: number; incidentId: Hex; client: Address }
  signatures: { r: Hex; vs: Hex }[]
  fees: { bumpAfterBlocks: number; bumpBps: number; maxFeePerGasWei: string }
}

/** The journal request for the report (the same in the child and in the test that resumes it). */
export function reportRequest(
  input: Pick<SendReportInput, 'addresses' | 'task' | 'report' | 'signatures'>,
): TxRequest {
  return {
    task: input.task,
    purpose: 'report',
    address: input.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'requestSlash',
    args: [{ ...input.report, serviceId: BigInt(input.report.serviceId) }, input.signatures],
  }
}

async function main() {
  const input = JSON.parse(process.env.SURETY_TEST_SEND ?? '') as SendReportInput
  const account = privateKeyToAccount(input.privateKey)
  const client = createSuretyClient({ ...input, account })
  const store = openStore(input.storePath)
  const sender = createTxSender({
    client,
    account,
    store,
    metrics: createNodeMetrics(),
    log: silentLogger,
    fees: { ...input.fees, maxFeePerGas: BigInt(input.fees.maxFeePerGasWei) },
    receiptTimeoutMs: 120_000,
    pollingIntervalMs: 50,
  })
  const outcome = await sender.send(reportRequest(input))
  process.stdout.write(`${JSON.stringify({ status: outcome.status, hash: outcome.tx.hash })}\n`)
  store.close()
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).message}\n`)
    process.exit(1)
  })
}
