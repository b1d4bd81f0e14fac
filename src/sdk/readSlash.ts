import type { Hex } from 'viem'
import { SuretyError } from '../errors.ts'
import { slashingCourtAbi } from './abis.ts'
import { type SlashDetails, SlashStatus, type SlashStatusName, type SuretyReader } from './types.ts'

export type SlashView = {
  slashId: Hex
  status: SlashStatusName
  disputeEnd: bigint
  resolveBy: bigint
  /** The details as the court now holds them (reduced amount after a partial uphold). */
  details: SlashDetails
  /** Once Executed: what was taken (bond first, then pool) and whom it paid, from SlashExecuted. */
  execution?: {
    fromBond: bigint
    fromPool: bigint
    toClient: bigint
    toReporter: bigint
    toSink: bigint
  }
}

/**
 * Reads a slash: its status from the court, its details from the latest SlashRequested / SlashUpheld event
 * (the court stores only their hash; the event log is the durable copy).
 */
export async function readSlash(
  reader: SuretyReader,
  slashId: Hex,
  fromBlock: bigint = 0n,
): Promise<SlashView> {
  const [statusIndex, disputeEnd, resolveBy] = await reader.public.readContract({
    address: reader.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'slashStatus',
    args: [slashId],
  })
  const [requested, upheld] = await Promise.all([
    reader.public.getContractEvents({
      address: reader.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashRequested',
      args: { slashId },
      fromBlock,
    }),
    reader.public.getContractEvents({
      address: reader.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashUpheld',
      args: { slashId },
      fromBlock,
    }),
  ])
  const latest = upheld.at(-1)?.args.details ?? requested.at(-1)?.args.details
  if (!latest) throw new SuretyError(`slash ${slashId} not found`)
  const status = SlashStatus[statusIndex] ?? 'None'
  const executed =
    status === 'Executed'
      ? (
          await reader.public.getContractEvents({
            address: reader.addresses.court,
            abi: slashingCourtAbi,
            eventName: 'SlashExecuted',
            args: { slashId },
            fromBlock,
          })
        ).at(-1)?.args
      : undefined
  return {
    slashId,
    status,
    disputeEnd,
    resolveBy,
    details: latest as SlashDetails,
    ...(executed
      ? {
          execution: {
            fromBond: executed.fromBond!,
            fromPool: executed.fromPool!,
            toClient: executed.toClient!,
            toReporter: executed.toReporter!,
            toSink: executed.toSink!,
          },
        }
      : {}),
  }
}
