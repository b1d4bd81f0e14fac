/** The hand-written JSON of event arguments is byte for byte what JSON.stringify with a bigint replacer writes. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { jsonWithBigints } from '../db/codec.ts'
import { argsJson } from './argsJson.ts'

test('argsJson equals jsonWithBigints on every kind of value an event argument can hold', () => {
  const samples: unknown[] = [
    { a: 1n, b: -5n, c: 2n ** 255n, d: 0, e: -0, f: 1.5e21, g: true, h: false },
    { addr: '0xAbC', text: 'quote " backslash \\ newline \n unicode é \u2028', empty: '' },
    { tuple: { x: 1n, y: { z: [1n, 2n, { w: 'v' }] } }, list: [], nested: [[1, 2], [3n]] },
    { skipped: undefined, kept: null, fn: () => 1, arr: [undefined, () => 1, null] },
    { [`key "quoted"`]: 1, ü: 2n },
    [1n, 'a', { b: 2 }],
    Number.NaN,
    { inf: Number.POSITIVE_INFINITY },
    {},
  ]
  for (const s of samples) assert.equal(argsJson(s), jsonWithBigints(s), JSON.stringify(String(s)))
})
