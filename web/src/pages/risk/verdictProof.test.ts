import assert from 'node:assert/strict'
import { test } from 'node:test'
import { verdictProof } from './verdictProof.ts'

test('a secure verdict says how it was proven, as the CLI does', () => {
  // the certified slack or the cost shares prove in integers: not "by the solver"
  assert.equal(verdictProof({ verdictProven: true, verdictExact: true }), 'proven exactly')
  assert.equal(
    verdictProof({ verdictProven: true, verdictExact: false }),
    'the solver’s verdict, within its float tolerances',
  )
  assert.equal(verdictProof({ verdictProven: false, verdictExact: false }), '')
})
