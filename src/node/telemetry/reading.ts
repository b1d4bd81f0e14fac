/**
 * A telemetry reading as a device signs it: EIP-712 typed data, so a device key (any secp256k1 key, the same
 * kind an attester has) signs it with standard tooling and anyone can check it. Optional values are carried with
 * presence flags rather than sentinel numbers; positions are degrees × 10^7 and temperatures centi-degrees, all
 * integers, so the signed bytes and the judge see exactly the same numbers.
 */
import { type Address, type Hex, hashTypedData, type LocalAccount, recoverTypedDataAddress } from 'viem'
import { z } from 'zod'
import type { ReadingKind } from '../store/telemetryRepo.ts'

export const READING_KINDS = [
  'reading',
  'pickup',
  'checkpoint',
  'delivery',
] as const satisfies readonly ReadingKind[]

export const READING_TYPES = {
  Reading: [
    { name: 'orderId', type: 'bytes32' },
    { name: 'seq', type: 'uint64' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'kind', type: 'uint8' },
    { name: 'flags', type: 'uint8' },
    { name: 'temperatureCentiC', type: 'int32' },
    { name: 'latE7', type: 'int32' },
    { name: 'lonE7', type: 'int32' },
  ],
} as const

const FLAG_TEMPERATURE = 1
const FLAG_POSITION = 2

const int32 = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1)

export const readingSchema = z
  .object({
    orderId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 32-byte hex id'),
    device: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be an address'),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    kind: z.enum(READING_KINDS),
    temperatureCentiC: int32.optional(),
    latE7: int32.min(-900_000_000).max(900_000_000).optional(),
    lonE7: int32.min(-1_800_000_000).max(1_800_000_000).optional(),
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]+$/, 'must be hex')
      .optional(),
  })
  .strict()
  .refine((r) => (r.latE7 === undefined) === (r.lonE7 === undefined), {
    message: 'latE7 and lonE7 go together',
    path: ['latE7'],
  })

export type Reading = z.infer<typeof readingSchema>
export type UnsignedReading = Omit<Reading, 'signature'>

export type TelemetryDomain = { chainId: number }

export function readingTypedData(domain: TelemetryDomain, r: UnsignedReading) {
  const hasTemp = r.temperatureCentiC !== undefined
  const hasPos = r.latE7 !== undefined
  return {
    domain: { name: 'Surety Telemetry', version: '1', chainId: domain.chainId },
    types: READING_TYPES,
    primaryType: 'Reading' as const,
    message: {
      orderId: r.orderId as Hex,
      seq: BigInt(r.seq),
      timestamp: BigInt(r.timestamp),
      kind: READING_KINDS.indexOf(r.kind),
      flags: (hasTemp ? FLAG_TEMPERATURE : 0) | (hasPos ? FLAG_POSITION : 0),
      temperatureCentiC: r.temperatureCentiC ?? 0,
      latE7: r.latE7 ?? 0,
      lonE7: r.lonE7 ?? 0,
    },
  }
}

export const readingDigest = (domain: TelemetryDomain, r: UnsignedReading): Hex =>
  hashTypedData(readingTypedData(domain, r))

export async function recoverReadingSigner(
  domain: TelemetryDomain,
  r: UnsignedReading,
  signature: Hex,
): Promise<Address> {
  return recoverTypedDataAddress({ ...readingTypedData(domain, r), signature })
}

/** Signs a reading with a device key (devices, gateways and tests use this). */
export async function signReading(
  device: LocalAccount,
  domain: TelemetryDomain,
  r: Omit<UnsignedReading, 'device'>,
): Promise<Reading> {
  const unsigned = { ...r, device: device.address }
  const signature = await device.signTypedData(readingTypedData(domain, unsigned))
  return { ...unsigned, signature }
}
