/** The SDK actions the forms call, in one lazily loaded chunk with viem. */
import { type Address, type Hex, keccak256, maxUint256, toHex } from 'viem'
import { stakeTokenAbi } from '../../../src/sdk/abis.ts'
import { approveStake } from '../../../src/sdk/actions/approveStake.ts'
import { deposit } from '../../../src/sdk/actions/deposit.ts'
import { disputeSlash } from '../../../src/sdk/actions/disputeSlash.ts'
import { openOrder } from '../../../src/sdk/actions/openOrder.ts'
import { orderParams, orderTerms } from '../../../src/sdk/orders.ts'
import { readSlash } from '../../../src/sdk/readSlash.ts'
import type { SuretyClient } from '../../../src/sdk/types.ts'

export { DEVNET_ROLES, devnetAccount, devnetClient, devnetIndexOf, walletClient } from './wallet.ts'

async function ensureAllowance(client: SuretyClient, spender: Address, amount: bigint) {
  const allowance = await client.public.readContract({
    address: client.addresses.stakeToken,
    abi: stakeTokenAbi,
    functionName: 'allowance',
    args: [client.wallet.account.address, spender],
  })
  if (allowance < amount) await approveStake(client, { spender, amount: maxUint256 })
}

export async function runDeposit(client: SuretyClient, vault: Address, assets: bigint) {
  await ensureAllowance(client, vault, assets)
  return deposit(client, { vault, assets })
}

export async function runOpenOrder(
  client: SuretyClient,
  input: { serviceId: bigint; vault: Address | null; budget: bigint; hours: number; note: string },
) {
  await ensureAllowance(client, client.addresses.orders, input.budget)
  const now = (await client.public.getBlock()).timestamp
  return openOrder(client, {
    params: orderParams({
      client: client.wallet.account.address,
      serviceId: input.serviceId,
      paymentToken: client.addresses.stakeToken,
      vault: input.vault ?? undefined,
      budget: input.budget,
      now,
      biddingWindow: 2 * 3600,
      duration: input.hours * 3600,
    }),
    terms: orderTerms({ termsHash: keccak256(toHex(input.note)) }),
  })
}

export async function runDispute(client: SuretyClient, slashId: Hex) {
  const slash = await readSlash(client, slashId)
  if (slash.status !== 'Pending')
    throw new Error(`this slash is ${slash.status}, only a pending slash can be disputed`)
  await ensureAllowance(client, client.addresses.court, slash.details.disputeBond)
  return disputeSlash(client, { details: slash.details })
}
