/**
 * Every write goes the same way: simulated first (a revert is explained before anything is signed), explained
 * in plain words, confirmed on any chain but the local devnet (unless --yes), or with --dry-run printed as calls
 * with their calldata for a multisig, and then sent through the SDK action.
 */
import { type Abi, type Address, encodeFunctionData, erc20Abi } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { allSuretyErrorsAbi } from '../../sdk/abis.ts'
import { approveToken } from '../../sdk/index.ts'
import { toSuretyError } from '../../sdk/sendTransaction.ts'
import type { SuretyClient } from '../../sdk/types.ts'
import { type Context, DEVNET_CHAIN_ID } from './connect.ts'
import { promptLine } from './prompt.ts'
import { formatToken } from './units.ts'

export type Call = { address: Address; abi: Abi; functionName: string; args: readonly unknown[] }

export type Approval = { token: Address; spender: Address; amount: bigint; spenderName: string }

export type WritePlan<R> = {
  /** What the write does, in plain words, one line each. */
  explain: string[]
  /** The contract call the SDK action sends (simulated first, printed by --dry-run). */
  call: Call
  /** A token allowance the call needs; approved first when the current one is short. */
  approval?: Approval
  /** Sends it through the SDK. */
  send: () => Promise<R>
}

export type WriteOutcome<R> = { sent: false } | { sent: true; result: R }

/** Prose goes to stderr under --json, so stdout stays one JSON document. */
export const say = (json: boolean, line: string) => (json ? console.error(line) : console.log(line))

export async function simulate(client: SuretyClient, call: Call): Promise<void> {
  try {
    await client.public.simulateContract({
      address: call.address,
      abi: [...call.abi, ...allSuretyErrorsAbi],
      functionName: call.functionName,
      args: call.args,
      account: client.wallet.account,
    } as never)
  } catch (error) {
    throw toSuretyError(error, call.functionName)
  }
}

export async function runWrite<R>(
  ctx: Context,
  client: SuretyClient,
  values: Record<string, unknown>,
  plan: WritePlan<R>,
): Promise<WriteOutcome<R>> {
  const json = values.json === true
  const dryRun = values['dry-run'] === true
  const account = client.wallet.account.address
  let approve: Call | undefined
  if (plan.approval) {
    const a = plan.approval
    const token = await ctx.token(a.token)
    const balance = await ctx.reader.public.readContract({
      address: a.token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [account],
    })
    if (balance < a.amount)
      throw new InvalidInputError(
        `not enough balance: ${account} has ${formatToken(balance, token)}, this needs ${formatToken(a.amount, token)}`,
      )
    const allowance = await ctx.reader.public.readContract({
      address: a.token,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [account, a.spender],
    })
    if (allowance < a.amount)
      approve = { address: a.token, abi: erc20Abi, functionName: 'approve', args: [a.spender, a.amount] }
  }
  // a call that needs an approval not yet given cannot be simulated before it: the command's own checks stand in
  await simulate(client, approve ?? plan.call)
  const lines = [...plan.explain]
  if (approve && plan.approval) {
    const token = await ctx.token(plan.approval.token)
    lines.unshift(
      `first approve the ${plan.approval.spenderName} to take ${formatToken(plan.approval.amount, token)} (one more transaction)`,
    )
  }
  for (const line of lines) say(json, line)
  const calls = approve ? [approve, plan.call] : [plan.call]
  if (dryRun) {
    const printed = calls.map((c) => ({
      to: c.address,
      function: `${c.functionName}(${c.args.map(argText).join(', ')})`,
      data: encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args } as never),
    }))
    if (json) console.log(JSON.stringify({ dryRun: true, from: account, calls: printed }))
    else {
      console.log(`dry run (nothing sent), from ${account}:`)
      for (const c of printed) console.log(`  to ${c.to}\n  call ${c.function}\n  data ${c.data}`)
    }
    return { sent: false }
  }
  if (ctx.chainId !== DEVNET_CHAIN_ID && values.yes !== true) {
    if (!process.stdin.isTTY)
      throw new InvalidInputError(
        `chain ${ctx.chainId} is not the local devnet: confirm with --yes to send (or --dry-run to print the calls)`,
      )
    const answer = await promptLine(`send from ${account} on chain ${ctx.chainId}? [y/N] `)
    if (!/^y(es)?$/i.test(answer.trim())) throw new InvalidInputError('cancelled: nothing was sent')
  }
  if (approve && plan.approval) {
    await approveToken(client, {
      token: plan.approval.token,
      spender: plan.approval.spender,
      amount: plan.approval.amount,
    })
    // the call itself could not be simulated before the approval: it is now, so a revert is explained, not sent
    await simulate(client, plan.call)
  }
  return { sent: true, result: await plan.send() }
}

function argText(arg: unknown): string {
  if (typeof arg === 'bigint') return arg.toString()
  if (typeof arg === 'object' && arg !== null)
    return JSON.stringify(arg, (_, v) => (typeof v === 'bigint' ? v.toString() : v))
  return String(arg)
}
