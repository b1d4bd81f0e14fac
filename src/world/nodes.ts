/**
 * The attester committee as real `surety node` processes: one per attester, each with its own key (from the
 * environment), its own SQLite store and config in the world's directory, attesting both services (probes and
 * compute results for the GPU service, signed sensor telemetry for the cold chain) and keeping (two of them
 * execute matured slashes, expire overdue jobs, settle leases, sweep fees). Configs are rewritten on every start
 * (ports and endpoints may change); stores persist with `--state`, so a restarted node resumes where it stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Address } from 'viem'
import { stringify } from 'yaml'
import { SuretyError } from '../errors.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { privateKeyOf, type WorldAccounts } from './accounts.ts'
import { COLD, GPU, type WorldDesign } from './design.ts'
import { moduleArgs } from './moduleProcess.ts'
import type { WorldProfile } from './profile.ts'
import { COLD_CLASSES, GPU_CLASSES } from './seedWorld.ts'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const KEEPERS = 2
/** Readings are stamped in chain time, which `surety devnet warp` moves ahead of the nodes' clocks. */
const TELEMETRY_SKEW_SECONDS = 365 * 24 * 3600

export type NodeSpec = {
  index: number
  name: string
  address: Address
  apiUrl: string
  port: number
  configPath: string
  logPath: string
}

export type CommitteeInput = {
  dir: string
  basePort: number
  rpcUrl: string
  addresses: SuretyAddresses
  serviceIds: [bigint, bigint]
  startBlock: bigint
  vaults: Address[]
  design: WorldDesign
  profile: WorldProfile
  accounts: WorldAccounts
  healthUrl: (operator: number) => string
  resultUrlTemplate: string
}

export function writeCommitteeConfigs(input: CommitteeInput): NodeSpec[] {
  const { profile, design } = input
  const specs: NodeSpec[] = input.accounts.attesters.map((a, index) => {
    const port = input.basePort + index
    const dir = join(input.dir, `node-${index + 1}`)
    mkdirSync(dir, { recursive: true })
    return {
      index,
      name: `node-${index + 1}`,
      address: a.address,
      apiUrl: `http://127.0.0.1:${port}`,
      port,
      configPath: join(dir, 'node.yaml'),
      logPath: join(dir, 'node.log'),
    }
  })
  const fast = profile.name === 'fast'
  for (const spec of specs) {
    const config = {
      chain: {
        rpcUrl: input.rpcUrl,
        chainId: 31337,
        addresses: input.addresses,
        confirmations: 1,
        pollIntervalMs: Math.max(250, profile.blockSeconds * 500),
        startBlock: Number(input.startBlock),
      },
      key: { env: 'SURETY_NODE_KEY' },
      roles: { attester: true, keeper: spec.index < KEEPERS },
      store: { path: 'node.db' },
      // every node, sensor and client of the world shares 127.0.0.1: the per-IP bound is for one stranger
      api: {
        port: spec.port,
        requestsPerSecondPerIp: 2_000,
        burstPerIp: 4_000,
        requestsPerSecondPerPeer: 2_000,
        burstPerPeer: 4_000,
      },
      log: { level: 'info' },
      peers: specs.filter((s) => s !== spec).map((s) => ({ url: s.apiUrl, address: s.address })),
      services: [
        {
          serviceId: Number(input.serviceIds[GPU]),
          epochSeconds: profile.epochSeconds,
          classes: GPU_CLASSES,
          // a probe's worst case (2 s, one retry) fits the judge delay; a loaded machine answers slowly, not wrongly
          probe: { intervalMs: profile.probeIntervalMs, timeoutMs: 2_000, retries: 1 },
          verdict: { minSamples: profile.minSamples, minUptimeBps: 9_000 },
          operators: design.operators
            .filter((o) => o.services.includes(GPU))
            .map((o) => ({
              vault: input.vaults[o.index]!,
              endpoint: input.healthUrl(o.index),
              // the lease client is the one a GPU operator's downtime harms
              client: input.accounts.clients[1]!.address,
            })),
          resultUrl: input.resultUrlTemplate,
        },
        {
          serviceId: Number(input.serviceIds[COLD]),
          epochSeconds: profile.epochSeconds,
          classes: COLD_CLASSES,
        },
      ],
      timing: {
        exchangeIntervalMs: fast ? 300 : 1_000,
        // each next attester in line waits this long for the one before it to submit: on a loaded machine a
        // shorter wait lets two submit the same report in one block (the second reverts, nothing is lost)
        submitStaggerMs: 4_000,
        keeperIntervalMs: fast ? 400 : 2_000,
        keeperStaggerMs: 4_000,
        judgeDelayMs: profile.judgeDelayMs,
        judgeIntervalMs: fast ? 200 : 1_000,
        committeeTtlMs: 10_000,
        peerTimeoutMs: 1_000,
      },
      keeper: {
        expireDelaySeconds: fast ? 5 : 30,
        leaseSettleSeconds: fast ? 15 : 60,
        sweepIntervalSeconds: fast ? 10 : 120,
      },
      telemetry: { maxSkewSeconds: TELEMETRY_SKEW_SECONDS, graceSeconds: fast ? 3 : 10 },
    }
    writeFileSync(
      spec.configPath,
      `# written by the devnet world on every start (src/world/nodes.ts); edits are overwritten\n${stringify(config)}`,
    )
  }
  return specs
}

