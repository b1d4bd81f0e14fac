import assert from 'node:assert/strict'
import { test } from 'node:test'
import { displayText, NAME_MAX, SYMBOL_MAX } from './displayText.ts'

test('text from a contract is shown without control, zero-width or direction characters, cut to its maximum', () => {
  assert.equal(displayText('Surety Staked cold-1', NAME_MAX), 'Surety Staked cold-1')
  // a right-to-left override would make the rest read backwards; zero-width and bidi isolates hide text
  assert.equal(displayText('Surety\u202e Staked\u200b gpu\u2066-1\u0007\n', NAME_MAX), 'Surety Staked gpu-1')
  // a terminal escape that clears the screen and moves the cursor home keeps only its printable tail
  assert.equal(displayText('sOP1\u001b[2J\u001b[H', SYMBOL_MAX), 'sOP1[2J[H')
  assert.equal(displayText('\u009b31mred', SYMBOL_MAX), '31mred', 'the one-byte C1 CSI too')
  assert.equal(displayText('\ufeffSTK', SYMBOL_MAX), 'STK')
  const cut = displayText('x'.repeat(200), NAME_MAX)
  assert.equal([...cut].length, NAME_MAX)
  assert.ok(cut.endsWith('…'))
  // characters outside the basic plane count as one each, and are not split
  assert.equal([...displayText('🛰'.repeat(70), NAME_MAX)].length, NAME_MAX)
  assert.equal(displayText('\u0000\u200b ', NAME_MAX), '')
})
