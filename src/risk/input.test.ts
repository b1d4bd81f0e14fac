import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { InvalidInputError } from '../errors.ts'
import { formatUnits, parseDecimal } from './decimal.ts'
import { parseRiskInput } from './input.ts'
import { ratToString } from './rational.ts'

const base = () => ({
  operators: [
    { id: 'v1', stake: 50 },
    { id: 'v2', stake: '70.25' },
  ],
  services: [{ id: 's1', profit: 60, threshold: 0.5, operators: ['v1', 'v2'] }],
})

function rejects(input: unknown, field: RegExp) {
  assert.throws(
    () => parseRiskInput(input),
    (e: unknown) => e instanceof InvalidInputError && field.test(e.message),
  )
}

describe('parseRiskInput', () => {
  test('puts every amount on the finest decimal scale of the input', () => {
    const n = parseRiskInput(base())
    assert.equal(n.scale, 2)
    assert.deepEqual(
      n.operators.map((o) => o.stake),
      [5000n, 7025n],
    )
    assert.equal(n.services[0]?.profit, 6000n)
    assert.equal(ratToString(n.services[0]?.threshold ?? { num: 0n, den: 1n }), '1/2')
    assert.equal(n.hasAllocations, false)
  })

  test('uses an allocation as the operator’s stake on that service, and whole stake elsewhere', () => {
    const n = parseRiskInput({ ...base(), allocations: [{ operator: 'v2', service: 's1', stake: 10 }] })
    assert.deepEqual(n.services[0]?.memberStake, [5000n, 1000n])
    assert.equal(n.hasAllocations, true)
  })

  test('rejects a negative stake, naming the field', () => {
    const input = base()
    input.operators[1] = { id: 'v2', stake: '-3' }
    rejects(input, /operators\[1\]\.stake must not be negative/)
  })

  test('rejects a threshold outside (0, 1]', () => {
    for (const threshold of [0, 1.5, '2']) {
      rejects(
        { ...base(), services: [{ ...base().services[0], threshold }] },
        /services\[0\]\.threshold must be in \(0, 1\]/,
      )
    }
  })

  test('rejects unknown and duplicate ids', () => {
    rejects(
      { ...base(), services: [{ ...base().services[0], operators: ['v1', 'v9'] }] },
      /services\[0\]\.operators\[1\]: unknown operator 'v9'/,
    )
    rejects(
      {
        ...base(),
        operators: [
          { id: 'v1', stake: 1 },
          { id: 'v1', stake: 2 },
        ],
      },
      /operators\[1\]\.id 'v1' is a duplicate/,
    )
    rejects(
      { ...base(), services: [base().services[0], base().services[0]] },
      /services\[1\]\.id 's1' is a duplicate/,
    )
    rejects(
      { ...base(), allocations: [{ operator: 'v3', service: 's1', stake: 1 }] },
      /allocations\[0\]\.operator: unknown operator 'v3'/,
    )
    rejects(
      { ...base(), allocations: [{ operator: 'v1', service: 'sx', stake: 1 }] },
      /allocations\[0\]\.service: unknown service 'sx'/,
    )
  })

  test('rejects an allocation larger than the stake or to a service the operator does not secure', () => {
    rejects(
      { ...base(), allocations: [{ operator: 'v1', service: 's1', stake: 51 }] },
      /allocations\[0\]\.stake exceeds/,
    )
    const input = { ...base(), operators: [...base().operators, { id: 'v3', stake: 1 }] }
    rejects(
      { ...input, allocations: [{ operator: 'v3', service: 's1', stake: 1 }] },
      /allocations\[0\]: 'v3' is not in services\[0\]\.operators/,
    )
  })

  test('rejects malformed shapes with the path of the bad field', () => {
    rejects({ operators: [{ id: 'v1' }], services: [] }, /^operators\[0\]\.stake/)
    rejects({ ...base(), extra: 1 }, /input|extra/)
    rejects(
      { ...base(), operators: [{ id: 'v1', stake: 'ten' }] },
      /operators\[0\]\.stake must be a decimal number/,
    )
  })
})

describe('decimals', () => {
  test('parse numbers through their shortest decimal and strings exactly, beyond 2^53', () => {
    assert.deepEqual(parseDecimal(0.1, 'x'), { digits: 1n, scale: 1 })
    assert.deepEqual(parseDecimal('123456789012345678901234567890', 'x'), {
      digits: 123456789012345678901234567890n,
      scale: 0,
    })
    assert.deepEqual(parseDecimal(1e21, 'x'), { digits: 10n ** 21n, scale: 0 })
    assert.deepEqual(parseDecimal('2.500', 'x'), { digits: 25n, scale: 1 })
    assert.equal(formatUnits(123450n, 4), '12.345')
    assert.equal(formatUnits(5n, 3), '0.005')
    assert.equal(formatUnits(-7n, 0), '-7')
  })
  test('an amount too large to hold is refused by name, at once, instead of taking minutes and gigabytes', () => {
    assert.throws(
      () => parseDecimal('1e100000000', 'operators[0].stake'),
      /operators\[0\]\.stake is out of range .*exponent within ±1000/,
    )
    assert.throws(() => parseDecimal('1e-1001', 'x'), /out of range/)
    assert.throws(() => parseDecimal('9'.repeat(1001), 'x'), /at most 1000 digits/)
    // zero with any exponent in range is zero, without walking its zeros
    assert.deepEqual(parseDecimal('0.000e-900', 'x'), { digits: 0n, scale: 0 })
    assert.deepEqual(parseDecimal('1.7e308', 'x'), { digits: 17n * 10n ** 307n, scale: 0 })
    assert.deepEqual(parseDecimal('1e1000', 'x'), { digits: 10n ** 1000n, scale: 0 })
  })
})
