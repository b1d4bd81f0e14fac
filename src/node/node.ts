/**
 * The attester and keeper node: wires the store, the chain follower, the order view, the measurements, the report
 * and outcome books, the signature exchange, the submitters, the keeper and the HTTP API together, and runs each
 * duty on its own loop.
 *
 *   probes ─► epoch verdicts ──┐
 *   job results ─► checks ─────┴─► report book ──┐                          follower ─► confirmed events
 *   telemetry ─► shipments ────┐                 ├─◄─► peers (HTTP)             │  (court, order book)
 *   committed results ─► checks┴─► outcome book ─┘                              ▼
 *                                        │                                 order view
 *                                        ▼                                      │
 *                     submitters (quorum, turn) ─► journal ─► chain ◄─ keeper (execute / lapse,
 *                                                                      expire / settle leases / sweep fees)
 */
import type { Address, LocalAccount } from 'viem'
import { readDeployment } from '../chain/deployment.ts'
import { InvalidInputError, SuretyError } from '../errors.ts'
import { createFollower } from '../indexer/follower/follower.ts'
import { orderBookAbi, slashingCourtAbi } from '../sdk/abis.ts'
import { createSuretyClient } from '../sdk/createSuretyClient.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { createCommitteeCache } from './chain/committee.ts'
import { createTxSender } from './chain/txSender.ts'
import type { NodeConfig } from './config.ts'
import { readRoutes } from './http/readRoutes.ts'
import { nodeRoutes } from './http/routes.ts'
import { startHttpServer } from './http/server.ts'
import { createKeeper } from './keeper/keeper.ts'
import { createOrderKeeper } from './keeper/orderDuties.ts'
import { loadAccount } from './key.ts'
import { createLogger, type Logger, redactUrl } from './log.ts'
import { every, type Loop } from './loop.ts'
import { createEpochJudge } from './measure/epochJudge.ts'
import { createJobChecker } from './measure/jobChecker.ts'
import { createProber, probeTargets } from './measure/prober.ts'
import { scheduleSecret } from './measure/schedule.ts'
import { createNodeMetrics, type NodeMetrics } from './nodeMetrics.ts'
import { createComputeJudge } from './orders/computeJudge.ts'
import { createOutcomeBook } from './orders/outcomeBook.ts'
import { createOutcomeSubmitter, outcomeConfirmations } from './orders/outcomeSubmitter.ts'
import { createShipmentJudge } from './orders/shipmentJudge.ts'
import { createChainOrderSource } from './orders/source.ts'
import { createReportBook } from './report/book.ts'
import { createExchange, outcomeChannel, reportChannel } from './report/exchange.ts'
import { createSubmitter, reportConfirmations } from './report/submitter.ts'
import { pruneSettled } from './store/retention.ts'
import { openStore, type Store } from './store/store.ts'

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
  if (!addresses.orders)
    throw new InvalidInputError('chain.addresses.orders: the OrderBook address is required')
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
  const target = chainTarget(config)
  const log =
    options.log ??
    createLogger({ level: config.log.level, base: { node: address }, secretUrls: [target.rpcUrl] })
  const now = options.now ?? Date.now
  const client = createSuretyClient({ ...target, account })
  const actualChainId = await client.public.getChainId().catch((error) => {
    // the cause (viem's error) quotes the full URL: it is not passed on, only its redacted origin is named
    throw new SuretyError(`cannot reach the chain at ${redactUrl(target.rpcUrl)}`, { retryable: true })
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
    const txSender = createTxSender({
      client,
      account,
      store,
      metrics,
      log,
      now,
      fees: {
        bumpAfterBlocks: config.transactions.bumpAfterBlocks,
        bumpBps: config.transactions.bumpBps,
        maxFeePerGas: config.transactions.maxFeePerGasGwei,
      },
    })
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
    const ordersAddress = target.addresses.orders
    const orders = createChainOrderSource(store)
    const outcomes = createOutcomeBook({
      config,
      store,
      orders,
      account,
      domain: { chainId: target.chainId, orders: ordersAddress },
      committees,
      metrics,
      log,
      now,
      onChange: () => kick(),
    })
    const exchange = createExchange({
      peers: config.peers,
      channels: [reportChannel(store, book), outcomeChannel(store, outcomes)],
      account,
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
    const outcomeSubmitter = createOutcomeSubmitter({
      store,
      client: client.public,
      ordersAddress,
      orders,
      account,
      committees,
      txSender,
      metrics,
      log,
      staggerMs: config.timing.submitStaggerMs,
      reportTtlMs: config.timing.reportTtlMs,
      now,
    })
    const keeperPeers = config.peers.filter((p) => p.keeper).map((p) => p.address)
    const orderKeeper = createOrderKeeper({
      orders,
      serviceIds: () => [
        ...new Set([...config.services.map((s) => BigInt(s.serviceId)), ...orders.serviceIds()]),
      ],
      client: client.public,
      ordersAddress,
      account,
      peers: keeperPeers,
      txSender,
      metrics,
      log,
      staggerMs: config.timing.keeperStaggerMs,
      settings: config.keeper,
      now,
    })
    const keeper = createKeeper({
      store,
      client: client.public,
      addresses: target.addresses,
      account,
      peers: keeperPeers,
      txSender,
      metrics,
      log,
      staggerMs: config.timing.keeperStaggerMs,
      now,
    })
    const follower = createFollower({
      client: client.public,
      store: store.chain,
      sources: [
        { address: target.addresses.court, abi: slashingCourtAbi },
        { address: ordersAddress, abi: orderBookAbi },
      ],
      metrics,
      log,
      options: {
        confirmations: config.chain.confirmations,
        batchBlocks: config.chain.batchBlocks,
        startBlock: target.startBlock,
      },
      listeners: [
        reportConfirmations(store, metrics, log, now),
        keeper,
        orders,
        outcomeConfirmations(store, metrics, log, now),
        orderKeeper,
        { onEvents: () => watchedGauge(), onRollback: () => watchedGauge() },
      ],
    })
    const watchedGauge = () => {
      const list = orders.list()
      for (const status of ['Open', 'Active'] as const)
        metrics.ordersWatched.set(list.filter((o) => o.status === status).length, { status })
    }
    watchedGauge()
    const prober = createProber({
      targets: probeTargets(config),
      store,
      metrics,
      log,
      now,
      scheduleSecret: await scheduleSecret(account),
    })
    const attester = roles.attester
    const epochJudge = createEpochJudge({ config, store, prober, book, metrics, log, attester, now })
    const jobChecker = createJobChecker({ config, store, book, metrics, log, attester, now })
    const judgeDeps = { config, store, orders, outcomes, client: client.public, ordersAddress, metrics, log }
    const shipments = createShipmentJudge({ ...judgeDeps, nowMs: now })
    const computeJobs = createComputeJudge({ ...judgeDeps, now })

    const routes = {
      ...readRoutes({ config, store, address, chainId: target.chainId, now }),
      ...nodeRoutes({
        config,
        store,
        book,
        outcomes,
        metrics,
        orders,
        committees,
        address,
        chainId: target.chainId,
        log,
        now,
        onReading: (orderId) => shipments.touch(orderId),
      }),
    }
    const api = await startHttpServer({
      host: config.api.host,
      port: config.api.port,
      routes,
      log,
      maxBodyBytes: config.telemetry.maxBodyBytes,
      limits: config.api,
      onLimited: () => metrics.limited.inc({ reason: 'ip_rate' }),
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
      loops.push(every('compute', t.judgeIntervalMs, () => computeJobs.tick(), deps))
      const exchangeLoop = every('exchange', t.exchangeIntervalMs, () => exchange.tick(), deps)
      const submitLoop = every('submit', t.exchangeIntervalMs, () => submitter.tick(), deps)
      const outcomeLoop = every('outcomes', t.exchangeIntervalMs, () => outcomeSubmitter.tick(), deps)
      loops.push(exchangeLoop, submitLoop, outcomeLoop)
      kick = () => {
        exchange.kick()
        void submitLoop.runNow()
        void outcomeLoop.runNow()
      }
    }
    loops.push(
      every(
        'retention',
        60_000,
        async () => {
          const pruned = pruneSettled(store, {
            nowMs: now(),
            retentionMs: config.limits.retentionMs,
            isRunning: (orderId) => orders.get(orderId) !== undefined,
          })
          if (pruned.reports + pruned.outcomes + pruned.readings > 0)
            log.info('settled items deleted', pruned)
        },
        deps,
      ),
    )
    if (roles.keeper) {
      loops.push(every('keeper', t.keeperIntervalMs, () => keeper.tick(), deps))
      loops.push(every('keeper-orders', t.keeperIntervalMs, () => orderKeeper.tick(), deps))
    }

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
