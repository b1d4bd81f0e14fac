import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseGwei } from 'viem'
import { bumpFees, capFees, type FeePolicy, raise, replaceReason } from './feeBump.ts'

const policy: FeePolicy = { bumpAfterBlocks: 3, bumpBps: 1_250, maxFeePerGas: parseGwei('100') }
const gwei = (n: string) => parseGwei(n)

/** geth's and anvil's replacement rule: each new fee at least 112.5 % of the old one. */
const acceptedAsReplacement = (oldFee: bigint, newFee: bigint) => newFee * 1_000n >= oldFee * 1_125n

describe('fee replacement', () => {
  test('a raise rounds up, so it is never short of the replacement rule', () => {
    assert.equal(raise(8n, 1_250), 9n)
    assert.equal(raise(1n, 1_250), 2n)
    for (const fee of [1n, 7n, 999n, 1_000_000_007n, gwei('1.234567891')])
      assert.ok(acceptedAsReplacement(fee, raise(fee, 1_250)), `${fee}`)
  })

  test('replaced when underpriced (fee below base fee + tip) or unmined for bumpAfterBlocks blocks', () => {
    const fees = { maxFeePerGas: gwei('10'), maxPriorityFeePerGas: gwei('1') }
    const at = (baseFee: string, sentBlock: bigint, head: bigint) =>
      replaceReason({ fees, baseFeePerGas: gwei(baseFee), sentBlock, head, policy })
    assert.equal(at('9', 10n, 12n), undefined, 'pays base fee and tip, two blocks')
    assert.equal(at('9', 10n, 13n), 'unmined', 'three blocks without a receipt')
    assert.equal(at('9.000000001', 10n, 10n), 'underpriced', 'cannot pay its whole tip')
    assert.equal(at('50', 10n, 10n), 'underpriced')
  })

  test('a replacement raises both fees by at least 12.5 %, takes the market tip, and leaves room for the base fee', () => {
    const current = { maxFeePerGas: gwei('10'), maxPriorityFeePerGas: gwei('1') }
    const calm = bumpFees({ current, baseFeePerGas: gwei('2'), marketPriorityFeePerGas: 0n, policy })
    assert.deepEqual(calm, {
      ok: true,
      fees: { maxFeePerGas: gwei('11.25'), maxPriorityFeePerGas: gwei('1.125') },
    })
    const spike = bumpFees({ current, baseFeePerGas: gwei('30'), marketPriorityFeePerGas: gwei('3'), policy })
    assert.deepEqual(spike, { ok: true, fees: { maxFeePerGas: gwei('63'), maxPriorityFeePerGas: gwei('3') } })
    for (const r of [calm, spike]) {
      assert.ok(r.ok)
      assert.ok(acceptedAsReplacement(current.maxFeePerGas, r.fees.maxFeePerGas))
      assert.ok(acceptedAsReplacement(current.maxPriorityFeePerGas, r.fees.maxPriorityFeePerGas))
    }
  })

  test('the cap bounds every replacement; when it leaves no valid bump the transaction is not replaced', () => {
    const current = { maxFeePerGas: gwei('80'), maxPriorityFeePerGas: gwei('2') }
    const capped = bumpFees({ current, baseFeePerGas: gwei('70'), marketPriorityFeePerGas: 0n, policy })
    assert.deepEqual(capped, {
      ok: true,
      fees: { maxFeePerGas: gwei('100'), maxPriorityFeePerGas: gwei('2.25') },
    })
    const atCap = bumpFees({
      current: { maxFeePerGas: gwei('90'), maxPriorityFeePerGas: gwei('2') },
      baseFeePerGas: gwei('95'),
      marketPriorityFeePerGas: 0n,
      policy,
    })
    assert.equal(atCap.ok, false)
    assert.match(atCap.ok ? '' : atCap.reason, /above the cap of 100000000000 wei/)
    // a tip at its fee cap is raised with it, still a valid bump
    const tipAtCap = bumpFees({
      current: { maxFeePerGas: gwei('88'), maxPriorityFeePerGas: gwei('88') },
      baseFeePerGas: 0n,
      marketPriorityFeePerGas: gwei('500'),
      policy,
    })
    assert.deepEqual(tipAtCap, {
      ok: true,
      fees: { maxFeePerGas: gwei('100'), maxPriorityFeePerGas: gwei('100') },
    })
    // never above the cap, whatever the market
    for (const base of ['1', '20', '49', '60']) {
      const r = bumpFees({
        current: { maxFeePerGas: gwei('40'), maxPriorityFeePerGas: gwei('1') },
        baseFeePerGas: gwei(base),
        marketPriorityFeePerGas: gwei('500'),
        policy,
      })
      assert.ok(r.ok && r.fees.maxFeePerGas <= policy.maxFeePerGas, base)
      assert.ok(r.ok && r.fees.maxPriorityFeePerGas <= r.fees.maxFeePerGas, base)
    }
  })

  test('a first send is held to the cap, its tip never above its fee cap', () => {
    assert.deepEqual(capFees({ maxFeePerGas: gwei('300'), maxPriorityFeePerGas: gwei('200') }, policy), {
      maxFeePerGas: gwei('100'),
      maxPriorityFeePerGas: gwei('100'),
    })
    const low = { maxFeePerGas: gwei('3'), maxPriorityFeePerGas: gwei('1') }
    assert.deepEqual(capFees(low, policy), low)
  })
})
