/**
 * Review 3: can anything make the node pay above its fee cap? bumpFees and capFees over adversarial inputs: a
 * market tip or a base fee the adversary pumped (a block builder, a congested chain), a journal entry signed above
 * today's cap (the cap lowered between runs), and a deterministic sweep of random fees. Each asserts the honest
 * outcome: never above the cap, and every replacement a valid bump of what it replaces.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseGwei } from 'viem'
import { bumpFees, capFees, type FeePolicy, raise } from './feeBump.ts'

const policy: FeePolicy = { bumpAfterBlocks: 3, bumpBps: 1_250, maxFeePerGas: parseGwei('500') }

describe('review 3: the fee cap under attack', () => {
  test('a pumped market tip or base fee never lifts a replacement above the cap', () => {
    const current = { maxFeePerGas: parseGwei('100'), maxPriorityFeePerGas: parseGwei('2') }
    for (const [baseFeePerGas, market] of [
      [parseGwei('10'), 10n ** 40n],
      [10n ** 40n, parseGwei('1')],
      [10n ** 40n, 10n ** 40n],
    ] as const) {
      const r = bumpFees({ current, baseFeePerGas, marketPriorityFeePerGas: market, policy })
      assert.ok(r.ok)
      assert.ok(r.fees.maxFeePerGas <= policy.maxFeePerGas, 'fee cap held')
      assert.ok(r.fees.maxPriorityFeePerGas <= r.fees.maxFeePerGas, 'tip within the fee cap')
    }
  })

  test('an entry signed above a since-lowered cap is never bumped further', () => {
    const current = { maxFeePerGas: parseGwei('600'), maxPriorityFeePerGas: parseGwei('600') }
    const r = bumpFees({ current, baseFeePerGas: parseGwei('700'), marketPriorityFeePerGas: 0n, policy })
    assert.equal(r.ok, false)
  })

  test('a first send with a tip above the cap is held to the cap', () => {
    const f = capFees({ maxFeePerGas: 10n ** 30n, maxPriorityFeePerGas: 10n ** 31n }, policy)
    assert.deepEqual(f, { maxFeePerGas: policy.maxFeePerGas, maxPriorityFeePerGas: policy.maxFeePerGas })
  })

  test('a sweep of random fees: every replacement is within the cap and a valid bump (+12.5 % on both fees)', () => {
    let seed = 0x5eed_1234n
    const next = (bound: bigint) => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n
      return seed % bound
    }
    const gwei = parseGwei('1')
    for (let i = 0; i < 5_000; i++) {
      const maxFeePerGas = next(700n * gwei) + 1n
      const current = { maxFeePerGas, maxPriorityFeePerGas: next(maxFeePerGas + 1n) }
      const r = bumpFees({
        current,
        baseFeePerGas: next(1_000n * gwei),
        marketPriorityFeePerGas: next(1_000n * gwei),
        policy,
      })
      if (!r.ok) {
        assert.ok(
          raise(current.maxFeePerGas, policy.bumpBps) > policy.maxFeePerGas,
          'refused only at the cap',
        )
        continue
      }
      assert.ok(r.fees.maxFeePerGas <= policy.maxFeePerGas, `case ${i}: above the cap`)
      assert.ok(r.fees.maxPriorityFeePerGas <= r.fees.maxFeePerGas, `case ${i}: tip above fee cap`)
      assert.ok(r.fees.maxFeePerGas >= raise(current.maxFeePerGas, policy.bumpBps), `case ${i}: fee cap bump`)
      assert.ok(
        r.fees.maxPriorityFeePerGas >= raise(current.maxPriorityFeePerGas, policy.bumpBps),
        `case ${i}: tip bump too small for the pool to take the replacement`,
      )
    }
  })
})
