/**
 * The node's configuration: a YAML file validated by zod. Every error names the field that is wrong
 * (`services[0].operators[2].endpoint: …`), unknown fields are errors (a typo must not silently fall back to a
 * default), and a plain private key is refused: the key comes from an environment variable or an encrypted
 * keystore file. Relative paths are resolved against the config file's directory.
 */
import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { parseGwei } from 'viem'
import { parse as parseYaml } from 'yaml'
import { type ZodIssue, z } from 'zod'
import { InvalidInputError } from '../errors.ts'

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')
  .transform((s) => s as `0x${string}`)
const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex string')
  .transform((s) => s.toLowerCase() as `0x${string}`)
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
const port = z.number().int().min(0).max(65535)
const ms = (min: number) => z.number().int().min(min)
/** An amount of gwei as a number or a decimal string (at most 9 decimals: whole wei), read as a bigint of wei. */
const gwei = z
  .union([z.number(), z.string()])
  .refine((v) => /^\d+(\.\d{1,9})?$/.test(String(v)) && /[1-9]/.test(String(v)), {
    message: 'must be a positive amount of gwei with at most 9 decimals (e.g. 200 or "0.5")',
  })
  .transform((v) => parseGwei(String(v)))
const bps = z.number().int().min(0).max(10_000)
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')

const keySchema = z
  .object({
    env: envName.optional(),
    keystore: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    privateKey: z.unknown().optional(),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.privateKey !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['privateKey'],
        message: 'a plain private key is not allowed in the config; use key.env or key.keystore',
      })
    }
    if ((k.env === undefined) === (k.keystore === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of key.env and key.keystore' })
    }
    if (k.keystore !== undefined && k.passwordEnv === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['passwordEnv'],
        message: 'a keystore needs passwordEnv (the variable holding its password)',
      })
    }
  })
  .transform(
    (k): KeySource =>
      k.env !== undefined
        ? { kind: 'env', env: k.env }
        : { kind: 'keystore', keystore: k.keystore!, passwordEnv: k.passwordEnv! },
  )

/** Where the signing key comes from: never the config file itself. */
export type KeySource =
  | { kind: 'env'; env: string }
  | { kind: 'keystore'; keystore: string; passwordEnv: string }

const operatorSchema = z
  .object({
    vault: address,
    endpoint: httpUrl,
    /** Who is paid the client share when this operator is slashed for downtime (zero: nobody, all to the sink). */
    client: address.optional(),
  })
  .strict()

const jobSchema = z
  .object({
    id: z.string().min(1).max(128),
    vault: address,
    resultUrl: httpUrl,
    /** keccak256 of the result bytes, as the operator committed it. */
    resultHash: bytes32,
    client: address.optional(),
    /** Deterministic jobs: the executor re-runs the job on `input` (hex) and must reproduce the result. */
    reexecute: z
      .object({
        executor: z.string().min(1),
        input: z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'must be hex bytes'),
      })
      .strict()
      .optional(),
  })
  .strict()

