import { collect } from '../../sdk/api/createApiClient.ts'
import { readNetwork } from '../../sdk/readNetwork.ts'
import { readOpenSlashes } from '../../sdk/readOpenSlashes.ts'
import { readOpenOrders } from '../../sdk/readOrder.ts'
import { networkFromApi, openSlashFromApi, orderFromApi } from '../fromApi.ts'
import { vaultLabel } from '../lib/chain.ts'
import { beginRead } from '../lib/command.ts'
import type { Context } from '../lib/connect.ts'
import { CONNECTION_HELP } from '../lib/options.ts'
import { type ApiSource, chooseSource, sourceLine } from '../lib/readSource.ts'
import { date, duration } from '../lib/time.ts'
import { formatToken, type Token, tokenReader } from '../lib/units.ts'
import type { Command } from '../main.ts'
import { orderLine } from '../orderText.ts'

const usage = `Usage: surety status [--json]

Shows a live deployment: its services, every vault (bond, pool, pending slashes, allocations with queued
increases and when they may apply), the orders still open or active, and every slash not yet settled with the
time left in its dispute window or resolution.

${CONNECTION_HELP}`

const countdown = (seconds: bigint) => (seconds <= 0n ? 'now' : duration(seconds))

/** One day, the window in which a matured increase may be applied (OperatorVault.APPLY_WINDOW). */
const APPLY_WINDOW = 86_400n

/** A queued allocation increase as a staker needs to read it: how much, and when it may apply, or that it lapsed. */
export function queuedLine(
  increase: bigint,
  readyAt: bigint,
  now: bigint,
  token: Pick<Token, 'symbol' | 'decimals'> = { symbol: 'STK', decimals: 18 },
): string {
  const amount = formatToken(increase, token)
  if (now < readyAt)
    return `queued +${amount}: may apply from ${date(readyAt)} (in ${duration(readyAt - now)})`
  if (now <= readyAt + APPLY_WINDOW) return `queued +${amount}: may apply now (since ${date(readyAt)})`
  return `queued +${amount}: lapsed (not applied within a day of ${date(readyAt)})`
}

export const command: Command = {
  summary: 'show services, vaults, allocations, open orders and open slashes of a deployment',
  usage,
  async run(args) {
    const { values, ctx } = await beginRead('status', args)
    const { deployment, reader } = ctx
    const tokens = (wei: bigint) => formatToken(wei, ctx.stake)
    const source = await chooseSource(ctx, values)
    const [{ network, slashes, orders, block }, now] = await Promise.all([
      source ? readFromApi(source) : readFromChain(ctx),
      ctx.now(),
    ])
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            chainId: deployment.chainId,
            blockTime: now,
            ...network,
            openOrders: orders,
            openSlashes: slashes,
          },
          (_, v) => (typeof v === 'bigint' ? v.toString() : v),
        ),
      )
      return 0
    }
    console.log(`Surety on chain ${deployment.chainId} at block ${block}`)
    console.log(`\nServices (${network.services.length})`)
    for (const s of network.services) {
      const allocated = network.allocations
        .filter((a) => a.serviceId === s.id)
        .reduce((t, a) => t + a.amount, 0n)
      console.log(
        `  #${s.id}  quorum ${s.quorumBps / 100}%  declared value ${tokens(s.declaredValue)}  allocated ${tokens(allocated)}`,
      )
    }
    console.log(`\nVaults (${network.vaults.length})`)
    // by name as well (the devnet's log and the dashboard speak of gpu-1, cold-2…); the address stays beside it,
    // since a name is the operator's own text and may imitate another's
    const labels = await Promise.all(network.vaults.map((v) => vaultLabel(ctx, v.vault)))
    for (const [i, v] of network.vaults.entries()) {
      console.log(`  ${labels[i]!.name}  ${v.vault}  operator ${v.operator}`)
      console.log(
        `    bond ${tokens(v.bondAssets)}  pool ${tokens(v.poolAssets)}  pending slashes ${tokens(v.pendingLiabilities)}`,
      )
      for (const a of network.allocations.filter((x) => x.vault === v.vault)) {
        console.log(
          `    service #${a.serviceId}: allocated ${tokens(a.amount)} (counted ${tokens(a.weight)}), held by slashes ${tokens(a.pending)}`,
        )
        // a queued increase is the exposure stakers are warned of: it applies only after the exposure delay
        if (a.increase > 0n) console.log(`      ${queuedLine(a.increase, a.increaseReadyAt, now, ctx.stake)}`)
      }
    }
    console.log(`\nOpen orders (${orders.length})`)
    const tokenInfo = tokenReader(reader)
    for (const o of orders) {
      console.log(`  ${orderLine(o, await tokenInfo(o.params.paymentToken), now)}`)
    }
    console.log(`\nOpen slashes (${slashes.length})`)
    for (const s of slashes) {
      const deadline = s.status === 'Disputed' ? s.resolveBy : s.disputeEnd
      const clock =
        s.status === 'Upheld'
          ? 'executable now'
          : s.status === 'Disputed'
            ? deadline > now
              ? `resolver has ${countdown(deadline - now)}`
              : 'resolver missed its deadline: lapsable now'
            : deadline > now
              ? `dispute window closes in ${countdown(deadline - now)}`
              : 'executable now'
      console.log(
        `  ${s.slashId}  ${s.status.padEnd(8)} vault ${s.details.vault}  service #${s.details.serviceId}  ${tokens(s.details.amount)}  ${clock}`,
      )
    }
    if (source) console.log(`\n${sourceLine(source)}`)
    return 0
  },
}

/** The deployment as the chain holds it now: every figure read from the contracts and their logs. */
async function readFromChain(ctx: Context) {
  const from = BigInt(ctx.deployment.blockNumber)
  const [network, slashes, orders, head] = await Promise.all([
    readNetwork(ctx.reader),
    readOpenSlashes(ctx.reader, from),
    readOpenOrders(ctx.reader, { fromBlock: from }),
    ctx.reader.public.getBlockNumber(),
  ])
  return { network, slashes, orders, block: head }
}

/**
 * The same figures from the API: open orders are Open then Active ones merged by id (readOpenOrders' order), open
 * slashes the Pending, Disputed and Upheld ones in the order they were requested.
 */
async function readFromApi(source: ApiSource) {
  const { api } = source
  const all = <T>(items: AsyncIterable<T>) => collect(items)
  const [network, open, active, ...slashLists] = await Promise.all([
    networkFromApi(api),
    all(api.orders.all({ status: 'Open', sort: 'id', order: 'asc', limit: 500 })),
    all(api.orders.all({ status: 'Active', sort: 'id', order: 'asc', limit: 500 })),
    ...(['Pending', 'Disputed', 'Upheld'] as const).map((status) =>
      all(api.slashes.all({ status, sort: 'requested', order: 'asc', limit: 500 })),
    ),
  ])
  const orders = [...open, ...active].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id))).map(orderFromApi)
  const slashes = slashLists
    .flat()
    .sort((a, b) => a.createdBlock - b.createdBlock || a.report.requestedAt.unix - b.report.requestedAt.unix)
    .map(openSlashFromApi)
  // each answer reflects the indexed block at its request, this one or a later one
  return { network, slashes, orders, block: BigInt(source.block.number) }
}
