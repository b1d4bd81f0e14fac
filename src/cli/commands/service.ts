import { group } from '../lib/group.ts'

export const command = group(
  'service',
  'services (markets): create one from a spec file, show, list, change its terms',
  {
    create: () => import('./service/create.ts'),
    list: () => import('./service/list.ts'),
    show: () => import('./service/show.ts'),
    change: () => import('./service/change.ts'),
  },
)
