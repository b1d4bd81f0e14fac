import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InvalidInputError } from '../errors.ts'
import { calibrateBond, ceilDecimal } from './bond.ts'
import { rat, ratToString } from './rational.ts'

describe('calibrateBond', () => {
  test('sets the collateral to V / (p·f) and rounds it up', () => {
    const r = calibrateBond({ value: 100, detection: 0.3, slash: 0.5, failureRate: 0.01 })
    assert.equal(ratToString(r.collateral), '2000/3')
    assert.equal(r.collateralRounded, '666.67')
    // An honest operator expects q·f·C = 0.01 · 0.5 · 2000/3 = 10/3 per job.
    assert.equal(ratToString(r.honestCostPerJob ?? rat(0n)), '10/3')
    // A caught fault pays f·C = 1000/3 ≥ 100.
    assert.equal(ratToString(r.payoutOnDetection), '1000/3')
    assert.match(r.reasoning.join('\n'), /C ≥ V \/ \(p·f\)/)
  })

  test('needs exactly the job value when detection is certain and the whole bond is slashed', () => {
    const r = calibrateBond({ value: '1000000000000000000000', detection: 1, slash: 1 })
    assert.equal(r.collateralRounded, '1000000000000000000000')
    assert.equal(r.honestCostPerJob, null)
  })

  test('makes cheating unprofitable at the rounded collateral and profitable just below it', () => {
    const r = calibrateBond({ value: 7, detection: 0.9, slash: 0.6 })
    const c = Number(r.collateralRounded)
    assert.ok(0.9 * 0.6 * c >= 7)
    assert.ok(0.9 * 0.6 * (c - 0.01) < 7)
  })

  test('rejects probabilities outside their range, naming the field', () => {
    assert.throws(
      () => calibrateBond({ value: 1, detection: 0, slash: 1 }),
      (e: unknown) => e instanceof InvalidInputError && /detection/.test(e.message),
    )
    assert.throws(
      () => calibrateBond({ value: 1, detection: 1, slash: 1.5 }),
      (e: unknown) => e instanceof InvalidInputError && /slash/.test(e.message),
    )
    assert.throws(
      () => calibrateBond({ value: -1, detection: 1, slash: 1 }),
      (e: unknown) => e instanceof InvalidInputError && /value/.test(e.message),
    )
  })

  test('ceilDecimal rounds up at the last place', () => {
    assert.equal(ceilDecimal(rat(1n, 3n), 2), '0.34')
    assert.equal(ceilDecimal(rat(2n, 1n), 0), '2')
  })
})
