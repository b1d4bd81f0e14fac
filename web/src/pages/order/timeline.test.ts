import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { milestoneShares, orderTimeline } from './timeline.ts'

const t = (unix: number) => ({ unix, iso: new Date(unix * 1000).toISOString() })
const meta = { createdBlock: 1, updatedBlock: 1, final: false }

describe('order timeline', () => {
  test('milestone shares unpack 16 bits at a time', () => {
    assert.deepEqual(milestoneShares(String(4000n | (6000n << 16n))), [4000, 6000])
    assert.deepEqual(milestoneShares('0'), [10_000])
  })
  test('an accepted job with its first milestone paid shows the second due', () => {
    const steps = orderTimeline(
      {
        status: 'Active',
        intent: false,
        kind: 'job',
        openedAt: t(100),
        biddingEnds: t(200),
        acceptedAt: t(150),
        deadline: t(10_000),
        milestoneShares: String(4000n | (6000n << 16n)),
        bids: [],
        milestones: [
          {
            ...meta,
            index: 0,
            amount: null,
            fee: null,
            byAttesters: false,
            paidAt: t(300),
            resultHash: null,
          },
        ],
      },
      500,
    )
    assert.deepEqual(
      steps.map((s) => [s.label, s.done]),
      [
        ['Opened, payment in escrow', true],
        ['Accepted, collateral reserved', true],
        ['Milestone 1 of 2 (40%)', true],
        ['Milestone 2 of 2 (60%)', false],
        ['Deadline', false],
      ],
    )
    assert.equal(steps[2]!.detail, 'confirmed by the client')
  })
  test('an intent past its deadline shows the overdue step as late', () => {
    const steps = orderTimeline(
      {
        status: 'Open',
        intent: true,
        kind: 'job',
        openedAt: t(100),
        biddingEnds: t(200),
        acceptedAt: null,
        deadline: t(300),
        milestoneShares: '0',
        bids: [
          {
            ...meta,
            vault: '0x',
            price: { base: '1', units: '' },
            collateral: { base: '1', units: '' },
            score: '0',
          },
        ],
        milestones: [],
      },
      400,
    )
    assert.equal(steps[1]!.label, 'Bidding (1 bid)')
    assert.equal(steps.at(-1)!.late, true)
  })
})
