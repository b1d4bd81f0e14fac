/**
 * The indexer's database, typed for Kysely: one interface per table, the same for SQLite and PostgreSQL.
 *
 * Column conventions (the migration in ./migrations.ts creates exactly these):
 * - `Amount` columns hold token amounts and other uint256 values losslessly: `numeric(78,0)` in PostgreSQL, decimal
 *   text in SQLite. Both drivers return them as strings; the query layer turns them into bigint.
 * - Block numbers, timestamps (seconds), ids that are counters, and bps are integers (`number`). A uint256 time
 *   beyond 2^53 (a "never" sentinel) is stored as Number.MAX_SAFE_INTEGER.
 * - Booleans are integers 0/1 in both stores (one type for both dialects).
 * - Addresses and hashes are lower-case 0x hex.
 * - Every entity row carries `created_block` and `block_number` (the block of its last change): the row is final
 *   when `block_number <= final_block` (see `indexer_state`). History rows carry their own block and log index.
 */
import type { ColumnType } from 'kysely'

/** A uint256 kept losslessly: numeric(78,0) in PostgreSQL, decimal text in SQLite; read as a string. */
export type Amount = ColumnType<string, string, string>
/** 0 or 1. */
export type Flag = number

export type ServicesTable = {
  service_id: number
  owner: string
  resolver: string
  dispute_window: number
  resolution_deadline: number
  quorum_bps: number
  reporter_share_bps: number
  sink: string
  dispute_bond: Amount
  correlation_window: number
  correlation_multiplier_bps: number
  incident_cap_bps: number
  window_cap_bps: number
  client_share_bps: number
  attester_penalty_bps: number
  min_attester_bond: Amount
  order_fee_bps: number
  collateral_factor_bps: number
  collateral_floor_bps: number
  declared_value: Amount
  /** Seconds an allocation waits before it counts (reserved in the contracts: 0 today). Migration 0003. */
  min_allocation_delay: number
  /** The committee by index (JSON object index → attester): resolves a report's signer bitmap to addresses. */
  committee: string
  /** A queued change of terms (ServiceChangeQueued) as JSON, until applied or cancelled. */
  pending_change: string | null
  pending_ready_at: number | null
  /** Sum of the vaults' allocations as the court counts it (ServiceAllocationChanged). */
  total_allocated: Amount
  /** The rewards distributor's total stake weight (VaultStakeChanged). */
  reward_stake: Amount
  acc_per_stake: Amount
  rewards_distributed: Amount
  fees_added: Amount
  fees_swept: Amount
  subsidy_funded: Amount
  subsidy_balance: Amount
  subsidy_rate_per_second: Amount
  created_block: number
  block_number: number
}

export type ServiceClassesTable = {
  service_id: number
  class_id: number
  base_penalty_bps: number
  jail_duration: number
  permanent_ban: Flag
  created_block: number
  block_number: number
}

export type AttesterStatus = 'approval-queued' | 'active' | 'exiting' | 'removal-queued' | 'withdrawn'

export type AttestersTable = {
  service_id: number
  attester: string
  /** Committee index (the bit of a report's signer bitmap); null until joined. */
  committee_index: number | null
  bond: Amount
  status: AttesterStatus
  ready_at: number | null
  slashed: Amount
  created_block: number
  block_number: number
}

export type VaultsTable = {
  vault: string
  operator: string
  withdrawal_delay: number
  commission_bps: number
  restaking_cap_bps: number
  pending_commission_bps: number | null
  pending_restaking_cap_bps: number | null
  pending_terms_ready_at: number | null
  /** The operator's first-loss bond. */
  bond: Amount
  bond_withdrawal_requested: Amount
  bond_withdrawal_ready_at: number | null
  /** Delegated stake (assets of the share pool), before pending liabilities. */
  pool_assets: Amount
  pending_liabilities: Amount
  total_supply: Amount
  total_allocated: Amount
  total_reserved: Amount
  /** Assets promised to queued withdrawals at request, until claimed. */
  queued_assets: Amount
  deposited: Amount
  withdrawn: Amount
  rewards_claimed: Amount
  commission_earned: Amount
  slashed_from_bond: Amount
  slashed_from_pool: Amount
  created_block: number
  block_number: number
}

