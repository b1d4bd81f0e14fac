/**
 * The one migration set, for SQLite and PostgreSQL alike, run at start by Kysely's Migrator. Migrations are
 * numbered and never edited once released: a schema change is a new entry. Column kinds map to one type per
 * dialect (`amount`: numeric(78,0) / text; `int`: bigint / integer), so both stores hold the same values.
 */
import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import type { Migration, MigrationProvider } from 'kysely/migration'
import type { Dialect } from './open.ts'

type Kind = 'int' | 'int?' | 'amount' | 'amount?' | 'text' | 'text?'
type TableSpec = { columns: Record<string, Kind>; primaryKey: string[]; indexes?: string[][] }

const entity = { created_block: 'int', block_number: 'int' } as const

/** Version 1: every table of ./schema.ts. */
const V1: Record<string, TableSpec> = {
  services: {
    columns: {
      service_id: 'int',
      owner: 'text',
      resolver: 'text',
      dispute_window: 'int',
      resolution_deadline: 'int',
      quorum_bps: 'int',
      reporter_share_bps: 'int',
      sink: 'text',
      dispute_bond: 'amount',
      correlation_window: 'int',
      correlation_multiplier_bps: 'int',
      incident_cap_bps: 'int',
      window_cap_bps: 'int',
      client_share_bps: 'int',
      attester_penalty_bps: 'int',
      min_attester_bond: 'amount',
      order_fee_bps: 'int',
      collateral_factor_bps: 'int',
      collateral_floor_bps: 'int',
      declared_value: 'amount',
      committee: 'text',
      pending_change: 'text?',
      pending_ready_at: 'int?',
      total_allocated: 'amount',
      reward_stake: 'amount',
      acc_per_stake: 'amount',
      rewards_distributed: 'amount',
      fees_added: 'amount',
      fees_swept: 'amount',
      subsidy_funded: 'amount',
      subsidy_balance: 'amount',
      subsidy_rate_per_second: 'amount',
      ...entity,
    },
    primaryKey: ['service_id'],
  },
  service_classes: {
    columns: {
      service_id: 'int',
      class_id: 'int',
      base_penalty_bps: 'int',
      jail_duration: 'int',
      permanent_ban: 'int',
      ...entity,
    },
    primaryKey: ['service_id', 'class_id'],
  },
  attesters: {
    columns: {
      service_id: 'int',
      attester: 'text',
      committee_index: 'int?',
      bond: 'amount',
      status: 'text',
      ready_at: 'int?',
      slashed: 'amount',
      ...entity,
    },
    primaryKey: ['service_id', 'attester'],
    indexes: [['attester']],
  },
  vaults: {
    columns: {
      vault: 'text',
      operator: 'text',
      withdrawal_delay: 'int',
      commission_bps: 'int',
      restaking_cap_bps: 'int',
      pending_commission_bps: 'int?',
      pending_restaking_cap_bps: 'int?',
      pending_terms_ready_at: 'int?',
      bond: 'amount',
      bond_withdrawal_requested: 'amount',
      bond_withdrawal_ready_at: 'int?',
      pool_assets: 'amount',
      pending_liabilities: 'amount',
      total_supply: 'amount',
      total_allocated: 'amount',
      total_reserved: 'amount',
      queued_assets: 'amount',
      deposited: 'amount',
      withdrawn: 'amount',
      rewards_claimed: 'amount',
      commission_earned: 'amount',
      slashed_from_bond: 'amount',
      slashed_from_pool: 'amount',
      ...entity,
    },
    primaryKey: ['vault'],
    indexes: [['operator']],
  },
  vault_rates: {
    columns: {
      vault: 'text',
      block_number: 'int',
      log_index: 'int',
      timestamp: 'int',
      pool_assets: 'amount',
      pending_liabilities: 'amount',
      total_supply: 'amount',
      bond: 'amount',
      cause: 'text',
    },
    primaryKey: ['vault', 'block_number'],
    indexes: [['block_number'], ['vault', 'timestamp']],
  },
  positions: {
    columns: {
      vault: 'text',
      staker: 'text',
      shares: 'amount',
      deposited: 'amount',
      withdrawn: 'amount',
      ...entity,
    },
    primaryKey: ['vault', 'staker'],
    indexes: [['staker']],
  },
  withdrawals: {
    columns: {
      vault: 'text',
      owner: 'text',
      withdrawal_id: 'int',
      shares: 'amount',
      assets: 'amount',
      ready_at: 'int',
      requested_at: 'int',
      claimed: 'int',
      claimed_assets: 'amount?',
      receiver: 'text?',
      ...entity,
    },
    primaryKey: ['vault', 'owner', 'withdrawal_id'],
    indexes: [['owner']],
  },
  allocations: {
    columns: {
      vault: 'text',
      service_id: 'int',
      amount: 'amount',
      queued_increase: 'amount',
      queued_ready_at: 'int?',
      deallocation_requested: 'amount',
      deallocation_ready_at: 'int?',
      reserved: 'amount',
      pending_slash: 'amount',
      reward_stake: 'amount',
      jailed_until: 'int',
      banned: 'int',
      reputation_score: 'amount',
      reputation_scored_at: 'int',
      order_successes: 'int',
      order_failures: 'int',
      rewards_claimed: 'amount',
      ...entity,
    },
    primaryKey: ['vault', 'service_id'],
    indexes: [['service_id']],
  },
  orders: {
    columns: {
      order_id: 'int',
      client: 'text',
      service_id: 'int',
      payment_token: 'text',
      named_vault: 'text',
      budget: 'amount',
      value: 'amount',
      rate_per_second: 'amount',
      bidding_ends: 'int',
      deadline: 'int',
      milestones: 'text',
      fee_bps: 'int',
      collateral_factor_bps: 'int',
      collateral_floor_bps: 'int',
      terms_hash: 'text',
      max_latency_ms: 'int',
      min_uptime_bps: 'int',
      min_temp_centi_c: 'int',
      max_temp_centi_c: 'int',
      pickup_by: 'int',
      device: 'text',
      status: 'text',
      vault: 'text',
      price: 'amount',
      collateral: 'amount',
      milestones_paid: 'int',
      paid_out: 'amount',
      fees: 'amount',
      refunded: 'amount',
      streamed: 'amount',
      accepted_at: 'int?',
      failed_class_id: 'int?',
      slash_id: 'text?',
      opened_at: 'int',
      ...entity,
    },
    primaryKey: ['order_id'],
    indexes: [['status'], ['client'], ['vault'], ['service_id']],
  },
  bids: {
    columns: {
      order_id: 'int',
      vault: 'text',
      price: 'amount',
      collateral: 'amount',
      score: 'amount',
      ...entity,
    },
    primaryKey: ['order_id', 'vault'],
  },
  milestones: {
    columns: {
      order_id: 'int',
      milestone: 'int',
      amount: 'amount?',
      fee: 'amount?',
      by_attesters: 'int?',
      paid_at: 'int?',
      result_hash: 'text?',
      ...entity,
    },
    primaryKey: ['order_id', 'milestone'],
  },
  slashes: {
    columns: {
      slash_id: 'text',
      vault: 'text',
      service_id: 'int',
      class_id: 'int',
      incident_id: 'text',
      is_order: 'int',
      order_id: 'int?',
      client: 'text',
      reporter: 'text',
      sink: 'text',
      signers_bitmap: 'amount',
      signers: 'text',
      seq: 'int',
      requested_amount: 'amount',
      amount: 'amount',
      dispute_bond: 'amount',
      client_share_bps: 'int',
      reporter_share_bps: 'int',
      jail_duration: 'int',
      permanent_ban: 'int',
      resolution_deadline: 'int',
      requested_at: 'int',
      dispute_end: 'int',
      status: 'text',
      requested_tx: 'text',
      disputed_by: 'text?',
      dispute_bond_posted: 'amount?',
      resolve_by: 'int?',
      disputed_block: 'int?',
      ruled_block: 'int?',
      ruled_tx: 'text?',
      attesters_slashed: 'amount?',
      executed_block: 'int?',
      executed_tx: 'text?',
      from_bond: 'amount?',
      from_pool: 'amount?',
      to_client: 'amount?',
      to_reporter: 'amount?',
      to_sink: 'amount?',
      jailed_until: 'int?',
      banned: 'int',
      ...entity,
    },
    primaryKey: ['slash_id'],
    indexes: [['status'], ['vault', 'seq'], ['service_id']],
  },
  attester_penalties: {
    columns: {
      block_number: 'int',
      log_index: 'int',
      tx_hash: 'text',
      service_id: 'int',
      attester: 'text',
      amount: 'amount',
      recipient: 'text',
    },
    primaryKey: ['block_number', 'log_index'],
    indexes: [['tx_hash']],
  },
  reward_events: {
    columns: {
      block_number: 'int',
      log_index: 'int',
      timestamp: 'int',
      kind: 'text',
      service_id: 'int',
      account: 'text?',
      amount: 'amount',
      commission: 'amount?',
      after: 'amount?',
    },
    primaryKey: ['block_number', 'log_index'],
    indexes: [
      ['account', 'timestamp'],
      ['service_id', 'timestamp'],
    ],
  },
  credits: {
    columns: {
      holder: 'text',
      account: 'text',
      kind: 'text',
      credited: 'amount',
      withdrawn: 'amount',
      ...entity,
    },
    primaryKey: ['holder', 'account', 'kind'],
  },
  events: {
    columns: {
      block_number: 'int',
      log_index: 'int',
      block_hash: 'text',
      tx_hash: 'text',
      address: 'text',
      contract: 'text',
      name: 'text',
      args: 'text',
      timestamp: 'int',
    },
    primaryKey: ['block_number', 'log_index'],
  },
  blocks: { columns: { number: 'int', hash: 'text', timestamp: 'int' }, primaryKey: ['number'] },
  change_log: {
    columns: { block_number: 'int', seq: 'int', table_name: 'text', row_key: 'text', image: 'text?' },
    primaryKey: ['block_number', 'seq'],
  },
  reorgs: {
    columns: {
      seq: 'int',
      from_block: 'int',
      fork_block: 'int',
      fork_hash: 'text',
      removed_events: 'text',
      detected_at: 'int',
    },
    primaryKey: ['seq'],
  },
  indexer_state: { columns: { key: 'text', value: 'text' }, primaryKey: ['key'] },
}

