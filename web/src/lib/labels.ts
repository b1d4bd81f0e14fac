/**
 * The names the deployment gives services and their violation classes (/v1/dashboard/config `labels`): the chain
 * holds ids only. Loaded once per page and shared by every link and table that names a service or a class; until
 * it arrives (or when the deployment names nothing) they show the bare ids.
 */
import { useEffect, useState } from 'preact/hooks'
import type { DashboardConfig } from '../api/types.ts'
import { getJson } from './api.ts'

type Labels = DashboardConfig['labels']

let loaded: Labels | undefined
let loading: Promise<Labels> | undefined

function load(): Promise<Labels> {
  loading ??= getJson<DashboardConfig>('/v1/dashboard/config').then(
    (c) => (loaded = c.labels ?? { services: {} }),
    () => {
      loading = undefined // tried again by the next component that asks
      return { services: {} }
    },
  )
  return loading
}

export function useLabels(): Labels | undefined {
  const [labels, setLabels] = useState(loaded)
  useEffect(() => {
    if (!labels) void load().then(setLabels)
  }, [labels])
  return labels
}

/** A service's name, if the deployment gives one. */
export const serviceNameOf = (labels: Labels | undefined, serviceId: string): string | undefined =>
  labels?.services[serviceId]?.name

/** A class's name on a service, if the deployment gives one. */
export const classNameOf = (
  labels: Labels | undefined,
  serviceId: string,
  classId: number,
): string | undefined => labels?.services[serviceId]?.classes?.[classId]
