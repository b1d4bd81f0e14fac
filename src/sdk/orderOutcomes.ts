/**
 * EIP-712 order outcomes: what an attester signs about an order's next milestone (success, or failure of a
 * violation class), bound to chain id and order book, to the order by its id and its parameters hash, and to the
 * vault that holds it.
 * Signatures go to reportOrderOutcome, which orders them by signer as the order book requires (orderSignatures in
 * reports.ts).
 */
import {
  type Account,
  type Address,
  encodeAbiParameters,
  type Hex,
  hashTypedData,
  keccak256,
  pad,
  recoverTypedDataAddress,
  slice,
} from 'viem'
import { InvalidInputError } from '../errors.ts'
import { orderBookAbi } from './abis.ts'
import type { SignedReport } from './reports.ts'
import type { OrderOutcome, OrderParams } from './types.ts'

/** The EIP-712 types of an order outcome (OrderBook.OUTCOME_TYPEHASH). */
export const ORDER_OUTCOME_TYPES = {
  OrderOutcome: [
    { name: 'orderId', type: 'uint256' },
    { name: 'paramsHash', type: 'bytes32' },
    { name: 'vault', type: 'address' },
    { name: 'milestone', type: 'uint8' },
    { name: 'success', type: 'bool' },
    { name: 'classId', type: 'uint8' },
  ],
} as const

export type OrderOutcomeDomain = { chainId: number; orders: Address }

const ORDER_PARAMS_ABI = orderBookAbi
  .find((item) => item.type === 'function' && item.name === 'open')!
  .inputs.slice(0, 1)

/**
 * The order's parameters hash as the order book stores it and `order(orderId).paramsHash` returns it:
 * keccak256(abi.encode(params)) in its low 160 bits (the order book keeps 160 bits to share a storage word),
 * left-padded to 32 bytes. Outcomes sign this value.
 */
export function orderParamsHash(params: OrderParams): Hex {
  return pad(slice(keccak256(encodeAbiParameters(ORDER_PARAMS_ABI, [params] as never)), 12), { size: 32 })
}

/** The EIP-712 typed data an attester signs for an order outcome, bound to the chain and the order book. */
export function orderOutcomeTypedData(domain: OrderOutcomeDomain, outcome: OrderOutcome) {
  return {
    domain: {
      name: 'Surety Orders',
      version: '1',
      chainId: domain.chainId,
      verifyingContract: domain.orders,
    },
    types: ORDER_OUTCOME_TYPES,
    primaryType: 'OrderOutcome' as const,
    message: outcome,
  }
}

/** The digest the order book recovers signers from (OrderBook.outcomeDigest). */
export function orderOutcomeDigest(domain: OrderOutcomeDomain, outcome: OrderOutcome): Hex {
  return hashTypedData(orderOutcomeTypedData(domain, outcome))
}

/** Signs an outcome with a local account (an attester's key). */
export async function signOrderOutcome(
  account: Account,
  domain: OrderOutcomeDomain,
  outcome: OrderOutcome,
): Promise<SignedReport> {
  if (!account.signTypedData)
    throw new InvalidInputError('account cannot sign typed data (use a local account)')
  const signature = await account.signTypedData(orderOutcomeTypedData(domain, outcome))
  return { signer: account.address, signature }
}

/** True when `signed.signature` is `signed.signer`'s signature of this outcome under this chain and order book. */
export async function verifyOrderOutcome(
  domain: OrderOutcomeDomain,
  outcome: OrderOutcome,
  signed: SignedReport,
): Promise<boolean> {
  try {
    const recovered = await recoverTypedDataAddress({
      ...orderOutcomeTypedData(domain, outcome),
      signature: signed.signature,
    })
    return recovered.toLowerCase() === signed.signer.toLowerCase()
  } catch {
    return false
  }
}
