import { type Hex, isHex, size } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { orderBookAbi } from '../abis.ts'
import { receiptLogs, requireOrderEvent } from '../orderEvents.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { OrderRef, SuretyClient, TxResult } from '../types.ts'

export type CommitResultParameters = OrderRef & { resultHash: Hex }
export type CommitResultReturnType = TxResult<{ milestone: number; resultHash: Hex }>

/** The operator publishes the hash of a job's result (for the milestone in progress) for the attesters to check. */
export async function commitResult(
  client: SuretyClient,
  params: CommitResultParameters,
): Promise<CommitResultReturnType> {
  if (!isHex(params.resultHash) || size(params.resultHash) !== 32) {
    throw new InvalidInputError(`resultHash: must be 32 bytes of hex, got ${params.resultHash}`)
  }
  const tx = await sendTransaction(client, {
    address: client.addresses.orders,
    abi: orderBookAbi,
    functionName: 'commitResult',
    args: [params.orderId, params.params, params.resultHash],
  })
  const a = requireOrderEvent(await receiptLogs(client, tx.hash), 'ResultCommitted', 'commitResult', tx.hash)
  return { ...tx, result: { milestone: Number(a.milestone), resultHash: a.resultHash } }
}
