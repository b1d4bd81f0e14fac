/**
 * The attester and keeper node: wires the store, the chain follower, the measurements, the report book, the
 * signature exchange, the submitter, the keeper and the HTTP API together, and runs each duty on its own loop.
 *
 *   probes ─► epoch verdicts ─┐
 *   job results ─► checks ────┼─► report book ◄─► peers (HTTP)      follower ─► confirmed events
 *   telemetry ─► shipments ───┘        │                                         │
 *                                      ▼                                         ▼
 *                               submitter (quorum, turn) ─► journal ─► chain ◄─ keeper (execute / lapse)
 */
import type { Address, LocalAccount } from 'viem'
import { readDeployment } from '../chain/deployment.ts'
import { InvalidInputError, SuretyError } from '../errors.ts'
import { slashingCourtAbi } from '../sdk/abis.ts'
import { createSuretyClient } from '../sdk/createSuretyClient.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { createCommitteeCache } from './chain/committee.ts'
import { createFollower } from './chain/follower.ts'
import { createTxSender } from './chain/txSender.ts'
import type { NodeConfig } from './config.ts'
import { nodeRoutes } from './http/routes.ts'
import { startHttpServer } from './http/server.ts'
import { createKeeper } from './keeper/keeper.ts'
import { loadAccount } from './key.ts'
import { createLogger, type Logger } from './log.ts'
import { every, type Loop } from './loop.ts'
import { createEpochJudge } from './measure/epochJudge.ts'
import { createJobChecker } from './measure/jobChecker.ts'
import { createProber, probeTargets } from './measure/prober.ts'
import { createNodeMetrics, type NodeMetrics } from './nodeMetrics.ts'
import { createReportBook } from './report/book.ts'
import { createExchange } from './report/exchange.ts'
import { createSubmitter, reportConfirmations } from './report/submitter.ts'
import { openStore, type Store } from './store/store.ts'
import { configOrderSource } from './telemetry/orders.ts'
import { createShipmentJudge } from './telemetry/shipments.ts'

export type RunningNode = {
  address: Address
  apiUrl: string
  metricsUrl: string
  store: Store
  metrics: NodeMetrics
  stop: () => Promise<void>
}

type ChainTarget = { rpcUrl: string; chainId: number; addresses: SuretyAddresses; startBlock: bigint }

function chainTarget(config: NodeConfig): ChainTarget {
  const c = config.chain
  const deployment = c.deployment ? readDeployment(c.deployment) : undefined
  const rpcUrl = c.rpcUrl ?? deployment?.rpcUrl
  const chainId = c.chainId ?? deployment?.chainId
  const addresses = (c.addresses ?? deployment?.addresses) as SuretyAddresses | undefined
  if (!rpcUrl || chainId === undefined || !addresses)
    throw new InvalidInputError('chain: incomplete chain settings')
  if (deployment && c.chainId !== undefined && c.chainId !== deployment.chainId)
    throw new InvalidInputError(
      `chain.chainId ${c.chainId} differs from the deployment manifest's ${deployment.chainId}`,
    )
  const startBlock = BigInt(c.startBlock ?? (deployment ? Number(deployment.blockNumber) : 0))
  return { rpcUrl, chainId, addresses, startBlock }
}

/** A store belongs to one deployment and one key: refuse to mix them up. */
function checkStoreIdentity(store: Store, target: ChainTarget, address: Address) {
  const identity = `${target.chainId}:${target.addresses.court.toLowerCase()}:${address.toLowerCase()}`
  const stored = store.chain.meta('identity')
  if (stored && stored !== identity)
    throw new SuretyError(`the store at this path belongs to another deployment or key (${stored})`)
  if (!stored) store.chain.setMeta('identity', identity)
}

