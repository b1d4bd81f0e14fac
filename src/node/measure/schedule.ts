/**
 * When each probe of a target is taken: one probe per interval slot, at a point of the slot the operator cannot
 * predict.
 *
 * Slots are a fixed grid phased by a hash of (service, vault), as before, so 1,000 operators at 10 s still make a
 * steady 100 probes a second. Within its slot, each probe is taken at an offset drawn from a keyed hash of
 * (service, vault, slot) under a secret only this attester holds (`scheduleSecret`: a hash of its signature of a
 * fixed message, so it follows from the node key and never from anything public). An operator who knows the
 * attesters' addresses and the config still cannot tell when the next probe comes, so it cannot be up only then;
 * the same key gives the same schedule, so tests replay it. Without a secret every attester probes at the slot's
 * start (the fixed grid: honest nodes then sample the same instants, at the price of a predictable schedule).
 */
import { concat, encodeAbiParameters, type Hex, keccak256, type LocalAccount, toHex } from 'viem'

const SCHEDULE_MESSAGE = 'surety.node.v1 probe schedule'

/**
 * The secret behind this attester's probe timing: keccak256 of its signature of a fixed message. ECDSA signing
 * here is deterministic (RFC 6979), so the secret is stable across restarts, and only the key holder can make it.
 */
export async function scheduleSecret(account: LocalAccount): Promise<Hex> {
  return keccak256(await account.signMessage({ message: SCHEDULE_MESSAGE }))
}

export type ScheduleTarget = { serviceId: bigint; vault: string; intervalMs: number }

/** The grid phase of a target (ms into each interval), the same for every attester. */
export const slotPhase = (t: ScheduleTarget): number =>
  Number(BigInt(keccak256(toHex(`${t.serviceId}:${t.vault.toLowerCase()}`))) % BigInt(t.intervalMs))

/** The slot (an integer) whose window holds time `ms`: slot k covers [k·interval + phase, (k+1)·interval + phase). */
export const slotAt = (t: ScheduleTarget, ms: number): number =>
  Math.floor((ms - slotPhase(t)) / t.intervalMs)

/** This attester's offset into slot `slot`, uniform in [0, intervalMs) under its secret; 0 without one. */
export function slotOffset(secret: Hex | undefined, t: ScheduleTarget, slot: number): number {
  if (!secret) return 0
  const draw = keccak256(
    concat([
      secret,
      encodeAbiParameters(
        [{ type: 'uint64' }, { type: 'address' }, { type: 'int64' }],
        [t.serviceId, t.vault as Hex, BigInt(slot)],
      ),
    ]),
  )
  return Number(BigInt(draw) % BigInt(t.intervalMs))
}

/** When the probe of slot `slot` is due (Unix ms). */
export const probeDue = (secret: Hex | undefined, t: ScheduleTarget, slot: number): number =>
  slot * t.intervalMs + slotPhase(t) + slotOffset(secret, t, slot)
