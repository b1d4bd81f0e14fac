/**
 * The signing key: SURETY_PRIVATE_KEY, or a v3 JSON keystore (the node's format) whose password comes from
 * SURETY_KEYSTORE_PASSWORD or, on a terminal, a prompt. Never from a command-line flag.
 */
import { readFileSync } from 'node:fs'
import type { Hex } from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { InvalidInputError } from '../../errors.ts'
import { decryptKeystore } from '../../node/keystore.ts'
import { createSuretyClient } from '../../sdk/createSuretyClient.ts'
import type { SuretyClient } from '../../sdk/types.ts'
import type { Context } from './connect.ts'
import { str } from './options.ts'
import { promptHidden } from './prompt.ts'

export const KEY_ENV = 'SURETY_PRIVATE_KEY'
export const KEYSTORE_ENV = 'SURETY_KEYSTORE'
export const PASSWORD_ENV = 'SURETY_KEYSTORE_PASSWORD'

export async function loadAccount(values: Record<string, unknown>): Promise<PrivateKeyAccount> {
  const keystore = str(values, 'keystore') ?? process.env[KEYSTORE_ENV]
  if (keystore !== undefined) {
    let text: string
    try {
      text = readFileSync(keystore, 'utf8')
    } catch {
      throw new InvalidInputError(`--keystore: cannot read ${keystore}`)
    }
    const password =
      process.env[PASSWORD_ENV] ??
      (process.stdin.isTTY ? await promptHidden(`password for ${keystore}: `) : undefined)
    if (password === undefined)
      throw new InvalidInputError(
        `--keystore ${keystore} needs its password: set ${PASSWORD_ENV} (or run in a terminal to be asked)`,
      )
    return privateKeyToAccount(decryptKeystore(text, password))
  }
  const key = process.env[KEY_ENV]?.trim()
  if (!key)
    throw new InvalidInputError(
      `this command sends a transaction and needs a key: set ${KEY_ENV}, or pass --keystore FILE (password from ${PASSWORD_ENV} or a prompt)`,
    )
  const hex = key.startsWith('0x') ? key : `0x${key}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex))
    throw new InvalidInputError(`${KEY_ENV} must hold your key as 0x followed by 64 hex digits`)
  return privateKeyToAccount(hex as Hex)
}

export async function signerFor(ctx: Context, values: Record<string, unknown>): Promise<SuretyClient> {
  return createSuretyClient({
    rpcUrl: ctx.rpcUrl,
    chainId: ctx.chainId,
    account: await loadAccount(values),
    addresses: ctx.deployment.addresses,
  })
}
