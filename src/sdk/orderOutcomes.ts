/**
 * EIP-712 order outcomes: what an attester signs about an order's next milestone (success, or failure of a
 * violation class), bound to chain id and order book. Signatures go to reportOrderOutcome, which orders them by
 * signer as the order book requires (orderSignatures in reports.ts).
 */
import { type Account, type Address, type Hex, hashTypedData, recoverTypedDataAddress } from 'viem'
import { InvalidInputError } from '../errors.ts'
import type { SignedReport } from './reports.ts'
import type { OrderOutcome } from './types.ts'

/** The EIP-712 types of an order outcome (OrderBook.OUTCOME_TYPEHASH). */
export const ORDER_OUTCOME_TYPES = {
  OrderOutcome: [
    { name: 'orderId', type: 'uint256' },
    { name: 'milestone', type: 'uint8' },
    { name: 'success', type: 'bool' },
    { name: 'classId', type: 'uint8' },
  ],
} as const

export type OrderOutcomeDomain = { chainId: number; orders: Address }

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
