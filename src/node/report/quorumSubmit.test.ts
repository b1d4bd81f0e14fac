/**
 * Turn-taking past the report TTL (quorumSubmit.ts `takeTurns`), on a fake clock and committee: the TTL bounds how
 * long an item gathers, never whether a quorate item is submitted when its turn comes.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Address, type Hex, keccak256, toHex } from 'viem'
import type { CommitteeCache } from '../chain/committee.ts'
import type { Committee } from '../chain/quorum.ts'
import { turnOf } from '../rank.ts'
import { type SubmissionState, type Submittable, takeTurns } from './quorumSubmit.ts'

const MEMBERS = [1, 2, 3, 4, 5].map((i) => `0x${String(i).repeat(40)}` as Address)
const SELF = MEMBERS[0]!
const TTL_MS = 4_000
const STAGGER_MS = 2_500
/** 3 of 5, equal bonds. */
const committee: Committee = {
  serviceId: 1n,
  members: new Map(MEMBERS.map((m) => [m, 1n])),
  totalWeight: 5n,
  quorumBps: 6_000,
}
const committees: CommitteeCache = {
  get: async () => committee,
  invalidate: () => {},
  isMember: async (_id, who) => committee.members.has(who.toLowerCase()),
}

/** A digest whose line puts this node at `turn` (0 = first): the members before it may never submit. */
function digestAtTurn(turn: number): Hex {
  for (let i = 0; ; i++) {
    const digest = keccak256(toHex(`item ${i}`))
    if (turnOf(digest, SELF, MEMBERS) === turn) return digest
  }
}

/** One signed item and a fake clock; `tick(at)` runs takeTurns at `at` ms after this node signed. */
function setup(o: { signers: Address[]; stillOpen?: boolean }) {
  const item: Submittable = { digest: digestAtTurn(2), state: 'collecting', own: 'signed', createdAt: 0 }
  const submitted: number[] = []
  const states: SubmissionState[] = []
  const quorumSince = new Map<Hex, number>()
  const signers = [...o.signers]
  let clock = 0
  const tick = (at: number) => {
    clock = at
    return takeTurns([item], {
      now: () => clock,
      ttlMs: TTL_MS,
      staggerMs: STAGGER_MS,
      self: SELF,
      quorumSince,
      committees,
      serviceIdOf: () => 1n,
      turnKeyOf: (i) => i.digest,
      signers: () => signers,
      setState: (i, state) => {
        i.state = state
        states.push(state)
      },
      submit: async () => {
        submitted.push(clock)
      },
      signedAt: () => 0,
      ...(o.stillOpen === undefined ? {} : { stillOpen: async () => o.stillOpen! }),
    })
  }
  return { item, tick, submitted, states, signers }
}

describe('takeTurns past the report TTL', () => {
  test('an outcome holding a quorum is submitted in its turn after the TTL while its milestone is open', async () => {
    // quorum at 1 s; two members ahead in line (an insider, an absent member) never submit: the turn comes at
    // 1 s + 2 × 2.5 s = 6 s, after the 4 s TTL
    const s = setup({ signers: MEMBERS.slice(0, 3), stillOpen: true })
    await s.tick(1_000)
    await s.tick(4_500)
    assert.deepEqual(s.submitted, [], 'not its turn yet')
    await s.tick(6_100)
    assert.deepEqual(s.submitted, [6_100], 'submitted in its turn, past the TTL')
    assert.deepEqual(s.states, [], 'never expired')
  })

  test('an outcome without a quorum keeps gathering past the TTL while its milestone is open', async () => {
    const s = setup({ signers: MEMBERS.slice(0, 2), stillOpen: true })
    await s.tick(10_000)
    assert.deepEqual([s.item.state, s.submitted], ['collecting', []])
    // the third signature arrives late: the turn counts from then
    s.signers.push(MEMBERS[2]!)
    await s.tick(12_000)
    await s.tick(16_900)
    assert.deepEqual(s.submitted, [], 'not its turn yet')
    await s.tick(17_100)
    assert.deepEqual(s.submitted, [17_100])
  })

  test('an outcome whose milestone is no longer open expires after the TTL, quorum or not', async () => {
    for (const signers of [MEMBERS.slice(0, 2), MEMBERS.slice(0, 3)]) {
      const s = setup({ signers, stillOpen: false })
      await s.tick(4_500)
      await s.tick(10_000)
      assert.deepEqual([s.states, s.submitted], [['expired'], []])
    }
  })

  test('a report (no chain check) expires past the TTL without a quorum, and is submitted in its turn with one', async () => {
    const short = setup({ signers: MEMBERS.slice(0, 2) })
    await short.tick(4_500)
    assert.deepEqual(short.states, ['expired'])
    const quorate = setup({ signers: MEMBERS.slice(0, 3) })
    await quorate.tick(1_000)
    await quorate.tick(4_500)
    await quorate.tick(6_100)
    assert.deepEqual([quorate.states, quorate.submitted], [[], [6_100]])
  })
})
