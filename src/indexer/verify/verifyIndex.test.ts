/**
 * `verify` on stakers' positions and withdrawals, on SQLite and PostgreSQL: a faithful index has no difference;
 * a position's shares, a queued withdrawal's shares, assets or ready time, or a claimed withdrawal marked queued,
 * corrupted in the table, is printed by `surety index verify` with both values, and the command exits 1.
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
import { claimWithdrawal, requestWithdrawal } from '../../sdk/index.ts'
import { catchUpIndex } from '../testing/catchUpIndex.ts'
import { testStores } from '../testing/stores.ts'
import { verifyIndex } from './verifyIndex.ts'

const DAY = 86_400

const { world, fixture } = useWorld(async (w) => {
  const staker = w.accounts[16]!
  const { vault } = await setupVault(w, w.accounts[4]!, {
    bond: parseEther('100'),
    delegations: [
      { staker, assets: parseEther('50') },
      { staker: w.accounts[17]!, assets: parseEther('20') },
    ],
  })
  const s = w.clientFor(staker)
  // one withdrawal claimed, one still queued
  await requestWithdrawal(s, { vault, shares: parseEther('5') })
  await w.travel(7 * DAY + 1)
  await claimWithdrawal(s, { vault, id: 0n })
  await requestWithdrawal(s, { vault, shares: parseEther('10') })
  const dir = mkdtempSync(join(tmpdir(), 'surety-verify-'))
  const manifest = writeDeployment(dir, {
    chainId: w.chainId,
    rpcUrl: w.anvil.rpcUrl,
    deployedAt: new Date().toISOString(),
    blockNumber: '0',
    paramChangeDelay: 0,
    addresses: w.addresses,
  })
  return { dir, manifest, vault: vault.toLowerCase(), staker: staker.address.toLowerCase() }
})

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

after(() => rmSync(fixture().dir, { recursive: true, force: true }))

for (const store of testStores()) {
  describe(`verify positions and withdrawals on ${store.name}`, () => {
    after(() => store.dropAll())

    test('a faithful index has no difference; each corrupted row is printed and the command exits 1', async () => {
      const w = world()
      const { vault, staker, manifest } = fixture()
      const idb = await store.open()
      const args = ['index', 'verify', '--rpc-url', w.anvil.rpcUrl, '--deployment', manifest]
      args.push('--database', idb.location.url)
      if (idb.location.schema) args.push('--schema', idb.location.schema)
      try {
        await catchUpIndex(w, idb)
        const faithful = await verifyIndex({
          db: idb.db,
          dialect: idb.dialect,
          client: w.public,
          addresses: w.addresses,
        })
        assert.deepEqual(faithful.differences, [])
        // the two stakers and the vault's own dead shares; the claimed and the queued withdrawal
        assert.equal(faithful.checked.positions, 3)
        assert.equal(faithful.checked.withdrawals, 2)
        const ok = await run(args)
        assert.equal(ok.code, 0, ok.err)
        assert.match(ok.out, /checked 1 vaults, 3 positions, 2 withdrawals,/)

        const position = { vault, staker }
        const stakerShares = (
          await idb.db
            .selectFrom('positions')
            .select('shares')
            .where('vault', '=', vault)
            .where('staker', '=', staker)
            .executeTakeFirstOrThrow()
        ).shares
        await idb.db
          .updateTable('positions')
          .set({ shares: '7' })
          .where('vault', '=', position.vault)
          .where('staker', '=', position.staker)
          .execute()
        await idb.db
          .updateTable('withdrawals')
          .set({ shares: '1', assets: '2', ready_at: 3 })
          .where('withdrawal_id', '=', 1)
          .execute()
        await idb.db.updateTable('withdrawals').set({ claimed: 0 }).where('withdrawal_id', '=', 0).execute()
        await idb.close()

        const r = await run(args)
        assert.equal(r.code, 1, r.err)
        const p = `${vault}/${staker}`
        assert.match(r.out, new RegExp(`position ${p} shares: indexed 7, chain ${stakerShares}`))
        // the value the index derives from the corrupted shares differs too
        assert.match(r.out, new RegExp(`position ${p} value: indexed \\d+, chain \\d+`))
        assert.match(r.out, new RegExp(`withdrawal ${p}/1 shares: indexed 1, chain ${parseEther('10')}`))
        assert.match(r.out, new RegExp(`withdrawal ${p}/1 assets: indexed 2, chain [1-9]\\d*`))
        assert.match(r.out, new RegExp(`withdrawal ${p}/1 readyAt: indexed 3, chain \\d{10}`))
        // a withdrawal the index still holds as queued, claimed on chain: the vault holds nothing under its id
        assert.match(r.out, new RegExp(`withdrawal ${p}/0 shares: indexed ${parseEther('5')}, chain 0`))
        assert.match(r.out, new RegExp(`withdrawal ${p}/0 readyAt: indexed \\d{10}, chain 0`))
        assert.match(r.out, /8 differences/)
        assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace')
      } finally {
        await idb.close().catch(() => {})
      }
    })
  })
}
