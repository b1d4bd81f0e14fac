import {
  type Abi,
  BaseError,
  type ContractFunctionArgs,
  type ContractFunctionName,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
} from 'viem'
import { ContractRevertedError, SuretyError } from '../errors.ts'
import { allSuretyErrorsAbi } from './abis.ts'
import type { SuretyClient, TxResult } from './types.ts'

/**
 * Simulates, sends and waits for one contract write. A revert becomes a ContractRevertedError naming the
 * contract's custom error (decoded against every Surety ABI, since the revert may come from a nested call);
 * transport failures are tagged retryable.
 */
export async function sendTransaction<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, 'nonpayable' | 'payable'>,
>(
  client: SuretyClient,
  request: {
    address: Hex
    abi: abi
    functionName: functionName
    args: ContractFunctionArgs<abi, 'nonpayable' | 'payable', functionName>
    gas?: bigint
  },
): Promise<TxResult<unknown>> {
  let simulatedResult: unknown
  try {
    const { result, request: prepared } = await client.public.simulateContract({
      ...(request as any),
      // include every Surety error so a revert bubbling up from a nested call decodes by name
      abi: [...request.abi, ...allSuretyErrorsAbi],
      account: client.wallet.account,
    })
    simulatedResult = result
    const hash = await client.wallet.writeContract({ ...(prepared as any), gas: request.gas })
    const receipt = await client.public.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') {
      // It passed the simulation at the head, so something in between changed (another transaction first, a
      // window that closed with the new block's time). Replaying the call on the block it was mined in usually
      // names the contract's error; without it the caller learns only that it failed.
      const why = await replayRevert(client, request, receipt.blockNumber)
      throw new ContractRevertedError(
        `${String(request.functionName)} reverted on chain${why ? `: ${why.text}` : ''}`,
        why?.errorName,
        { details: `transaction ${hash} in block ${receipt.blockNumber}` },
      )
    }
    return { hash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, result: simulatedResult }
  } catch (error) {
    throw toSuretyError(error, String(request.functionName))
  }
}

/**
 * The contract's error for a transaction that reverted when mined, found by calling it again on the state of the
 * block it was mined in (that block's time, and everything mined in it). Undefined when the replay passes (what
 * made it fail came after it in the same block) or cannot be made.
 */
async function replayRevert(
  client: SuretyClient,
  request: { address: Hex; abi: Abi; functionName: string; args: unknown },
  blockNumber: bigint,
): Promise<{ text: string; errorName: string | undefined } | undefined> {
  try {
    await client.public.simulateContract({
      ...(request as any),
      abi: [...request.abi, ...allSuretyErrorsAbi],
      account: client.wallet.account,
      blockNumber,
    })
    return undefined
  } catch (error) {
    const e = toSuretyError(error, String(request.functionName))
    if (!(e instanceof ContractRevertedError) || !e.errorName) return undefined
    // the message after "<action> reverted: "
    return {
      text: e.message.slice(e.message.indexOf('reverted: ') + 'reverted: '.length),
      errorName: e.errorName,
    }
  }
}

/**
 * Any failure of `action` as a SuretyError: a revert as ContractRevertedError with the contract's custom error
 * name, a transport fault tagged retryable.
 */
export function toSuretyError(error: unknown, action: string): SuretyError {
  if (error instanceof SuretyError) return error
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError) {
      let name = reverted.data?.errorName
      let args = reverted.data?.args
      const raw = (reverted as { raw?: Hex }).raw
      if ((name === undefined || name === '') && raw) {
        try {
          const decoded = decodeErrorResult({ abi: allSuretyErrorsAbi, data: raw })
          name = decoded.errorName
          args = decoded.args as typeof args
        } catch {
          // not one of ours (e.g. an ERC-20 error string): keep viem's message
        }
      }
      const argText = args ? `(${args.map((a) => String(a)).join(', ')})` : ''
      return new ContractRevertedError(
        name ? `${action} reverted: ${name}${argText}` : `${action} reverted: ${reverted.shortMessage}`,
        name,
        { cause: error },
      )
    }
    return new SuretyError(`${action} failed: ${error.shortMessage}`, { cause: error, retryable: true })
  }
  return new SuretyError(`${action} failed: ${String(error)}`, { cause: error, retryable: true })
}