const serviceSchema = z
  .object({
    serviceId: z.number().int().positive(),
    epochSeconds: z.number().int().min(1).default(300),
    /** Violation class ids of this service, per kind of finding; a kind without a class is measured, never reported. */
    classes: z
      .object({
        downtime: z.number().int().min(0).max(15).optional(),
        latency: z.number().int().min(0).max(15).optional(),
        wrongOutput: z.number().int().min(0).max(15).optional(),
        /** A failed shipment, when no class below names the promise it broke (configs before them name only this). */
        delivery: z.number().int().min(0).max(15).optional(),
        /** A shipment's temperature excursion. */
        temperature: z.number().int().min(0).max(15).optional(),
        /** A shipment's late (or missing) pickup, checkpoint or delivery. */
        lateness: z.number().int().min(0).max(15).optional(),
      })
      .strict()
      .default({}),
    probe: z
      .object({
        intervalMs: ms(50).default(10_000),
        timeoutMs: ms(10).default(2_000),
        retries: z.number().int().min(0).max(5).default(1),
        /**
         * Endpoints anyone should be able to reach (a public health URL, another region's gateway): when an
         * operator's probe fails and none of these answer either, the failure is this node's and is not counted.
         */
        references: z.array(httpUrl).max(8).default([]),
        /**
         * Probe times drawn from a secret of this node's key as a memoryless (Poisson) process averaging one probe
         * per interval (measure/schedule.ts), so the operator can neither predict the next probe nor learn from
         * the last one when it is safe to be down; false: the fixed grid every attester shares.
         */
        randomizeTiming: z.boolean().default(true),
        /** A health answer larger than this (after decoding) is a failed probe; it is not read past the cap. */
        maxBodyBytes: z
          .number()
          .int()
          .min(1)
          .default(64 * 1024),
      })
      .strict()
      .default({}),
    verdict: z
      .object({
        minSamples: z.number().int().min(1).default(3),
        minUptimeBps: bps.default(9_000),
        maxLatencyMs: z.number().int().positive().optional(),
        latencyQuantileBps: bps.default(9_500),
        /** An epoch in which more than this share of the judged operators is down from this node is voided. */
        massFailureBps: bps.default(5_000),
        /** …when at least this many operators were judged in it. */
        massFailureMinOperators: z.number().int().min(2).default(5),
      })
      .strict()
      .default({}),
    operators: z.array(operatorSchema).default([]),
    jobs: z.array(jobSchema).default([]),
    /** Share of deterministic jobs re-executed; chosen by job id so every attester samples the same jobs. */
    jobSampleBps: bps.default(10_000),
    /**
     * Compute orders: where an operator's committed result is fetched, a URL template with {orderId},
     * {milestone}, {vault} and {resultHash}; absent: compute orders of this service are not judged.
     */
    resultUrl: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL template')
      .optional(),
    /** Orders and their device keys come from the OrderBook (OrderOpened), never from the config. */
    orders: z
      .unknown()
      .optional()
      .refine((v) => v === undefined, {
        message:
          'orders come from the OrderBook (OrderOpened: terms.device, pickupBy, temperatures); remove this field',
      }),
  })
  .strict()

