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
      throw new ContractRevertedError(`${String(request.functionName)} reverted on chain`, undefined, {
        details: `transaction ${hash}`,
      })
    }
    return { hash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, result: simulatedResult }
  } catch (error) {
    throw toSuretyError(error, String(request.functionName))
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
