/**
 * Which of a service's violation classes a failed order milestone carries (pure). A compute job's wrong result is
 * the `wrongOutput` class. A shipment's broken promise is the class named for it — `temperature` for an excursion,
 * `lateness` for a late pickup, checkpoint or delivery — and `delivery` where the config names no class for that
 * promise: a config written before the two classes (`delivery` only) reports every failed shipment as before.
 * Undefined: the service reports no such failure (it is measured, never reported).
 */
import type { NodeConfig } from '../config.ts'
import type { OutcomeKind } from '../store/outcomeRepo.ts'
import type { Breach } from '../telemetry/judge.ts'

export type ServiceClasses = NodeConfig['services'][number]['classes']

const BREACHES: Breach[] = ['temperature', 'lateness']

export function failureClass(
  classes: ServiceClasses,
  kind: OutcomeKind,
  breach: Breach | undefined,
): number | undefined {
  if (kind === 'compute') return classes.wrongOutput
  const named = breach === undefined ? undefined : classes[breach]
  return named ?? classes.delivery
}

/** Every class a failure of this kind may carry on this service (what a peer's failed outcome may name). */
export function failureClasses(classes: ServiceClasses, kind: OutcomeKind): number[] {
  if (kind === 'compute') return classes.wrongOutput === undefined ? [] : [classes.wrongOutput]
  const all = BREACHES.map((b) => failureClass(classes, kind, b))
  return [...new Set(all.filter((c): c is number => c !== undefined))]
}
