/** Shared by allocate, apply, sync and deallocate: which vault, which service, and the allocation's state. */

import { readAllocation, readVault } from '../../sdk/readVault.ts'
import { requireService, requireVault, vaultOf } from './chain.ts'
import type { WriteSession } from './command.ts'
import { optionalAddress, parseId, str } from './options.ts'

export const ALLOCATION_OPTIONS = { service: { type: 'string' }, vault: { type: 'string' } } as const

export function checkAllocationArgs(values: Record<string, unknown>) {
  parseId('--service', str(values, 'service'))
  optionalAddress('--vault', str(values, 'vault'))
}

/** The vault (--vault, else the signer's own), the service, and both their states now. */
export async function allocationTarget(s: WriteSession) {
  const given = optionalAddress('--vault', str(s.values, 'vault'))
  const vault = given ? await requireVault(s.ctx, given) : await vaultOf(s.ctx, s.account.address)
  const serviceId = await requireService(s.ctx, parseId('--service', str(s.values, 'service')))
  const [view, allocation, now] = await Promise.all([
    readVault(s.ctx.reader, vault),
    readAllocation(s.ctx.reader, vault, serviceId),
    s.ctx.now(),
  ])
  return { vault, serviceId, view, allocation, now }
}

/** OperatorVault.APPLY_WINDOW: a matured increase (or terms) may be applied within a day, then it lapses. */
export const APPLY_WINDOW = 86_400n
