import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

export type NetworkSummary = {
  services: number
  vaults: number
  stakers: number
  attesters: number
  /** Sums over every vault. */
  bondAssets: bigint
  poolAssets: bigint
  pendingLiabilities: bigint
  totalAllocated: bigint
  openOrders: number
  activeOrders: number
  pendingSlashes: number
  executedSlashes: number
  slashedAssets: bigint
  rewardsClaimed: bigint
}

/** Totals of the whole deployment (amounts summed in bigint: SQLite's SUM would go through floating point). */
export async function networkSummary(db: Kysely<Database>): Promise<NetworkSummary> {
  const count = async (q: Promise<{ n: number | string | bigint } | undefined>) => Number((await q)?.n ?? 0)
  const vaults = await db
    .selectFrom('vaults')
    .select([
      'bond',
      'pool_assets',
      'pending_liabilities',
      'total_allocated',
      'slashed_from_bond',
      'slashed_from_pool',
      'rewards_claimed',
    ])
    .execute()
  const sum = (k: keyof (typeof vaults)[number]) => vaults.reduce((s, v) => s + BigInt(v[k]), 0n)
  const slashCounts = await db
    .selectFrom('slashes')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  const orderCounts = await db
    .selectFrom('orders')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['Open', 'Active'])
    .groupBy('status')
    .execute()
  const by = (rows: { status: string; n: number | string | bigint }[], ...statuses: string[]) =>
    rows.filter((r) => statuses.includes(r.status)).reduce((s, r) => s + Number(r.n), 0)
  return {
    services: await count(
      db
        .selectFrom('services')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst(),
    ),
    vaults: vaults.length,
    stakers: await count(
      db
        .selectFrom('positions')
        .select((eb) => eb.fn.count<number>('staker').distinct().as('n'))
        .where('shares', '!=', '0')
        .executeTakeFirst(),
    ),
    attesters: await count(
      db
        .selectFrom('attesters')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .executeTakeFirst(),
    ),
    bondAssets: sum('bond'),
    poolAssets: sum('pool_assets'),
    pendingLiabilities: sum('pending_liabilities'),
    totalAllocated: sum('total_allocated'),
    openOrders: by(orderCounts, 'Open'),
    activeOrders: by(orderCounts, 'Active'),
    pendingSlashes: by(slashCounts, 'Pending', 'Disputed', 'Upheld'),
    executedSlashes: by(slashCounts, 'Executed'),
    slashedAssets: sum('slashed_from_bond') + sum('slashed_from_pool'),
    rewardsClaimed: sum('rewards_claimed'),
  }
}
