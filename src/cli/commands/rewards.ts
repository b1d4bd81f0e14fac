import { group } from '../lib/group.ts'

export const command = group(
  'rewards',
  "services' reward streams: show what is claimable, claim it into a vault, fund a subsidy",
  {
    show: () => import('./rewards/show.ts'),
    claim: () => import('./rewards/claim.ts'),
    fund: () => import('./rewards/fund.ts'),
  },
)
