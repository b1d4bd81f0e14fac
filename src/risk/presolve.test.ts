import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { largestAttack, mostProfitableAttack } from './attack.ts'
import { bruteCascade, bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import { cappedCoefficient, forcedMembers, worthlessServices } from './presolve.ts'
import { rat, ratToString } from './rational.ts'

// Each rule is exact only where it is applied; every test here is a network on which applying it where it is
// not (or with the boundary the wrong side) would change the answer.

describe('worthless services', () => {
  // a alone attacks s1 (α = 1, π = 10) for 1. s2 is worth nothing, but attacking it too lets b join: the
  // largest valid attack burns 1 + 5 = 6 < 10. Fixing y_s2 = 0 there would report 1.
  const n = parseRiskInput({
    operators: [
      { id: 'a', stake: 1 },
      { id: 'b', stake: 5 },
    ],
    services: [
      { id: 's1', profit: 10, threshold: 1, operators: ['a'] },
      { id: 's2', profit: 0, threshold: 1, operators: ['b'] },
    ],
  })

  test('marks exactly the services with no profit from corruption', () => {
    assert.deepEqual(worthlessServices(n), [false, true])
  })

  test('are left out of the most profitable attack without changing it', async () => {
    const out = await mostProfitableAttack(n)
    assert.deepEqual(out.attack, { services: ['s1'], operators: ['a'], profit: 10n, cost: 1n })
    assert.equal(bruteMostProfitable(n), 9n)
  })

  test('still count for the largest attack, where they let more stake burn', async () => {
    assert.equal(bruteLargestCost(n), 6n)
    const out = await largestAttack(n)
    assert.equal(out.attack?.cost, 6n)
    assert.deepEqual(out.attack?.services, ['s1', 's2'])
  })
})

describe('forced members', () => {
  test('are the members without which the rest cannot reach the threshold (strictly)', () => {
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 60 },
        { id: 'b', stake: 30 },
        { id: 'c', stake: 10 },
        { id: 'd', stake: 50 },
        { id: 'e', stake: 50 },
      ],
      services: [
        { id: 's', profit: 1, threshold: 0.5, operators: ['a', 'b', 'c'] },
        // Without d, e holds exactly half: enough, so neither is forced.
        { id: 't', profit: 1, threshold: 0.5, operators: ['d', 'e'] },
        { id: 'u', profit: 1, threshold: 1, operators: ['d', 'e'] },
      ],
    })
    assert.deepEqual(forcedMembers(n.services[0] as (typeof n.services)[number]), [0])
    assert.deepEqual(forcedMembers(n.services[1] as (typeof n.services)[number]), [])
    assert.deepEqual(forcedMembers(n.services[2] as (typeof n.services)[number]), [0, 1])
  })

  test('exactly at the threshold one member suffices: the attack with one operator is found', async () => {
    // Treating "without d, e holds exactly α" as not enough would force both and report the network secure.
    const n = parseRiskInput({
      operators: [
        { id: 'd', stake: 50 },
        { id: 'e', stake: 50 },
      ],
      services: [{ id: 't', profit: 60, threshold: 0.5, operators: ['d', 'e'] }],
    })
    const out = await mostProfitableAttack(n)
    assert.equal(out.attack?.cost, 50n)
    assert.equal(bruteMostProfitable(n), 10n)
  })

  test('are not forced under a shock, which lowers what the rest must hold', async () => {
    // With α = 1 both members are forced without a shock; after the shock removes a, b alone attacks.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 10 },
        { id: 'b', stake: 90 },
      ],
      services: [{ id: 's', profit: 100, threshold: 1, operators: ['a', 'b'] }],
    })
    assert.deepEqual(forcedMembers(n.services[0] as (typeof n.services)[number]), [0, 1])
    const r = await worstCaseLoss(n, rat(1n, 10n), { exhaustive: false })
    assert.deepEqual(r.attack?.operators, ['b'])
    assert.equal(ratToString(r.worstLoss), ratToString(rat(bruteCascade(n, rat(1n, 10n)), 100n)))
    assert.equal(ratToString(r.worstLoss), '1')
  })
})

describe('capped coefficients', () => {
  test('cap a member at what the row needs, never below', () => {
    assert.equal(cappedCoefficient(0.7, 0.5), 0.5)
    assert.equal(cappedCoefficient(0.3, 0.5), 0.3)
  })

  test('an operator holding more than a threshold needs attacks alone', async () => {
    // a holds 80 of 100 with α = 1/2: capped at 50 in the row, it still meets the threshold by itself.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 80 },
        { id: 'b', stake: 20 },
      ],
      services: [{ id: 's', profit: 90, threshold: 0.5, operators: ['a', 'b'] }],
    })
    const out = await mostProfitableAttack(n)
    assert.deepEqual(out.attack?.operators, ['a'])
    assert.equal(bruteMostProfitable(n), 10n)
  })
})
