/**
 * `surety risk` — restaking security of a network, offline: analyze, cascade, snapshot (from a live
 * deployment) and bond (collateral calibration). See docs/risk.md.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatUnits } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { analyzeNetwork } from '../../risk/analyze.ts'
import { calibrateBond } from '../../risk/bond.ts'
import { worstCaseLoss } from '../../risk/cascade.ts'
import { decimalToRational, parseDecimal } from '../../risk/decimal.ts'
import { parseRiskInput } from '../../risk/input.ts'
import type { Network } from '../../risk/network.ts'
import { parallelBranch } from '../../risk/parallelBranch.ts'
import { cmp, ONE, ratToString } from '../../risk/rational.ts'
import { analyzeJson, cascadeJson } from '../../risk/report.ts'
import { snapshotFromRpc } from '../../risk/snapshotRpc.ts'
import { connect } from '../lib/connect.ts'
import { CONNECTION_OPTIONS, parseError, parseOptions } from '../lib/options.ts'
import { plural } from '../lib/table.ts'
import type { Command } from '../main.ts'
import { analyzeLines, cascadeLines } from '../riskText.ts'

const usage = `Usage:
  surety risk analyze --input FILE [--time-limit SECONDS] [--json]
      Is there a coalition of operators that profits from corrupting services? Prints the verdict, the most
      profitable and the largest attack, the certified slack γ, leverage and Nakamoto coefficients.
  surety risk cascade --input FILE --shock PSI [--time-limit SECONDS] [--json]
      Worst-case share of all stake lost after a shock removing up to PSI (0..1) of it, plus the attack it
      enables (R_ψ), and the bound (1 + 1/γ)·ψ.
  surety risk snapshot [--rpc-url URL] [--deployment FILE] [--out FILE] [--threshold ALPHA]
      Builds the input above from a live deployment (RPC from --rpc-url, $ETH_RPC_URL or the local devnet;
      the manifest found by the chain's id), with amounts in the stake token's units.
  surety risk bond --value V --detection P --slash F [--failure-rate Q] [--decimals N] [--json]
      The collateral that makes cheating on a job of value V unprofitable.

Input (JSON): { "operators": [{ "id", "stake" }], "services": [{ "id", "profit", "threshold", "operators": [ids] }],
  "allocations": [{ "operator", "service", "stake" }] }   amounts are numbers or decimal strings.
--time-limit (default 60) bounds each solver call; a result stopped by it is reported as not proven.`

function readNetwork(path: string | undefined): Network {
  if (!path) throw new InvalidInputError('--input FILE is required')
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new InvalidInputError(`--input: cannot read ${path}`, { cause })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (cause) {
    throw new InvalidInputError(`--input: ${path} is not valid JSON`, { cause })
  }
  return parseRiskInput(raw)
}

function timeLimit(v: string | undefined): number {
  const t = Number(v ?? '60')
  if (!Number.isFinite(t) || t <= 0)
    throw new InvalidInputError(`--time-limit must be a positive number of seconds (got ${v})`)
  return t
}

/**
 * Said on stderr, and only to a person at a terminal (pipes and --json readers get nothing extra): a large network
 * can take the whole limit per question, and a silent minute reads as a hang.
 */
function searchingNotice(seconds: number, questions: string): string {
  return `searching: ${questions}, up to ${seconds} s each (--time-limit to change); an answer cut short says NOT PROVEN…`
}
const tellSearching = (seconds: number, questions: string) => {
  if (process.stderr.isTTY) process.stderr.write(`${searchingNotice(seconds, questions)}\n`)
}

const print = (json: boolean, obj: unknown, text: string) =>
  console.log(json ? JSON.stringify(obj, null, 2) : text)

async function analyze(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      json: { type: 'boolean', default: false },
      'time-limit': { type: 'string' },
    },
  })
  const n = readNetwork(values.input)
  const seconds = timeLimit(values['time-limit'])
  tellSearching(seconds, 'the most profitable attack, then the largest')
  // the branch and bound over services on two worker threads where the network is large enough to gain
  const r = await analyzeNetwork(n, {
    timeLimitSeconds: seconds,
    parallel: parallelBranch(),
  })
  const json = analyzeJson(r, n.scale)
  print(values.json, json, analyzeLines(json))
  return 0
}

