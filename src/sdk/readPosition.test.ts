/** readPosition on a real chain: a staker's shares and what they redeem for, net of a pending slash. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseEther, zeroAddress } from 'viem'
import {
  allocateNow,
  FRAUD,
  incident,
  reportSlash,
  setupService,
  setupVault,
} from '../../test/support/fixtures.ts'
import { useWorld } from '../../test/support/world.ts'
import { operatorVaultAbi } from './abis.ts'
import { readPosition } from './readPosition.ts'

const STAKE = parseEther('1000')
// a bond far below what a fraud slash takes, so the slash reaches the pool that the staker's shares are priced on
const BOND = parseEther('50')

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w, { classes: [FRAUD] })
  const operator = w.accounts[4]!
  const staker = w.accounts[6]!
  const { vault } = await setupVault(w, operator, { bond: BOND, delegations: [{ staker, assets: STAKE }] })
  await allocateNow(w, operator, vault, svc.serviceId, STAKE)
  return { svc, vault, staker }
})

describe('readPosition', () => {
  test('reads a staker’s shares and what they redeem for now, never more than went in', async () => {
    const w = world()
    const { vault, staker } = fixture()
    const position = await readPosition(w.clientFor(staker), { vault, owner: staker.address })
    const balance = await w.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'balanceOf',
      args: [staker.address],
    })
    assert.equal(position.shares, balance)
    assert.ok(position.shares > 0n)
    // rounded down, in the vault's favour: at most the deposit, short of it by rounding dust only
    assert.ok(position.assets <= STAKE && STAKE - position.assets < 10n, `${position.assets}`)
  })

  test('prices the position net of a pending slash the operator’s bond cannot cover', async () => {
    const w = world()
    const { svc, vault, staker } = fixture()
    const reader = w.clientFor(staker)
    const before = await readPosition(reader, { vault, owner: staker.address })
    await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault,
      classId: 0,
      incidentId: incident('position: fraud'),
      client: zeroAddress,
    })
    const after = await readPosition(reader, { vault, owner: staker.address })
    assert.equal(after.shares, before.shares, 'a pending slash burns no shares')
    assert.ok(after.assets < before.assets, `${after.assets} < ${before.assets}`)
  })

  test('an address that never staked holds nothing', async () => {
    const w = world()
    const { vault } = fixture()
    const stranger = w.accounts[17]!
    assert.deepEqual(await readPosition(w.clientFor(stranger), { vault, owner: stranger.address }), {
      vault,
      owner: stranger.address,
      shares: 0n,
      assets: 0n,
    })
  })
})