/** Columns later versions add, by table (version 3: the services' minAllocationDelay). */
const ADDED: Record<string, Record<string, Kind>> = { services: { min_allocation_delay: 'int' } }

/**
 * Every table's columns and their kinds as the latest migration leaves them (the bulk writer binds rows by this
 * list): a migration that adds a column adds it here too.
 */
export const TABLE_COLUMNS: Record<string, Record<string, Kind>> = Object.fromEntries(
  Object.entries(V1).map(([name, spec]) => [name, { ...spec.columns, ...ADDED[name] }]),
)
export type ColumnKind = Kind

function createTables(dialect: Dialect, tables: Record<string, TableSpec>): Migration {
  const amountType = dialect === 'postgres' ? sql`numeric(78,0)` : sql`text`
  return {
    async up(db: Kysely<any>) {
      for (const [name, spec] of Object.entries(tables)) {
        let t = db.schema.createTable(name)
        for (const [column, kind] of Object.entries(spec.columns)) {
          const base = kind.replace('?', '')
          const type = base === 'int' ? sql`bigint` : base === 'amount' ? amountType : sql`text`
          t = t.addColumn(column, type, (c) => (kind.endsWith('?') ? c : c.notNull()))
        }
        t = t.addPrimaryKeyConstraint(`${name}_pk`, spec.primaryKey as never)
        await t.execute()
        for (const columns of spec.indexes ?? []) {
          await db.schema
            .createIndex(`${name}_${columns.join('_')}`)
            .on(name)
            .columns(columns)
            .execute()
        }
      }
    },
  }
}

