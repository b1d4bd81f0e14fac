/**
 * The shape of every subcommand: parse its options (with the shared connection and signing ones), load the key
 * before touching the chain (a missing key fails fast), connect, and for writes run the shared write pipeline and
 * print what happened.
 */
import type { ParseArgsConfig } from 'node:util'
import type { PrivateKeyAccount } from 'viem/accounts'
import { createSuretyClient } from '../../sdk/createSuretyClient.ts'
import type { SuretyClient, TxResult } from '../../sdk/types.ts'
import { type Context, connect } from './connect.ts'
import { printJson } from './json.ts'
import { CONNECTION_OPTIONS, parseOptions, SIGNER_OPTIONS } from './options.ts'
import { loadAccount } from './signer.ts'
import { runWrite, type WritePlan } from './write.ts'

type Options = NonNullable<ParseArgsConfig['options']>
export type Values = Record<string, string | boolean | string[] | undefined>

export type Session = {
  values: Values
  positionals: string[]
  ctx: Context
  json: boolean
}

export type WriteSession = Session & { client: SuretyClient; account: PrivateKeyAccount }

export async function beginRead(
  command: string,
  args: string[],
  options: Options = {},
  check?: (values: Values, positionals: string[]) => void,
): Promise<Session> {
  const { values, positionals } = parseOptions(command, args, { ...CONNECTION_OPTIONS, ...options })
  check?.(values as Values, positionals)
  const ctx = await connect(values)
  return { values: values as Values, positionals, ctx, json: values.json === true }
}

export async function beginWrite(
  command: string,
  args: string[],
  options: Options = {},
  /** Checks of the arguments alone, run before the key is loaded or the chain is reached. */
  check?: (values: Values, positionals: string[]) => void,
): Promise<WriteSession> {
  const { values, positionals } = parseOptions(command, args, {
    ...CONNECTION_OPTIONS,
    ...SIGNER_OPTIONS,
    ...options,
  })
  check?.(values as Values, positionals)
  const account = await loadAccount(values)
  const ctx = await connect(values)
  const client = createSuretyClient({
    rpcUrl: ctx.rpcUrl,
    chainId: ctx.chainId,
    account,
    addresses: ctx.deployment.addresses,
  })
  return { values: values as Values, positionals, ctx, json: values.json === true, client, account }
}

/**
 * Runs one write and reports it: `done` says in words what happened (printed with the transaction), `--json`
 * prints { hash, gasUsed, blockNumber, result }. Returns the SDK's result, or undefined on a dry run.
 */
export async function write<T>(
  s: WriteSession,
  plan: WritePlan<TxResult<T>>,
  done: (result: T) => string | string[] | Promise<string | string[]>,
): Promise<T | undefined> {
  const outcome = await runWrite(s.ctx, s.client, s.values, plan)
  if (!outcome.sent) return undefined
  const tx = outcome.result
  if (s.json)
    printJson({ hash: tx.hash, gasUsed: tx.gasUsed, blockNumber: tx.blockNumber, result: tx.result })
  else {
    const lines = await done(tx.result)
    for (const line of Array.isArray(lines) ? lines : [lines]) console.log(line)
    console.log(`  transaction ${tx.hash} (block ${tx.blockNumber}, gas ${tx.gasUsed})`)
  }
  return tx.result
}
