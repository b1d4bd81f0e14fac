import type { Address } from 'viem'
import { slashingCourtAbi } from '../abis.ts'
import { sendTransaction } from '../sendTransaction.ts'
import type { SuretyClient, TxResult } from '../types.ts'

export type WithdrawCreditParameters = {
  /** Where the payout was credited: a vault (slash payouts) or the court (dispute bonds, attester penalties). */
  from: Address
  /** Who receives the tokens; the caller by default. */
  receiver?: Address
}
export type WithdrawCreditReturnType = TxResult<undefined>

/**
 * Withdraws stake-token payouts that a vault or the court could not push to the caller (the token refused the
 * transfer, e.g. a blacklist) and credited instead; see readCredit.
 */
export async function withdrawCredit(
  client: SuretyClient,
  params: WithdrawCreditParameters,
): Promise<WithdrawCreditReturnType> {
  const tx = await sendTransaction(client, {
    address: params.from,
    // the vault and the court share StakeCredits: the court's ABI has the same withdrawCredit entry
    abi: slashingCourtAbi,
    functionName: 'withdrawCredit',
    args: [params.receiver ?? client.wallet.account.address],
  })
  return { ...tx, result: undefined }
}

/** Stake-token payouts credited to `account` in a vault or the court (withdrawCredit pays them). */
export function readCredit(
  client: Pick<SuretyClient, 'public'>,
  params: { from: Address; account: Address },
): Promise<bigint> {
  return client.public.readContract({
    address: params.from,
    abi: slashingCourtAbi,
    functionName: 'credits',
    args: [params.account],
  })
}
