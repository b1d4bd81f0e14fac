/**
 * Executes one contract call at an exact block timestamp: simulate on the pending block (which honours the
 * timestamp) to learn whether and how it reverts, then send it with a fixed gas limit. The model then knows the
 * exact `block.timestamp` every transaction saw.
 */

import type { TransactionReceipt } from 'viem'
import { type Abi, type Account, type Address, BaseError, ContractFunctionRevertedError } from 'viem'
import { allSuretyErrorsAbi } from '../../src/sdk/abis.ts'
import type { World } from '../support/world.ts'

export type ExecResult =
  | { ok: true; result: unknown; receipt: TransactionReceipt }
  | { ok: false; errorName: string }

export async function execAt(
  world: World,
  timestamp: bigint,
  account: Account,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
): Promise<ExecResult> {
  await world.test.setNextBlockTimestamp({ timestamp })
  const abi = [...call.abi, ...allSuretyErrorsAbi] as Abi
  let result: unknown
  try {
    const simulated = await world.public.simulateContract({
      address: call.address,
      abi,
      functionName: call.functionName,
      args: call.args,
      account,
      blockTag: 'pending',
    } as any)
    result = simulated.result
  } catch (error) {
    if (error instanceof BaseError) {
      const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
      if (reverted instanceof ContractFunctionRevertedError) {
        return { ok: false, errorName: reverted.data?.errorName ?? reverted.reason ?? 'unknown' }
      }
    }
    throw error
  }
  const hash = await world.clientFor(account).wallet.writeContract({
    address: call.address,
    abi,
    functionName: call.functionName,
    args: call.args,
    gas: 3_000_000n,
    // A fee cap far above anvil's base fee (1 gwei at genesis): a cap estimated from a block cached from before the
    // last revert to the snapshot (its base fee decayed by 50 blocks) could sit below the snapshot's base fee, and
    // such a transaction is never mined (a full run once waited 180 s for sequence 57's receipt; alone it passed).
    maxFeePerGas: 1_000_000_000_000n,
    chain: null,
  } as any)
  const receipt = await world.public
    .waitForTransactionReceipt({ hash, timeout: 30_000 })
    .catch(async (error: unknown) => {
      // say what the chain holds of it, for the next one to look at
      const [tx, head] = await Promise.all([
        world.public.getTransaction({ hash }).catch(() => null),
        world.public.getBlock({ blockTag: 'latest' }),
      ])
      throw new Error(
        `${call.functionName}: no receipt after 30 s; the transaction ${tx ? `is ${tx.blockNumber === null ? 'pending' : `in block ${tx.blockNumber}`} (nonce ${tx.nonce}, fee cap ${tx.maxFeePerGas})` : 'is unknown to the chain'}; head ${head.number}, base fee ${head.baseFeePerGas}, time ${head.timestamp}, wanted ${timestamp}`,
        { cause: error },
      )
    })
  if (receipt.status !== 'success')
    throw new Error(`${call.functionName} passed simulation but reverted on chain`)
  const block = await world.public.getBlock({ blockNumber: receipt.blockNumber })
  if (block.timestamp !== timestamp)
    throw new Error(`block stamped ${block.timestamp}, expected ${timestamp}`)
  return { ok: true, result, receipt }
}
