/**
 * Why a vault can reserve no collateral on a service, read from the vault. The order book screens a bid with one
 * figure, the allocation's room, and reverts `CollateralUnavailable(required, room)` whatever made that room 0:
 * a ban, a jail, no allocation, or an allocation all held by pending slashes and open orders. Its error cannot
 * tell these apart (nor name the vault or the service), so the CLI reads the vault's state and says which it is
 * and what to do; "the vault can reserve only 0 STK" told a jailed operator neither.
 */
import type { Address } from 'viem'
import { operatorVaultAbi } from '../../sdk/abis.ts'
import type { SuretyReader } from '../../sdk/types.ts'
import { when } from './time.ts'
import { formatToken, type Token } from './units.ts'

export type CollateralBarParameters = {
  vault: Address
  operator: Address
  serviceId: bigint
  /** The chain's clock (a jail ends in chain time). */
  now: bigint
  stake: Token
}

/** The reason in words, or undefined when the vault is free to reserve and only short of room. */
export async function collateralBar(
  reader: SuretyReader,
  { vault, operator, serviceId, now, stake }: CollateralBarParameters,
): Promise<string | undefined> {
  const at = { address: vault, abi: operatorVaultAbi, args: [serviceId] } as const
  const [banned, jailedUntil, [amount, pending], [increase, readyAt], [, , , reserved]] = await Promise.all([
    reader.public.readContract({ ...at, functionName: 'isBanned' }),
    reader.public.readContract({ ...at, functionName: 'jailedUntil' }),
    reader.public.readContract({ ...at, functionName: 'allocation' }),
    reader.public.readContract({ ...at, functionName: 'exposure' }),
    reader.public.readContract({ ...at, functionName: 'reputation' }),
  ])
  const t = (x: bigint) => formatToken(x, stake)
  const service = `service #${serviceId}`
  if (banned)
    return `operator ${operator} is banned from ${service} (a permanent-ban slash executed): its vault ${vault} can never reserve collateral there again`
  if (jailedUntil > now)
    return `operator ${operator} is jailed on ${service} until ${when(jailedUntil, now)}: its vault ${vault} cannot reserve collateral there until then; bid again after that`
  if (amount === 0n)
    return increase > 0n
      ? `vault ${vault} has no allocation to ${service} yet: ${t(increase)} is queued and applies from ${when(readyAt, now)} (then run \`surety apply --service ${serviceId}\`)`
      : `vault ${vault} has no allocation to ${service}: allocate to it first (\`surety allocate --service ${serviceId} --amount AMOUNT\`, applied after the exposure delay)`
  if (pending + reserved >= amount)
    return `vault ${vault}'s allocation of ${t(amount)} to ${service} is all held, ${t(pending)} by pending slashes and ${t(reserved)} by open orders' collateral: wait until they settle, or allocate more`
  return undefined
}
