/**
 * The report submitter on a real anvil chain: a slash seen only in the transaction pool is not "landed" (a pooled
 * transaction can be dropped); the node sends nothing while it is there and marks the report landed once mined.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { zeroAddress } from 'viem'
import type { HDAccount } from 'viem/accounts'
import { incident, setupService, setupVault } from '../../../test/support/fixtures.ts'
import { useWorld } from '../../../test/support/world.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { orderSignatures, signReport } from '../../sdk/reports.ts'
import { createCommitteeCache } from '../chain/committee.ts'
import { createTxSender } from '../chain/txSender.ts'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore } from '../store/store.ts'
import { reportDigest, slashIdOf } from './incident.ts'
import { createSubmitter } from './submitter.ts'

const { world, fixture } = useWorld(async (w) => {
  const svc = await setupService(w, { params: { disputeWindow: 60, resolutionDeadline: 60 } })
  const { vault } = await setupVault(w, w.accounts[4]!, {
    bond: 10n ** 21n,
    allocations: [{ serviceId: svc.serviceId, amount: 10n ** 21n }],
  })
  return { svc, vault }
})

describe('report submitter', () => {
  test('a slash only in the pool is not landed: nothing is sent, and it is landed once mined', async () => {
    const w = world()
    const { svc, vault } = fixture()
    const attesters = svc.attesters as HDAccount[]
    const self = attesters[0]!
    const domain = { chainId: w.chainId, court: w.addresses.court }
    const report = {
      serviceId: svc.serviceId,
      vault,
      classId: 0,
      incidentId: incident('pooled'),
      client: zeroAddress,
    }
    const signed = await Promise.all(attesters.slice(0, 3).map((a) => signReport(a, domain, report)))
    const store = openStore(':memory:')
    const digest = reportDigest(domain, report)
    const slashId = slashIdOf(report.serviceId, report.vault, report.incidentId)
    store.reports.create({
      digest,
      slashId,
      report,
      kind: 'downtime',
      subject: '1',
      own: 'signed',
      now: Date.now(),
    })
    for (const s of signed) store.reports.addSignature(digest, s, Date.now())
    const metrics = createNodeMetrics()
    const client = w.clientFor(self)
    const submitter = createSubmitter({
      store,
      client: w.public,
      addresses: w.addresses,
      account: self,
      committees: createCommitteeCache(client, 60_000),
      txSender: createTxSender({ client, account: self, store, metrics, log: silentLogger }),
      metrics,
      log: silentLogger,
      staggerMs: 0,
      reportTtlMs: 3_600_000,
    })

    // another attester's submission sits in the pool
    await w.test.setAutomine(false)
    try {
      await w.clientFor(attesters[1]!).wallet.writeContract({
        address: w.addresses.court,
        abi: slashingCourtAbi,
        functionName: 'requestSlash',
        args: [report, orderSignatures(signed)],
        account: attesters[1]!,
        chain: w.clientFor(attesters[1]!).wallet.chain,
      } as never)
      await submitter.tick()
      assert.notEqual(store.reports.get(digest)!.state, 'landed', 'seen in the pool only: not landed')
      assert.equal(store.txs.countByPurpose('report'), 0, 'and nothing sent beside it')
      await w.test.mine({ blocks: 1 })
    } finally {
      await w.test.setAutomine(true)
    }
    await submitter.tick()
    assert.equal(store.reports.get(digest)!.state, 'landed', 'mined: landed')
    assert.equal(store.txs.countByPurpose('report'), 0)
  })
})
