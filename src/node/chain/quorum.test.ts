import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Address } from 'viem'
import { type Committee, hasQuorum, pickQuorum } from './quorum.ts'

const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address

function committee(bonds: bigint[], quorumBps = 6000): Committee {
  const members = new Map(bonds.map((b, i) => [A(i + 1).toLowerCase(), b]))
  return { serviceId: 1n, members, totalWeight: bonds.reduce((a, b) => a + b, 0n), quorumBps }
}

describe('quorum (mirrors ServiceRegistry.reportTerms)', () => {
  test('3 of 5 equal bonds at 60 % is a quorum, 2 of 5 is not, one signer counted once', () => {
    const c = committee([10n, 10n, 10n, 10n, 10n])
    assert.equal(hasQuorum(c, [A(1), A(2), A(3)]), true)
    assert.equal(hasQuorum(c, [A(1), A(2)]), false)
    assert.equal(hasQuorum(c, [A(1), A(1), A(1), A(2)]), false)
    assert.equal(hasQuorum(c, [A(1), A(2), A(9)]), false, 'a non-member adds nothing')
  })

  test('needs both weight and count: a whale alone is not a quorum, nor are many minnows', () => {
    const c = committee([100n, 1n, 1n, 1n, 1n])
    assert.equal(hasQuorum(c, [A(1)]), false, 'weight 96 % but 1 of 5 members')
    assert.equal(hasQuorum(c, [A(2), A(3), A(4), A(5)]), false, '4 of 5 members but weight 4 %')
    assert.equal(hasQuorum(c, [A(1), A(2), A(3)]), true)
  })

  test('pickQuorum takes the heaviest signers first and stops at quorum', () => {
    const c = committee([5n, 30n, 10n, 20n, 35n])
    assert.deepEqual(pickQuorum(c, [A(1), A(2), A(3), A(4), A(5)]), [A(5), A(2), A(4)])
    assert.equal(pickQuorum(c, [A(1), A(3)]), undefined)
  })
})
