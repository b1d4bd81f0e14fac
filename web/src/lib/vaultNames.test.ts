import assert from 'node:assert/strict'
import { test } from 'node:test'
import { shouldLoad } from './vaultNames.ts'

test('the vaults’ names are asked for at once, again after a failure, and again for a vault the list lacks', () => {
  // nothing asked yet (loadedAt 0): at once
  assert.equal(shouldLoad(undefined, ['0xa'], 0, 1_000_000, false), true)
  // never beside a request under way
  assert.equal(shouldLoad(undefined, ['0xa'], 0, 1_000_000, true), false)
  // the last request failed (nothing known): again after 2 s, not before
  assert.equal(shouldLoad(undefined, ['0xa'], 1_000_000, 1_001_000, false), false)
  assert.equal(shouldLoad(undefined, ['0xa'], 1_000_000, 1_002_000, false), true)
  // every vault named: never
  assert.equal(shouldLoad({ '0xa': 'A' }, ['0xa'], 0, 10_000_000, false), false)
  // a vault the list lacks: again after 15 s, not before
  assert.equal(shouldLoad({ '0xa': 'A' }, ['0xa', '0xb'], 1_000_000, 1_010_000, false), false)
  assert.equal(shouldLoad({ '0xa': 'A' }, ['0xa', '0xb'], 1_000_000, 1_015_000, false), true)
})