/** The exchange-rate history: a vault's share price inputs at the end of every block that changed them. */
export type VaultRatesTable = {
  vault: string
  block_number: number
  log_index: number
  timestamp: number
  pool_assets: Amount
  pending_liabilities: Amount
  total_supply: Amount
  bond: Amount
  /** The last event of the block that changed the rate inputs, and its log index. */
  cause: string
}

export type PositionsTable = {
  vault: string
  staker: string
  shares: Amount
  deposited: Amount
  withdrawn: Amount
  created_block: number
  block_number: number
}

export type WithdrawalsTable = {
  vault: string
  owner: string
  withdrawal_id: number
  shares: Amount
  /** Assets at the rate of the request: the most the claim pays (min of request and claim rate). */
  assets: Amount
  ready_at: number
  requested_at: number
  claimed: Flag
  claimed_assets: Amount | null
  receiver: string | null
  created_block: number
  block_number: number
}

export type AllocationsTable = {
  vault: string
  service_id: number
  amount: Amount
  queued_increase: Amount
  queued_ready_at: number | null
  deallocation_requested: Amount
  deallocation_ready_at: number | null
  /** Collateral open orders hold (and orders' pending slashes, held until they settle). */
  reserved: Amount
  pending_slash: Amount
  /** The reward weight the distributor counts for this vault on this service (VaultStakeChanged). */
  reward_stake: Amount
  jailed_until: number
  banned: Flag
  reputation_score: Amount
  reputation_scored_at: number
  order_successes: number
  order_failures: number
  rewards_claimed: Amount
  created_block: number
  block_number: number
}

export type OrdersTable = {
  order_id: number
  client: string
  service_id: number
  payment_token: string
  /** The named operator's vault at open (zero for an intent). */
  named_vault: string
  budget: Amount
  value: Amount
  rate_per_second: Amount
  bidding_ends: number
  deadline: number
  milestones: string
  fee_bps: number
  collateral_factor_bps: number
  collateral_floor_bps: number
  terms_hash: string
  max_latency_ms: number
  min_uptime_bps: number
  min_temp_centi_c: number
  max_temp_centi_c: number
  pickup_by: number
  device: string
  status: string
  /** The leading bidder before acceptance, the accepted operator after. */
  vault: string
  price: Amount
  collateral: Amount
  milestones_paid: number
  /** Paid to the operator for work, fees included. */
  paid_out: Amount
  fees: Amount
  refunded: Amount
  /** A lease: streamed so far. */
  streamed: Amount
  accepted_at: number | null
  failed_class_id: number | null
  slash_id: string | null
  opened_at: number
  created_block: number
  block_number: number
}

export type BidsTable = {
  order_id: number
  vault: string
  price: Amount
  collateral: Amount
  score: Amount
  created_block: number
  block_number: number
}

/** A job's milestones as they settle: paid (by the client or an attester quorum) and their committed results. */
export type MilestonesTable = {
  order_id: number
  milestone: number
  amount: Amount | null
  fee: Amount | null
  by_attesters: Flag | null
  paid_at: number | null
  result_hash: string | null
  created_block: number
  block_number: number
}

