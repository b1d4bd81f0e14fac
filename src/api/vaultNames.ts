/**
 * GET /v1/dashboard/vault-names — each vault's name, as its operator chose it for the vault's liquid token
 * (ERC-20 `name()`, e.g. "Surety Staked cold-1"). The chain holds it but no event carries it, so the index does
 * not; the dashboard shows it beside the address so that a person recognises an operator. Names cannot change
 * (the token's name is set once, in its constructor), so each is read once and kept; the vault list is read per
 * request to find new ones.
 *
 * An operator writes the name, so it is untrusted text: control characters are dropped and it is cut to 64
 * characters, and the page always shows the address beside it (a name can imitate another operator's).
 */
import type {} from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import { type Address, createPublicClient, http } from 'viem'
import { operatorVaultAbi, vaultFactoryAbi } from '../sdk/abis.ts'

export const VAULT_NAME_MAX = 64

/** What is shown of a name an operator chose: no control characters, at most VAULT_NAME_MAX characters. */
export function cleanVaultName(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
  const clean = raw.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  const chars = [...clean]
  return chars.length > VAULT_NAME_MAX ? `${chars.slice(0, VAULT_NAME_MAX - 1).join('')}…` : clean
}

export function registerVaultNames(app: FastifyInstance, o: { rpcUrl: string; factory: Address }): void {
  const client = createPublicClient({ transport: http(o.rpcUrl) })
  const known = new Map<string, string | null>()

  async function nameOf(vault: Address): Promise<string | null> {
    try {
      const raw = await client.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'name' })
      return cleanVaultName(raw) || null
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
