/**
 * The names the deployment manifest gives services and their violation classes (`labels`): the chain holds ids
 * only, and "#2, class 1" tells a person less than "#2 cold-chain, lateness". Read from the manifest the CLI
 * already loaded, so a line reads the same whether its figures came from the API or the chain.
 */
import type { Deployment } from '../../chain/deployment.ts'

type Labelled = { deployment: Pick<Deployment, 'labels'> }

/** The service's name, or undefined when the manifest gives none. */
export function serviceName(ctx: Labelled, serviceId: bigint | number | string): string | undefined {
  return ctx.deployment.labels?.services[String(serviceId)]?.name
}

/** `#2 cold-chain`, or `#2` without a name. */
export function serviceRef(ctx: Labelled, serviceId: bigint | number | string): string {
  const name = serviceName(ctx, serviceId)
  return name ? `#${serviceId} ${name}` : `#${serviceId}`
}

/** `1 (lateness)`, or `1` without a name. */
export function classRef(ctx: Labelled, serviceId: bigint | number | string, classId: number): string {
  const name = ctx.deployment.labels?.services[String(serviceId)]?.classes?.[classId]
  return name ? `${classId} (${name})` : String(classId)
}
