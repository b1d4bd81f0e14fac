import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Address, Hex } from 'viem'
import type { StoredEvent } from '../../indexer/follower/eventRepo.ts'
import type { SlashDetails } from '../../sdk/types.ts'
import { keeperActions } from './decide.ts'
import { foldSlashEvents } from './slashFold.ts'

const VAULT_A = '0x00000000000000000000000000000000000000aa' as Address
const VAULT_B = '0x00000000000000000000000000000000000000bb' as Address
const id = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

let logIndex = 0
function ev(name: string, slashId: Hex, args: Record<string, unknown>, block = 1n): StoredEvent {
  return { blockNumber: block, logIndex: logIndex++, blockHash: id(99), txHash: id(98), name, slashId, args }
}
const details = (vault: Address, seq: bigint, amount = 100n) =>
  ({ vault, seq, amount }) as unknown as SlashDetails
const requested = (n: number, vault: Address, seq: bigint, disputeEnd: bigint) =>
  ev('SlashRequested', id(n), { slashId: id(n), details: details(vault, seq), disputeEnd })

describe('keeper decisions', () => {
  test('folds events: dispute, uphold with new details, settlement', () => {
    const slashes = foldSlashEvents([
      requested(1, VAULT_A, 1n, 100n),
      ev('SlashDisputed', id(1), { resolveBy: 500n }),
      ev('SlashUpheld', id(1), { details: details(VAULT_A, 1n, 40n) }),
      requested(2, VAULT_A, 2n, 200n),
      ev('SlashExecuted', id(2), {}),
    ])
    assert.equal(slashes.get(id(1))!.status, 'Upheld')
    assert.equal(slashes.get(id(1))!.details.amount, 40n)
    assert.equal(slashes.get(id(1))!.resolveBy, 500n)
    assert.equal(slashes.get(id(2))!.status, 'Executed')
  })

  test('executes only the oldest slash of each vault, once its window has closed', () => {
    const open = [
      ...foldSlashEvents([
        requested(1, VAULT_A, 2n, 100n),
        requested(2, VAULT_A, 1n, 150n),
        requested(3, VAULT_B, 1n, 100n),
      ]).values(),
    ]
    assert.deepEqual(keeperActions(open, 100n), [], 'windows close strictly after disputeEnd')
    const at120 = keeperActions(open, 120n)
    assert.deepEqual(
      at120.map((a) => [a.action, a.slash.slashId]),
      [['execute', id(3)]],
      'vault A’s head (seq 1) is still in its window, so seq 2 waits behind it',
    )
    assert.deepEqual(
      keeperActions(open, 151n).map((a) => a.slash.slashId),
      [id(2), id(3)],
    )
  })

  test('a disputed head blocks its vault until resolved; past its deadline it is lapsed', () => {
    const open = [
      ...foldSlashEvents([
        requested(1, VAULT_A, 1n, 100n),
        ev('SlashDisputed', id(1), { resolveBy: 300n }),
        requested(2, VAULT_A, 2n, 100n),
      ]).values(),
    ]
    assert.deepEqual(keeperActions(open, 200n), [])
    assert.deepEqual(
      keeperActions(open, 301n).map((a) => [a.action, a.slash.slashId]),
      [['lapse', id(1)]],
    )
  })
})
