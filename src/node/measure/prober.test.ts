/**
 * The prober's treatment of this node's own failures: a locally failed probe (out of descriptors, no resolver)
 * is no sample; an operator failure while every reference endpoint fails too is no sample either; an operator
 * failure while a reference answers counts.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Address } from 'viem'
import { silentLogger } from '../log.ts'
import { createNodeMetrics } from '../nodeMetrics.ts'
import { openStore } from '../store/store.ts'
import type { ProbeResult } from './probe.ts'
import { createProber, type ProbeTarget } from './prober.ts'

const VAULT = '0x00000000000000000000000000000000000000aa' as Address

async function run(
  answer: (url: string) => ProbeResult,
  references: string[],
): Promise<{ samples: number; ok: number; metrics: ReturnType<typeof createNodeMetrics> }> {
  const metrics = createNodeMetrics()
  const target: ProbeTarget = {
    serviceId: 1n,
    vault: VAULT,
    endpoint: 'http://operator',
    intervalMs: 50,
    timeoutMs: 10,
    retries: 1,
    epochSeconds: 3600,
    references,
    maxBodyBytes: 1024,
    randomizeTiming: false,
  }
  const prober = createProber({
    targets: [target],
    store: openStore(':memory:'),
    metrics,
    log: silentLogger,
    probe: async (url) => answer(url),
  })
  prober.start()
  // poll until ten probes were taken (counted or skipped), however slow the machine
  const taken = () =>
    ['ok', 'down', 'timeout', 'skipped_local', 'skipped_reference']
      .map((result) => metrics.probes.get({ result }))
      .reduce((a, b) => a + b, 0)
  while (taken() < 10) await new Promise((r) => setTimeout(r, 20))
  prober.stop()
  let samples = 0
  let ok = 0
  const epoch = Math.floor(Date.now() / 3_600_000)
  for (const e of [epoch - 1, epoch]) {
    const agg = prober.samples(1n, VAULT, e)
    samples += agg?.samples ?? 0
    ok += agg?.ok ?? 0
  }
  return { samples, ok, metrics }
}

const down: ProbeResult = { ok: false, latencyMs: 1, error: 'ECONNREFUSED' }
const up: ProbeResult = { ok: true, latencyMs: 1, status: 200 }

describe('prober and local faults', () => {
  test('a probe that fails locally (EMFILE) is skipped, never a failed sample', async () => {
    const r = await run(() => ({ ok: false, latencyMs: 0, error: 'EMFILE', local: true }), [])
    assert.equal(r.samples, 0)
    assert.ok(r.metrics.probes.get({ result: 'skipped_local' }) >= 10)
  })

  test('an operator failure while every reference fails too is skipped; with a reference up it counts', async () => {
    const blind = await run(
      (url) => (url === 'http://operator' ? down : down),
      ['http://ref-1', 'http://ref-2'],
    )
    assert.equal(blind.samples, 0, 'this node cannot reach anything: no evidence')
    const seeing = await run((url) => (url === 'http://ref-2' ? up : down), ['http://ref-1', 'http://ref-2'])
    assert.ok(seeing.samples >= 10 && seeing.ok === 0, 'the operator alone is down: failures count')
  })
})
