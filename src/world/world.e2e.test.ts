/**
 * `npm start` as a user runs it: the devnet world as a real process (the CLI, `--fast`), observed from outside
 * through the chain, the CLI and the process table. Within a bounded number of blocks the world must show its
 * whole story — orders opened and paid on the nodes' attestation, an incident reported by a quorum of the node
 * processes, a slash disputed and ruled on, slashes executed and clients paid — and its risk snapshot must be
 * certified secure with slack γ > 0.1. Stopped with SIGINT it leaves no process behind; restarted with the same
 * `--state` it resumes the same chain and world without retelling or resending anything. Its API (over the
 * in-process indexer) becomes ready and serves the indexed deployment, and its dashboard serves the built pages.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { createPublicClient, type Hex, http, type PublicClient } from 'viem'
import { freePort } from '../chain/anvil.ts'
import { contractCalls } from '../node/testing/cluster.ts'
import { analyzeNetwork } from '../risk/analyze.ts'
import { parseRiskInput } from '../risk/input.ts'
import { toNumber } from '../risk/rational.ts'
import { certifiedSlack } from '../risk/slack.ts'
import { snapshotFromRpc } from '../risk/snapshotRpc.ts'
import { orderBookAbi, slashingCourtAbi } from '../sdk/abis.ts'
import { chainFor } from '../sdk/createSuretyClient.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { followJsonLines, type WorldEvent } from './testing/jsonLines.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')
const cwd = mkdtempSync(join(tmpdir(), 'surety-world-e2e-'))
const stateDir = join(cwd, 'state')
/** The story must be told within this many blocks of the world being ready (a block a second with --fast). */
const STORY_BLOCKS = 240n

type Event = WorldEvent
type World = { child: ChildProcess; events: Event[]; stderr: string[]; exited: Promise<number | null> }

const children: ChildProcess[] = []
after(async () => {
  // a failed assertion leaves a world running: stop it as a user would (SIGTERM stops its chain and nodes too),
  // killing it outright only if it does not stop
  await Promise.all(
    children
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map(async (c) => {
        const exited = new Promise((r) => c.once('exit', r))
        c.kill('SIGTERM')
        const timer = setTimeout(() => c.kill('SIGKILL'), 30_000)
        await exited
        clearTimeout(timer)
      }),
  )
  if (!process.env.SURETY_KEEP_TEST_DIRS) rmSync(cwd, { recursive: true, force: true })
})

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
  })
}

