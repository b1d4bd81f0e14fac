import { type ParseArgsConfig, parseArgs } from 'node:util'
import { InvalidInputError } from '../../errors.ts'
import { accountTable, worldAccounts } from '../../world/accounts.ts'
import { warpChain } from '../../world/chain.ts'
import { designWorld } from '../../world/design.ts'
import { formatPhases } from '../../world/phases.ts'
import { DEFAULT_SEED, startWorld } from '../../world/world.ts'
import type { Command } from '../main.ts'
import { devnetKey } from './devnet/key.ts'

const usage = `Usage: surety devnet [--port 8545] [--state DIR] [--seed N] [--fast] [--no-world] [--scenario attack]
                    [--quiet] [--json]
       surety devnet warp DURATION [--rpc http://127.0.0.1:8545]
       surety devnet key N

Starts a local chain (anvil, a block every 2 s), deploys Surety, writes .surety/deployments/31337.json, and runs a
living world on it until Ctrl-C: two services (gpu-inference, cold-chain), eight operators with bonded vaults
(three restaking on both), twenty stakers, three clients opening jobs, intents, leases and shipments, a resolver,
and the five attesters as real \`surety node\` processes probing simulated endpoints and reading signed sensor
telemetry. Endpoints fail, shipments overheat or arrive late; the nodes report, operators dispute, the resolver
rules, slashes execute and clients are paid — one line per event.

  --port N          the chain's port (default 8545); the nodes use N+10…N+14. A port in use is refused.
  --state DIR       keep the chain, the nodes' stores and the world in DIR and resume from it on the next start
                    (without it nothing survives a stop)
  --seed N          the world's script (operators, outages, shipments); the same seed gives the same world
  --fast            a block a second and the shortest windows the protocol allows (tests, the impatient)
  --no-world        contracts only: no services, nodes or actors
  --scenario attack a whale's escrow makes the GPU service worth corrupting: watch the risk line flag it
  --quiet           only the banner, warnings and errors
  --json            the banner and every event as one JSON object per line

  warp DURATION     moves a running devnet's clock forward (30s, 10m, 2h, 1d) and mines a block
  key N             prints the (public, test-only) private key of account N of the "who is who" table:
                    export SURETY_PRIVATE_KEY=$(npx surety devnet key 3)`

/** parseArgs, with an unknown or malformed option reported as bad input (exit 1, no stack trace). */
function parseOptions<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new InvalidInputError(`${(error as Error).message.split('. ')[0]}; see \`surety devnet --help\``)
    throw error
  }
}

const DURATION = /^(\d+)(s|m|h|d)$/
const UNIT = { s: 1, m: 60, h: 3600, d: 86_400 } as const

export function parseDuration(text: string): number {
  const m = DURATION.exec(text)
  if (!m) throw new InvalidInputError(`duration '${text}': give a number and a unit, e.g. 30s, 10m, 2h, 1d`)
  return Number(m[1]) * UNIT[m[2] as keyof typeof UNIT]
}

async function warp(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: { rpc: { type: 'string', default: 'http://127.0.0.1:8545' }, json: { type: 'boolean' } },
  })
  if (positionals.length !== 1) throw new InvalidInputError('give one duration, e.g. `surety devnet warp 2h`')
  const seconds = parseDuration(positionals[0]!)
  const rpc = async (method: string, params: unknown[] = []) => {
    let response: Response
    try {
      response = await fetch(values.rpc!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      })
    } catch (cause) {
      throw new InvalidInputError(`no devnet answers at ${values.rpc}: start one with \`npm start\``, {
        cause,
      })
    }
    const body = (await response.json()) as { result?: unknown; error?: { message: string } }
    if (body.error)
      throw new InvalidInputError(
        `${values.rpc} refused ${method} (${body.error.message}): is it a devnet (anvil)?`,
      )
    return body.result
  }
  await warpChain(rpc, seconds)
  const block = (await rpc('eth_getBlockByNumber', ['latest', false])) as {
    timestamp: string
    number: string
  }
  const at = new Date(Number(BigInt(block.timestamp)) * 1000).toISOString()
  if (values.json)
    console.log(JSON.stringify({ seconds, block: Number(BigInt(block.number)), timestamp: at }))
  else
    console.log(
      `moved the devnet's clock forward ${positionals[0]}: block ${BigInt(block.number)} is stamped ${at}`,
    )
  return 0
}

