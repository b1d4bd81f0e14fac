/**
 * The devnet world (`npm start`): a local chain with Surety deployed and, unless `--no-world`, a living market on
 * it — two services, eight operators, twenty stakers, three clients, a resolver, and the five-attester committee
 * as real `surety node` processes measuring simulated endpoints and sensors. Everything it needs to resume is on
 * disk with `--state DIR` (the chain, the nodes' stores, world.json); without it, nothing survives a stop.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Account, type Address, createWalletClient } from 'viem'
import { type Deployment, writeDeployment } from '../chain/deployment.ts'
import { InvalidInputError, SuretyError } from '../errors.ts'
import { chainFor } from '../sdk/createSuretyClient.ts'
import { NO_CLASS, type SuretyAddresses, type SuretyClient } from '../sdk/types.ts'
import { CLIENT_NAMES, worldAccounts } from './accounts.ts'
import {
  CHAIN_ID,
  catchUpToWallClock,
  startIntervalMining,
  startWorldChain,
  worldTransport,
} from './chain.ts'
import { createActRunner, rngFor, type WorldContext } from './context.ts'
import { deployWorld } from './deployWorld.ts'
import { designWorld, SERVICE_NAMES } from './design.ts'
import { endpointDown, hardOutage, startEndpoints } from './endpoints.ts'
import { lastLines, startCommittee, writeCommitteeConfigs } from './nodes.ts'
import { createPhaseClock } from './phases.ts'
import { type RunningPlugin, worldPlugins } from './plugins.ts'
import { PROFILES, type WorldProfile } from './profile.ts'
import { startReaper } from './reaper.ts'
import { type RiskLine, worldRisk } from './risk.ts'
import { attackScenarioTick } from './scenario.ts'
import { CLASS_NAMES } from './seedWorld.ts'
import { readWorldState, type WorldState, writeWorldState } from './state.ts'
import { createStory, type Story } from './story.ts'
import { createActors, foldBlocks } from './tick.ts'
import { emptyView, type Names } from './view.ts'

export type WorldOptions = {
  port: number
  stateDir?: string | undefined
  seed: number
  profile: WorldProfile['name']
  world: boolean
  scenario: 'none' | 'attack'
  quiet: boolean
  json: boolean
  manifestDir: string
}

export type RunningWorld = {
  rpcUrl: string
  manifestPath: string
  state: WorldState
  story: Story
  /** Resolves with a reason when the world stops on its own (a child crashed). */
  failed: Promise<string>
  banner: Record<string, unknown>
  stop: () => Promise<void>
}

/** Blocks between two risk lines. */
const RISK_EVERY_BLOCKS = 30n
/** How long a stop waits for the actors' transactions in flight before it goes on without them. */
const DRAIN_MS = 10_000

