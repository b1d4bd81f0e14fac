/**
 * EIP-170: deployed code above 24,576 bytes cannot be deployed on mainnet-like chains. The registry and the
 * factory (which embeds the vault's creation code) are close to it; this names the contract that crosses it.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { useWorld } from './support/world.ts'

const EIP170_LIMIT = 24_576
const { world } = useWorld()

test('every core contract deploys within the EIP-170 code size limit', async () => {
  const w = world()
  const { stakeToken: _token, ...core } = w.addresses
  for (const [name, address] of Object.entries(core)) {
    const code = await w.public.getCode({ address })
    const size = ((code?.length ?? 2) - 2) / 2
    assert.ok(size > 0, `${name} has no code`)
    assert.ok(size <= EIP170_LIMIT, `${name} is ${size} bytes, over the ${EIP170_LIMIT}-byte limit`)
  }
})
