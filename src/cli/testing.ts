/** For the CLI's tests: run `surety` in-process as a given account and capture what it prints. */
import { toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { DEVNET_MNEMONIC } from '../chain/devnet.ts'
import { main } from './main.ts'

export const keyOf = (i: number) =>
  toHex(mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i }).getHdKey().privateKey!)
export const addressOf = (i: number) => mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i }).address

export type CliRun = { code: number; out: string; err: string }

/** Runs `surety argv…` with SURETY_PRIVATE_KEY set to account `signer`'s key (none when undefined). */
export async function runCli(
  argv: string[],
  signer?: number,
  env: Record<string, string> = {},
): Promise<CliRun> {
  const lines: string[] = []
  const errors: string[] = []
  const [log, error] = [console.log, console.error]
  const saved = { ...process.env }
  console.log = (...a: unknown[]) => lines.push(a.join(' '))
  console.error = (...a: unknown[]) => errors.push(a.join(' '))
  delete process.env.SURETY_PRIVATE_KEY
  delete process.env.ETH_RPC_URL
  if (signer !== undefined) process.env.SURETY_PRIVATE_KEY = keyOf(signer)
  Object.assign(process.env, env)
  try {
    const code = await main(argv)
    return { code, out: lines.join('\n'), err: errors.join('\n') }
  } finally {
    console.log = log
    console.error = error
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
    Object.assign(process.env, saved)
  }
}

/** Moves a local chain's clock forward and mines a block. */
export async function travel(rpcUrl: string, seconds: number): Promise<void> {
  const call = (method: string, params: unknown[]) =>
    fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    })
  await call('evm_increaseTime', [seconds])
  await call('evm_mine', [])
}

/** `cli` runs a command against the deployment in `manifestPath`; `ok` one that must succeed, returning its output. */
export function cliFor(manifestPath: string, assertOk: (run: CliRun, args: string[]) => void) {
  const cli = (args: string[], signer?: number) => runCli([...args, '--deployment', manifestPath], signer)
  const ok = async (args: string[], signer?: number) => {
    const r = await cli(args, signer)
    assertOk(r, args)
    return r.out
  }
  return { cli, ok }
}