/** One slash, the whole story: the report that caused it, the dispute, the ruling, the execution and its payouts. */
export type SlashesTable = {
  slash_id: string
  vault: string
  service_id: number
  class_id: number
  incident_id: string
  /** An order's collateral slash (incident id with the top bit set): `order_id` names the order. */
  is_order: Flag
  order_id: number | null
  client: string
  reporter: string
  sink: string
  /** The signers' bitmap of the report, and the attesters it named at the time (JSON array). */
  signers_bitmap: Amount
  signers: string
  seq: number
  requested_amount: Amount
  /** The amount the court holds now (lowered by a partial uphold). */
  amount: Amount
  dispute_bond: Amount
  client_share_bps: number
  reporter_share_bps: number
  jail_duration: number
  permanent_ban: Flag
  resolution_deadline: number
  requested_at: number
  dispute_end: number
  status: string
  requested_tx: string
  disputed_by: string | null
  dispute_bond_posted: Amount | null
  resolve_by: number | null
  disputed_block: number | null
  ruled_block: number | null
  ruled_tx: string | null
  attesters_slashed: Amount | null
  executed_block: number | null
  executed_tx: string | null
  from_bond: Amount | null
  from_pool: Amount | null
  to_client: Amount | null
  to_reporter: Amount | null
  to_sink: Amount | null
  jailed_until: number | null
  banned: Flag
  created_block: number
  block_number: number
}

/** Attesters' bonds taken (an overturned report), linked to the slash by the transaction that overturned it. */
export type AttesterPenaltiesTable = {
  block_number: number
  log_index: number
  tx_hash: string
  service_id: number
  attester: string
  amount: Amount
  recipient: string
}

/** Rewards: every distribution, fee, subsidy and vault claim, in chain order. */
export type RewardEventsTable = {
  block_number: number
  log_index: number
  timestamp: number
  kind: 'distributed' | 'fee' | 'subsidy' | 'claimed' | 'fees-swept'
  service_id: number
  /** The vault for a claim; the payer for a fee or a subsidy. */
  account: string | null
  amount: Amount
  /** A claim: the operator's commission out of `amount`. */
  commission: Amount | null
  /** A claim: the vault's pool assets after it; a distribution: the accumulator after it. */
  after: Amount | null
}

/** Stake credits (a payout a token refused to push) and order-book debts (refunds owed), per holder. */
export type CreditsTable = {
  /** The contract holding the credit (a vault, the court) or the order book's token for an `owed` row. */
  holder: string
  account: string
  kind: 'credit' | 'owed'
  credited: Amount
  withdrawn: Amount
  created_block: number
  block_number: number
}

/** Every decoded Surety event: the raw log the tables are built from (and the API's stream replays). */
export type EventsTable = {
  block_number: number
  log_index: number
  block_hash: string
  tx_hash: string
  address: string
  contract: string
  name: string
  /** Decoded arguments as JSON; bigints as decimal strings. */
  args: string
  timestamp: number
}

/** Hashes of processed blocks (sparse: batch edges and blocks with events), to find a reorg's fork point. */
export type BlocksTable = {
  number: number
  hash: string
  timestamp: number
}

/**
 * The undo log of non-final blocks: the image of a row before the first change a block made to it (null: the
 * row did not exist). A reorg restores images newest first down to the fork point; entries at or below the final
 * block are pruned.
 */
export type ChangeLogTable = {
  block_number: number
  seq: number
  table_name: string
  row_key: string
  image: string | null
}

/** Every reorg the index rolled back, newest last: what a stream tells its clients to retract. */
export type ReorgsTable = {
  seq: number
  /** The cursor before the reorg and the fork point it rolled back to. */
  from_block: number
  fork_block: number
  fork_hash: string
  /** The events removed, as JSON [[block_number, log_index, name], …]. */
  removed_events: string
  detected_at: number
}

export type IndexerStateTable = {
  key: string
  value: string
}

export type Database = {
  services: ServicesTable
  service_classes: ServiceClassesTable
  attesters: AttestersTable
  vaults: VaultsTable
  vault_rates: VaultRatesTable
  positions: PositionsTable
  withdrawals: WithdrawalsTable
  allocations: AllocationsTable
  orders: OrdersTable
  bids: BidsTable
  milestones: MilestonesTable
  slashes: SlashesTable
  attester_penalties: AttesterPenaltiesTable
  reward_events: RewardEventsTable
  credits: CreditsTable
  events: EventsTable
  blocks: BlocksTable
  change_log: ChangeLogTable
  reorgs: ReorgsTable
  indexer_state: IndexerStateTable
}

