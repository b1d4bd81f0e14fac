/**
 * Review 3, F2 (fixed): can an operator that watches the probes arrive learn when it is safe to be down? Each
 * attester is recognisable by its source address, so the operator sees every probe of the committee as it comes.
 * Under the old schedule (one probe per slot of a public grid) it stayed up until every attester's probe of the slot
 * had come, then went down until the next slot: down about 1/(n+1) of the time and never seen. Probe times are now a
 * Poisson process under each attester's secret (schedule.ts), so every adaptive rule below is measured in proportion
 * to its downtime. Each test plays the attack against the real schedule and asserts the HONEST outcome: the share
 * of probes that see the operator down is at least half the share of time it is down.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { createProbeClock, scheduleSecret } from './schedule.ts'

const target = { serviceId: 7n, vault: '0x00000000000000000000000000000000000000bb', intervalMs: 10_000 }
const committee = ['11', '22', '33'].map((b) => privateKeyToAccount(`0x${b.repeat(32)}`))
const START = 1_800_000_000_000
const SPAN = 3_000 * target.intervalMs

type Probe = { at: number; attester: number }

async function committeeProbes(): Promise<Probe[]> {
  const secrets = await Promise.all(committee.map((a) => scheduleSecret(a)))
  const probes: Probe[] = []
  secrets.forEach((secret, attester) => {
    const clock = createProbeClock(secret, target, START)
    for (let at = clock.next(); at < START + SPAN; at = clock.next()) probes.push({ at, attester })
  })
  return probes.sort((a, b) => a.at - b.at)
}

/**
 * Plays a causal strategy: `react` sees each probe after it is answered and returns until when to be down (or
 * undefined: stay as planned). A probe sees the operator down when it comes inside a down period decided earlier.
 */
function play(probes: Probe[], react: (p: Probe, downUntil: number) => number | undefined) {
  let downFrom = 0
  let downUntil = 0
  let down = 0
  let seenDown = 0
  for (const p of probes) {
    if (p.at >= downFrom && p.at < downUntil) seenDown++
    const until = react(p, downUntil)
    if (until !== undefined && until > downUntil) {
      // the part of a running down period already counted is not counted twice
      const from = Math.max(p.at, downUntil)
      down += until - from
      downFrom = p.at >= downUntil ? p.at : downFrom
      downUntil = until
    }
  }
  return { downtime: down / SPAN, measured: seenDown / probes.length }
}

const assertSeen = (label: string, r: { downtime: number; measured: number }) => {
  console.log(
    `${label}: down ${(r.downtime * 100).toFixed(1)} % of the time, seen down by ${(r.measured * 100).toFixed(1)} % of probes`,
  )
  assert.ok(r.downtime > 0.05, `${label}: the strategy is down a real share of the time (${r.downtime})`)
  assert.ok(
    r.measured >= r.downtime / 2,
    `${label}: down ${(r.downtime * 100).toFixed(1)} % of the time but seen by ${(r.measured * 100).toFixed(1)} % of probes`,
  )
}

describe('review 3 F2: probe timing against an operator that watches the probes', () => {
  test('"down right after a probe, for a while" is seen in proportion to its downtime', async () => {
    const probes = await committeeProbes()
    for (const seconds of [1, 3, 10]) {
      const r = play(probes, (p) => p.at + seconds * 1_000)
      assertSeen(`down ${seconds} s after each probe`, r)
    }
  })

  test('"up until every attester has probed, then down" (the old grid’s winning rule) is seen', async () => {
    const probes = await committeeProbes()
    for (const seconds of [5, 15]) {
      let seen = new Set<number>()
      const r = play(probes, (p, downUntil) => {
        if (p.at < downUntil) return undefined
        seen.add(p.attester)
        if (seen.size < committee.length) return undefined
        seen = new Set()
        return p.at + seconds * 1_000
      })
      assertSeen(`down ${seconds} s once all ${committee.length} attesters probed`, r)
    }
  })

  test('"down after a long quiet spell" gains nothing: a quiet spell says nothing of the next probe', async () => {
    const probes = await committeeProbes()
    let last = START
    const r = play(probes, (p) => {
      const quiet = p.at - last
      last = p.at
      // after a gap longer than the mean the operator bets the next probe is far off too
      return quiet > target.intervalMs / committee.length ? p.at + 4_000 : undefined
    })
    assertSeen('down after a quiet spell', r)
  })
})
