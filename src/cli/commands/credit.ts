import { group } from '../lib/group.ts'

export const command = group(
  'credit',
  'slash payouts and bonds a token refused to push, credited in a vault or the court instead',
  {
    show: () => import('./credit/show.ts'),
    withdraw: () => import('./credit/withdraw.ts'),
  },
)
