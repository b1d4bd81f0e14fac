/**
 * GET /v1/dashboard/vault-names — each vault's name, as its operator chose it for the vault's liquid token
 * (ERC-20 `name()`, e.g. "Surety Staked cold-1"). The chain holds it but no event carries it, so the index does
 * not; the dashboard shows it beside the address so that a person recognises an operator. Names cannot change
 * (the token's name is set once, in its constructor), so each is read once and kept; the vault list is read per
 * request to find new ones.
 *
 * An operator writes the name, so it is untrusted text: shown through `displayText` (no control, zero-width or
 * direction characters, at most 64 characters), and the page always shows the address beside it (a name can
 * imitate another operator's).
 */
import type {} from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { type Address, createPublicClient, http } from 'viem'
import { operatorVaultAbi, vaultFactoryAbi } from '../sdk/abis.ts'
import { displayText, NAME_MAX } from '../sdk/displayText.ts'

export function registerVaultNames(app: FastifyInstance, o: { rpcUrl: string; factory: Address }): void {
  const client = createPublicClient({ transport: http(o.rpcUrl) })
  const known = new Map<string, string | null>()

  async function nameOf(vault: Address): Promise<string | null> {
    try {
      const raw = await client.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'name' })
      return displayText(raw, NAME_MAX) || null
    } catch {
      return null // not read this time (the node busy, a vault without a name): asked again next time
    }
  }

  app.get('/v1/dashboard/vault-names', { schema: { hide: true } }, async () => {
    const vaults = await client.readContract({
      address: o.factory,
      abi: vaultFactoryAbi,
      functionName: 'allVaults',
    })
    const missing = vaults.filter((v) => !known.get(v.toLowerCase()))
    const names = await Promise.all(missing.map(nameOf))
    for (const [i, v] of missing.entries()) known.set(v.toLowerCase(), names[i]!)
    const out: Record<string, string> = {}
    for (const v of vaults) {
      const name = known.get(v.toLowerCase())
      if (name) out[v.toLowerCase()] = name
    }
    return { vaults: out }
  })
}
