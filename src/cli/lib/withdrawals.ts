/** A staker's withdrawal requests on a vault: ids from WithdrawalRequested events, state from the vault now. */
import type { Address } from 'viem'
import { operatorVaultAbi } from '../../sdk/abis.ts'
import { previewWithdrawal } from '../../sdk/readVault.ts'
import type { Context } from './connect.ts'

export type QueuedWithdrawal = {
  id: bigint
  shares: bigint
  assetsAtRequest: bigint
  claimableNow: bigint
  readyAt: bigint
}

/** The owner's requests not yet claimed, oldest first. */
export async function readQueuedWithdrawals(
  ctx: Context,
  vault: Address,
  owner: Address,
): Promise<QueuedWithdrawal[]> {
  const events = await ctx.reader.public.getContractEvents({
    address: vault,
    abi: operatorVaultAbi,
    eventName: 'WithdrawalRequested',
    args: { owner },
    fromBlock: ctx.fromBlock,
  })
  const all = await Promise.all(
    events.map(async (e) => ({
      id: e.args.id!,
      ...(await previewWithdrawal(ctx.reader, vault, owner, e.args.id!)),
    })),
  )
  return all.filter((w) => w.shares > 0n)
}
