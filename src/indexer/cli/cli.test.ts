/**
 * `surety index` and `surety index verify` through the CLI's entry point: bad input gets a message naming the
 * problem and a non-zero exit, never a stack trace; verify exits 0 on a faithful index and 1, naming the field,
 * on one that differs from the chain.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { parseEther } from 'viem'
import { setupVault } from '../../../test/support/fixtures.ts'
import { useWorld } from '../../../test/support/world.ts'
import { writeDeployment } from '../../chain/deployment.ts'
import { main } from '../../cli/main.ts'
import { openIndexerDb } from '../db/open.ts'
import { catchUpIndex } from '../testing/catchUpIndex.ts'

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

const { world, fixture } = useWorld(async (w) => {
  const dir = mkdtempSync(join(tmpdir(), 'surety-index-cli-'))
  await setupVault(w, w.accounts[4]!, {
    bond: parseEther('100'),
    delegations: [{ staker: w.accounts[16]!, assets: parseEther('50') }],
  })
  const manifest = writeDeployment(dir, {
    chainId: w.chainId,
    rpcUrl: w.anvil.rpcUrl,
    deployedAt: new Date().toISOString(),
    blockNumber: '0',
    paramChangeDelay: 0,
    addresses: w.addresses,
  })
  return { dir, manifest }
})

describe('surety index (CLI)', () => {
  after(() => rmSync(fixture().dir, { recursive: true, force: true }))

  const bad: [string, (rpc: string, manifest: string) => string[], RegExp][] = [
    ['no RPC', () => ['index'], /--rpc-url is required/],
    ['an RPC that is not a URL', () => ['index', '--rpc-url', 'localhost'], /is not a URL/],
    ['an unknown flag', (rpc) => ['index', '--rpc-url', rpc, '--bogus'], /Unknown option '--bogus'/],
    [
      'a negative start block',
      (rpc) => ['index', '--rpc-url', rpc, '--from-block=-1'],
      /--from-block must be a whole number/,
    ],
    ['an RPC nobody answers', () => ['index', '--rpc-url', 'http://127.0.0.1:9'], /cannot reach the RPC/],
    [
      'a missing manifest',
      (rpc) => ['index', '--rpc-url', rpc, '--deployment', '/nonexistent.json'],
      /no deployment manifest/,
    ],
    [
      '--schema with SQLite',
      (rpc, m) => [
        'index',
        '--rpc-url',
        rpc,
        '--deployment',
        m,
        '--database',
        join(fixture().dir, 'x.sqlite'),
        '--schema',
        'a',
      ],
      /--schema applies to PostgreSQL only/,
    ],
    [
      'a schema name that is not an identifier',
      (rpc, m) => [
        'index',
        'verify',
        '--rpc-url',
        rpc,
        '--deployment',
        m,
        '--database',
        'postgres://127.0.0.1/test',
        '--schema',
        'a;drop',
      ],
      /is not a plain PostgreSQL identifier/,
    ],
    [
      'verify of an empty index',
      (rpc, m) => [
        'index',
        'verify',
        '--rpc-url',
        rpc,
        '--deployment',
        m,
        '--database',
        join(fixture().dir, 'empty.sqlite'),
      ],
      /the index is empty/,
    ],
  ]
  for (const [name, argv, message] of bad) {
    test(`refuses ${name} with a clear message and exit 1`, async () => {
      const r = await run(argv(world().anvil.rpcUrl, fixture().manifest))
      assert.equal(r.code, 1)
      assert.match(r.err, message)
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace')
    })
  }

  test('verify exits 0 on a faithful index, and 1 naming the field when a row differs from the chain', async () => {
    const w = world()
    const database = join(fixture().dir, 'verify.sqlite')
    const idb = await openIndexerDb({ url: database })
    await catchUpIndex(w, idb)
    const args = [
      'index',
      'verify',
      '--rpc-url',
      w.anvil.rpcUrl,
      '--deployment',
      fixture().manifest,
      '--database',
      database,
    ]
    const ok = await run(args)
    assert.equal(ok.code, 0, ok.err)
    assert.match(ok.out, /checked 1 vaults, 2 positions, 0 withdrawals, 0 allocations/)
    assert.match(ok.out, /no differences/)

    await idb.db.updateTable('vaults').set({ pool_assets: '1' }).execute()
    await idb.close()
    const differs = await run(args)
    assert.equal(differs.code, 1)
    assert.match(differs.out, /vault 0x[0-9a-f]{40} poolAssets: indexed 1, chain 50000000000000000000/)
    // the staker's position is worth what the pool holds: its value, derived from the vault's row, differs too
    assert.match(
      differs.out,
      /position 0x[0-9a-f]{40}\/0x[0-9a-f]{40} value: indexed 1, chain 50000000000000000000/,
    )
    assert.match(differs.out, /2 differences/)
  })
})
