/**
 * The world's chain: one anvil with enough funded accounts for the cast, optionally persisted (`--state DIR`:
 * anvil's `--state` loads the chain from DIR/chain.json and writes it back on exit and every few seconds), plus
 * the devnet-only RPC calls the world uses (interval mining, moving the clock).
 */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createPublicClient, custom, http, numberToHex, type PublicClient, type Transport } from 'viem'
import { type Anvil, startAnvil } from '../chain/anvil.ts'
import { SuretyError } from '../errors.ts'
import { chainFor } from '../sdk/createSuretyClient.ts'
import { ACCOUNT_COUNT } from './accounts.ts'

export const CHAIN_ID = 31337
/** How far in the past a fresh world's chain starts: room for every vault's exposure delay while seeding. */
const HISTORY_SECONDS = 30 * 24 * 3600

export class PortInUseError extends SuretyError {}

/** Refuses a port something already listens on (a second `npm start` must not deploy onto the first's chain). */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer()
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `port ${port} is in use — is another devnet running? Stop it, or pick another port with --port`,
            )
          : error,
      ),
    )
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()))
  })
}

export type WorldChain = {
  anvil: Anvil
  public: PublicClient
  /** The chain was loaded from --state (resuming) rather than started fresh. */
  resumed: boolean
  rpc: (method: string, params?: unknown[]) => Promise<unknown>
  stop: () => Promise<void>
}

export async function startWorldChain(options: {
  port: number
  stateDir?: string | undefined
  onSpawn?: (child: ChildProcess) => void
}) {
  await assertPortFree(options.port)
  const statePath = options.stateDir ? join(options.stateDir, 'chain.json') : undefined
  const resumed = statePath !== undefined && existsSync(statePath)
  const extraArgs: string[] = []
  if (!resumed) extraArgs.push('--timestamp', String(Math.floor(Date.now() / 1000) - HISTORY_SECONDS))
  if (statePath) extraArgs.push('--state', statePath, '--state-interval', '10')
  const anvil = await startAnvil({
    port: options.port,
    accounts: ACCOUNT_COUNT,
    extraArgs,
    onSpawn: options.onSpawn,
  })
  const publicClient = createPublicClient({
    chain: chainFor(anvil.rpcUrl, CHAIN_ID),
    transport: http(anvil.rpcUrl, { timeout: 30_000 }),
    // the world waits for receipts of many actors at once: poll at a pace the 2-core machine shares well
    pollingInterval: 250,
  }) as PublicClient
  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
    const body = (await response.json()) as { result?: unknown; error?: { message: string } }
    if (body.error) throw new SuretyError(`${method}: ${body.error.message}`)
    return body.result
  }
  return { anvil, public: publicClient, resumed, rpc, stop: anvil.stop } satisfies WorldChain
}

/** Blocks every `seconds` from now on, as on a real chain: deadlines pass and countdowns move while idle. */
export async function startIntervalMining(chain: WorldChain, seconds: number) {
  await chain.rpc('evm_setIntervalMining', [seconds])
}

/** Mines one block stamped with the wall clock if the chain is behind it (after seeding in the past). */
export async function catchUpToWallClock(chain: WorldChain) {
  const latest = await chain.public.getBlock({ blockTag: 'latest' })
  const now = Math.floor(Date.now() / 1000)
  if (now > Number(latest.timestamp)) await chain.rpc('evm_mine', [now])
}

/** Moves chain time forward by `seconds` and mines a block (`surety devnet warp`). */
export async function warpChain(rpc: WorldChain['rpc'], seconds: number) {
  await rpc('evm_increaseTime', [seconds])
  await rpc('evm_mine', [])
}

/**
 * The transport the world's actors send with: viem's http transport with a longer timeout (a loaded machine can
 * hold an answer past the 10 s default), and a 30 % margin on gas estimates. The actors send in parallel, and an
 * estimate made against the latest block falls short when another transaction lands first in the same block and
 * changes which storage slots are fresh (a bid that becomes the best, a second reservation on a vault): without
 * the margin such a transaction reverts out of gas. Unused gas is refunded, so the margin costs nothing.
 */
export function worldTransport(rpcUrl: string): Transport {
  const inner = http(rpcUrl, { timeout: 30_000 })({ chain: chainFor(rpcUrl, CHAIN_ID) })
  return custom({
    request: async (args: { method: string; params?: unknown }) => {
      const result = await inner.request(args as never)
      if (args.method !== 'eth_estimateGas') return result
      return numberToHex((BigInt(result as string) * 13n) / 10n)
    },
  })
}
