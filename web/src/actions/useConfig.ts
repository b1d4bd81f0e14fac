import type { DashboardConfig } from '../api/types.ts'
import { useApi } from '../lib/hooks.ts'

export const useConfig = () => useApi<DashboardConfig>('/v1/dashboard/config', { live: false })
