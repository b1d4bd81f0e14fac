/**
 * The HTTP API's answers as TypeScript types, derived with `Static` from the TypeBox schemas the server validates
 * and serialises with (src/api/schemas): a field the server adds or renames changes these types too.
 */
import type { Static } from 'typebox'
import type { Allocation } from '../../api/schemas/allocation.ts'
import type { Attester } from '../../api/schemas/attester.ts'
import type { Amount, BlockInfo, Page, Time } from '../../api/schemas/common.ts'
import type { Credit } from '../../api/schemas/credit.ts'
import type { ChainEvent } from '../../api/schemas/event.ts'
import type { Incident } from '../../api/schemas/incident.ts'
import type { Network } from '../../api/schemas/network.ts'
import type { Bid, Milestone, Order, OrderDetail } from '../../api/schemas/order.ts'
import type { Position, Withdrawal } from '../../api/schemas/position.ts'
import type { RewardEvent } from '../../api/schemas/reward.ts'
import type { Service } from '../../api/schemas/service.ts'
import type { Slash, SlashDetail } from '../../api/schemas/slash.ts'
import type { Vault } from '../../api/schemas/vault.ts'

/** The indexed block an answer reflects: every row of it was read at this block. */
export type ApiBlock = Static<typeof BlockInfo>
export type ApiPage = Static<typeof Page>
/** `{ base, units }`: exact base units and token units, both decimal strings. */
export type ApiAmount = Static<typeof Amount>
export type ApiTime = Static<typeof Time>

export type ApiNetwork = Static<typeof Network>
export type ApiService = Static<typeof Service>
export type ApiAttester = Static<typeof Attester>
export type ApiVault = Static<typeof Vault>
export type ApiAllocation = Static<typeof Allocation>
export type ApiOrder = Static<typeof Order>
export type ApiOrderDetail = Static<typeof OrderDetail>
export type ApiBid = Static<typeof Bid>
export type ApiMilestone = Static<typeof Milestone>
export type ApiSlash = Static<typeof Slash>
export type ApiSlashDetail = Static<typeof SlashDetail>
export type ApiIncident = Static<typeof Incident>
export type ApiPosition = Static<typeof Position>
export type ApiWithdrawal = Static<typeof Withdrawal>
export type ApiReward = Static<typeof RewardEvent>
export type ApiCredit = Static<typeof Credit>
export type ApiEvent = Static<typeof ChainEvent>

/** One resource and the block it reflects. */
export type ApiItem<T> = { block: ApiBlock; data: T }
/** One page of a list, the block it reflects, and the cursor of the next page (`page.next`, null on the last). */
export type ApiList<T> = { block: ApiBlock; data: T[]; page: ApiPage }

/** What every list takes: page size (1–500), the cursor from `page.next`, sort key and direction. */
export type ListOptions<S extends string> = {
  limit?: number
  cursor?: string
  sort?: S
  order?: 'asc' | 'desc'
}

export type OrderFilters = ListOptions<'id' | 'budget' | 'updated'> & {
  status?: ApiOrder['status']
  client?: string
  vault?: string
  service?: string | bigint
}
export type SlashFilters = ListOptions<'requested' | 'amount' | 'updated'> & {
  status?: ApiSlash['status']
  vault?: string
  service?: string | bigint
  incident?: string
  orderId?: string | bigint
}
export type ServiceFilters = ListOptions<'id' | 'totalAllocated' | 'rewardsDistributed'> & { owner?: string }
export type VaultFilters = ListOptions<'created' | 'bond' | 'poolAssets' | 'totalAllocated'> & {
  operator?: string
}
export type AllocationFilters = ListOptions<'amount' | 'reserved' | 'updated'> & {
  vault?: string
  service?: string | bigint
  jailed?: boolean
}
export type AttesterFilters = ListOptions<'bond' | 'joined'> & {
  service?: string | bigint
  address?: string
  status?: ApiAttester['status']
}
export type IncidentFilters = ListOptions<'requested'> & {
  service?: string | bigint
  vault?: string
  orders?: boolean
}
export type RewardFilters = ListOptions<'block'> & {
  service?: string | bigint
  account?: string
  kind?: ApiReward['kind']
}
export type EventFilters = ListOptions<'block'> & {
  name?: string
  contract?: string
  tx?: string
  fromBlock?: number | bigint
  toBlock?: number | bigint
}
export type WithdrawalFilters = ListOptions<'readyAt'> & { claimed?: boolean }
export type CreditFilters = ListOptions<'created' | 'updated'> & {
  account?: string
  holder?: string
  kind?: ApiCredit['kind']
}
