import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { backoffDelay, withRetry } from '../chain/retry.ts'
import { SuretyError } from '../errors.ts'
import { Registry } from './metrics.ts'
import { turnOf, turnOrder } from './rank.ts'

describe('Prometheus registry', () => {
  test('renders counters, gauges and histograms in the text exposition format', () => {
    const r = new Registry()
    const c = r.counter('x_total', 'things')
    c.inc({ reason: 'bad "quote"' })
    c.inc({ reason: 'bad "quote"' }, 2)
    const g = r.gauge('y', 'level')
    g.set(7)
    const h = r.histogram('z_seconds', 'time', [0.1, 1])
    h.observe(0.05)
    h.observe(0.5)
    h.observe(3)
    const text = r.render()
    assert.match(
      text,
      /# HELP x_total things\n# TYPE x_total counter\nx_total\{reason="bad \\"quote\\""\} 3\n/,
    )
    assert.match(text, /# TYPE y gauge\ny 7\n/)
    assert.match(
      text,
      /z_seconds_bucket\{le="0.1"\} 1\nz_seconds_bucket\{le="1"\} 2\nz_seconds_bucket\{le="\+Inf"\} 3\n/,
    )
    assert.match(text, /z_seconds_sum 3.55\nz_seconds_count 3\n/)
    assert.throws(() => c.inc({}, -1), /cannot decrease/)
    assert.throws(() => r.counter('x_total', 'again'), /registered twice/)
  })
})

describe('retry', () => {
  test('retries retryable errors with growing delays, then gives up', async () => {
    const delays: number[] = []
    let calls = 0
    await assert.rejects(
      withRetry(
        async () => {
          calls++
          throw new SuretyError('rpc down', { retryable: true })
        },
        { retries: 3, baseMs: 100, maxMs: 250, sleep: async (ms) => void delays.push(ms), random: () => 1 },
      ),
      /rpc down/,
    )
    assert.equal(calls, 4)
    assert.deepEqual(delays, [100, 200, 250])
    assert.equal(
      backoffDelay(1, 100, 1000, () => 0),
      50,
    )
  })

  test('never retries a revert or any error not tagged retryable', async () => {
    let calls = 0
    await assert.rejects(
      withRetry(
        async () => {
          calls++
          throw new SuretyError('reverted: ReportAlreadyUsed')
        },
        { retries: 5, baseMs: 1, maxMs: 1 },
      ),
    )
    assert.equal(calls, 1)
  })
})

describe('turn order', () => {
  test('is the same on every node, differs per task, and counts the node itself', () => {
    const a = '0x00000000000000000000000000000000000000aa' as const
    const b = '0x00000000000000000000000000000000000000bb' as const
    const c = '0x00000000000000000000000000000000000000cc' as const
    const task1 = `0x${'01'.repeat(32)}` as const
    assert.deepEqual(turnOrder(task1, [a, b, c]), turnOrder(task1, [c, a, b]))
    const turns = [a, b, c].map((x) => turnOf(task1, x, [a, b, c]))
    assert.deepEqual([...turns].sort(), [0, 1, 2])
    assert.equal(turnOf(task1, a, [b, c]), turns[0])
    const orders = new Set(
      Array.from(
        { length: 12 },
        (_, i) => turnOrder(`0x${i.toString(16).padStart(64, '0')}` as `0x${string}`, [a, b, c])[0],
      ),
    )
    assert.ok(orders.size > 1, 'the first in line rotates across tasks')
  })
})