export async function startWorld(options: WorldOptions): Promise<RunningWorld> {
  const story = createStory({ json: options.json, quiet: options.quiet })
  const clock = createPhaseClock()
  const progress = (what: string) => {
    if (!options.quiet) process.stderr.write(options.json ? '' : `  … ${what}\n`)
  }
  /** A new phase of the start, timed for the ready line (formatPhases). */
  const phase = (name: string, what: string) => {
    clock.start(name)
    progress(what)
  }
  const saved = options.stateDir ? readWorldState(options.stateDir) : undefined
  if (saved && saved.seed !== options.seed && options.seed !== DEFAULT_SEED)
    story.warn(
      `resuming the world in ${options.stateDir} with its seed ${saved.seed} (--seed ${options.seed} ignored)`,
    )
  const profile = PROFILES[saved?.profile ?? options.profile]
  const seed = saved?.seed ?? options.seed
  phase('chain', saved ? `resuming the chain from ${options.stateDir}` : 'starting the chain')
  // every child this world starts is stopped by the reaper if the world dies without stopping it (kill -9)
  const reaper = await startReaper()
  const chain = await startWorldChain({
    port: options.port,
    stateDir: options.stateDir,
    onSpawn: reaper.watch,
  }).catch((error) => {
    reaper.done()
    throw error
  })
  const cleanup: (() => Promise<void>)[] = [async () => reaper.done(), () => chain.stop()]
  // Once a stop begins, the chain may already be gone (Ctrl-C in a terminal signals anvil at the same moment), so
  // the plugins' retries against it ("indexer step failed, retrying … fetch failed") are expected, not news.
  let stopping = false
  const stopAll = async () => {
    stopping = true
    for (const f of cleanup.reverse()) await f().catch(() => undefined)
  }
  try {
    if (saved && !chain.resumed)
      throw new InvalidInputError(
        `${options.stateDir} holds world.json but no chain.json: remove the directory to start a new world`,
      )
    const accounts = worldAccounts()
    const design = designWorld(seed)
    const clients = new Map<string, SuretyClient>()
    let addresses: SuretyAddresses | undefined = saved?.deployment.addresses as SuretyAddresses | undefined
    const clientFor = (account: Account) => {
      let c = clients.get(account.address)
      if (!c) {
        c = {
          addresses: addresses!,
          public: chain.public as SuretyClient['public'],
          wallet: createWalletClient({
            chain: chainFor(chain.anvil.rpcUrl, CHAIN_ID),
            transport: worldTransport(chain.anvil.rpcUrl),
            account,
          }),
        }
        clients.set(account.address, c)
      }
      return c
    }
    let state: WorldState
    if (saved) state = saved
    else {
      const deployed = await deployWorld(chain, accounts, design, profile, options.world, { progress, phase })
      addresses = deployed.addresses
      await catchUpToWallClock(chain)
      const head = await chain.public.getBlockNumber({ cacheTime: 0 })
      state = {
        version: 1,
        seed,
        profile: profile.name,
        scenario: options.scenario,
        world: options.world,
        deployment: deployed.deployment,
        serviceIds: deployed.serviceIds.map(String),
        vaults: deployed.vaults,
        startedAt: Math.floor(Date.now() / 1000),
        worldBlock: (head + 1n).toString(),
        toldBlock: head.toString(),
        devices: 0,
        ordersOpened: 0,
        attackDone: false,
      }
      if (options.stateDir) writeWorldState(options.stateDir, state)
    }
    addresses = state.deployment.addresses as SuretyAddresses
    const deployment: Deployment = {
      ...state.deployment,
      rpcUrl: chain.anvil.rpcUrl,
      deployedAt: new Date(state.startedAt * 1000).toISOString(),
      addresses,
      // the services' and classes' names, which the chain does not hold: the CLI prints them beside the ids
      labels: {
        services: Object.fromEntries(
          state.serviceIds.map((id, i) => [id, { name: SERVICE_NAMES[i]!, classes: CLASS_NAMES[i]! }]),
        ),
      },
    }
    const manifestPath = writeDeployment(options.manifestDir, deployment)
    await startIntervalMining(chain, profile.blockSeconds)

    const banner: Record<string, unknown> = {
      rpcUrl: chain.anvil.rpcUrl,
      chainId: CHAIN_ID,
      manifest: manifestPath,
      addresses,
      seed,
      profile: profile.name,
      state: options.stateDir ?? null,
      resumed: saved !== undefined,
      pid: process.pid,
      anvilPid: chain.anvil.process.pid,
    }
    let failedResolve: (reason: string) => void = () => {}
    const failed = new Promise<string>((r) => {
      failedResolve = r
    })
    chain.anvil.process.once('exit', (code) => failedResolve(`the chain (anvil) exited with code ${code}`))
    if (!state.world) {
      banner.timing = clock.finish()
      return { rpcUrl: chain.anvil.rpcUrl, manifestPath, state, story, failed, banner, stop: stopAll }
    }

    const serviceIds = state.serviceIds.map(BigInt) as [bigint, bigint]
    const vaults = state.vaults as Address[]
    const scheduleOutage = () =>
      hardOutage(state.startedAt, profile.hardFailAfterSeconds, profile.epochSeconds, profile.hardFailEpochs)
    let outage = scheduleOutage()
    const isDown = (opIndex: number, sec: number) =>
      endpointDown(seed, design.operators[opIndex]!, sec, profile.epochSeconds, state.startedAt, outage)
    const view = emptyView(BigInt(state.worldBlock))
    const rng = rngFor(seed)
    const runner = createActRunner(story)
    const vaultIndex = new Map(vaults.map((v, i) => [v.toLowerCase(), i]))
    const ctx: WorldContext = {
      seed,
      profile,
      design,
      accounts,
      addresses,
      serviceIds,
      vaults,
      state,
      view,
      story,
      clientFor,
      head: 0n,
      now: 0,
      nodeUrls: [],
      act: runner.act,
      busy: runner.busy,
      rng,
      operatorOfVault: (v) => vaultIndex.get(v.toLowerCase()) ?? -1,
    }

    phase('endpoints', 'starting the operators’ endpoints')
    const endpoints = await startEndpoints({ seed, profile: profile.name, vaults, port: options.port + 20 })
    cleanup.push(() => endpoints.close())

    const nodesDir = options.stateDir
      ? join(options.stateDir, 'nodes')
      : mkdtempSync(join(tmpdir(), 'surety-world-'))
    if (!options.stateDir) cleanup.push(async () => rmSync(nodesDir, { recursive: true, force: true }))
    mkdirSync(nodesDir, { recursive: true })
    const specs = writeCommitteeConfigs({
      dir: nodesDir,
      basePort: options.port + 10,
      rpcUrl: chain.anvil.rpcUrl,
      addresses,
      serviceIds,
      startBlock: BigInt(state.worldBlock),
      vaults,
      design,
      profile,
      accounts,
      healthUrl: (i) => endpoints.healthUrl(design.operators[i]!),
      resultUrlTemplate: endpoints.resultUrlTemplate,
    })
    phase(
      'nodes+api',
      `starting the attester nodes (${specs.length} processes) and ${worldPlugins.map((p) => p.name).join(', ')}`,
    )
    const startingCommittee = startCommittee(
      specs,
      accounts,
      (node, code) =>
        failedResolve(
          `${node.name} exited with code ${code}; its last lines:\n${lastLines(node)}\n(log: ${node.logPath})`,
        ),
      reaper.watch,
    ).then(async (committee) => {
      if (!saved) {
        // the script runs from the moment the committee watches, not from when seeding began
        state.startedAt = Math.floor(Date.now() / 1000)
        outage = scheduleOutage()
        if (options.stateDir) writeWorldState(options.stateDir, state)
      }
      return committee
    })
    // the plugins (the indexer, the API, the dashboard) read the chain, not the nodes: they start in this process
    // while the node processes load, instead of after them
    const plugins: RunningPlugin[] = []
    const startingPlugins = (async () => {
      for (const plugin of worldPlugins) {
        const dataDir = join(options.stateDir ?? nodesDir, plugin.name)
        mkdirSync(dataDir, { recursive: true })
        plugins.push(
          await plugin.start({
            rpcUrl: chain.anvil.rpcUrl,
            chainId: CHAIN_ID,
            addresses,
            startBlock: BigInt(state.deployment.blockNumber),
            labels: deployment.labels,
            dataDir,
            basePort: options.port + 50 + plugins.length * 5,
            nodeUrls: specs.map((s) => s.apiUrl),
            log: (text) => {
              if (!stopping) story.warn(`${plugin.name}: ${text}`)
            },
          }),
        )
      }
    })()
    const [started, pluginsStarted] = await Promise.allSettled([startingCommittee, startingPlugins])
    // stopped in reverse: the plugins, then the nodes (as when they started one after the other)
    if (started.status === 'fulfilled') cleanup.push(() => started.value.stop())
    for (const running of plugins) cleanup.push(() => running.stop())
    if (started.status === 'rejected') throw started.reason
    if (pluginsStarted.status === 'rejected') throw pluginsStarted.reason
    const committee = started.value
    ctx.nodeUrls = specs.map((s) => s.apiUrl)
    await endpoints.startScript(state.startedAt)
    // the manifest names the devnet's API once it listens, so the CLI's read commands read through it with no flag
    const apiUrl = plugins.flatMap((p) => p.urls).find((u) => u.label === 'API')?.url
    if (apiUrl) writeDeployment(options.manifestDir, { ...deployment, apiUrl })

    const names: Names = {
      vault: (v) => design.operators[ctx.operatorOfVault(v)]?.name ?? v,
      service: (id) => SERVICE_NAMES[serviceIds.indexOf(id)] ?? `service ${id}`,
      className: (id, c) =>
        c === NO_CLASS
          ? 'expired past its deadline'
          : (CLASS_NAMES[serviceIds.indexOf(id)]?.[c] ?? `class ${c}`),
      account: (a) => {
        const lower = a.toLowerCase()
        const c = accounts.clients.findIndex((x) => x.address.toLowerCase() === lower)
        if (c >= 0) return CLIENT_NAMES[c]!
        const s = accounts.stakers.findIndex((x) => x.address.toLowerCase() === lower)
        if (s >= 0) return `staker ${s + 1}`
        const o = accounts.operators.findIndex((x) => x.address.toLowerCase() === lower)
        if (o >= 0) return `operator ${design.operators[o]!.name}`
        return a.toLowerCase() === accounts.attacker.address.toLowerCase() ? 'whale client' : a
      },
    }
    phase('history', 'reading the world’s history')
    const head = await chain.public.getBlockNumber({ cacheTime: 0 })
    await foldBlocks(chain.public, ctx, names, head, true)

    banner.timing = clock.finish()
    banner.nodes = committee.nodes.map((n) => ({
      name: n.name,
      api: n.apiUrl,
      pid: n.child.pid,
      address: n.address,
    }))
    banner.plugins = plugins.flatMap((p) => p.urls)
    banner.endpoints = { url: endpoints.url, pid: endpoints.pid }
    banner.startBlock = state.worldBlock
    banner.hardFailure = {
      operator: design.operators.find((o) => o.hardFail)?.name,
      from: new Date(outage.from * 1000).toISOString(),
    }

    const actors = createActors((op, sec) => isDown(op, sec))
    const operatorName = new Map(
      accounts.operators.map((a, i) => [a.address.toLowerCase(), design.operators[i]!.name]),
    )
    let lastRisk: RiskLine | undefined
    let riskRunning = false
    const checkRisk = () => {
      if (riskRunning) return
      riskRunning = true
      worldRisk(
        chain.anvil.rpcUrl,
        addresses!,
        (a) => operatorName.get(a.toLowerCase()) ?? a,
        (id) => names.service(BigInt(id)),
      )
        .then((r) => {
          if (!lastRisk || r.secure !== lastRisk.secure || ctx.head % (RISK_EVERY_BLOCKS * 4n) === 0n)
            story.tell({ event: r.secure ? 'risk-secure' : 'risk-insecure', text: r.text, gamma: r.gamma })
          lastRisk = r
        })
        .catch((error: Error) => story.warn(`risk snapshot failed: ${error.message}`))
        .finally(() => {
          riskRunning = false
        })
    }

    let stopped = false
    let ticking: Promise<void> = Promise.resolve()
    const tick = async () => {
      const block = await chain.public.getBlock({ blockTag: 'latest' })
      if (block.number <= view.lastBlock) return
      await foldBlocks(chain.public, ctx, names, block.number, true)
      ctx.head = block.number
      ctx.now = Number(block.timestamp)
      if (stopped) return
      actors(ctx)
      if (state.scenario === 'attack') attackScenarioTick(ctx, profile)
      if (block.number % RISK_EVERY_BLOCKS === 0n || !lastRisk) checkRisk()
      if (options.stateDir) writeWorldState(options.stateDir, state)
    }
    const timer = setInterval(() => {
      ticking = ticking.then(tick).catch((error: Error) => story.warn(`world tick: ${error.message}`))
    }, 500)
    cleanup.push(async () => {
      stopped = true
      clearInterval(timer)
      await ticking
      // once the chain is gone (Ctrl-C in a terminal signals anvil too, at the same moment) no receipt will come
      const anvil = chain.anvil.process
      const chainGone =
        anvil.exitCode !== null || anvil.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => anvil.once('exit', () => resolve()))
      const abandoned = await runner.drain(DRAIN_MS, chainGone)
      if (abandoned > 0)
        story.warn(
          `stopping without waiting for ${abandoned} transaction(s) still in flight (the chain stopped first, or did not answer in 10 s)`,
        )
      if (options.stateDir) writeWorldState(options.stateDir, state)
    })
    return { rpcUrl: chain.anvil.rpcUrl, manifestPath, state, story, failed, banner, stop: stopAll }
  } catch (error) {
    await stopAll()
    if (error instanceof SuretyError) throw error
    throw new SuretyError(`the devnet did not start: ${(error as Error).message}`, { cause: error })
  }
}

export const DEFAULT_SEED = 1