export type RunningNode = NodeSpec & { child: ChildProcess; lines: string[]; exited: boolean }

export class NodeCrashedError extends SuretyError {}

/**
 * Starts every node and waits for each to serve /health. `onCrash` is told when a node exits on its own, with its
 * last log lines, so the world can say which one and why.
 */
export async function startCommittee(
  specs: NodeSpec[],
  accounts: WorldAccounts,
  onCrash: (node: RunningNode, code: number | null) => void,
  /** Told each node's process as soon as it is spawned (the world's reaper watches it). */
  onSpawn?: (child: ChildProcess) => void,
): Promise<{ nodes: RunningNode[]; stop: () => Promise<void> }> {
  let stopping = false
  const nodes = specs.map((spec) => {
    const child = spawn(
      process.execPath,
      [...moduleArgs('../cli/main'), 'node', '--config', spec.configPath],
      {
        cwd: ROOT,
        env: { ...process.env, SURETY_NODE_KEY: privateKeyOf(accounts.attesters[spec.index]!) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    onSpawn?.(child)
    const node: RunningNode = { ...spec, child, lines: [], exited: false }
    const collect = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      appendFileSync(spec.logPath, text)
      for (const line of text.split('\n')) if (line.trim()) node.lines.push(line)
      if (node.lines.length > 200) node.lines.splice(0, node.lines.length - 100)
    }
    child.stdout!.on('data', collect)
    child.stderr!.on('data', collect)
    child.once('exit', (code) => {
      node.exited = true
      if (!stopping) onCrash(node, code)
    })
    return node
  })
  // the committee never outlives the world that started it, however the world ends
  const killAll = () => {
    for (const n of nodes) if (!n.exited) n.child.kill('SIGKILL')
  }
  process.once('exit', killAll)
  const stop = async () => {
    stopping = true
    await Promise.all(
      nodes.map(async (n) => {
        if (n.exited) return
        const exited = new Promise((r) => n.child.once('exit', r))
        n.child.kill('SIGTERM')
        const timer = setTimeout(() => n.child.kill('SIGKILL'), 8_000)
        await exited
        clearTimeout(timer)
      }),
    )
    process.removeListener('exit', killAll)
  }
  try {
    await Promise.all(nodes.map((n) => waitHealthy(n)))
  } catch (error) {
    await stop()
    throw error
  }
  return { nodes, stop }
}

async function waitHealthy(node: RunningNode) {
  // run through tsx (tests), a node compiles its TypeScript on start: slow on a loaded 2-core machine
  const deadline = Date.now() + 120_000
  for (;;) {
    if (node.exited)
      throw new NodeCrashedError(`${node.name} exited while starting; its last lines:\n${lastLines(node)}`)
    const ok = await fetch(`${node.apiUrl}/health`)
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    if (Date.now() > deadline)
      throw new NodeCrashedError(`${node.name} did not serve /health within 2 minutes; log: ${node.logPath}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

export const lastLines = (node: RunningNode, n = 8) => node.lines.slice(-n).join('\n')
