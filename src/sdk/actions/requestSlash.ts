import { type Hex, parseEventLogs } from 'viem'
import { SuretyError } from '../../errors.ts'
import { slashingCourtAbi } from '../abis.ts'
import { orderSignatures, type SignedReport } from '../reports.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SlashDetails, SlashReport, SuretyClient, TxResult } from '../types.ts'

export type RequestSlashParameters = { report: SlashReport; signatures: SignedReport[] }
export type RequestSlashReturnType = TxResult<{ slashId: Hex; details: SlashDetails; disputeEnd: bigint }>

/**
 * Submits a report signed by a quorum of the service's attesters; the court fixes the slash amount now and opens
 * the dispute window. Returns the slash id and the details needed to dispute, resolve or execute it.
 */
export async function requestSlash(
  client: SuretyClient,
  params: RequestSlashParameters,
): Promise<RequestSlashReturnType> {
  const tx = await sendTransaction(client, {
    address: client.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'requestSlash',
    args: [params.report, orderSignatures(params.signatures)],
  })
  const receipt = await client.public.getTransactionReceipt({ hash: tx.hash })
  const [event] = parseEventLogs({ abi: slashingCourtAbi, eventName: 'SlashRequested', logs: receipt.logs })
  if (!event)
    throw new SuretyError('requestSlash: no SlashRequested event in the receipt', { details: tx.hash })
  return {
    ...tx,
    result: {
      slashId: event.args.slashId,
      details: event.args.details as SlashDetails,
      disputeEnd: event.args.disputeEnd,
    },
  }
}
