import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { InvalidInputError } from '../../errors.ts'
import { loadNodeConfig } from '../../node/config.ts'
import { decryptKeystore, encryptKeystore } from '../../node/keystore.ts'
import { startNode } from '../../node/node.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety node --config FILE
       surety node keystore create --out FILE [--key-env VAR | --new] [--password-env VAR] [--scrypt-n N]
       surety node keystore address FILE [--password-env VAR]

Runs an attester and/or keeper node as its YAML config says (chain, key, services, peers, store, ports; see
docs/node.md and examples/node.yaml). Logs are JSON lines on stdout; stop it with Ctrl-C or SIGTERM.

keystore create   encrypts a private key (from the variable --key-env, default SURETY_PRIVATE_KEY, or a new
                  random one with --new) into a Web3 Secret Storage v3 file, with the password from the variable
                  --password-env (default SURETY_KEYSTORE_PASSWORD). Never overwrites a file.
keystore address  decrypts a keystore and prints its address (checks the password).`

function password(envName: string): string {
  const value = process.env[envName]
  if (value === undefined || value === '')
    throw new InvalidInputError(`--password-env: environment variable ${envName} is not set`)
  return value
}

async function keystore(args: string[]): Promise<number> {
  const [action, ...rest] = args
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'key-env': { type: 'string', default: 'SURETY_PRIVATE_KEY' },
      new: { type: 'boolean' },
      'password-env': { type: 'string', default: 'SURETY_KEYSTORE_PASSWORD' },
      'scrypt-n': { type: 'string', default: '262144' },
      json: { type: 'boolean' },
    },
  })
  if (action === 'create') {
    if (!values.out) throw new InvalidInputError('--out: give the keystore file to write')
    if (existsSync(values.out)) throw new InvalidInputError(`--out: ${values.out} exists; not overwriting it`)
    const n = Number(values['scrypt-n'])
    if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0)
      throw new InvalidInputError('--scrypt-n must be a power of two')
    let key: Hex
    if (values.new) key = generatePrivateKey()
    else {
      const raw = process.env[values['key-env']!]?.trim()
      if (!raw) throw new InvalidInputError(`--key-env: environment variable ${values['key-env']} is not set`)
      key = (raw.startsWith('0x') ? raw : `0x${raw}`) as Hex
      if (!/^0x[0-9a-fA-F]{64}$/.test(key))
        throw new InvalidInputError(`--key-env: ${values['key-env']} is not a private key`)
    }
    const file = encryptKeystore(key, password(values['password-env']!), { n })
    writeFileSync(values.out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
    const address = privateKeyToAccount(key).address
    console.log(
      values.json ? JSON.stringify({ address, file: values.out }) : `wrote ${values.out} for ${address}`,
    )
    return 0
  }
  if (action === 'address') {
    const path = positionals[0]
    if (!path) throw new InvalidInputError('give the keystore file')
    const key = decryptKeystore(readFileSync(path, 'utf8'), password(values['password-env']!))
    const address = privateKeyToAccount(key).address
    console.log(values.json ? JSON.stringify({ address }) : address)
    return 0
  }
  throw new InvalidInputError(`unknown keystore action '${action ?? ''}' (create or address)`)
}

export const command: Command = {
  summary: 'run an attester / keeper node, or manage its keystore',
  usage,
  async run(args) {
    if (args[0] === 'keystore') return keystore(args.slice(1))
    const { values } = parseArgs({ args, options: { config: { type: 'string' } } })
    if (!values.config)
      throw new InvalidInputError('--config: give the node config file (see examples/node.yaml)')
    const node = await startNode(loadNodeConfig(values.config))
    const reason = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('interrupted'))
      process.once('SIGTERM', () => resolve('terminated'))
    })
    await node.stop()
    console.error(`node stopped: ${reason}`)
    return 0
  },
}
