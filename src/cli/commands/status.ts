import { parseArgs } from 'node:util'
import { formatEther } from 'viem'
import { readDeployment } from '../../chain/deployment.ts'
import { createSuretyReader } from '../../sdk/createSuretyClient.ts'
import { readNetwork } from '../../sdk/readNetwork.ts'
import { readOpenSlashes } from '../../sdk/readOpenSlashes.ts'
import { readOpenOrders } from '../../sdk/readOrder.ts'
import type { Command } from '../main.ts'
import { orderLine, tokenInfos } from '../orderText.ts'

const usage = `Usage: surety status [--deployment FILE] [--rpc URL] [--json]

Shows a live deployment: its services, every vault (bond, pool, pending slashes, allocations), the orders still
open or active, and every slash not yet settled with the time left in its dispute window or resolution. The deployment manifest defaults to
.surety/deployments/31337.json (written by \`surety devnet\` and \`surety deploy\`); --rpc overrides its RPC.`

const tokens = (wei: bigint) => Number(formatEther(wei)).toLocaleString('en-US', { maximumFractionDigits: 4 })

function countdown(seconds: bigint): string {
  if (seconds <= 0n) return 'now'
  const s = Number(seconds)
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return `${d}d ${h}h`
  return h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`
}

/** One day, the window in which a matured increase may be applied (OperatorVault.APPLY_WINDOW). */
const APPLY_WINDOW = 86_400n

/** A queued allocation increase as a staker needs to read it: how much, and when it may apply, or that it lapsed. */
export function queuedLine(increase: bigint, readyAt: bigint, now: bigint): string {
  const when = new Date(Number(readyAt) * 1000).toISOString().replace('.000Z', 'Z')
  if (now < readyAt)
    return `queued +${tokens(increase)}: may apply from ${when} (in ${countdown(readyAt - now)})`
  if (now <= readyAt + APPLY_WINDOW) return `queued +${tokens(increase)}: may apply now (since ${when})`
  return `queued +${tokens(increase)}: lapsed (not applied within a day of ${when})`
}

export const command: Command = {
  summary: 'show services, vaults, allocations, open orders and open slashes of a deployment',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { deployment: { type: 'string' }, rpc: { type: 'string' }, json: { type: 'boolean' } },
    })
    const deployment = readDeployment(values.deployment ?? '.surety/deployments/31337.json')
    const reader = createSuretyReader({
      rpcUrl: values.rpc ?? deployment.rpcUrl,
      chainId: deployment.chainId,
      addresses: deployment.addresses,
    })
    const [network, slashes, orders, block] = await Promise.all([
      readNetwork(reader),
      readOpenSlashes(reader, BigInt(deployment.blockNumber)),
      readOpenOrders(reader, { fromBlock: BigInt(deployment.blockNumber) }),
      reader.public.getBlock(),
    ])
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            chainId: deployment.chainId,
            blockTime: block.timestamp,
            ...network,
            openOrders: orders,
            openSlashes: slashes,
          },
          (_, v) => (typeof v === 'bigint' ? v.toString() : v),
        ),
      )
      return 0
    }
    console.log(`Surety on chain ${deployment.chainId} at block ${block.number}`)
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
    for (const v of network.vaults) {
      console.log(`  ${v.vault}  operator ${v.operator}`)
      console.log(
        `    bond ${tokens(v.bondAssets)}  pool ${tokens(v.poolAssets)}  pending slashes ${tokens(v.pendingLiabilities)}`,
      )
      for (const a of network.allocations.filter((x) => x.vault === v.vault)) {
        console.log(
          `    service #${a.serviceId}: allocated ${tokens(a.amount)} (counted ${tokens(a.weight)}), held by slashes ${tokens(a.pending)}`,
        )
        // a queued increase is the exposure stakers are warned of: it applies only after the exposure delay
        if (a.increase > 0n)
          console.log(`      ${queuedLine(a.increase, a.increaseReadyAt, block.timestamp)}`)
      }
    }
    console.log(`\nOpen orders (${orders.length})`)
    const tokenInfo = tokenInfos(reader)
    for (const o of orders) {
      console.log(`  ${orderLine(o, await tokenInfo(o.params.paymentToken), block.timestamp)}`)
    }
    console.log(`\nOpen slashes (${slashes.length})`)
    for (const s of slashes) {
      const deadline = s.status === 'Disputed' ? s.resolveBy : s.disputeEnd
      const clock =
        s.status === 'Upheld'
          ? 'executable now'
          : s.status === 'Disputed'
            ? `resolver has ${countdown(deadline - block.timestamp)}`
            : deadline > block.timestamp
              ? `dispute window closes in ${countdown(deadline - block.timestamp)}`
              : 'executable now'
      console.log(
        `  ${s.slashId.slice(0, 10)}…  ${s.status.padEnd(8)} vault ${s.details.vault}  service #${s.details.serviceId}  ${tokens(s.details.amount)}  ${clock}`,
      )
    }
    return 0
  },
}
