/** The operator-facing commands on a real devnet: deploy writes a manifest, status reads a live deployment. */
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { type Anvil, freePort, startAnvil } from '../../chain/anvil.ts'
import { readDeployment } from '../../chain/deployment.ts'
import { DEVNET_MNEMONIC, type Devnet, startDevnet } from '../../chain/devnet.ts'
import { createSuretyClient } from '../../sdk/createSuretyClient.ts'
import { incidentIdFor, requestSlash, signReport } from '../../sdk/index.ts'
import { main } from '../main.ts'

/** Runs a CLI command in-process and captures what it prints. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = []
  const errors: string[] = []
  const [log, error] = [console.log, console.error]
  console.log = (...a: unknown[]) => lines.push(a.join(' '))
  console.error = (...a: unknown[]) => errors.push(a.join(' '))
  try {
    const code = await main(argv)
    return { code, out: lines.join('\n'), err: errors.join('\n') }
  } finally {
    console.log = log
    console.error = error
  }
}

describe('surety status', () => {
  let devnet: Devnet
  before(async () => {
    devnet = await startDevnet({
      port: await freePort(),
      manifestDir: mkdtempSync(join(tmpdir(), 'surety-status-')),
    })
  })
  after(() => devnet.stop())

  test('lists the services, the vaults with their allocations, and an open slash with its countdown', async () => {
    const { deployment, accounts, world } = devnet
    const report = {
      serviceId: world!.serviceId,
      vault: world!.vaults[0]!,
      classId: 0,
      // top bit clear: ids with it set belong to the order book (ReservedIncidentId)
      incidentId: incidentIdFor('status test: downtime'),
      client: accounts[6]!.address,
    }
    const domain = { chainId: deployment.chainId, court: deployment.addresses.court }
    const signatures = await Promise.all([10, 11, 12].map((i) => signReport(accounts[i]!, domain, report)))
    const reporter = createSuretyClient({
      rpcUrl: deployment.rpcUrl,
      chainId: deployment.chainId,
      account: accounts[3]!,
      addresses: deployment.addresses,
    })
    const { result } = await requestSlash(reporter, { report, signatures })

    const json = JSON.parse((await run(['status', '--deployment', devnet.manifestPath, '--json'])).out)
    assert.equal(json.services.length, 1)
    assert.equal(json.vaults.length, 2)
    assert.equal(json.allocations.length, 2)
    assert.equal(json.openSlashes.length, 1)
    assert.equal(json.openOrders.length, 2, 'the seeded job and intent')
    assert.equal(json.openSlashes[0].slashId, result.slashId)
    assert.equal(json.openSlashes[0].details.amount, result.details.amount.toString())

    const text = (await run(['status', '--deployment', devnet.manifestPath])).out
    assert.match(text, /Open slashes \(1\)/)
    assert.match(text, /Pending\s+vault/)
    assert.match(text, /dispute window closes in (1 h 59 min|2 h)/)
    // each vault by its token's name, with its address beside it
    assert.match(text, new RegExp(`\\n {2}Surety Staked [^\\n]+ {2}${world!.vaults[0]!} {2}operator 0x`, 'i'))
  })

  test('with no RPC named, the chain is found where the local devnet manifest says it runs (not only port 8545)', async () => {
    const saved = { dir: process.env.SURETY_DEPLOYMENTS, rpc: process.env.ETH_RPC_URL }
    process.env.SURETY_DEPLOYMENTS = dirname(devnet.manifestPath)
    delete process.env.ETH_RPC_URL
    try {
      assert.notEqual(
        devnet.deployment.rpcUrl,
        'http://127.0.0.1:8545',
        'the test devnet runs on another port',
      )
      const listed = await run(['service', 'list', '--json'])
      assert.equal(listed.code, 0, listed.err)
      assert.equal(JSON.parse(listed.out).length, 1)
    } finally {
      if (saved.dir === undefined) delete process.env.SURETY_DEPLOYMENTS
      else process.env.SURETY_DEPLOYMENTS = saved.dir
      if (saved.rpc !== undefined) process.env.ETH_RPC_URL = saved.rpc
    }
  })
})

describe('surety deploy', () => {
  let anvil: Anvil
  before(async () => {
    anvil = await startAnvil()
  })
  after(() => anvil.stop())

  test('deploys to an RPC with the key from the environment and writes a manifest the other commands read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surety-deploy-'))
    // the first key of anvil's default mnemonic (a funded account)
    process.env.SURETY_PRIVATE_KEY = toHex(mnemonicToAccount(DEVNET_MNEMONIC).getHdKey().privateKey!)
    try {
      const { code } = await run(['deploy', '--rpc', anvil.rpcUrl, '--out', dir, '--param-delay', '86400'])
      assert.equal(code, 0)
      const manifest = readDeployment(join(dir, '31337.json'))
      assert.equal(manifest.paramChangeDelay, 86400)
      const status = JSON.parse(
        (await run(['status', '--deployment', join(dir, '31337.json'), '--json'])).out,
      )
      assert.deepEqual([status.services.length, status.vaults.length, status.openSlashes.length], [0, 0, 0])
    } finally {
      delete process.env.SURETY_PRIVATE_KEY
    }
  })

  test('a deployer without funds gets a one-line error and exit code 1, not a crash', async () => {
    process.env.SURETY_PRIVATE_KEY = `0x${'11'.repeat(32)}` // a valid key nobody funded
    try {
      const { code, err } = await run([
        'deploy',
        '--rpc',
        anvil.rpcUrl,
        '--out',
        mkdtempSync(join(tmpdir(), 'x-')),
      ])
      assert.equal(code, 1)
      assert.match(err, /^surety deploy: the signer has not enough ETH to pay for gas: fund it first$/m)
      assert.doesNotMatch(err, /\n\s+at /, 'no stack trace')
    } finally {
      delete process.env.SURETY_PRIVATE_KEY
    }
  })

  test('refuses to run without a well-formed key, names the variable, and deploys nothing', async () => {
    delete process.env.SURETY_PRIVATE_KEY
    const before = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    }).then((r) => r.json())
    const { code, err } = await run(['deploy', '--rpc', anvil.rpcUrl])
    assert.equal(code, 1)
    assert.match(err, /SURETY_PRIVATE_KEY must hold the deployer key/)
    const afterwards = await fetch(anvil.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    }).then((r) => r.json())
    assert.equal(afterwards.result, before.result)
  })
})

describe('surety --help', () => {
  test('lists every command file with its summary: a file beside the commands that is not one breaks help', async () => {
    const { code, out } = await run(['--help'])
    assert.equal(code, 0)
    const names = readdirSync(import.meta.dirname)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => f.slice(0, -3))
    assert.ok(names.length > 15, `the commands found: ${names.join(', ')}`)
    for (const name of names) assert.match(out, new RegExp(`^  ${name} +\\S`, 'm'), `${name} is listed`)
  })
})