export const nodeConfigSchema = z
  .object({
    chain: z
      .object({
        rpcUrl: httpUrl.optional(),
        /** Deployment manifest (.surety/deployments/<chainId>.json) for chain id, addresses and start block. */
        deployment: z.string().min(1).optional(),
        chainId: z.number().int().positive().optional(),
        addresses: z
          .object({ registry: address, court: address, orders: address.optional() })
          .passthrough()
          .optional(),
        confirmations: z.number().int().min(0).max(1000).default(2),
        pollIntervalMs: ms(20).default(1_000),
        startBlock: z.number().int().nonnegative().optional(),
        batchBlocks: z.number().int().min(1).default(2_000),
      })
      .strict()
      .superRefine((c, ctx) => {
        if (!c.deployment && (!c.addresses || c.chainId === undefined || !c.rpcUrl)) {
          ctx.addIssue({
            code: 'custom',
            message: 'give chain.deployment, or chain.rpcUrl with chain.chainId and chain.addresses',
          })
        }
      }),
    key: keySchema,
    roles: z
      .object({ attester: z.boolean().default(true), keeper: z.boolean().default(true) })
      .strict()
      .default({}),
    store: z.object({ path: z.string().min(1) }).strict(),
    api: z
      .object({
        host: z.string().default('127.0.0.1'),
        port,
        /** Open connections at once; more are closed on arrival (idle sockets must not exhaust descriptors). */
        maxConnections: z.number().int().min(1).default(256),
        /** Time to receive a request's headers, and the whole request; then the connection is closed. */
        headersTimeoutMs: ms(100).default(5_000),
        requestTimeoutMs: ms(100).default(10_000),
        /** An idle keep-alive connection is closed after this. */
        keepAliveTimeoutMs: ms(100).default(5_000),
        /** Requests per second per client IP (sustained; `burstPerIp` at once), answered 429 beyond. */
        requestsPerSecondPerIp: z.number().positive().default(50),
        burstPerIp: z.number().int().min(1).default(100),
        /** Signed peer requests per second per committee member (and its burst). */
        requestsPerSecondPerPeer: z.number().positive().default(200),
        burstPerPeer: z.number().int().min(1).default(1_000),
      })
      .strict(),
    metrics: z
      .object({ host: z.string().default('127.0.0.1'), port })
      .strict()
      .optional(),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') })
      .strict()
      .default({}),
    /** Other attesters of the same services: signatures are exchanged with them, keeper turns shared with those
     * that keep. */
    peers: z
      .array(z.object({ url: httpUrl, address, keeper: z.boolean().default(true) }).strict())
      .default([]),
    services: z.array(serviceSchema).default([]),
    timing: z
      .object({
        exchangeIntervalMs: ms(20).default(1_000),
        submitStaggerMs: ms(0).default(4_000),
        keeperIntervalMs: ms(20).default(2_000),
        keeperStaggerMs: ms(0).default(4_000),
        /**
         * How long after an epoch ends its verdict is taken: the last probes of the epoch must have finished, so it
         * must cover a probe's worst case (timeoutMs × (1 + retries), plus timeoutMs with references).
         */
        judgeDelayMs: ms(0).default(5_000),
        /** How often closed epochs, job results and shipments are judged. */
        judgeIntervalMs: ms(20).default(1_000),
        /**
         * A report or outcome this node signed that gathers no quorum within this time of its own signature is
         * abandoned (an outcome only once its milestone is no longer open on chain); peer items this node never
         * signed are deleted this long after they were first stored.
         */
        reportTtlMs: ms(1_000).default(6 * 3600_000),
        /** How far ahead of this node's clock a peer may be: a report of an epoch ending later than that is refused. */
        peerSkewMs: ms(0).default(30_000),
        committeeTtlMs: ms(0).default(30_000),
        peerTimeoutMs: ms(10).default(3_000),
      })
      .strict()
      .default({}),
    /** The keeper's order duties (its slash duties need no settings). */
    keeper: z
      .object({
        /** Chain seconds after a job's deadline before it is expired (attested failures and late confirmations first). */
        expireDelaySeconds: z.number().int().nonnegative().default(300),
        /** A lease is settled once this many chain seconds of it are unpaid (and when its funds have all streamed). */
        leaseSettleSeconds: z.number().int().min(1).default(3_600),
        /** How often each service's accrued order fees are checked and, if any, swept. */
        sweepIntervalSeconds: z.number().int().min(1).default(3_600),
      })
      .strict()
      .default({}),
    /** Fee replacement of this node's own transactions (chain/feeBump.ts). */
    transactions: z
      .object({
        /** A transaction still unmined this many blocks after it was broadcast is re-signed with higher fees. */
        bumpAfterBlocks: z.number().int().min(1).max(10_000).default(3),
        /** Each replacement raises both fees by at least this (bps); geth and anvil refuse less than 12.5 %. */
        bumpBps: z.number().int().min(1_250).max(100_000).default(1_250),
        /** The most any transaction of this node pays per gas (gwei), first sends and replacements alike. */
        maxFeePerGasGwei: gwei.default(500),
      })
      .strict()
      .default({}),
    /** Bounds on what peers and strangers can make this node store and compute. */
    limits: z
      .object({
        /** Peer reports on subjects this node has not judged, kept per signer (more are refused with 429). */
        undecidedPerSigner: z.number().int().min(1).default(64),
        /** Settled reports and outcomes (confirmed, failed, expired) and the telemetry of finished orders are
         * deleted this long after they last changed. */
        retentionMs: ms(60_000).default(7 * 24 * 3600_000),
        /** Job and compute results are read up to this many bytes (after decoding); larger ones are not judged. */
        maxResultBytes: z
          .number()
          .int()
          .min(1)
          .default(16 * 1024 * 1024),
      })
      .strict()
      .default({}),
    telemetry: z
      .object({
        /** Readings stamped further than this in the future are refused. */
        maxSkewSeconds: z.number().int().nonnegative().default(300),
        /** A milestone deadline counts as missed only this long after it passed (late readings may still arrive). */
        graceSeconds: z.number().int().nonnegative().default(60),
        maxBodyBytes: z.number().int().min(256).default(16_384),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<number>()
    c.services.forEach((s, i) => {
      if (seen.has(s.serviceId))
        ctx.addIssue({ code: 'custom', path: ['services', i, 'serviceId'], message: 'duplicate service id' })
      seen.add(s.serviceId)
      // a probe still running when its epoch is judged lands in an epoch nobody judges again: a lost sample
      const worstMs =
        s.probe.timeoutMs * (1 + s.probe.retries) + (s.probe.references.length ? s.probe.timeoutMs : 0)
      if (s.operators.length > 0 && worstMs > c.timing.judgeDelayMs)
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'probe'],
          message: `timeoutMs × (1 + retries)${s.probe.references.length ? ' + timeoutMs (references)' : ''} = ${worstMs} ms must fit in timing.judgeDelayMs (${c.timing.judgeDelayMs} ms)`,
        })
      // memoryless timing makes the probes per epoch Poisson: too few expected and many epochs go unjudged
      const expected = (s.epochSeconds * 1_000) / s.probe.intervalMs
      const unjudged = poissonBelow(expected, s.verdict.minSamples)
      if (s.operators.length > 0 && s.probe.randomizeTiming && unjudged > MAX_UNJUDGED_SHARE)
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'verdict', 'minSamples'],
          message: `with random probe timing an epoch of ${s.epochSeconds} s expects ${expected.toFixed(1)} probes at intervalMs ${s.probe.intervalMs}, and ${(unjudged * 100).toFixed(1)} % of epochs would have fewer than minSamples ${s.verdict.minSamples} (no verdict); shorten probe.intervalMs, lengthen epochSeconds or lower minSamples`,
        })
    })
  })

