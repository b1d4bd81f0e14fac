/**
 * Open slashes as a fold over the court's confirmed events (SlashRequested, SlashDisputed, SlashUpheld and the
 * three settling events). The court stores only a hash of each slash's details; the events are the copy a keeper
 * needs to call executeSlash, and folding them means a reorg that deletes events also un-does what they implied.
 */
import type { Address, Hex } from 'viem'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import { SETTLED_SLASH_STATUSES, type SlashStatus } from '../../indexer/status.ts'
import type { SlashDetails } from '../../sdk/types.ts'

export type FoldedStatus = SlashStatus

export type FoldedSlash = {
  slashId: Hex
  vault: Address
  seq: bigint
  status: FoldedStatus
  /** The details the court holds now (reduced by a partial uphold). */
  details: SlashDetails
  disputeEnd: bigint
  resolveBy: bigint
}

export function foldSlashEvents(events: readonly StoredEvent[]): Map<Hex, FoldedSlash> {
  const slashes = new Map<Hex, FoldedSlash>()
  for (const e of events) {
    if (!e.slashId) continue
    const args = e.args as Record<string, unknown>
    const current = slashes.get(e.slashId)
    if (e.name === 'SlashRequested') {
      const details = args.details as SlashDetails
      slashes.set(e.slashId, {
        slashId: e.slashId,
        vault: details.vault.toLowerCase() as Address,
        seq: details.seq,
        status: 'Pending',
        details,
        disputeEnd: args.disputeEnd as bigint,
        resolveBy: 0n,
      })
      continue
    }
    if (!current) continue
    switch (e.name) {
      case 'SlashDisputed':
        current.status = 'Disputed'
        current.resolveBy = args.resolveBy as bigint
        break
      case 'SlashUpheld':
        current.status = 'Upheld'
        current.details = args.details as SlashDetails
        break
      case 'SlashExecuted':
        current.status = 'Executed'
        break
      case 'SlashOverturned':
        current.status = 'Overturned'
        break
      case 'SlashLapsed':
        current.status = 'Lapsed'
        break
    }
  }
  return slashes
}

export const isSettled = (status: string) => SETTLED_SLASH_STATUSES.has(status as SlashStatus)
