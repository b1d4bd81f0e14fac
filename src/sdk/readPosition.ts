import type { Address } from 'viem'
import { operatorVaultAbi } from './abis.ts'
import type { SuretyReader } from './types.ts'

export type ReadPositionParameters = { vault: Address; owner: Address }

export type PositionView = {
  vault: Address
  owner: Address
  /** The owner's vault shares (the liquid staking token's balance), excluding shares queued for withdrawal. */
  shares: bigint
  /**
   * What those shares would redeem for now: priced net of pending slashes, rounded down (the vault's
   * previewRedeem), so a wallet never shows more than a withdrawal could pay.
   */
  assets: bigint
}

/** A staker's position in one vault: its shares and what they are worth now. */
export async function readPosition(
  reader: SuretyReader,
  params: ReadPositionParameters,
): Promise<PositionView> {
  const shares = await reader.public.readContract({
    address: params.vault,
    abi: operatorVaultAbi,
    functionName: 'balanceOf',
    args: [params.owner],
  })
  const assets =
    shares === 0n
      ? 0n
      : await reader.public.readContract({
          address: params.vault,
          abi: operatorVaultAbi,
          functionName: 'previewRedeem',
          args: [shares],
        })
  return { vault: params.vault, owner: params.owner, shares, assets }
}
