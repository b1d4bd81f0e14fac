/** Ids and addresses checked against the chain before anything is sent, each failure named with what to do. */
import { type Address, type Hex, zeroAddress } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import { operatorVaultAbi, serviceRegistryAbi, vaultFactoryAbi } from '../../sdk/abis.ts'
import { displayText, NAME_MAX, SYMBOL_MAX } from '../../sdk/displayText.ts'
import { readSlash, type SlashView } from '../../sdk/readSlash.ts'
import type { Context } from './connect.ts'

/** A vault the deployment's factory made (the court, registry and order book trust no other). */
export async function requireVault(ctx: Context, vault: Address): Promise<Address> {
  const { factory } = ctx.deployment.addresses
  const ok = await ctx.reader.public.readContract({
    address: factory,
    abi: vaultFactoryAbi,
    functionName: 'isVault',
    args: [vault],
  })
  if (!ok)
    throw new InvalidInputError(
      `${vault} is not a Surety vault of this deployment (its factory ${factory} did not make it): see \`surety vault list\``,
    )
  return vault
}

/** The vault `operator` runs, or a clear error when it has none. */
export async function vaultOf(ctx: Context, operator: Address): Promise<Address> {
  const vault = await ctx.reader.public.readContract({
    address: ctx.deployment.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'vaultOf',
    args: [operator],
  })
  if (vault === zeroAddress)
    throw new InvalidInputError(`${operator} runs no vault: create one with \`surety vault create\``)
  return vault
}

/** The vault named by --vault, or the signer's own when it is an operator. */
export async function vaultFromOption(ctx: Context, given: Address | undefined, signer?: Address) {
  if (given) return requireVault(ctx, given)
  if (signer) return vaultOf(ctx, signer)
  throw new InvalidInputError('--vault ADDRESS is required')
}

export async function operatorOf(ctx: Context, vault: Address): Promise<Address> {
  return ctx.reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'OPERATOR' })
}

export async function serviceCount(ctx: Context): Promise<bigint> {
  return BigInt(
    await ctx.reader.public.readContract({
      address: ctx.deployment.addresses.registry,
      abi: serviceRegistryAbi,
      functionName: 'serviceCount',
    }),
  )
}

export async function requireService(ctx: Context, id: bigint): Promise<bigint> {
  const count = await serviceCount(ctx)
  if (id < 1n || id > count)
    throw new InvalidInputError(
      count === 0n
        ? `service #${id} does not exist: this deployment has no services yet (surety service create)`
        : `service #${id} does not exist: this deployment has services #1 to #${count} (surety service list)`,
    )
  return id
}

export async function requireSlash(ctx: Context, slashId: Hex): Promise<SlashView> {
  try {
    return await readSlash(ctx.reader, slashId, ctx.fromBlock)
  } catch (error) {
    if (error instanceof Error && /not found/.test(error.message))
      throw new InvalidInputError(
        `slash ${slashId} does not exist on this deployment: see \`surety slash list\``,
      )
    throw error
  }
}

/** A vault's ERC-20 name and symbol (its liquid staking token), for messages. */
export async function vaultLabel(ctx: Context, vault: Address): Promise<{ name: string; symbol: string }> {
  const [name, symbol] = await Promise.all([
    ctx.reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'name' }),
    ctx.reader.public.readContract({ address: vault, abi: operatorVaultAbi, functionName: 'symbol' }),
  ])
  // the operator wrote both: never print its escape sequences or hidden characters
  return { name: displayText(name, NAME_MAX), symbol: displayText(symbol, SYMBOL_MAX) }
}
