/**
 * A committee of node processes on a test chain: one YAML config per attester (peers, short epochs, fast
 * timings), started through the real CLI, plus the helpers the end-to-end tests assert with — status reads,
 * polling with a deadline, and counts of court transactions and events straight from the chain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Abi,
  type Account,
  type Address,
  bytesToHex,
  getAbiItem,
  type Hex,
  type PublicClient,
  toFunctionSelector,
} from 'viem'
import type { HDAccount } from 'viem/accounts'
import { stringify } from 'yaml'
import { freePort } from '../../chain/anvil.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import { encryptKeystore } from '../keystore.ts'
import { type DiagnosisFocus, describeNodes } from './diagnose.ts'
import { type NodeProcess, spawnNode } from './processes.ts'

export const KEYSTORE_PASSWORD = 'correct horse battery staple'

export type ClusterNode = {
  index: number
  account: HDAccount
  privateKey: Hex
  port: number
  apiUrl: string
  dir: string
  configPath: string
  proc?: NodeProcess | undefined
}

export type ServiceSpec = (index: number) => Record<string, unknown>

export function privateKeyOf(account: HDAccount): Hex {
  return bytesToHex(account.getHdKey().privateKey!)
}

/** Writes one config per attester. Node 0 reads its key from an encrypted keystore, the others from the env. */
export async function prepareCluster(options: {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
  startBlock: bigint
  attesters: HDAccount[]
  service: ServiceSpec
  timing?: Record<string, number>
  roles?: (index: number) => { attester: boolean; keeper: boolean }
  /** Further top-level config sections (keeper, telemetry, …). */
  extra?: Record<string, unknown>
}): Promise<ClusterNode[]> {
  const dir = mkdtempSync(join(tmpdir(), 'surety-cluster-'))
  const nodes: ClusterNode[] = []
  for (const [index, account] of options.attesters.entries()) {
    const port = await freePort()
    nodes.push({
      index,
      account,
      privateKey: privateKeyOf(account),
      port,
      apiUrl: `http://127.0.0.1:${port}`,
      dir,
      configPath: join(dir, `node-${index}.yaml`),
    })
  }
  for (const node of nodes) {
    let key: Record<string, string> = { env: 'SURETY_NODE_KEY' }
    if (node.index === 0) {
      const keystore = join(dir, 'node-0.keystore.json')
      writeFileSync(
        keystore,
        JSON.stringify(encryptKeystore(node.privateKey, KEYSTORE_PASSWORD, { n: 1024 })),
      )
      key = { keystore: 'node-0.keystore.json', passwordEnv: 'SURETY_KEYSTORE_PASSWORD' }
    }
    const config = {
      chain: {
        rpcUrl: options.rpcUrl,
        chainId: options.chainId,
        addresses: options.addresses,
        confirmations: 1,
        pollIntervalMs: 200,
        startBlock: Number(options.startBlock),
      },
      key,
      roles: options.roles?.(node.index) ?? { attester: true, keeper: true },
      store: { path: `node-${node.index}.db` },
      // every node, device and test client shares 127.0.0.1 here: the per-IP bound is for one stranger, not a cluster
      api: {
        port: node.port,
        requestsPerSecondPerIp: 2_000,
        burstPerIp: 4_000,
        requestsPerSecondPerPeer: 2_000,
        burstPerPeer: 4_000,
      },
      log: { level: 'info' },
      peers: nodes.filter((n) => n !== node).map((n) => ({ url: n.apiUrl, address: n.account.address })),
      services: [options.service(node.index)],
      timing: {
        exchangeIntervalMs: 300,
        submitStaggerMs: 2_500,
        keeperIntervalMs: 400,
        keeperStaggerMs: 2_500,
        // a probe's worst case (1 s timeout, one retry, a reference probe) must end before its epoch is judged
        judgeDelayMs: 3_000,
        judgeIntervalMs: 200,
        committeeTtlMs: 10_000,
        // the node's default: at 1 s, pushes between local peers timed out on a loaded CI machine (load 10+), so a
        // peer that should have stored a report (a dissenter's stance) missed it before the quorum landed
        peerTimeoutMs: 3_000,
        ...options.timing,
      },
      ...options.extra,
    }
    writeFileSync(node.configPath, stringify(config))
  }
  return nodes
}

/** The nodes started and not yet stopped by stopAll: a `waitFor` that times out describes them. */
const started = new Set<ClusterNode>()

export async function startProcess(node: ClusterNode, env: Record<string, string> = {}): Promise<void> {
  node.proc = spawnNode(node.configPath, {
    SURETY_NODE_KEY: node.privateKey,
    SURETY_KEYSTORE_PASSWORD: KEYSTORE_PASSWORD,
    SURETY_NODE_FAILPOINTS: '',
    ...env,
  })
  started.add(node)
  const proc = node.proc
  await waitFor(
    `node ${node.index} to serve /health`,
    async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null)
        throw new Error(`node ${node.index} exited during start:\n${proc.lines.slice(-10).join('\n')}`)
      return (await fetch(`${node.apiUrl}/health`).catch(() => undefined))?.ok
    },
    // a node compiles its TypeScript on start: slow on a loaded 2-core machine, several starting at once
    60_000,
    { nodes: [node] },
  )
}