export async function startNode(
  config: NodeConfig,
  options: { account?: LocalAccount; log?: Logger; now?: () => number } = {},
): Promise<RunningNode> {
  const account = options.account ?? loadAccount(config.key)
  const address = account.address
  const log = options.log ?? createLogger({ level: config.log.level, base: { node: address } })
  const now = options.now ?? Date.now
  const target = chainTarget(config)
  const client = createSuretyClient({ ...target, account })
  const actualChainId = await client.public.getChainId().catch((error) => {
    throw new SuretyError(`cannot reach the chain at ${target.rpcUrl}`, { cause: error, retryable: true })
  })
  if (actualChainId !== target.chainId)
    throw new InvalidInputError(
      `chain: the RPC serves chain ${actualChainId}, the config says ${target.chainId}`,
    )

  const store = openStore(config.store.path)
  const loops: Loop[] = []
  const closers: (() => Promise<void> | void)[] = []
  try {
    checkStoreIdentity(store, target, address)
    const metrics = createNodeMetrics()
    for (const [reason, count] of Object.entries(store.telemetry.rejections()))
      metrics.telemetryRejected.inc({ reason }, count)

    const domain = { chainId: target.chainId, court: target.addresses.court }
    const committees = createCommitteeCache(client, config.timing.committeeTtlMs)
    const roles = config.roles
    for (const s of config.services) {
      if (roles.attester && !(await committees.isMember(BigInt(s.serviceId), address)))
        log.warn('this key is not an active attester of the service: its signatures will be refused', {
          serviceId: s.serviceId,
        })
    }
    const txSender = createTxSender({ client, account, store, metrics, log, now })
    let kick = () => {}
    const book = createReportBook({
      config,
      store,
      account,
      domain,
      committees,
      metrics,
      log,
      now,
      onChange: () => kick(),
    })
    const exchange = createExchange({
      peers: config.peers,
      store,
      book,
      metrics,
      log,
      timeoutMs: config.timing.peerTimeoutMs,
      now,
    })
    const submitter = createSubmitter({
      store,
      client: client.public,
      addresses: target.addresses,
      account,
      committees,
      txSender,
      metrics,
      log,
      staggerMs: config.timing.submitStaggerMs,
      reportTtlMs: config.timing.reportTtlMs,
      now,
    })
    const keeper = createKeeper({
      store,
      client: client.public,
      addresses: target.addresses,
      account,
      peers: config.peers.filter((p) => p.keeper).map((p) => p.address),
      txSender,
      metrics,
      log,
      staggerMs: config.timing.keeperStaggerMs,
      now,
    })
    const follower = createFollower({
      client: client.public,
      store,
      sources: [{ address: target.addresses.court, abi: slashingCourtAbi }],
      metrics,
      log,
      options: {
        confirmations: config.chain.confirmations,
        batchBlocks: config.chain.batchBlocks,
        startBlock: target.startBlock,
      },
      listeners: [reportConfirmations(store, metrics, log, now), keeper],
    })
    const orders = configOrderSource(config)
    const prober = createProber({ targets: probeTargets(config), store, metrics, log, now })
    const attester = roles.attester
    const epochJudge = createEpochJudge({ config, store, prober, book, metrics, log, attester, now })
    const jobChecker = createJobChecker({ config, store, book, metrics, log, attester, now })
    const shipments = createShipmentJudge({ config, store, orders, book, metrics, log, attester, nowMs: now })

    const routes = nodeRoutes({
      config,
      store,
      book,
      metrics,
      orders,
      address,
      chainId: target.chainId,
      log,
      now,
    })
    const api = await startHttpServer({
      host: config.api.host,
      port: config.api.port,
      routes,
      log,
      maxBodyBytes: config.telemetry.maxBodyBytes,
    })
    closers.push(api.close)
    let metricsUrl = `${api.url}/metrics`
    if (config.metrics) {
      const m = await startHttpServer({
        host: config.metrics.host,
        port: config.metrics.port,
        routes: { 'GET /metrics': routes['GET /metrics']! },
        log,
        maxBodyBytes: 1024,
      })
      closers.push(m.close)
      metricsUrl = `${m.url}/metrics`
    }

    const deps = { log, metrics }
    const t = config.timing
    loops.push(every('follow', config.chain.pollIntervalMs, () => follower.tick(), deps))
    if (attester) {
      prober.start()
      closers.push(() => prober.stop())
      loops.push(every('judge', t.judgeIntervalMs, () => epochJudge.tick(), deps))
      loops.push(every('jobs', t.judgeIntervalMs, () => jobChecker.tick(), deps))
      loops.push(every('shipments', t.judgeIntervalMs, () => shipments.tick(), deps))
      const exchangeLoop = every('exchange', t.exchangeIntervalMs, () => exchange.tick(), deps)
      const submitLoop = every('submit', t.exchangeIntervalMs, () => submitter.tick(), deps)
      loops.push(exchangeLoop, submitLoop)
      kick = () => {
        exchange.kick()
        void submitLoop.runNow()
      }
    }
    if (roles.keeper) loops.push(every('keeper', t.keeperIntervalMs, () => keeper.tick(), deps))

    log.info('node started', {
      api: api.url,
      metrics: metricsUrl,
      chainId: target.chainId,
      roles,
      services: config.services.map((s) => s.serviceId),
      peers: config.peers.length,
    })

    let stopping: Promise<void> | undefined
    return {
      address,
      apiUrl: api.url,
      metricsUrl,
      store,
      metrics,
      stop: () => {
        stopping ??= (async () => {
          await Promise.all(loops.map((l) => l.stop()))
          for (const close of closers.reverse()) await close()
          store.close()
          log.info('node stopped')
        })()
        return stopping
      },
    }
  } catch (error) {
    await Promise.all(loops.map((l) => l.stop()))
    for (const close of closers.reverse()) await close()
    store.close()
    throw error
  }
}
