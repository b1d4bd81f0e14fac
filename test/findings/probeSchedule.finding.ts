/**
 * Review 3: can an operator learn the probe schedule? The slot grid is public (slotPhase hashes the service and the
 * vault; the interval is the service's probe spec), and each attester probes exactly once per slot. So an operator
 * that cannot predict *when* in the slot a probe comes can still learn that it *has* come: it stays up from each
 * slot's start until every committee attester's probe of that slot has arrived (each attester is recognisable by its
 * source address), then goes down until the next slot starts.
 *
 * FINDING (review 3): that strategy is never caught. With n attesters its downtime is 1/(n+1) of the time on average
 * (half of it with one attester) while every probe sees it up. The test asserts the HONEST outcome (the probes see
 * roughly the downtime there is) and FAILS against the current schedule on purpose. A fix: probe times that are
 * memoryless (e.g. a Poisson process: exponential gaps under the secret, any number of probes per slot), so that a
 * probe that came tells nothing about the next one.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { probeDue, scheduleSecret, slotPhase } from '../../src/node/measure/schedule.ts'

const target = { serviceId: 7n, vault: '0x00000000000000000000000000000000000000bb', intervalMs: 10_000 }
const SLOTS = Array.from({ length: 1_000 }, (_, i) => 180_000_000 + i)
const committee = ['11', '22', '33'].map((b) => privateKeyToAccount(`0x${b.repeat(32)}`))

describe('review 3: probe timing against an operator that watches the probes', () => {
  test('FINDING: "up until the slot’s last probe, then down" is caught in proportion to its downtime', async () => {
    const secrets = await Promise.all(committee.map((a) => scheduleSecret(a)))
    // the operator knows the public grid: slot k starts at k·interval + phase
    const slotStart = (slot: number) => slot * target.intervalMs + slotPhase(target)
    let down = 0
    let probes = 0
    let probesSeeingDown = 0
    for (const slot of SLOTS) {
      const dues = secrets.map((s) => probeDue(s, target, slot))
      // up from the slot's start until the last attester's probe of the slot has been answered
      const upUntil = Math.max(...dues)
      down += slotStart(slot + 1) - upUntil
      for (const due of dues) {
        probes++
        if (due > upUntil) probesSeeingDown++ // never: every probe of the slot comes by upUntil
      }
    }
    const downtime = down / (SLOTS.length * target.intervalMs)
    const measuredDowntime = probesSeeingDown / probes
    console.log(
      `actual downtime ${(downtime * 100).toFixed(1)} %, probes seeing it down ${(measuredDowntime * 100).toFixed(1)} %`,
    )
    assert.ok(downtime > 0.2, `the strategy is down a quarter of the time with 3 attesters (got ${downtime})`)
    // HONEST outcome: the measurement sees at least half the downtime there is. Fails now: it sees none.
    assert.ok(
      measuredDowntime >= downtime / 2,
      `an operator down ${(downtime * 100).toFixed(1)} % of the time was seen down by ${(measuredDowntime * 100).toFixed(1)} % of probes`,
    )
  })
})