/** The most epochs a config may leave without a verdict for lack of samples (random probe timing): 1 %. */
const MAX_UNJUDGED_SHARE = 0.01

/** P(N < k) for N Poisson with mean `mean`: the share of epochs with fewer than k probes. */
export function poissonBelow(mean: number, k: number): number {
  let term = Math.exp(-mean)
  let sum = 0
  for (let n = 0; n < k; n++) {
    sum += term
    term *= mean / (n + 1)
  }
  return sum
}

export type NodeConfig = z.infer<typeof nodeConfigSchema>
export type ServiceConfig = NodeConfig['services'][number]
export type OperatorConfig = ServiceConfig['operators'][number]
export type JobConfig = ServiceConfig['jobs'][number]

/** `services[0].operators[2].endpoint` — the field path as a person reads it. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : String(p)),
    '',
  )
}

function describeIssue(issue: ZodIssue): string {
  const where = formatPath(issue.path)
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (where ? `${where}.${k}` : k))
    return `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`
  }
  return where ? `${where}: ${issue.message}` : issue.message
}

/** Validates an already-parsed config object; `source` names the file in errors. */
export function parseNodeConfig(raw: unknown, source = 'config'): NodeConfig {
  const parsed = nodeConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const lines = parsed.error.issues.map(describeIssue)
    throw new InvalidInputError(`${source}: ${lines[0]}`, {
      details: lines.length > 1 ? lines.slice(1).join('\n') : undefined,
    })
  }
  return parsed.data
}

/** Reads, parses and validates a YAML config file; relative paths in it are taken from the file's directory. */
export function loadNodeConfig(path: string): NodeConfig {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new InvalidInputError(`cannot read node config ${path}`, { cause: error })
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw new InvalidInputError(`${path}: not valid YAML: ${(error as Error).message}`, { cause: error })
  }
  const config = parseNodeConfig(raw, path)
  const base = dirname(resolve(path))
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  config.store.path = config.store.path === ':memory:' ? ':memory:' : abs(config.store.path)
  if (config.chain.deployment) config.chain.deployment = abs(config.chain.deployment)
  if (config.key.kind === 'keystore') config.key.keystore = abs(config.key.keystore)
  return config
}
