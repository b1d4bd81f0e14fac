import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { InvalidInputError } from '../errors.ts'
import { loadNodeConfig, parseNodeConfig, poissonBelow } from './config.ts'

const VAULT = '0x1111111111111111111111111111111111111111'
const base = () => ({
  chain: {
    rpcUrl: 'http://127.0.0.1:8545',
    chainId: 31337,
    addresses: { registry: VAULT, court: VAULT },
  },
  key: { env: 'NODE_KEY' },
  store: { path: './data/node.db' },
  api: { port: 7001 },
  services: [
    {
      serviceId: 1,
      classes: { downtime: 0 },
      operators: [{ vault: VAULT, endpoint: 'http://127.0.0.1:9000/health' }],
    },
  ],
})

function errorOf(raw: unknown): InvalidInputError {
  try {
    parseNodeConfig(raw, 'node.yaml')
  } catch (error) {
    assert.ok(error instanceof InvalidInputError)
    return error
  }
  assert.fail('expected the config to be refused')
}

describe('node config', () => {
  test('fills defaults and keeps what was given', () => {
    const c = parseNodeConfig(base())
    assert.equal(c.chain.confirmations, 2)
    assert.equal(c.services[0]!.probe.intervalMs, 10_000)
    assert.equal(c.services[0]!.verdict.minUptimeBps, 9_000)
    assert.deepEqual(c.key, { kind: 'env', env: 'NODE_KEY' })
    assert.deepEqual(c.roles, { attester: true, keeper: true })
  })

  test('order duties: keeper defaults, a result URL template, and orders never from the config', () => {
    const c = parseNodeConfig(base())
    assert.deepEqual(c.keeper, {
      expireDelaySeconds: 300,
      leaseSettleSeconds: 3_600,
      sweepIntervalSeconds: 3_600,
    })
    const withResults = base() as ReturnType<typeof base> & { services: Record<string, unknown>[] }
    withResults.services[0]!.resultUrl = 'http://results.example/{vault}/{orderId}/{milestone}'
    assert.equal(parseNodeConfig(withResults).services[0]!.resultUrl, withResults.services[0]!.resultUrl)
    const withOrders = base() as ReturnType<typeof base> & { services: Record<string, unknown>[] }
    withOrders.services[0]!.orders = [{ orderId: `0x${'0a'.repeat(32)}` }]
    assert.match(errorOf(withOrders).message, /services\[0\]\.orders: orders come from the OrderBook/)
  })

  test('fee replacement: defaults, a cap in gwei read as wei, and a bump below 12.5 % or a bad cap refused', () => {
    assert.deepEqual(parseNodeConfig(base()).transactions, {
      bumpAfterBlocks: 3,
      bumpBps: 1_250,
      maxFeePerGasGwei: 500_000_000_000n,
    })
    const c = parseNodeConfig({ ...base(), transactions: { maxFeePerGasGwei: '0.25', bumpBps: 2_000 } })
    assert.equal(c.transactions.maxFeePerGasGwei, 250_000_000n)
    assert.equal(c.transactions.bumpBps, 2_000)
    assert.match(errorOf({ ...base(), transactions: { bumpBps: 1_000 } }).message, /transactions\.bumpBps/)
    for (const bad of [0, '-1', '1e3', 'lots', '0.0000000001'])
      assert.match(
        errorOf({ ...base(), transactions: { maxFeePerGasGwei: bad } }).message,
        /transactions\.maxFeePerGasGwei: must be a positive amount of gwei/,
        String(bad),
      )
  })

  test('names the bad field, with its array index', () => {
    const raw = base()
    raw.services[0]!.operators[0]!.endpoint = 'not a url'
    assert.match(errorOf(raw).message, /^node\.yaml: services\[0\]\.operators\[0\]\.endpoint: /)
    const raw2 = base()
    ;(raw2.services[0]!.operators[0] as { vault: string }).vault = '0x12'
    assert.match(
      errorOf(raw2).message,
      /services\[0\]\.operators\[0\]\.vault: must be a 0x-prefixed 20-byte address/,
    )
  })

  test('refuses unknown fields (a typo is not a default)', () => {
    const raw = { ...base(), api: { port: 7001, prot: 1 } }
    assert.match(errorOf(raw).message, /unknown field api\.prot/)
  })

  test('refuses a plain private key in the config', () => {
    const raw = { ...base(), key: { privateKey: `0x${'11'.repeat(32)}` } }
    assert.match(errorOf(raw).message, /key\.privateKey: a plain private key is not allowed/)
  })

  test('a keystore needs the variable holding its password; exactly one key source', () => {
    assert.match(
      errorOf({ ...base(), key: { keystore: 'k.json' } }).message,
      /key\.passwordEnv: a keystore needs/,
    )
    assert.match(
      errorOf({ ...base(), key: { env: 'A', keystore: 'k.json', passwordEnv: 'P' } }).message,
      /exactly one/,
    )
  })

  test('needs a deployment or a complete chain', () => {
    const raw = { ...base(), chain: { rpcUrl: 'http://127.0.0.1:8545' } }
    assert.match(errorOf(raw).message, /chain: give chain\.deployment/)
  })

  test('a probe’s worst case must fit in the judge delay, with the fields named', () => {
    const raw = base() as Record<string, unknown> & ReturnType<typeof base>
    const service = { ...raw.services[0]!, probe: { timeoutMs: 2_000, retries: 2 } }
    assert.equal(
      errorOf({ ...raw, services: [service] }).message,
      'node.yaml: services[0].probe: timeoutMs × (1 + retries) = 6000 ms must fit in timing.judgeDelayMs (5000 ms)',
    )
    const withRefs = {
      ...service,
      probe: { timeoutMs: 2_000, retries: 1, references: ['http://127.0.0.1:9/'] },
    }
    assert.match(errorOf({ ...raw, services: [withRefs] }).message, /\+ timeoutMs \(references\) = 6000 ms/)
    assert.ok(parseNodeConfig({ ...raw, services: [withRefs], timing: { judgeDelayMs: 6_000 } }))
  })

  test('random probe timing needs enough probes per epoch for minSamples, with what to change named', () => {
    const raw = base() as Record<string, unknown> & ReturnType<typeof base>
    // 60 s epochs at 10 s: 6 expected probes; fewer than 5 in 28.5 % of epochs
    const sparse = { ...raw.services[0]!, epochSeconds: 60, verdict: { minSamples: 5 } }
    assert.match(
      errorOf({ ...raw, services: [sparse] }).message,
      /services\[0\]\.verdict\.minSamples: with random probe timing an epoch of 60 s expects 6\.0 probes at intervalMs 10000, and 28\.5 % of epochs would have fewer than minSamples 5 \(no verdict\); shorten probe\.intervalMs/,
    )
    // the fixed grid gives exactly 6: accepted; so is a shorter interval with random timing (15 expected)
    assert.ok(parseNodeConfig({ ...raw, services: [{ ...sparse, probe: { randomizeTiming: false } }] }))
    assert.ok(parseNodeConfig({ ...raw, services: [{ ...sparse, probe: { intervalMs: 4_000 } }] }))
    assert.ok(Math.abs(poissonBelow(6, 5) - 0.2851) < 1e-4, 'P(N < 5) for a mean of 6')
  })

  test('duplicate service ids are refused', () => {
    const raw = base()
    raw.services.push({ ...raw.services[0]! })
    assert.match(errorOf(raw).message, /services\[1\]\.serviceId: duplicate service id/)
  })

  test('reads YAML and resolves relative paths against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'surety-config-'))
    const path = join(dir, 'node.yaml')
    writeFileSync(
      path,
      [
        'chain: { rpcUrl: "http://127.0.0.1:8545", chainId: 31337, addresses: { registry: "' +
          VAULT +
          '", court: "' +
          VAULT +
          '" } }',
        'key: { keystore: keys/attester.json, passwordEnv: PW }',
        'store: { path: data/node.db }',
        'api: { port: 0 }',
      ].join('\n'),
    )
    const c = loadNodeConfig(path)
    assert.equal(c.store.path, join(dir, 'data/node.db'))
    assert.deepEqual(c.key, {
      kind: 'keystore',
      keystore: join(dir, 'keys/attester.json'),
      passwordEnv: 'PW',
    })
  })

  test('bad YAML is a clear error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'surety-config-'))
    const path = join(dir, 'node.yaml')
    writeFileSync(path, 'chain: [unclosed')
    assert.throws(() => loadNodeConfig(path), /node\.yaml: not valid YAML/)
  })
})

describe('examples/node.yaml', () => {
  test('is a valid config', () => {
    const c = loadNodeConfig(join(import.meta.dirname, '../../examples/node.yaml'))
    assert.equal(c.services[0]!.operators.length, 2)
    assert.equal(c.peers.length, 4)
    assert.deepEqual(c.key, { kind: 'env', env: 'SURETY_ATTESTER_KEY' })
  })
})
