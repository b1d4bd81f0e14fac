/**
 * Rebuilds protocol state from events alone (invariant 6: every state change emits an event the indexer can
 * rebuild state from). A pure fold over decoded logs in chain order; the indexer's store applies the same
 * reducer, and the invariant suite checks that what it rebuilds equals what the contracts hold.
 */
import type { Address, Hex } from 'viem'
import type { SlashDetails } from '../sdk/types.ts'

export type IndexedAllocation = { amount: bigint; pending: bigint }
export type IndexedVault = {
  bond: bigint
  pool: bigint
  pending: bigint
  totalSupply: bigint
  shares: Map<string, bigint>
  totalAllocated: bigint
  allocations: Map<bigint, IndexedAllocation>
}
export type IndexedSlash = {
  details: SlashDetails
  status: 'Pending' | 'Disputed' | 'Upheld' | 'Executed' | 'Overturned' | 'Lapsed'
  disputeEnd: bigint
  resolveBy: bigint
}
export type IndexedState = {
  vaults: Map<string, IndexedVault>
  slashes: Map<Hex, IndexedSlash>
  serviceAllocated: Map<bigint, bigint>
}

export type DecodedLog = { address: Address; eventName: string; args: Record<string, any> }

const ZERO = '0x0000000000000000000000000000000000000000'
const key = (a: string) => a.toLowerCase()

export function emptyState(): IndexedState {
  return { vaults: new Map(), slashes: new Map(), serviceAllocated: new Map() }
}

/** A vault as created by the factory: one dead share held by itself, nothing else. */
export function addVault(state: IndexedState, vault: Address) {
  state.vaults.set(key(vault), {
    bond: 0n,
    pool: 0n,
    pending: 0n,
    totalSupply: 1n,
    shares: new Map([[key(vault), 1n]]),
    totalAllocated: 0n,
    allocations: new Map(),
  })
}

function allocation(v: IndexedVault, serviceId: bigint): IndexedAllocation {
  let a = v.allocations.get(serviceId)
  if (!a) {
    a = { amount: 0n, pending: 0n }
    v.allocations.set(serviceId, a)
  }
  return a
}

export function reduceLog(state: IndexedState, log: DecodedLog): void {
  const a = log.args
  const vault = state.vaults.get(key(log.address))
  if (vault) {
    switch (log.eventName) {
      case 'Transfer': {
        const amount = a.value as bigint
        if (key(a.from) === ZERO) vault.totalSupply += amount
        else vault.shares.set(key(a.from), (vault.shares.get(key(a.from)) ?? 0n) - amount)
        if (key(a.to) === ZERO) vault.totalSupply -= amount
        else vault.shares.set(key(a.to), (vault.shares.get(key(a.to)) ?? 0n) + amount)
        return
      }
      case 'Deposited':
        vault.pool += a.assets
        return
      case 'WithdrawalClaimed':
        vault.pool -= a.assets
        return
      case 'RewardsClaimed':
        // the commission joins the operator's bond, the rest the pool
        vault.bond += a.commission
        vault.pool = a.poolAssets
        return
      case 'BondDeposited':
      case 'BondWithdrawn':
        vault.bond = a.bond
        return
      case 'SlashReserved':
        vault.pending = a.pendingLiabilities
        allocation(vault, a.serviceId).pending += a.amount
        return
      case 'SlashReleased':
        vault.pending = a.pendingLiabilities
        allocation(vault, a.serviceId).pending -= a.amount
        return
      case 'Allocated':
        allocation(vault, a.serviceId).amount = a.amount
        vault.totalAllocated = a.totalAllocated
        return
      case 'Deallocated':
        allocation(vault, a.serviceId).amount = a.amount
        vault.totalAllocated = a.totalAllocated
        return
      default:
        return
    }
  }
  switch (log.eventName) {
    case 'SlashRequested':
      state.slashes.set(a.slashId, {
        details: a.details,
        status: 'Pending',
        disputeEnd: a.disputeEnd,
        resolveBy: 0n,
      })
      return
    case 'SlashDisputed': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Disputed'
      s.resolveBy = a.resolveBy
      return
    }
    case 'SlashUpheld': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Upheld'
      s.details = a.details
      return
    }
    case 'SlashOverturned':
      state.slashes.get(a.slashId)!.status = 'Overturned'
      return
    case 'SlashLapsed':
      state.slashes.get(a.slashId)!.status = 'Lapsed'
      return
    case 'SlashExecuted': {
      const s = state.slashes.get(a.slashId)!
      s.status = 'Executed'
      const v = state.vaults.get(key(a.vault))
      if (v) {
        v.bond -= a.fromBond
        v.pool -= a.fromPool
        // the whole reserved amount leaves the liabilities, whatever was actually taken
        v.pending -= s.details.amount
        allocation(v, a.serviceId).pending -= s.details.amount
      }
      return
    }
    case 'ServiceAllocationChanged':
      state.serviceAllocated.set(a.serviceId, a.totalAllocated)
      return
    default:
      return
  }
}
