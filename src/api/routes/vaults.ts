/** /v1/vaults, /v1/vaults/{address} and its exchange-rate history, stakers and withdrawals. */
import { Type } from 'typebox'
import { toView } from '../../indexer/db/codec.ts'
import { netPoolAssets, toAssetsDown } from '../../model/sharesMath.ts'
import { read, type Snapshot } from '../context.ts'
import { NotFoundError } from '../errors.ts'
import { amount, time } from '../format.ts'
import { listPage, type SortColumn } from '../queries/list.ts'
import { Address, Amount, errorResponses, itemResponse, listResponse, Time } from '../schemas/common.ts'
import { Position, positionJson, Withdrawal, withdrawalJson } from '../schemas/position.ts'
import { Vault, vaultJson } from '../schemas/vault.ts'
import { listQuery, listRequest, lower, type RoutePlugin, renderedList } from './shared.ts'

const SORTS = {
  created: [{ column: 'created_block', kind: 'int' }],
  bond: [{ column: 'bond', kind: 'amount' }],
  poolAssets: [{ column: 'pool_assets', kind: 'amount' }],
  totalAllocated: [{ column: 'total_allocated', kind: 'amount' }],
} satisfies Record<string, SortColumn[]>
const KEY: SortColumn = { column: 'vault', kind: 'text' }

export const addressParam = Type.Object({ address: Address }, { additionalProperties: false })

export async function vaultRow(snap: Snapshot, address: string) {
  const row = await snap.db
    .selectFrom('vaults')
    .selectAll()
    .where('vault', '=', address.toLowerCase())
    .executeTakeFirst()
  if (!row) throw new NotFoundError(`no vault ${address.toLowerCase()} is indexed`)
  return toView('vaults', row)
}

const Rate = Type.Object({
  block: Type.Integer(),
  logIndex: Type.Integer(),
  time: Time,
  cause: Type.String({ description: 'the event that changed the rate inputs' }),
  poolAssets: Amount,
  pendingLiabilities: Amount,
  bond: Amount,
  totalShares: Amount,
  sharePrice: { ...Amount, description: 'assets one whole share was worth after this event' },
})

export const vaultsRoutes: RoutePlugin = async (app, { ctx }) => {
  app.get(
    '/v1/vaults',
    {
      schema: {
        tags: ['vaults'],
        summary: 'Operator vaults',
        querystring: listQuery(['created', 'bond', 'poolAssets', 'totalAllocated'], {
          operator: Type.Optional(Address),
        }),
        response: { 200: listResponse(Vault), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'created')
      return renderedList(ctx, r, (snap) => {
        let q = snap.db.selectFrom('vaults')
        if (req.query.operator) q = q.where('operator', '=', lower(req.query.operator)!)
        return {
          table: 'vaults',
          key: KEY,
          query: q,
          sort: SORTS[r.sort],
          constants: String(ctx.decimals),
          render: (row) => vaultJson(toView('vaults', row), snap.block.finalNumber, ctx.decimals),
        }
      }) as never
    },
  )

  app.get(
    '/v1/vaults/:address',
    {
      schema: {
        tags: ['vaults'],
        summary: 'One vault',
        params: addressParam,
        response: { 200: itemResponse(Vault), ...errorResponses },
      },
    },
    async (req) =>
      read(ctx, async (snap) =>
        vaultJson(await vaultRow(snap, req.params.address), snap.block.finalNumber, ctx.decimals),
      ),
  )

  app.get(
    '/v1/vaults/:address/rates',
    {
      schema: {
        tags: ['vaults'],
        summary: "A vault's exchange-rate history, one entry per change of its rate inputs",
        params: addressParam,
        querystring: listQuery(['block'], {}),
        response: { 200: listResponse(Rate), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'block')
      const { block, data } = await read(ctx, async (snap) => {
        const vault = await vaultRow(snap, req.params.address)
        const q = snap.db.selectFrom('vault_rates').selectAll().where('vault', '=', vault.vault)
        const page = await listPage<Record<string, unknown>>(
          ctx.dialect,
          q,
          [],
          [
            { column: 'block_number', kind: 'int' },
            { column: 'log_index', kind: 'int' },
          ],
          r,
        )
        const items = page.rows.map((row) => {
          const x = toView('vault_rates', row)
          const net = netPoolAssets(x.poolAssets, x.bond, x.pendingLiabilities)
          return {
            block: x.blockNumber,
            logIndex: x.logIndex,
            time: time(x.timestamp),
            cause: x.cause,
            poolAssets: amount(x.poolAssets, ctx.decimals),
            pendingLiabilities: amount(x.pendingLiabilities, ctx.decimals),
            bond: amount(x.bond, ctx.decimals),
            totalShares: amount(x.totalSupply, 18),
            sharePrice: amount(toAssetsDown(10n ** 18n, net, x.totalSupply), ctx.decimals),
          }
        })
        return { next: page.next, items }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/vaults/:address/positions',
    {
      schema: {
        tags: ['vaults'],
        summary: "A vault's stakers and their positions",
        params: addressParam,
        querystring: listQuery(['shares'], {}),
        response: { 200: listResponse(Position), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'shares')
      const { block, data } = await read(ctx, async (snap) => {
        const vault = await vaultRow(snap, req.params.address)
        const q = snap.db.selectFrom('positions').selectAll().where('vault', '=', vault.vault)
        const page = await listPage<Record<string, unknown>>(
          ctx.dialect,
          q,
          [{ column: 'shares', kind: 'amount' }],
          [{ column: 'staker', kind: 'text' }],
          r,
        )
        const items = page.rows.map((row) =>
          positionJson(toView('positions', row), vault, snap.block.finalNumber, ctx.decimals),
        )
        return { next: page.next, items }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )

  app.get(
    '/v1/vaults/:address/withdrawals',
    {
      schema: {
        tags: ['vaults'],
        summary: "A vault's queued and claimed withdrawals",
        params: addressParam,
        querystring: listQuery(['readyAt'], { claimed: Type.Optional(Type.Boolean()) }),
        response: { 200: listResponse(Withdrawal), ...errorResponses },
      },
    },
    async (req) => {
      const r = listRequest(req.query, 'readyAt')
      const { block, data } = await read(ctx, async (snap) => {
        const vault = await vaultRow(snap, req.params.address)
        let q = snap.db.selectFrom('withdrawals').selectAll().where('vault', '=', vault.vault)
        if (req.query.claimed !== undefined) q = q.where('claimed', '=', req.query.claimed ? 1 : 0)
        const page = await listPage<Record<string, unknown>>(
          ctx.dialect,
          q,
          [{ column: 'ready_at', kind: 'int' }],
          WITHDRAWAL_KEY,
          r,
        )
        return {
          next: page.next,
          items: page.rows.map((row) =>
            withdrawalJson(toView('withdrawals', row), snap.block.finalNumber, ctx.decimals),
          ),
        }
      })
      return { block, data: data.items, page: { next: data.next, limit: r.limit } }
    },
  )
}

export const WITHDRAWAL_KEY: SortColumn[] = [
  { column: 'vault', kind: 'text' },
  { column: 'owner', kind: 'text' },
  { column: 'withdrawal_id', kind: 'int' },
]