async function cascade(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      shock: { type: 'string' },
      json: { type: 'boolean', default: false },
      'time-limit': { type: 'string' },
    },
  })
  if (values.shock === undefined)
    throw new InvalidInputError('--shock PSI is required (a fraction of all stake, 0..1)')
  const psi = decimalToRational(parseDecimal(values.shock, '--shock'))
  if (cmp(psi, ONE) > 0) throw new InvalidInputError(`--shock must be in [0, 1] (got ${ratToString(psi)})`)
  const n = readNetwork(values.input)
  const seconds = timeLimit(values['time-limit'])
  tellSearching(seconds, 'the worst shock and the attack it enables')
  // the solver on a thread that is abandoned at the deadline (mipThread.ts): HiGHS overruns its own limit
  const r = await worstCaseLoss(n, psi, { timeLimitSeconds: seconds, parallel: parallelBranch() })
  const json = cascadeJson(r, n.scale)
  const total = n.operators.reduce((sum, o) => sum + o.stake, 0n)
  const smallest = n.operators.reduce<bigint | null>(
    (m, o) => (m === null || o.stake < m ? o.stake : m),
    null,
  )
  const share = total === 0n || smallest === null ? null : Number((smallest * 1_000_000n) / total) / 1_000_000
  print(values.json, json, cascadeLines(json, share))
  return 0
}

async function snapshot(args: string[]): Promise<number> {
  const { values } = parseOptions('risk snapshot', args, {
    ...CONNECTION_OPTIONS,
    out: { type: 'string' },
    threshold: { type: 'string' },
  })
  const ctx = await connect(values)
  const input = await snapshotFromRpc(
    { rpcUrl: ctx.rpcUrl, deployment: ctx.manifestPath },
    { defaultThreshold: values.threshold as string | undefined },
  )
  // the engine reads any decimal units: write the stake token's, so every report reads in tokens, not wei
  const tokens = (wei: string) => formatUnits(BigInt(wei), ctx.stake.decimals)
  const inTokens = {
    ...input,
    operators: input.operators.map((o) => ({ ...o, stake: tokens(String(o.stake)) })),
    services: input.services.map((sv) => ({ ...sv, profit: tokens(String(sv.profit)) })),
    allocations: input.allocations?.map((a) => ({ ...a, stake: tokens(String(a.stake)) })),
  }
  const text = JSON.stringify(inTokens, null, 2)
  if (values.out) {
    writeFileSync(values.out as string, `${text}\n`)
    console.error(
      `wrote ${values.out}: ${plural(input.operators.length, 'operator')}, ${plural(input.services.length, 'service')} (amounts in ${ctx.stake.symbol})`,
    )
  } else console.log(text)
  return 0
}

function bond(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      value: { type: 'string' },
      detection: { type: 'string' },
      slash: { type: 'string' },
      'failure-rate': { type: 'string' },
      decimals: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  })
  for (const f of ['value', 'detection', 'slash'] as const) {
    if (values[f] === undefined) throw new InvalidInputError(`--${f} is required`)
  }
  const decimals = values.decimals === undefined ? undefined : Number(values.decimals)
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 36)) {
    throw new InvalidInputError(`--decimals must be an integer in [0, 36] (got ${values.decimals})`)
  }
  const r = calibrateBond({
    value: values.value as string,
    detection: values.detection as string,
    slash: values.slash as string,
    failureRate: values['failure-rate'],
    decimals,
  })
  const json = {
    collateral: r.collateralRounded,
    collateralExact: ratToString(r.collateral),
    payoutOnDetection: ratToString(r.payoutOnDetection),
    honestCostPerJob: r.honestCostPerJob === null ? null : ratToString(r.honestCostPerJob),
    reasoning: r.reasoning,
  }
  print(
    values.json,
    json,
    [`collateral: ${r.collateralRounded}`, '', ...r.reasoning.map((l) => `  ${l}`)].join('\n'),
  )
  return 0
}

export const command: Command = {
  summary: 'restaking security: attacks, cascades, snapshots, bond sizing',
  usage,
  async run(args) {
    const [sub, ...rest] = args
    try {
      switch (sub) {
        case 'analyze':
          return await analyze(rest)
        case 'cascade':
          return await cascade(rest)
        case 'snapshot':
          return await snapshot(rest)
        case 'bond':
          return bond(rest)
        default:
          console.error(`surety risk: unknown subcommand '${sub ?? ''}'\n\n${usage}`)
          return 2
      }
    } catch (error) {
      // parseArgs throws plain TypeErrors for unknown or malformed options: report them like any bad input.
      throw parseError(`risk ${sub}`, error)
    }
  },
}
