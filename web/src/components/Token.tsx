/** An amount in token units, with the exact base units on hover. */
import type { Amount } from '../lib/api.ts'
import { formatCompactUnits, formatUnits } from '../lib/format.ts'

export const STAKE_SYMBOL = 'STK'

export function Tokens({
  amount,
  symbol = STAKE_SYMBOL,
  compact,
}: {
  amount: Amount | undefined | null
  symbol?: string
  compact?: boolean
}) {
  if (!amount) return <span class="muted">—</span>
  return (
    <span class="amount" title={`${amount.units} ${symbol} (${amount.base} base units)`}>
      {compact ? formatCompactUnits(amount.base) : formatUnits(amount.base)}{' '}
      <span class="unit">{symbol}</span>
    </span>
  )
}
