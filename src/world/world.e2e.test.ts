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
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
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
import {
  alive,
  bannerPids,
  type DevnetProcess,
  devnetHarness,
  pluginUrl,
  ROOT,
  ready,
} from './testing/devnet.ts'
import type { WorldEvent } from './testing/jsonLines.ts'
import { apiReady, withinBlocks } from './testing/withinBlocks.ts'

const harness = devnetHarness('surety-world-e2e')
const stateDir = join(harness.cwd, 'state')
/** The story must be told within this many blocks of the world being ready (a block a second with --fast). */
const STORY_BLOCKS = 240n

// its own process group, as a shell starts it: Ctrl-C then signals the world, anvil and the nodes at once
const startWorld = (port: number) =>
  harness.start(['devnet', '--fast', '--seed', '7', '--port', String(port), '--state', stateDir, '--json'], {
    ownGroup: true,
  })

/** `group`: the signal goes to the whole process group, as Ctrl-C in a terminal sends it; else to the world. */
async function stopAndCheckOrphans(
  w: DevnetProcess,
  banner: WorldEvent,
  signal: NodeJS.Signals,
  target: 'group' | 'world',
) {
  if (target === 'group') process.kill(-w.child.pid!, signal)
  else w.child.kill(signal)
  assert.equal(
    await w.exited,
    0,
    `the world stops cleanly on ${signal} to the ${target}:\n${w.stderr.join('').slice(-2000)}`,
  )
  const pids = bannerPids(banner)
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
  // below Linux's ephemeral ports (32768 and up): a node's port (+10…+14) or the API's (+50) there was once taken by a
  // client connection of another test (EADDRINUSE)
  const port = 20_000 + ((await freePort()) % 12_000)
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
  await apiReady(client, api, 60n)
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
  const warp = harness.cli(['devnet', 'warp', '70s', '--rpc', rpcUrl])
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
  // the live log follows the chain a poll behind: what the chain shows is told within a few blocks (a full run
  // once read the log in the same instant the execution was seen on chain, and missed its line)
  const kinds = ['order-opened', 'milestone-paid', 'slash-requested', 'slash-disputed', 'slash-executed']
  await withinBlocks(
    client,
    await client.getBlockNumber({ cacheTime: 0 }),
    20n,
    'the live log telling the story',
    () => (kinds.every((e) => first.events.some((x) => x.event === e)) ? true : undefined),
  ).catch(() => undefined)
  const told = new Set(first.events.map((e) => e.event))
  for (const e of kinds) assert.ok(told.has(e), `the live log tells ${e}`)

  // the world's risk snapshot (what `surety risk snapshot` takes) is certified secure with room to spare
  const risk = parseRiskInput(await snapshotFromRpc({ rpcUrl, chainId: 31337, addresses }))
  const gamma = toNumber(certifiedSlack(risk)!)
  assert.ok(gamma > 0.1, `certified slack γ = ${gamma} > 0.1`)
  assert.equal((await analyzeNetwork(risk, { timeLimitSeconds: 60 })).secure, true)

  const headBefore = await client.getBlockNumber({ cacheTime: 0 })
  const requestedBefore = (await events(slashingCourtAbi, 'SlashRequested')).length
  // Ctrl-C in a terminal: anvil and the nodes get SIGINT too, at the same moment (this once hung the stop)
  await stopAndCheckOrphans(first, banner, 'SIGINT', 'group')
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
  await apiReady(client, api, 60n)
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
  await stopAndCheckOrphans(second, again, 'SIGTERM', 'world')
})
