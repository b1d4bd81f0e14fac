/** /v1/network: the whole deployment summed up (stake, orders and slashes by status, rewards). */
import { read } from '../context.ts'
import { amount } from '../format.ts'
import { errorResponses, itemResponse } from '../schemas/common.ts'
import { Network } from '../schemas/network.ts'
import type { RoutePlugin } from './shared.ts'

export const networkRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/network',
    {
      schema: {
        tags: ['network'],
        summary: 'Network summary',
        response: { 200: itemResponse(Network), ...errorResponses },
      },
    },
    async () =>
      read(ctx, async ({ db, state }) => {
        const [vaults, services, orders, slashes, attesters, stakers] = await Promise.all([
          db
            .selectFrom('vaults')
            .select([
              'operator',
              'bond',
              'pool_assets',
              'total_allocated',
              'total_reserved',
              'pending_liabilities',
            ])
            .execute(),
          db.selectFrom('services').select('rewards_distributed').execute(),
          db
            .selectFrom('orders')
            .select(['status', db.fn.countAll<number>().as('n')])
            .groupBy('status')
            .execute(),
          db.selectFrom('slashes').select(['status', 'amount', 'from_bond', 'from_pool']).execute(),
          // a row is one attester on one service's committee: people, not seats, are counted
          Promise.all([
            db
              .selectFrom('attesters')
              .select(db.fn.count<number>('attester').distinct().as('n'))
              .where('status', '=', 'active')
              .executeTakeFirst(),
            db
              .selectFrom('attesters')
              .select(db.fn.count<number>('attester').distinct().as('n'))
              .executeTakeFirst(),
          ]),
          db
            .selectFrom('positions')
            .select(db.fn.count<number>('staker').distinct().as('n'))
            .where('shares', '<>', '0')
            // the dead share a vault mints to itself at creation (the inflation guard) is not a staker
            .whereRef('staker', '<>', 'vault')
            .executeTakeFirst(),
        ])
        const sum = (xs: (string | null)[]) => xs.reduce((a, x) => a + BigInt(x ?? 0), 0n)
        const a = (v: bigint) => amount(v, ctx.decimals)
        const bond = sum(vaults.map((v) => v.bond))
        const pool = sum(vaults.map((v) => v.pool_assets))
        const slashByStatus: Record<string, number> = {}
        let pending = 0n
        let executed = 0n
        for (const s of slashes) {
          slashByStatus[s.status] = (slashByStatus[s.status] ?? 0) + 1
          if (s.status === 'Pending' || s.status === 'Disputed' || s.status === 'Upheld')
            pending += BigInt(s.amount)
          executed += BigInt(s.from_bond ?? 0) + BigInt(s.from_pool ?? 0)
        }
        const orderByStatus = Object.fromEntries(orders.map((o) => [o.status, Number(o.n)]))
        return {
          chainId: state.chainId,
          addresses: Object.fromEntries(
            Object.entries(state.addresses ?? {}).map(([k, v]) => [k, v.toLowerCase()]),
          ),
          services: services.length,
          vaults: vaults.length,
          operators: new Set(vaults.map((v) => v.operator)).size,
          stakers: Number(stakers?.n ?? 0),
          attesters: {
            active: Number(attesters[0]?.n ?? 0),
            total: Number(attesters[1]?.n ?? 0),
          },
          stake: {
            bond: a(bond),
            pool: a(pool),
            total: a(bond + pool),
            allocated: a(sum(vaults.map((v) => v.total_allocated))),
            reserved: a(sum(vaults.map((v) => v.total_reserved))),
            pendingLiabilities: a(sum(vaults.map((v) => v.pending_liabilities))),
          },
          orders: { total: Object.values(orderByStatus).reduce((x, y) => x + y, 0), byStatus: orderByStatus },
          slashes: {
            total: slashes.length,
            byStatus: slashByStatus,
            pendingAmount: a(pending),
            executedAmount: a(executed),
          },
          rewards: { distributed: a(sum(services.map((s) => s.rewards_distributed))) },
          indexer: {
            head: state.head === null ? null : Number(state.head),
            finalityDepth: state.finalityDepth,
            halted: state.halted,
          },
        }
      }),
  )
}
