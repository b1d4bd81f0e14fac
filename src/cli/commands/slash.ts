import { group } from '../lib/group.ts'

export const command = group(
  'slash',
  'slashes: sign and submit an attester report, list and show, dispute, resolve, execute, lapse',
  {
    report: () => import('./slash/report.ts'),
    list: () => import('./slash/list.ts'),
    show: () => import('./slash/show.ts'),
    dispute: () => import('./slash/dispute.ts'),
    resolve: () => import('./slash/resolve.ts'),
    execute: () => import('./slash/execute.ts'),
    lapse: () => import('./slash/lapse.ts'),
  },
)
