import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cleanVaultName, VAULT_NAME_MAX } from './vaultNames.ts'

test("a vault's name is shown without control or direction characters, cut to its maximum", () => {
  assert.equal(cleanVaultName('Surety Staked cold-1'), 'Surety Staked cold-1')
  // a right-to-left override would show "1 rotarepO" reversed text; zero-width and bidi isolates hide text
  assert.equal(cleanVaultName('Surety\u202e Staked\u200b gpu\u2066-1\u0007\n'), 'Surety Staked gpu-1')
  const long = 'x'.repeat(200)
  const cut = cleanVaultName(long)
  assert.equal([...cut].length, VAULT_NAME_MAX)
  assert.ok(cut.endsWith('…'))
  // characters outside the basic plane count as one each, and are not split
  const emoji = '🛰'.repeat(70)
  assert.equal([...cleanVaultName(emoji)].length, VAULT_NAME_MAX)
  assert.equal(cleanVaultName('\u0000\u200b '), '')
})
