import { group } from '../lib/group.ts'

export const command = group(
  'vault',
  'operator vaults: create and run one (bond, terms), deposit into one, withdraw and claim as a staker',
  {
    create: () => import('./vault/create.ts'),
    list: () => import('./vault/list.ts'),
    show: () => import('./vault/show.ts'),
    deposit: () => import('./vault/deposit.ts'),
    withdraw: () => import('./vault/withdraw.ts'),
    claim: () => import('./vault/claim.ts'),
    'bond add': () => import('./vault/bondAdd.ts'),
    'bond withdraw': () => import('./vault/bondWithdraw.ts'),
    terms: () => import('./vault/terms.ts'),
  },
)
