import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { hexToBytes, keccak256, toBytes, toHex } from 'viem'
import { checkJobResult, EXECUTORS, inSample } from './jobs.ts'
import { errorCode, LOCAL_ERROR_CODES } from './probe.ts'
import { type EpochVerdict, epochOf, isMassFailure, judgeEpoch, quantile } from './verdict.ts'

const policy = { minSamples: 4, minUptimeBps: 9000, maxLatencyMs: 200, latencyQuantileBps: 9500 }

describe('epoch verdict', () => {
  test('too few samples gives no verdict at all (never a violation)', () => {
    const v = judgeEpoch({ samples: 3, ok: 0, latencies: [] }, policy)
    assert.equal(v.status, 'insufficient')
    assert.deepEqual(v.violations, [])
  })

  test('uptime below the threshold is downtime; exactly at it is fine', () => {
    assert.deepEqual(judgeEpoch({ samples: 10, ok: 8, latencies: Array(8).fill(10) }, policy).violations, [
      'downtime',
    ])
    const atThreshold = judgeEpoch({ samples: 10, ok: 9, latencies: Array(9).fill(10) }, policy)
    assert.equal(atThreshold.status, 'ok')
    assert.equal(atThreshold.uptimeBps, 9000)
  })

  test('the latency quantile of successful probes above the bound is a latency violation', () => {
    const latencies = [...Array(18).fill(50), 300, 400]
    assert.equal(quantile(latencies, 9500), 300)
    const v = judgeEpoch({ samples: 20, ok: 20, latencies }, policy)
    assert.deepEqual(v.violations, ['latency'])
    assert.equal(v.latencyMs, 300)
    assert.equal(
      judgeEpoch({ samples: 20, ok: 20, latencies }, { ...policy, maxLatencyMs: undefined }).status,
      'ok',
    )
  })

  test('is a pure function: same aggregate, same verdict, whatever the sample order', () => {
    const a = judgeEpoch({ samples: 6, ok: 5, latencies: [9, 1, 5, 7, 3] }, policy)
    const b = judgeEpoch({ samples: 6, ok: 5, latencies: [1, 3, 5, 7, 9] }, policy)
    assert.deepEqual(a, b)
  })

  test('epochs are aligned to the Unix epoch', () => {
    assert.equal(epochOf(119_999, 60), 1)
    assert.equal(epochOf(120_000, 60), 2)
  })
})

describe('job results', () => {
  const input = toHex(toBytes('hello'))
  const result = EXECUTORS.reverse!(hexToBytes(input))
  const committed = keccak256(result)

  test('a result matching its commitment and its re-execution is fine', () => {
    assert.deepEqual(
      checkJobResult({
        committedHash: committed,
        result,
        reexecute: { executor: 'reverse', input },
        sampled: true,
      }),
      { verdict: 'ok' },
    )
  })

  test('a result not matching the commitment is a wrong output', () => {
    const check = checkJobResult({ committedHash: committed, result: toBytes('olleH'), sampled: false })
    assert.equal(check.verdict, 'wrong-output')
  })

  test('a committed but wrong result is caught by re-execution, only when sampled', () => {
    const wrong = toBytes('not reversed')
    const params = {
      committedHash: keccak256(wrong),
      result: wrong,
      reexecute: { executor: 'reverse', input },
    }
    assert.equal(checkJobResult({ ...params, sampled: true }).verdict, 'wrong-output')
    assert.equal(checkJobResult({ ...params, sampled: false }).verdict, 'ok')
    assert.equal(
      checkJobResult({ ...params, reexecute: { executor: 'nope', input }, sampled: true }).verdict,
      'unverifiable',
    )
  })

  test('sampling depends only on the job id, so every attester samples the same jobs', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `job-${i}`)
    const sampled = ids.filter((id) => inSample(id, 2500))
    assert.deepEqual(
      sampled,
      ids.filter((id) => inSample(id, 2500)),
    )
    assert.ok(sampled.length > 60 && sampled.length < 140, `about a quarter sampled, got ${sampled.length}`)
    assert.equal(
      ids.every((id) => inSample(id, 10_000)),
      true,
    )
    assert.equal(
      ids.some((id) => inSample(id, 0)),
      false,
    )
  })
})

describe('local faults', () => {
  const v = (status: EpochVerdict['status'], down = false): EpochVerdict => ({
    status,
    samples: 10,
    uptimeBps: down ? 0 : 10_000,
    latencyMs: undefined,
    violations: down ? ['downtime'] : [],
  })
  const rule = { thresholdBps: 5_000, minOperators: 3 }

  test('most operators down at once from this node voids the epoch; a minority down does not', () => {
    assert.equal(isMassFailure([v('violation', true), v('violation', true), v('ok')], rule), true)
    assert.equal(isMassFailure([v('violation', true), v('ok'), v('ok')], rule), false)
    assert.equal(
      isMassFailure([v('violation', true), v('violation', true), v('ok'), v('ok')], rule),
      false,
      'half',
    )
    assert.equal(
      isMassFailure([v('violation', true), v('violation', true)], rule),
      false,
      'too few operators',
    )
    assert.equal(
      isMassFailure([v('violation', true), v('violation', true), v('insufficient')], rule),
      false,
      'only judged operators count',
    )
  })

  test('this node’s own errors are recognised through the fetch error’s cause', () => {
    const fetchFailed = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: { code } })
    for (const code of ['EMFILE', 'ENFILE', 'EAI_AGAIN', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOBUFS'])
      assert.ok(LOCAL_ERROR_CODES.has(errorCode(fetchFailed(code))!), code)
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH'])
      assert.equal(LOCAL_ERROR_CODES.has(errorCode(fetchFailed(code))!), false, code)
    assert.equal(errorCode(new Error('no code')), undefined)
  })
})
