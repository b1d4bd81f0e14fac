/** Where a slash stands and what can happen to it next, against the chain's clock. */
import type { SlashView } from '../../../sdk/readSlash.ts'
import { when } from '../../lib/time.ts'

export function nextStep(s: Pick<SlashView, 'status' | 'disputeEnd' | 'resolveBy'>, now: bigint): string {
  switch (s.status) {
    case 'Pending':
      return s.disputeEnd > now
        ? `the operator may dispute until ${when(s.disputeEnd, now)}; executable after that`
        : `dispute window closed ${when(s.disputeEnd, now)}: anyone may execute it`
    case 'Disputed':
      return s.resolveBy > now
        ? `the resolver rules by ${when(s.resolveBy, now)}; after that anyone may lapse it`
        : `the resolver missed its deadline (${when(s.resolveBy, now)}): anyone may lapse it`
    case 'Upheld':
      return 'upheld: anyone may execute it'
    case 'Executed':
      return 'executed'
    case 'Overturned':
      return 'overturned: the signing attesters lost bond'
    case 'Lapsed':
      return 'lapsed: cancelled because the resolver did not rule in time'
    default:
      return s.status.toLowerCase()
  }
}
