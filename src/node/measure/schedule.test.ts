import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { createProbeClock, SEGMENT_INTERVALS, scheduleSecret, slotPhase } from './schedule.ts'

const target = { serviceId: 3n, vault: '0x00000000000000000000000000000000000000aa', intervalMs: 10_000 }
const keyA = privateKeyToAccount(`0x${'11'.repeat(32)}`)
const keyB = privateKeyToAccount(`0x${'22'.repeat(32)}`)
const START = 1_800_000_000_000

const times = (secret: `0x${string}` | undefined, n: number, after = START, t = target) => {
  const clock = createProbeClock(secret, t, after)
  return Array.from({ length: n }, () => clock.next())
}

describe('probe schedule', () => {
  test('the secret follows from the key alone: the same key gives the same schedule, another key another', async () => {
    const [a1, a2, b] = await Promise.all([scheduleSecret(keyA), scheduleSecret(keyA), scheduleSecret(keyB)])
    assert.equal(a1, a2, 'reproducible (deterministic signature)')
    assert.notEqual(a1, b)
    assert.deepEqual(times(a1, 50), times(a2, 50))
    const other = new Set(times(b, 50))
    const same = times(a1, 50).filter((x) => other.has(x)).length
    assert.ok(same <= 1, `two attesters' probe times coincide ${same} times of 50`)
  })

  test('a Poisson process: strictly increasing, one probe per interval on average, exponential gaps', async () => {
    const secret = await scheduleSecret(keyA)
    const dues = times(secret, 20_000)
    assert.ok(dues[0]! > START, 'the first probe is after the start')
    const gaps = dues.slice(1).map((d, i) => d - dues[i]!)
    assert.ok(
      gaps.every((g) => g >= 1),
      'strictly increasing',
    )
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    assert.ok(Math.abs(mean / target.intervalMs - 1) < 0.03, `mean gap ${mean} ms for a 10 s interval`)
    // exponential: P(gap > x) = e^(−x/interval); in particular ~63 % of gaps are shorter than the interval
    // and ~13.5 % longer than twice it (a grid would give 0 % and 0 %)
    const share = (p: (g: number) => boolean) => gaps.filter(p).length / gaps.length
    assert.ok(Math.abs(share((g) => g < target.intervalMs) - (1 - Math.exp(-1))) < 0.02)
    assert.ok(Math.abs(share((g) => g > 2 * target.intervalMs) - Math.exp(-2)) < 0.02)
    assert.ok(share((g) => g < target.intervalMs / 10) > 0.08, 'a probe often follows another closely')
  })

  test('a node that (re)starts later finds the same schedule from that point on', async () => {
    const secret = await scheduleSecret(keyA)
    const all = times(secret, 500)
    for (const k of [0, 7, 99, 123, 400]) {
      // restarting just after probe k: the next probes are exactly those of the uninterrupted run
      const after = all[k]!
      assert.deepEqual(times(secret, 50, after), all.slice(k + 1, k + 51), `restart after probe ${k}`)
    }
    // crossing segment anchors changes nothing visible: the chain restarts at public anchors
    const span = all.at(-1)! - all[0]!
    assert.ok(span > 3 * SEGMENT_INTERVALS * target.intervalMs, 'the sample spans several segments')
  })

  test('without a secret every attester probes on the shared grid, once per interval at the target’s phase', () => {
    const dues = times(undefined, 20)
    dues.forEach((d, i) => {
      assert.equal((d - slotPhase(target)) % target.intervalMs, 0, 'on the grid')
      if (i > 0) assert.equal(d - dues[i - 1]!, target.intervalMs)
    })
    assert.ok(dues[0]! > START && dues[0]! <= START + target.intervalMs)
    assert.ok(slotPhase(target) >= 0 && slotPhase(target) < target.intervalMs)
    const other = { ...target, vault: '0x00000000000000000000000000000000000000bb' }
    assert.notEqual(slotPhase(other), slotPhase(target), 'vaults are phased apart')
  })
})
