/**
 * EIP-170: deployed code above 24,576 bytes cannot be deployed on mainnet-like chains. The vault's creation code
 * lives in the VaultBlueprint's code (the factory copies it), so the blueprint is the contract closest to the limit;
 * this names the contract that crosses it and prints every contract's headroom.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Address } from 'viem'
import { vaultFactoryAbi } from '../src/sdk/index.ts'
import { setupVault } from './support/fixtures.ts'
import { useWorld } from './support/world.ts'

const EIP170_LIMIT = 24_576
const { world } = useWorld()

test('every core contract, the vault blueprint and a vault deploy within the EIP-170 code size limit', async () => {
  const w = world()
  const { stakeToken: _token, ...core } = w.addresses
  const blueprint = await w.public.readContract({
    address: w.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'VAULT_BLUEPRINT',
  })
  const { vault } = await setupVault(w, w.accounts[4]!)
  const contracts: Record<string, Address> = { ...core, vaultBlueprint: blueprint, vault }
  const headroom: Record<string, number> = {}
  for (const [name, address] of Object.entries(contracts)) {
    const code = await w.public.getCode({ address })
    const size = ((code?.length ?? 2) - 2) / 2
    assert.ok(size > 0, `${name} has no code`)
    assert.ok(size <= EIP170_LIMIT, `${name} is ${size} bytes, over the ${EIP170_LIMIT}-byte limit`)
    headroom[name] = EIP170_LIMIT - size
  }
  console.log(`EIP-170 headroom (bytes): ${JSON.stringify(headroom)}`)
})