/**
 * Version 2: indexes that let the API's default list orders (and their common filters) read a page in key order
 * instead of sorting the whole table, and an `instance` id for the database. The API keeps rendered rows across
 * blocks (src/api/queries/rowJson.ts) keyed by the instance and the reorg count, so a database rebuilt under
 * the same path or schema (another chain at the same addresses) is never mistaken for the one it replaced.
 * The single-column indexes they extend are dropped. Left out on purpose: indexes on `events`, the table the indexer writes most (every index slows its backfill).
 */
const V2_INDEXES: Record<string, string[][]> = {
  vaults: [['created_block', 'vault']],
  orders: [
    ['status', 'order_id'],
    ['client', 'order_id'],
    ['vault', 'order_id'],
    ['block_number', 'order_id'],
  ],
  slashes: [
    ['requested_at', 'slash_id'],
    ['status', 'requested_at', 'slash_id'],
  ],
}

const v2: Migration = {
  async up(db: Kysely<any>) {
    for (const [table, list] of Object.entries(V2_INDEXES))
      for (const columns of list)
        await db.schema
          .createIndex(`${table}_${columns.join('_')}`)
          .ifNotExists()
          .on(table)
          .columns(columns)
          .execute()
    // each is a prefix of one above, which serves its lookups as well: one index to write instead of two
    for (const name of ['orders_status', 'orders_client', 'orders_vault', 'slashes_status'])
      await db.schema.dropIndex(name).ifExists().execute()
    await db.insertInto('indexer_state').values({ key: 'instance', value: randomUUID() }).execute()
  },
}

