import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  formatBps,
  formatCompactUnits,
  formatCountdown,
  formatDate,
  formatDuration,
  formatPpm,
  formatTokens,
  formatUnits,
  parseUnits,
  shortAddress,
} from './format.ts'

describe('format', () => {
  test('amounts are shown in token units with separators, cut towards zero', () => {
    assert.equal(formatUnits(1_234_567_800_000_000_000_000n), '1,234.5678')
    assert.equal(formatUnits('1999999999999999999'), '1.9999')
    assert.equal(formatUnits(10n ** 24n), '1,000,000')
    assert.equal(formatUnits(0n), '0')
    assert.equal(formatTokens('500000000000000000000', 'SUR'), '500 SUR')
    assert.equal(formatUnits((-(10n ** 18n) * 3n) / 2n), '-1.5')
  })
  test('dust is not shown as zero', () => {
    assert.equal(formatUnits(1n), '< 0.0001')
  })
  test('amounts that are not integers of base units are rejected', () => {
    assert.throws(() => formatUnits('1.5'), /not an integer/)
  })
  test('compact amounts for cards', () => {
    assert.equal(formatCompactUnits(1_250_000n * 10n ** 18n), '1.25 M')
    assert.equal(formatCompactUnits(340_000n * 10n ** 18n), '340 k')
    assert.equal(formatCompactUnits(950n * 10n ** 18n), '950')
  })
  test('basis points as percents', () => {
    assert.equal(formatBps(1000), '10%')
    assert.equal(formatBps(125), '1.25%')
  })
  test('durations use the two largest units', () => {
    assert.equal(formatDuration(93_784), '1 d 2 h')
    assert.equal(formatDuration(125), '2 min 5 s')
    assert.equal(formatDuration(7200), '2 h')
    assert.equal(formatDuration(0), '0 s')
    assert.equal(formatCountdown(1000, 1000 - 3600), 'in 1 h')
    assert.equal(formatCountdown(1000, 1120), '2 min ago')
    assert.equal(formatCountdown(1000, 1000), 'now', 'not "in 0 s"')
  })
  test('dates are UTC', () => {
    assert.equal(formatDate(1_796_538_600), '2026-12-06 06:30 UTC')
    assert.equal(formatDate(0), '—')
  })
  test('typed amounts parse exactly or say what is wrong', () => {
    assert.deepEqual(parseUnits('1,000.5'), { value: 1_000_500_000_000_000_000_000n })
    assert.deepEqual(parseUnits('0.000000000000000001'), { value: 1n })
    assert.match((parseUnits('abc') as { error: string }).error, /not an amount/)
    assert.match((parseUnits('0') as { error: string }).error, /more than zero/)
    assert.match((parseUnits('1.0000000000000000001') as { error: string }).error, /at most 18 decimals/)
  })
  test('addresses are shortened', () => {
    assert.equal(shortAddress('0x1234567890abcdef1234567890abcdef12345678'), '0x1234…5678')
  })
  test('an APR in parts per million reads as a percent, rounded down', () => {
    assert.equal(formatPpm('42519'), '4.25%')
    assert.equal(formatPpm(0n), '0%')
    assert.equal(formatPpm('1000000'), '100%')
  })
})
