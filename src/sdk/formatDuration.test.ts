import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDuration } from './formatDuration.ts'

test('a duration reads in its two largest non-zero units, cut to the second', () => {
  assert.equal(formatDuration(0), '0 s')
  assert.equal(formatDuration(45), '45 s')
  assert.equal(formatDuration(125), '2 min 5 s')
  assert.equal(formatDuration(302n), '5 min 2 s')
  assert.equal(formatDuration(3600), '1 h')
  assert.equal(formatDuration(93_784), '1 d 2 h')
  assert.equal(formatDuration(86_700), '1 d 5 min', 'a zero hour is skipped, not printed')
  assert.equal(
    formatDuration(59.9),
    '59 s',
    'never rounded up: a countdown does not promise time that is not left',
  )
  assert.equal(formatDuration(-5), '0 s')
  assert.equal(formatDuration(Number.NaN), '—')
})
