/** `surety node`: the keystore helper and the errors a mistyped invocation or config gets, through the real CLI. */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { main } from '../cli/main.ts'
import { decryptKeystore } from './keystore.ts'

async function run(argv: string[], env: Record<string, string> = {}) {
  const lines: string[] = []
  const errors: string[] = []
  const [log, error] = [console.log, console.error]
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]))
  Object.assign(process.env, env)
  console.log = (...a: unknown[]) => lines.push(a.join(' '))
  console.error = (...a: unknown[]) => errors.push(a.join(' '))
  try {
    const code = await main(argv)
    return { code, out: lines.join('\n'), err: errors.join('\n') }
  } finally {
    console.log = log
    console.error = error
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  }
}

const KEY = `0x${'42'.repeat(32)}` as const

describe('surety node', () => {
  test('keystore create encrypts the key from the environment; address decrypts it; nothing is overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surety-node-cli-'))
    const out = join(dir, 'k.json')
    const env = { SURETY_PRIVATE_KEY: KEY, SURETY_KEYSTORE_PASSWORD: 'pw' }
    const created = await run(
      ['node', 'keystore', 'create', '--out', out, '--scrypt-n', '1024', '--json'],
      env,
    )
    assert.equal(created.code, 0, created.err)
    const address = privateKeyToAccount(KEY).address
    assert.deepEqual(JSON.parse(created.out), { address, file: out })
    assert.equal(decryptKeystore(readFileSync(out, 'utf8'), 'pw'), KEY)
    assert.equal((await run(['node', 'keystore', 'address', out], env)).out, address)
    const again = await run(['node', 'keystore', 'create', '--out', out, '--scrypt-n', '1024'], env)
    assert.equal(again.code, 1)
    assert.match(again.err, /exists; not overwriting it/)
    const wrong = await run(['node', 'keystore', 'address', out], { SURETY_KEYSTORE_PASSWORD: 'nope' })
    assert.match(wrong.err, /wrong password/)
  })

  test('a missing or invalid config is a one-line error naming the field', async () => {
    assert.match((await run(['node'])).err, /--config: give the node config file/)
    const dir = mkdtempSync(join(tmpdir(), 'surety-node-cli-'))
    const path = join(dir, 'node.yaml')
    writeFileSync(
      path,
      'chain: { deployment: d.json }\nkey: { env: K }\nstore: { path: n.db }\napi: { port: 99999 }\n',
    )
    const bad = await run(['node', '--config', path])
    assert.equal(bad.code, 1)
    assert.match(bad.err, /node\.yaml: api\.port: Number must be less than or equal to 65535/)
  })
})
