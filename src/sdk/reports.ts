/**
 * EIP-712 slash reports: the typed data an attester signs, compact (EIP-2098) signatures, verification, and the
 * ordering the court requires (strictly ascending signer address, which also proves the signers distinct).
 */
import {
  type Account,
  type Address,
  type Hex,
  hexToSignature,
  keccak256,
  numberToHex,
  recoverTypedDataAddress,
  signatureToCompactSignature,
  toHex,
} from 'viem'
import { InvalidInputError } from '../errors.ts'
import type { CompactSignature, SlashReport } from './types.ts'

/** The EIP-712 types of a slash report (SlashingCourt.REPORT_TYPEHASH). */
export const REPORT_TYPES = {
  SlashReport: [
    { name: 'serviceId', type: 'uint64' },
    { name: 'vault', type: 'address' },
    { name: 'classId', type: 'uint8' },
    { name: 'incidentId', type: 'bytes32' },
    { name: 'client', type: 'address' },
  ],
} as const

/** Incident ids with the top bit set belong to the order book (order id | flag); the court refuses them in reports. */
export const ORDER_INCIDENT_FLAG = 1n << 255n

/** An attester incident id from a label (e.g. "svc1/op3/epoch 1234"): its hash with the order flag cleared. */
export function incidentIdFor(label: string): Hex {
  return numberToHex(BigInt(keccak256(toHex(label))) & (ORDER_INCIDENT_FLAG - 1n), { size: 32 })
}

/** The incident id of an order's collateral slash (SlashRequested.details.incidentId when the order failed). */
export function orderIncidentId(orderId: bigint): Hex {
  return numberToHex(orderId | ORDER_INCIDENT_FLAG, { size: 32 })
}

export type ReportDomain = { chainId: number; court: Address }

/** The EIP-712 typed data an attester signs for a slash report, bound to the chain and the court. */
export function reportTypedData(domain: ReportDomain, report: SlashReport) {
  return {
    domain: { name: 'Surety', version: '1', chainId: domain.chainId, verifyingContract: domain.court },
    types: REPORT_TYPES,
    primaryType: 'SlashReport' as const,
    message: report,
  }
}

export type SignedReport = { signer: Address; signature: Hex }

/** Signs a report with a local account (an attester's key). */
export async function signReport(
  account: Account,
  domain: ReportDomain,
  report: SlashReport,
): Promise<SignedReport> {
  if (!account.signTypedData)
    throw new InvalidInputError('account cannot sign typed data (use a local account)')
  const signature = await account.signTypedData(reportTypedData(domain, report))
  return { signer: account.address, signature }
}

/** Recovers who signed a report; throws if the signature is malformed. */
export async function recoverReportSigner(
  domain: ReportDomain,
  report: SlashReport,
  signature: Hex,
): Promise<Address> {
  return recoverTypedDataAddress({ ...reportTypedData(domain, report), signature })
}

/** True when `signature` is `signer`'s signature of this report under this chain and court. */
export async function verifyReport(
  domain: ReportDomain,
  report: SlashReport,
  signed: SignedReport,
): Promise<boolean> {
  try {
    const recovered = await recoverReportSigner(domain, report, signed.signature)
    return recovered.toLowerCase() === signed.signer.toLowerCase()
  } catch {
    return false
  }
}

/** A 65-byte signature in the EIP-2098 compact form (r, vs) the contracts take. */
export function toCompactSignature(signature: Hex): CompactSignature {
  const { r, yParityAndS } = signatureToCompactSignature(hexToSignature(signature))
  return { r, vs: yParityAndS }
}

/** Orders signatures as the court requires and rejects duplicates with a clear error. */
export function orderSignatures(signed: SignedReport[]): CompactSignature[] {
  const sorted = [...signed].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.signer.toLowerCase() === sorted[i - 1]!.signer.toLowerCase()) {
      throw new InvalidInputError(`duplicate signature from ${sorted[i]!.signer}`)
    }
  }
  return sorted.map((s) => toCompactSignature(s.signature))
}