export async function startAll(
  nodes: ClusterNode[],
  env: (n: ClusterNode) => Record<string, string> = () => ({}),
) {
  await Promise.all(nodes.map((n) => startProcess(n, env(n))))
}

/** Stops every node; removes the cluster's directory (configs, stores, logs) unless SURETY_KEEP_TEST_DIRS is set. */
export async function stopAll(nodes: ClusterNode[]) {
  for (const n of nodes) started.delete(n)
  await Promise.all(nodes.map((n) => n.proc?.stop()))
  const dir = nodes[0]?.dir
  if (dir && !process.env.SURETY_KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true })
}

export type NodeStatus = {
  address: Address
  lastBlock: string | null
  reports: {
    digest: Hex
    slashId: Hex
    kind: string
    subject: string
    vault: Address
    classId: number
    client: Address
    own: string
    state: string
    reason: string | null
    tx: Hex | null
    signers: Address[]
  }[]
  outcomes: {
    digest: Hex
    orderId: string
    milestone: number
    success: boolean
    classId: number
    kind: string
    own: string
    state: string
    reason: string | null
    tx: Hex | null
    signers: Address[]
  }[]
  orders: {
    orderId: string
    serviceId: string
    kind: string
    status: string
    vault: Address
    settled: number
    milestones: number
    device: Address
  }[]
  transactions: Record<
    'report' | 'execute' | 'lapse' | 'outcome' | 'expire' | 'settle_lease' | 'sweep',
    number
  >
  telemetryRejections: Record<string, number>
}

export async function status(node: ClusterNode): Promise<NodeStatus> {
  const response = await fetch(`${node.apiUrl}/v1/status`)
  return (await response.json()) as NodeStatus
}

export async function metricsText(node: ClusterNode): Promise<string> {
  return (await fetch(`${node.apiUrl}/metrics`)).text()
}

export type WaitOptions = {
  intervalMs?: number
  /** What of each node's status the timeout error shows (see diagnose.ts); by default everything still open. */
  focus?: DiagnosisFocus
  /** The nodes the timeout error describes; by default those of every cluster started (startAll) and not stopped. */
  nodes?: readonly ClusterNode[]
}

/**
 * Polls until `check` returns something truthy; fails with `what` after the deadline, the error describing each
 * node's view (its outcomes and reports: own stance, state, reason, signers) and the end of its log.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<T> {
  const intervalMs = options.intervalMs ?? 200
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as T
    } catch (error) {
      lastError = error
      if (error instanceof Error && /exited during start/.test(error.message)) throw error
    }
    if (Date.now() > deadline) {
      const nodes = options.nodes ?? [...started]
      const views = nodes.length
        ? `\n${await describeNodes(nodes, options.focus).catch((e) => `(no diagnosis: ${(e as Error).message})`)}`
        : ''
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}${views}`,
      )
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** Court transactions calling `functionName` from `fromBlock` on, with how many reverted. */
export function courtCalls(
  client: PublicClient,
  court: Address,
  functionName: 'requestSlash' | 'executeSlash' | 'lapse',
  fromBlock: bigint,
  toBlock?: bigint,
): Promise<{ total: number; reverted: number; hashes: Hex[] }> {
  return contractCalls(client, court, slashingCourtAbi, functionName, fromBlock, toBlock)
}

/** Transactions to `address` calling `functionName` (of `abi`) from `fromBlock` on, with how many reverted. */
export async function contractCalls(
  client: PublicClient,
  address: Address,
  abi: Abi,
  functionName: string,
  fromBlock: bigint,
  toBlock?: bigint,
): Promise<{ total: number; reverted: number; hashes: Hex[] }> {
  const selector = toFunctionSelector(getAbiItem({ abi, name: functionName }) as never)
  const head = toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }))
  const hashes: Hex[] = []
  let reverted = 0
  for (let n = fromBlock; n <= head; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true })
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== address.toLowerCase() || !tx.input.startsWith(selector)) continue
      hashes.push(tx.hash)
      const receipt = await client.getTransactionReceipt({ hash: tx.hash })
      if (receipt.status !== 'success') reverted++
    }
  }
  return { total: hashes.length, reverted, hashes }
}

export function courtEvents<const E extends 'SlashRequested' | 'SlashExecuted'>(
  client: PublicClient,
  court: Address,
  eventName: E,
  fromBlock: bigint,
  /** Compared with `courtCalls`: both must stop at the same block, or a slash mined in between skews the count. */
  toBlock?: bigint,
) {
  return client.getContractEvents({ address: court, abi: slashingCourtAbi, eventName, fromBlock, toBlock })
}

/** Indexes (committee bitmap positions) of the signers recorded in a slash's details. */
export function signerIndexes(bitmap: bigint): number[] {
  return Array.from({ length: 64 }, (_, i) => i).filter((i) => (bitmap >> BigInt(i)) & 1n)
}

export type { Account }