function startWorld(port: number): World {
  const child = spawn(
    process.execPath,
    [
      '--import',
      TSX,
      join(ROOT, 'src/cli/main.ts'),
      'devnet',
      '--fast',
      '--seed',
      '7',
      '--port',
      String(port),
      '--state',
      stateDir,
      '--json',
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.push(child)
  const { events, stderr } = followJsonLines(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, events, stderr, exited }
}

async function ready(w: World): Promise<Event> {
  // a guard against a hang, not an assertion about speed: starting five nodes on a loaded machine takes a while
  const deadline = Date.now() + 300_000
  for (;;) {
    const event = w.events.find((e) => e.event === 'ready')
    if (event) return event
    assert.equal(w.child.exitCode, null, `the world exited before it was ready:\n${w.stderr.join('')}`)
    assert.ok(Date.now() < deadline, `the world never reported ready:\n${w.stderr.join('')}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Polls `check` once per block until it holds; fails once the chain is `blocks` past `from`. */
async function withinBlocks<T>(
  client: PublicClient,
  from: bigint,
  blocks: bigint,
  what: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  for (;;) {
    const head = await client.getBlockNumber({ cacheTime: 0 })
    const value = await check()
    if (value !== undefined) return value
    assert.ok(head <= from + blocks, `${what}: not seen within ${blocks} blocks (block ${from} to ${head})`)
    await new Promise((r) => setTimeout(r, 1_000))
  }
}

/** The banner's URL labelled `label` (the API plugin's `API` and `Dashboard`). */
function pluginUrl(banner: Event, label: string): string {
  const found = (banner.plugins as { label: string; url: string }[]).find((p) => p.label === label)
  assert.ok(found, `the banner lists the ${label} URL: ${JSON.stringify(banner.plugins)}`)
  return found.url
}

/** Polls the API's /ready once per block until it answers 200 (the index reached head − finality depth). */
async function apiReady(client: PublicClient, api: string) {
  const from = await client.getBlockNumber({ cacheTime: 0 })
  await withinBlocks(client, from, 60n, `${api}/ready answering 200`, async () =>
    (await fetch(`${api}/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
  )
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function pidsOf(banner: Event): number[] {
  const nodes = banner.nodes as { pid: number }[]
  return [banner.anvilPid as number, (banner.endpoints as { pid: number }).pid, ...nodes.map((n) => n.pid)]
}

async function stopAndCheckOrphans(w: World, banner: Event, signal: NodeJS.Signals) {
  w.child.kill(signal)
  assert.equal(await w.exited, 0, `the world stops cleanly on ${signal}:\n${w.stderr.join('').slice(-2000)}`)
  const pids = pidsOf(banner)
  assert.equal(pids.length, 7, 'the chain, the endpoint server and five nodes')
  assert.deepEqual(
    pids.filter(alive),
    [],
    `no child outlives the world after ${signal} (chain, endpoints, nodes)`,
  )
}

test('npm start: the world tells its whole story, is certified secure, stops cleanly and resumes from --state', async () => {
  // `npm start` builds the dashboard first (prestart); so does this test when the checkout has no build
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    const build = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, encoding: 'utf8' })
    assert.equal(build.status, 0, `npm run build:web:\n${build.stdout}${build.stderr}`)
  }
  const port = 20_000 + ((await freePort()) % 20_000)
  const first = startWorld(port)
  const banner = await ready(first)
  assert.equal(banner.resumed, false)
  const rpcUrl = banner.rpcUrl as string
  const addresses = banner.addresses as SuretyAddresses
  const client = createPublicClient({
    chain: chainFor(rpcUrl, 31337),
    transport: http(rpcUrl),
  }) as PublicClient
  // the API over the in-process index: ready, and serving the deployment the world seeded
  const api = pluginUrl(banner, 'API')
  await apiReady(client, api)
  const network = (await (await fetch(`${api}/v1/network`)).json()) as {
    block: { number: string }
    data: { services: number; vaults: number }
  }
  assert.ok(
    network.data.services >= 1,
    `the index holds the world's services: ${JSON.stringify(network.data)}`,
  )
  assert.ok(
    network.data.vaults >= 1,
    `the index holds the operators' vaults: ${JSON.stringify(network.data)}`,
  )
  // the dashboard: the built page, and its config naming this chain
  const page = await fetch(pluginUrl(banner, 'Dashboard'))
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type') ?? '', /text\/html/)
  assert.match(await page.text(), /<!doctype html>/i)
  const config = (await (await fetch(`${api}/v1/dashboard/config`)).json()) as {
    chainId: number
    devnet: boolean
    rpcUrl: string
  }
  assert.deepEqual([config.chainId, config.devnet, config.rpcUrl], [31337, true, rpcUrl])

  const start = await client.getBlockNumber({ cacheTime: 0 })
  const events = <const N extends string>(abi: typeof slashingCourtAbi | typeof orderBookAbi, eventName: N) =>
    client.getContractEvents({
      address: abi === slashingCourtAbi ? addresses.court : addresses.orders,
      abi,
      eventName: eventName as never,
      fromBlock: 0n,
    }) as Promise<{ args: Record<string, unknown>; blockNumber: bigint }[]>
  const some = async <T>(list: Promise<T[]>, min = 1) => {
    const xs = await list
    return xs.length >= min ? xs : undefined
  }

  // clients open orders; the nodes attest milestones and the order book pays them
  await withinBlocks(client, start, STORY_BLOCKS, 'orders opened', () =>
    some(events(orderBookAbi, 'OrderOpened'), 5),
  )
  await withinBlocks(client, start, STORY_BLOCKS, 'a milestone paid on the nodes’ attestation', async () =>
    (await events(orderBookAbi, 'MilestonePaid')).find((e) => e.args.byAttesters === true),
  )
  // an incident reported by a quorum of node processes (3 of 5 signatures)
  const reported = await withinBlocks(
    client,
    start,
    STORY_BLOCKS,
    'an incident reported by a quorum',
    async () =>
      (await events(slashingCourtAbi, 'SlashRequested')).find((e) => {
        const signers = (e.args.details as { signers: bigint }).signers
        return signers.toString(2).replaceAll('0', '').length >= 3
      }),
  )
  assert.ok(reported)
  // disputed by its operator, ruled on by the resolver
  const disputed = await withinBlocks(client, start, STORY_BLOCKS, 'a slash disputed', () =>
    some(events(slashingCourtAbi, 'SlashDisputed')),
  )
  const ruled = await withinBlocks(client, start, STORY_BLOCKS, 'a dispute ruled on', async () => {
    const ids = new Set(disputed.map((d) => d.args.slashId as Hex))
    const rulings = [
      ...(await events(slashingCourtAbi, 'SlashUpheld')),
      ...(await events(slashingCourtAbi, 'SlashOverturned')),
    ]
    return rulings.find((r) => ids.has(r.args.slashId as Hex))
  })
  assert.ok(ruled)
  // undisputed slashes wait out their dispute window (60 s): move the devnet's clock past it (`devnet warp`)
  const warp = cli(['devnet', 'warp', '70s', '--rpc', rpcUrl])
  assert.equal(warp.status, 0, warp.stderr)
  assert.match(warp.stdout, /moved the devnet's clock forward 70s/)
  const executed = await withinBlocks(
    client,
    start,
    STORY_BLOCKS,
    'slashes executed, a client paid',
    async () => {
      const all = await events(slashingCourtAbi, 'SlashExecuted')
      const undisputed = all.filter((e) => !disputed.some((d) => d.args.slashId === e.args.slashId))
      return undisputed.length > 0 && all.some((e) => (e.args.toClient as bigint) > 0n) ? all : undefined
    },
  )
  // the undisputed slash executed after the warp may be the one that paid its client
  assert.ok(executed.length >= 1)
  const told = new Set(first.events.map((e) => e.event))
  for (const e of ['order-opened', 'milestone-paid', 'slash-requested', 'slash-disputed', 'slash-executed'])
    assert.ok(told.has(e), `the live log tells ${e}`)

  // the world's risk snapshot (what `surety risk snapshot` takes) is certified secure with room to spare
  const risk = parseRiskInput(await snapshotFromRpc({ rpcUrl, chainId: 31337, addresses }))
  const gamma = toNumber(certifiedSlack(risk)!)
  assert.ok(gamma > 0.1, `certified slack γ = ${gamma} > 0.1`)
  assert.equal((await analyzeNetwork(risk, { timeLimitSeconds: 60 })).secure, true)

  const headBefore = await client.getBlockNumber({ cacheTime: 0 })
  const requestedBefore = (await events(slashingCourtAbi, 'SlashRequested')).length
  await stopAndCheckOrphans(first, banner, 'SIGINT')
  const world = JSON.parse(readFileSync(join(stateDir, 'world.json'), 'utf8')) as {
    seed: number
    toldBlock: string
  }
  assert.equal(world.seed, 7)

  // restarted on the same state: the same chain and contracts, moving on from where it stopped
  const second = startWorld(port)
  const again = await ready(second)
  assert.equal(again.resumed, true)
  assert.deepEqual(again.addresses, addresses, 'nothing is deployed again')
  // the index resumed from --state, not rebuilt: ready again on the same port
  assert.equal(pluginUrl(again, 'API'), api)
  await apiReady(client, api)
  const resumedAt = await client.getBlockNumber({ cacheTime: 0 })
  assert.ok(resumedAt >= headBefore, 'no block was lost')
  assert.ok((await events(slashingCourtAbi, 'SlashRequested')).length >= requestedBefore, 'no slash was lost')
  await withinBlocks(client, resumedAt, 60n, 'a new order after the restart', async () =>
    (await events(orderBookAbi, 'OrderOpened')).find((e) => e.blockNumber > resumedAt),
  )
  // nothing told twice: the story of the second run starts after the block the first one told
  for (const e of second.events.filter((x) => typeof x.block === 'string'))
    assert.ok(
      BigInt(e.block as string) > BigInt(world.toldBlock),
      `${e.event} at block ${e.block} was told again`,
    )
  // nothing sent twice: no node sent the same report or execution twice, before or after its restart (two nodes
  // racing for one report in a block is the node's turn-taking, bounded by its stagger, and costs one revert)
  for (const fn of ['requestSlash', 'executeSlash'] as const) {
    const calls = await contractCalls(
      client,
      addresses.court,
      slashingCourtAbi,
      fn,
      BigInt(banner.startBlock as string),
    )
    const sent = await Promise.all(calls.hashes.map((hash) => client.getTransaction({ hash })))
    const keys = sent.map((tx) => `${tx.from.toLowerCase()} ${tx.input}`)
    assert.equal(new Set(keys).size, keys.length, `${fn}: a node sent the same call twice`)
    assert.ok(calls.reverted <= calls.total / 4, `${fn}: ${calls.reverted} of ${calls.total} reverted`)
  }
  await stopAndCheckOrphans(second, again, 'SIGTERM')
})