export const command: Command = {
  summary: 'run the devnet: a local chain with Surety and a living world (what `npm start` runs)',
  usage,
  async run(args) {
    if (args[0] === 'warp') return warp(args.slice(1))
    if (args[0] === 'key') return devnetKey(args.slice(1))
    const { values, positionals } = parseOptions({
      args,
      allowPositionals: true,
      options: {
        port: { type: 'string', default: '8545' },
        state: { type: 'string' },
        seed: { type: 'string', default: String(DEFAULT_SEED) },
        fast: { type: 'boolean' },
        'no-world': { type: 'boolean' },
        scenario: { type: 'string', default: 'none' },
        quiet: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    })
    if (positionals.length > 0)
      throw new InvalidInputError(
        `unknown argument '${positionals[0]}'; the subcommands are \`warp\` and \`key\``,
      )
    const port = Number(values.port)
    if (!Number.isInteger(port) || port <= 0 || port > 65_535 - 100)
      throw new InvalidInputError(`--port must be a TCP port below 65435, got '${values.port}'`)
    const seed = Number(values.seed)
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31)
      throw new InvalidInputError(`--seed must be a whole number from 0 to 2^31, got '${values.seed}'`)
    if (values.scenario !== 'none' && values.scenario !== 'attack')
      throw new InvalidInputError(`--scenario: the only scenario is 'attack', got '${values.scenario}'`)
    const json = values.json === true
    const world = await startWorld({
      port,
      stateDir: values.state,
      seed,
      profile: values.fast ? 'fast' : 'demo',
      world: !values['no-world'],
      scenario: values.scenario,
      quiet: values.quiet === true,
      json,
      manifestDir: '.surety/deployments',
    })
    // Hold the process open until asked to stop; if a child dies on its own, say which and stop everything.
    const keepAlive = setInterval(() => {}, 1 << 30)
    const parent = process.ppid
    let orphanWatch: NodeJS.Timeout | undefined
    // (the listeners go on before the banner is printed: a caller that reads the banner and sends SIGINT at once
    // reached a process without them when it was descheduled right after the write, and the signal's default
    // killed it mid-way, its children left to the reaper; orphans.e2e.test.ts under load)
    const stopped = new Promise<string>((resolve) => {
      // Listeners stay on for the whole stop: Ctrl-C reaches this process both from the terminal and relayed by a
      // wrapper (npx, tsx), and a second SIGINT without a listener would kill it mid-stop. A third one means
      // the user insists: stop at once (the reaper still stops the children).
      let signals = 0
      const on = (why: string) => () => {
        signals++
        if (signals === 1) resolve(why)
        else if (signals >= 3) {
          console.error('devnet: stopping at once, without waiting for the children (asked three times)')
          process.exit(130)
        }
      }
      process.on('SIGINT', on('interrupted'))
      process.on('SIGTERM', on('terminated'))
      process.on('SIGHUP', on('hung up'))
      // `npm start` runs this under npm and a shell; a SIGTERM to npm ends npm without passing it on, which used
      // to leave the world and its nodes running without a parent: when the parent goes, stop as if told to
      orphanWatch = setInterval(() => {
        if (process.ppid !== parent) resolve('its parent process exited')
      }, 1_000)
      world.failed.then(resolve)
    })
    printBanner(world.banner, json, world.state.seed)
    const reason = await stopped
    clearInterval(keepAlive)
    clearInterval(orphanWatch)
    const crashed = !['interrupted', 'terminated', 'hung up', 'its parent process exited'].includes(reason)
    if (crashed) console.error(`devnet stopping: ${reason}`)
    await world.stop()
    const where = values.state
      ? `its state is in ${values.state} (start again with --state ${values.state} to resume)`
      : 'nothing was kept (use --state DIR to keep the world across restarts)'
    if (json) console.log(JSON.stringify({ event: 'stopped', reason, state: values.state ?? null }))
    else console.error(`devnet stopped (${crashed ? 'a child crashed' : reason}); ${where}`)
    return crashed ? 1 : 0
  },
}

function printBanner(banner: Record<string, unknown>, json: boolean, seed: number) {
  if (json) {
    console.log(JSON.stringify({ event: 'ready', ...banner }))
    return
  }
  const design = designWorld(seed)
  const lines = [
    `Surety devnet ready — chain ${banner.chainId} at ${banner.rpcUrl} (seed ${banner.seed}, ${banner.profile}${banner.resumed ? ', resumed' : ''})`,
    `  ${formatPhases(banner.timing as Parameters<typeof formatPhases>[0])} (seconds since launch)`,
    `  manifest   ${banner.manifest}`,
  ]
  for (const [name, address] of Object.entries(banner.addresses as Record<string, string>))
    lines.push(`  ${name.padEnd(11)}${address}`)
  const nodes = banner.nodes as { name: string; api: string; address: string }[] | undefined
  if (nodes) {
    lines.push('', 'Attester nodes (status: <api>/v1/status, metrics: <api>/metrics):')
    for (const n of nodes) lines.push(`  ${n.name}  ${n.api}  ${n.address}`)
    for (const p of (banner.plugins as { label: string; url: string }[]) ?? [])
      lines.push(`  ${p.label.padEnd(10)}${p.url}`)
    lines.push(
      '',
      'Who is who (accounts of the standard test mnemonic; a key: `export SURETY_PRIVATE_KEY=$(npx surety devnet key N)`):',
    )
    for (const r of accountTable(
      worldAccounts(),
      design.operators.map((o) => o.name),
    ))
      lines.push(`  ${String(r.index).padStart(2)}  ${r.role.padEnd(22)}${r.address}`)
    const hf = banner.hardFailure as { operator: string; from: string }
    lines.push(
      '',
      `The script: ${hf.operator}'s endpoint fails hard at ${hf.from.slice(11, 19)} UTC; two others are flaky; some shipments overheat or arrive late.`,
      'Try: npx surety status · npx surety order list · npx surety devnet warp 10m · npx surety risk snapshot --rpc ' +
        `${banner.rpcUrl} --out net.json && npx surety risk analyze --input net.json`,
    )
  } else lines.push('', 'Contracts only (--no-world): accounts are those of the standard test mnemonic.')
  lines.push(
    banner.state
      ? `State is kept in ${banner.state}.`
      : 'Nothing is kept on stop (--state DIR keeps the world).',
    'Ctrl-C stops everything.',
    '',
  )
  console.log(lines.join('\n'))
}
