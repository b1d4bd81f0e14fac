import type { Kysely } from 'kysely'
import { toView, type View } from '../db/codec.ts'
import type { Database } from '../db/schema.ts'
import type { ServiceView } from './listServices.ts'

export type ServiceDetail = ServiceView & { classes: View<'service_classes'>[] }

/** One service with its violation classes, or undefined. */
export async function getService(
  db: Kysely<Database>,
  serviceId: number,
): Promise<ServiceDetail | undefined> {
  const row = await db
    .selectFrom('services')
    .selectAll()
    .where('service_id', '=', serviceId)
    .executeTakeFirst()
  if (!row) return undefined
  const classes = await db
    .selectFrom('service_classes')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('class_id')
    .execute()
  return { ...toView('services', row), classes: classes.map((c) => toView('service_classes', c)) }
}