/** Entity tables: one row per thing, updated in place, undone by the change log on a reorg. */
export const ENTITY_TABLES = {
  services: ['service_id'],
  service_classes: ['service_id', 'class_id'],
  attesters: ['service_id', 'attester'],
  vaults: ['vault'],
  positions: ['vault', 'staker'],
  withdrawals: ['vault', 'owner', 'withdrawal_id'],
  allocations: ['vault', 'service_id'],
  orders: ['order_id'],
  bids: ['order_id', 'vault'],
  milestones: ['order_id', 'milestone'],
  slashes: ['slash_id'],
  credits: ['holder', 'account', 'kind'],
} as const satisfies { [T in keyof Database]?: readonly (keyof Database[T])[] }
export type EntityTable = keyof typeof ENTITY_TABLES

/** History tables: append-only, keyed by (block_number, log_index); a reorg deletes the rows above the fork. */
export const HISTORY_TABLES = ['vault_rates', 'attester_penalties', 'reward_events', 'events'] as const
export type HistoryTable = (typeof HISTORY_TABLES)[number]

/** The Amount columns of each table: the codec turns them into bigint on read and decimal text on write. */
export const AMOUNT_COLUMNS: { [T in keyof Database]: readonly string[] } = {
  services: [
    'dispute_bond',
    'min_attester_bond',
    'declared_value',
    'total_allocated',
    'reward_stake',
    'acc_per_stake',
    'rewards_distributed',
    'fees_added',
    'fees_swept',
    'subsidy_funded',
    'subsidy_balance',
    'subsidy_rate_per_second',
  ],
  service_classes: [],
  attesters: ['bond', 'slashed'],
  vaults: [
    'bond',
    'bond_withdrawal_requested',
    'pool_assets',
    'pending_liabilities',
    'total_supply',
    'total_allocated',
    'total_reserved',
    'queued_assets',
    'deposited',
    'withdrawn',
    'rewards_claimed',
    'commission_earned',
    'slashed_from_bond',
    'slashed_from_pool',
  ],
  vault_rates: ['pool_assets', 'pending_liabilities', 'total_supply', 'bond'],
  positions: ['shares', 'deposited', 'withdrawn'],
  withdrawals: ['shares', 'assets', 'claimed_assets'],
  allocations: [
    'amount',
    'queued_increase',
    'deallocation_requested',
    'reserved',
    'pending_slash',
    'reward_stake',
    'reputation_score',
    'rewards_claimed',
  ],
  orders: [
    'budget',
    'value',
    'rate_per_second',
    'price',
    'collateral',
    'paid_out',
    'fees',
    'refunded',
    'streamed',
  ],
  bids: ['price', 'collateral', 'score'],
  milestones: ['amount', 'fee'],
  slashes: [
    'signers_bitmap',
    'requested_amount',
    'amount',
    'dispute_bond',
    'dispute_bond_posted',
    'attesters_slashed',
    'from_bond',
    'from_pool',
    'to_client',
    'to_reporter',
    'to_sink',
  ],
  attester_penalties: ['amount'],
  reward_events: ['amount', 'commission', 'after'],
  credits: ['credited', 'withdrawn'],
  events: [],
  blocks: [],
  change_log: [],
  reorgs: [],
  indexer_state: [],
}

/** A row as handlers and queries see it: Amount columns as bigint. */
export type Row<T extends keyof Database> = {
  [K in keyof Database[T]]: Database[T][K] extends Amount
    ? bigint
    : Database[T][K] extends Amount | null
      ? bigint | null
      : Database[T][K]
}
