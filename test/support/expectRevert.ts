/**
 * Revert assertions for contract tests: the SDK turns a revert into a ContractRevertedError naming the custom
 * error; these helpers check that name and, when given, the error's decoded arguments.
 */
import assert from 'node:assert/strict'
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  type Log,
  parseEventLogs,
} from 'viem'
import { ContractRevertedError } from '../../src/errors.ts'
import { allSuretyErrorsAbi } from '../../src/sdk/abis.ts'
import { toSuretyError } from '../../src/sdk/sendTransaction.ts'
import type { World } from './world.ts'

/** The decoded arguments of the custom error behind a ContractRevertedError (undefined when not decodable). */
export function revertArgs(error: unknown): readonly unknown[] | undefined {
  if (!(error instanceof ContractRevertedError) || !(error.cause instanceof BaseError)) return undefined
  const reverted = error.cause.walk((e) => e instanceof ContractFunctionRevertedError)
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined
  if (reverted.data?.args) return reverted.data.args
  const raw = (reverted as { raw?: Hex }).raw
  if (!raw) return undefined
  try {
    return decodeErrorResult({ abi: allSuretyErrorsAbi, data: raw }).args
  } catch {
    return undefined
  }
}

/**
 * Asserts that `promise` rejects with the custom error `errorName`, and, when `args` is given, with exactly
 * those arguments (addresses compared case-insensitively).
 */
export async function expectRevert(
  promise: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(
      e instanceof ContractRevertedError,
      `expected ContractRevertedError ${errorName}, got ${String(e)}`,
    )
    assert.equal(e.errorName, errorName, `expected ${errorName}, got: ${e.message}`)
    if (args !== undefined) {
      // viem leaves `args` undefined for an error that takes none
      const actual = revertArgs(e) ?? (args.length === 0 ? [] : undefined)
      assert.ok(actual !== undefined, `could not decode the arguments of ${errorName}`)
      assert.deepEqual(actual.map(normalize), args.map(normalize), `arguments of ${errorName}`)
    }
    return true
  })
}

const normalize = (v: unknown): unknown =>
  typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v

/** Reads a view, turning a revert into the same ContractRevertedError a write would give. */
export async function readOrRevert<T>(
  world: World,
  request: {
    address: Address
    abi: Abi | readonly unknown[]
    functionName: string
    args?: readonly unknown[]
  },
): Promise<T> {
  try {
    return (await world.public.readContract({
      ...(request as any),
      abi: [...(request.abi as Abi), ...allSuretyErrorsAbi],
    })) as T
  } catch (error) {
    throw toSuretyError(error, request.functionName)
  }
}

/** The events named `eventName` in a transaction's receipt, decoded with `abi`. */
export async function eventsOf(
  world: World,
  hash: Hex,
  abi: Abi,
  eventName: string,
): Promise<{ args: any; address: Address }[]> {
  const receipt = await world.public.getTransactionReceipt({ hash })
  return parseEventLogs({ abi, eventName, logs: receipt.logs as Log[] } as any) as any
}
