import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseEther } from 'viem'
import { readVault } from '../src/sdk/index.ts'
import { incident, reportSlash, setupService, setupVault } from './support/fixtures.ts'
import { useWorld } from './support/world.ts'

const { world } = useWorld()

describe('smoke', () => {
  test('a 3-of-5 report opens a pending slash that executes after the window', async () => {
    const w = world()
    const svc = await setupService(w)
    const { vault } = await setupVault(w, w.accounts[4]!, {
      bond: parseEther('1000'),
      delegations: [{ staker: w.accounts[5]!, assets: parseEther('9000') }],
      allocations: [{ serviceId: svc.serviceId, amount: parseEther('10000') }],
    })
    const { result, gasUsed } = await reportSlash(w, svc.attesters.slice(0, 3), {
      serviceId: svc.serviceId,
      vault,
      classId: 0,
      incidentId: incident('down-1'),
      client: w.accounts[6]!.address,
    })
    console.log('request gas', gasUsed, result.details.amount)
    assert.equal(result.details.amount, parseEther('100'))
    const v = await readVault(w, vault)
    assert.equal(v.pendingLiabilities, parseEther('100'))
  })
})
