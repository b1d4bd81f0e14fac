import { group } from '../lib/group.ts'

export const command = group(
  'attester',
  "a service's attester committee: join with a bond, add bond, exit, list",
  {
    join: () => import('./attester/join.ts'),
    bond: () => import('./attester/bond.ts'),
    exit: () => import('./attester/exit.ts'),
    list: () => import('./attester/list.ts'),
  },
)
