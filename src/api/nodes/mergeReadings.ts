/**
 * The readings of one order as the committee holds them: every node's copy is checked here — the API trusts no
 * node — against the device the order's indexed terms name, under the chain's EIP-712 domain; copies that pass
 * are merged by (device, seq), each with the attesters that held it. A node cannot add a reading (it has no device
 * key) nor alter one (the signature would fail); it can only withhold, which `heldBy` shows.
 */
import { type Address, type Hex, recoverAddress } from 'viem'
import { readingDigest, type UnsignedReading } from '../../node/telemetry/reading.ts'

/** A reading as a node's GET /v1/telemetry returns it (its digest is recomputed, not trusted). */
export type NodeReading = UnsignedReading & { signature: string | null }

export type RejectedCopy = 'unsigned' | 'bad-signature' | 'wrong-device' | 'wrong-order'

export type MergedReading = {
  device: Address
  seq: number
  timestamp: number
  kind: UnsignedReading['kind']
  temperatureCentiC: number | null
  latE7: number | null
  lonE7: number | null
  digest: Hex
  /** Who signed: the recovered signer, which is the order's device. */
  signer: Address
  /** The attesters that hold this exact reading, sorted. */
  heldBy: Address[]
}

export type Merged = {
  readings: MergedReading[]
  /** Copies refused, by reason (summed over nodes). */
  rejected: Record<RejectedCopy, number>
  /** (device, seq) pairs for which the device signed two different readings; the most-held one is shown. */
  conflicts: number
}

/** Reading fields as UnsignedReading has them (a node's JSON may carry nulls or extra fields). */
function unsignedOf(r: NodeReading): UnsignedReading {
  const u: UnsignedReading = {
    orderId: r.orderId,
    device: r.device,
    seq: r.seq,
    timestamp: r.timestamp,
    kind: r.kind,
  }
  if (typeof r.temperatureCentiC === 'number') u.temperatureCentiC = r.temperatureCentiC
  if (typeof r.latE7 === 'number' && typeof r.lonE7 === 'number') {
    u.latE7 = r.latE7
    u.lonE7 = r.lonE7
  }
  return u
}

export async function mergeReadings(
  copies: { attester: Address; readings: NodeReading[] }[],
  order: { key: Hex; device: Address; chainId: number },
): Promise<Merged> {
  const rejected: Record<RejectedCopy, number> = {
    unsigned: 0,
    'bad-signature': 0,
    'wrong-device': 0,
    'wrong-order': 0,
  }
  const device = order.device.toLowerCase()
  // a signature recovery is the costly step: each distinct (digest, signature) is recovered once
  const recovered = new Map<string, Address | null>()
  // (device, seq) → digest → the reading and who holds it
  const byKey = new Map<
    string,
    Map<Hex, { reading: UnsignedReading; signer: Address; holders: Set<Address> }>
  >()
  for (const { attester, readings } of copies) {
    for (const r of readings) {
      if (typeof r.orderId !== 'string' || r.orderId.toLowerCase() !== order.key.toLowerCase()) {
        rejected['wrong-order']++
        continue
      }
      if (!r.signature || !/^0x[0-9a-fA-F]+$/.test(r.signature)) {
        rejected.unsigned++
        continue
      }
      if (typeof r.device !== 'string' || r.device.toLowerCase() !== device) {
        rejected['wrong-device']++
        continue
      }
      const unsigned = unsignedOf(r)
      let digest: Hex
      try {
        digest = readingDigest({ chainId: order.chainId }, unsigned)
      } catch {
        rejected['bad-signature']++
        continue
      }
      const sigKey = `${digest}:${r.signature.toLowerCase()}`
      if (!recovered.has(sigKey))
        recovered.set(
          sigKey,
          await recoverAddress({ hash: digest, signature: r.signature as Hex }).catch(() => null),
        )
      const signer = recovered.get(sigKey)
      if (!signer || signer.toLowerCase() !== device) {
        rejected['bad-signature']++
        continue
      }
      const key = `${device}:${unsigned.seq}`
      const variants = byKey.get(key) ?? new Map()
      byKey.set(key, variants)
      const v = variants.get(digest) ?? { reading: unsigned, signer, holders: new Set<Address>() }
      variants.set(digest, v)
      v.holders.add(attester.toLowerCase() as Address)
    }
  }
  let conflicts = 0
  const readings: MergedReading[] = []
  for (const variants of byKey.values()) {
    if (variants.size > 1) conflicts++
    // the most-held variant; ties by digest, so every API replica shows the same one
    const [digest, best] = [...variants.entries()].sort(
      ([da, a], [db, b]) => b.holders.size - a.holders.size || (da < db ? -1 : 1),
    )[0]!
    const r = best.reading
    readings.push({
      device: r.device.toLowerCase() as Address,
      seq: r.seq,
      timestamp: r.timestamp,
      kind: r.kind,
      temperatureCentiC: r.temperatureCentiC ?? null,
      latE7: r.latE7 ?? null,
      lonE7: r.lonE7 ?? null,
      digest,
      signer: best.signer.toLowerCase() as Address,
      heldBy: [...best.holders].sort(),
    })
  }
  readings.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
  return { readings, rejected, conflicts }
}
