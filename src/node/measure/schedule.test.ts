import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { probeDue, scheduleSecret, slotAt, slotOffset, slotPhase } from './schedule.ts'

const target = { serviceId: 3n, vault: '0x00000000000000000000000000000000000000aa', intervalMs: 10_000 }
const keyA = privateKeyToAccount(`0x${'11'.repeat(32)}`)
const keyB = privateKeyToAccount(`0x${'22'.repeat(32)}`)
const SLOTS = Array.from({ length: 2_000 }, (_, i) => 180_000_000 + i)

describe('probe schedule', () => {
  test('the secret follows from the key alone: the same key gives the same schedule, another key another', async () => {
    const [a1, a2, b] = await Promise.all([scheduleSecret(keyA), scheduleSecret(keyA), scheduleSecret(keyB)])
    assert.equal(a1, a2, 'reproducible (deterministic signature)')
    assert.notEqual(a1, b)
    const offsets = (s: typeof a1) => SLOTS.slice(0, 50).map((slot) => slotOffset(s, target, slot))
    assert.deepEqual(offsets(a1), offsets(a2))
    const same = offsets(a1).filter((o, i) => o === offsets(b)[i]).length
    assert.ok(same <= 1, `two attesters' offsets coincide in ${same} of 50 slots`)
  })

  test('one probe per slot, inside its slot, spread over the whole interval', async () => {
    const secret = await scheduleSecret(keyA)
    const dues = SLOTS.map((slot) => probeDue(secret, target, slot))
    SLOTS.forEach((slot, i) => {
      assert.equal(slotAt(target, dues[i]!), slot, `slot ${slot}'s probe falls in its own slot`)
      if (i > 0) assert.ok(dues[i]! > dues[i - 1]!, 'strictly increasing: never two in one slot')
    })
    const offsets = SLOTS.map((slot) => slotOffset(secret, target, slot))
    // uniform over [0, interval): every tenth of the interval is used, none holds more than twice its share
    const deciles = new Array(10).fill(0)
    for (const o of offsets) deciles[Math.floor((o * 10) / target.intervalMs)]++
    assert.ok(
      deciles.every((n) => n > 100 && n < 400),
      `offsets by tenth of the interval: ${deciles.join(', ')}`,
    )
  })

  test('without a secret every attester probes at the slot start of the shared grid', () => {
    for (const slot of SLOTS.slice(0, 20)) {
      assert.equal(slotOffset(undefined, target, slot), 0)
      assert.equal(probeDue(undefined, target, slot), slot * target.intervalMs + slotPhase(target))
    }
    assert.ok(slotPhase(target) >= 0 && slotPhase(target) < target.intervalMs)
    const other = { ...target, vault: '0x00000000000000000000000000000000000000bb' }
    assert.notEqual(slotPhase(other), slotPhase(target), 'vaults are phased apart')
  })
})