/**
 * Version 3: each service's minAllocationDelay as a column, written by the registry handler, where the API used to
 * scan the events table for it (no index on the event name). An index built before fills it from those events: a
 * service's row from its last ServiceCreated or ServiceChangeApplied, and each undo image of a non-final block
 * from the last one before that block (a reorg restores the image whole, and the column is not null).
 */
const v3: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('services')
      .addColumn('min_allocation_delay', sql`bigint`, (c) => c.notNull().defaultTo(0))
      .execute()
    const events: { block_number: number | string; args: string }[] = await db
      .selectFrom('events')
      .select(['block_number', 'args'])
      .where('contract', '=', 'registry')
      .where('name', 'in', ['ServiceCreated', 'ServiceChangeApplied'])
      .orderBy('block_number')
      .orderBy('log_index')
      .execute()
    const terms = new Map<number, { block: number; delay: number }[]>()
    for (const e of events) {
      const args = JSON.parse(e.args) as {
        serviceId: string
        params: { minAllocationDelay: number | string }
      }
      const id = Number(args.serviceId)
      const list = terms.get(id) ?? []
      list.push({ block: Number(e.block_number), delay: Number(args.params.minAllocationDelay) })
      terms.set(id, list)
    }
    /** The delay a service's terms had after every block below `block`. */
    const delayBefore = (id: number, block: number) =>
      (terms.get(id) ?? []).filter((t) => t.block < block).at(-1)?.delay ?? 0
    for (const [id, list] of terms)
      await db
        .updateTable('services')
        .set({ min_allocation_delay: list.at(-1)!.delay })
        .where('service_id', '=', id)
        .execute()
    const images: { block_number: number | string; seq: number | string; image: string }[] = await db
      .selectFrom('change_log')
      .select(['block_number', 'seq', 'image'])
      .where('table_name', '=', 'services')
      .where('image', 'is not', null)
      .execute()
    for (const entry of images) {
      const image = JSON.parse(entry.image) as Record<string, unknown>
      image.min_allocation_delay = delayBefore(Number(image.service_id), Number(entry.block_number))
      await db
        .updateTable('change_log')
        .set({ image: JSON.stringify(image) })
        .where('block_number', '=', entry.block_number)
        .where('seq', '=', entry.seq)
        .execute()
    }
  },
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: async () => ({
      '0001_tables': createTables(dialect, V1),
      '0002_api_indexes': v2,
      '0003_service_allocation_delay': v3,
    }),
  }
}
