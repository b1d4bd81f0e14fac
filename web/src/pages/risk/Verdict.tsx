/** The security verdict from the risk engine: secure, or the most profitable attack and what it would earn. */

import type { DashboardRisk } from '../../api/types.ts'
import { Link, VaultLink } from '../../components/Link.tsx'
import { Section } from '../../components/Stat.tsx'
import { Async } from '../../components/States.tsx'
import { useApi } from '../../lib/hooks.ts'
import { verdictProof } from './verdictProof.ts'

const n = (s: string) => Number(s).toLocaleString('en-US', { maximumFractionDigits: 2 })

export function Verdict({ compact }: { compact?: boolean }) {
  const risk = useApi<DashboardRisk>('/v1/dashboard/risk')
  return (
    <Section
      title="Security verdict"
      actions={compact ? <Link href="/risk">Risk details →</Link> : undefined}
    >
      <Async resource={risk} what="the risk analysis (the solver runs once per block)">
        {(r) => {
          const a = r.analysis
          if (a.secure === null)
            return (
              <p class="verdict unknown">
                UNKNOWN — the solver's time limit left the verdict open; no attack found, none ruled out.
              </p>
            )
          if (a.secure)
            return (
              <p class="verdict secure" data-verdict="secure">
                <strong>Secure.</strong> No coalition of operators can corrupt any set of services for more
                than the stake it would lose
                {verdictProof(a) ? ` (${verdictProof(a)})` : ''}.{' '}
                {a.slack !== null && a.slack < 0
                  ? 'The certified slack is negative: secure today, but fragile — see how far a failure cascades.'
                  : a.slack !== null
                    ? `Profit from corruption could grow by ${(a.slack * 100).toFixed(1)}% before that changes.`
                    : 'Nothing has a profit from corruption.'}
              </p>
            )
          const att = a.attack!
          return (
            <div class="verdict insecure" data-verdict="attack">
              <strong>Not secure.</strong> The most profitable attack: the operator
              {att.operators.length > 1 ? 's' : ''} of vault{att.operators.length > 1 ? 's' : ''}{' '}
              {att.operators.map((o, i) => (
                <span key={o}>
                  {i > 0 ? ', ' : ''}
                  {r.vaults[o] ? <VaultLink address={r.vaults[o]!} /> : o}
                </span>
              ))}{' '}
              could corrupt service{att.services.length > 1 ? 's' : ''}{' '}
              {att.services.map((s) => `#${s}`).join(', ')}, gaining {n(att.profit)} STK for {n(att.cost)} STK
              of stake lost: a net profit of <strong>{n(att.netProfit)} STK</strong>.
            </div>
          )
        }}
      </Async>
    </Section>
  )
}
