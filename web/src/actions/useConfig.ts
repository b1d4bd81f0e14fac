import { useApi } from '../lib/hooks.ts'
import type { DashboardConfig } from '../api/types.ts'

export const useConfig = () => useApi<DashboardConfig>('/v1/dashboard/config', { live: false })
