/** The hand-written JSON of event arguments is exactly what JSON.stringify with a bigint replacer writes. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { jsonWithBigints } from './codec.ts'

const reference = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))

test('jsonWithBigints writes the same text as JSON.stringify with a bigint replacer', () => {
  const values: unknown[] = [
    // a decoded Deposited and a registry event with a tuple and an array of tuples
    { sender: '0xabc', receiver: '0xdef', assets: 10n ** 18n, shares: 999_999_999_999_999_999_999n },
    {
      serviceId: 3n,
      params: { resolver: '0x01', disputeWindow: 86_400, quorumBps: 6_700, declaredValue: 0n },
      classes: [
        { basePenaltyBps: 500, jailDuration: 0, permanentBan: false },
        { basePenaltyBps: 10_000, jailDuration: 2 ** 40, permanentBan: true },
      ],
      note: 'quote " backslash \\ newline \n tab \t unicode é \u2028 control \u0001',
    },
    { negative: -(2n ** 255n), zero: 0n, float: 1.5, nan: Number.NaN, inf: -Infinity, neg0: -0 },
    { skipped: undefined, fn: () => 1, nil: null, nested: { deeper: [undefined, () => 2, 1n, null] } },
    { '2': 'integer-like keys first', a: 1, '1': 'in order', 'odd "key"': true },
    { when: new Date(0), list: [], empty: {} },
    [1n, 'two', [3n, [4n]], { five: 5n }],
    'a plain string',
    42n,
    7,
    false,
    null,
  ]
  for (const v of values) assert.equal(jsonWithBigints(v), reference(v), reference(v))
  assert.equal(jsonWithBigints(undefined), reference(undefined))
  // an inherited enumerable property is not the object's own: left out, as JSON.stringify does
  const child = Object.create({ inherited: 1 }) as Record<string, unknown>
  child.own = 2n
  assert.equal(jsonWithBigints(child), reference(child))
})
