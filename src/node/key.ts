/** Loads the node's signing key from where the config says: an environment variable or an encrypted keystore. */
import { readFileSync } from 'node:fs'
import type { Hex } from 'viem'
import { type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts'
import { InvalidInputError } from '../errors.ts'
import type { NodeConfig } from './config.ts'
import { decryptKeystore } from './keystore.ts'

const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/

export function loadAccount(key: NodeConfig['key'], env: NodeJS.ProcessEnv = process.env): PrivateKeyAccount {
  if (key.kind === 'env') {
    const value = env[key.env]?.trim()
    if (!value) throw new InvalidInputError(`key.env: environment variable ${key.env} is not set`)
    const hex = value.startsWith('0x') ? value : `0x${value}`
    if (!PRIVATE_KEY.test(hex))
      throw new InvalidInputError(`key.env: ${key.env} does not hold a 32-byte hex private key`)
    return privateKeyToAccount(hex as Hex)
  }
  const password = env[key.passwordEnv]
  if (password === undefined)
    throw new InvalidInputError(`key.passwordEnv: environment variable ${key.passwordEnv} is not set`)
  let text: string
  try {
    text = readFileSync(key.keystore, 'utf8')
  } catch (error) {
    throw new InvalidInputError(`key.keystore: cannot read ${key.keystore}`, { cause: error })
  }
  return privateKeyToAccount(decryptKeystore(text, password))
}
