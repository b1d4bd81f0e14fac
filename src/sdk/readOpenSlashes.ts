import type { Hex } from 'viem'
import { slashingCourtAbi } from './abis.ts'
import { type SlashDetails, SlashStatus, type SlashStatusName, type SuretyReader } from './types.ts'

export type OpenSlash = {
  slashId: Hex
  status: SlashStatusName
  details: SlashDetails
  disputeEnd: bigint
  resolveBy: bigint
}

/**
 * Every slash not yet settled (Pending, Disputed or Upheld), from the court's events and its current status.
 * Scans logs from `fromBlock`: fine for a CLI or a devnet; the indexer serves this at scale.
 */
export async function readOpenSlashes(reader: SuretyReader, fromBlock = 0n): Promise<OpenSlash[]> {
  const [requested, upheld] = await Promise.all([
    reader.public.getContractEvents({
      address: reader.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashRequested',
      fromBlock,
    }),
    reader.public.getContractEvents({
      address: reader.addresses.court,
      abi: slashingCourtAbi,
      eventName: 'SlashUpheld',
      fromBlock,
    }),
  ])
  const latest = new Map<Hex, SlashDetails>()
  for (const e of requested) latest.set(e.args.slashId!, e.args.details as SlashDetails)
  for (const e of upheld) latest.set(e.args.slashId!, e.args.details as SlashDetails)
  const open: OpenSlash[] = []
  for (const [slashId, details] of latest) {
    const [status, disputeEnd, resolveBy] = await reader.public.readContract({
      address: reader.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [slashId],
    })
    const name = SlashStatus[status] ?? 'None'
    if (name === 'Pending' || name === 'Disputed' || name === 'Upheld') {
      open.push({ slashId, status: name, details, disputeEnd, resolveBy })
    }
  }
  return open
}
