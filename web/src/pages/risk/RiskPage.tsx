/** Risk: whether the network can be corrupted for profit, how far one failure spreads, and what simulation shows. */

import type { DashboardRisk } from '../../api/types.ts'
import { LineChart } from '../../components/LineChart.tsx'
import { RiskGraph } from '../../components/RiskGraph.tsx'
import { Section, Stat } from '../../components/Stat.tsx'
import { Async } from '../../components/States.tsx'
import { formatPercent } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { Verdict } from './Verdict.tsx'

const fmt = (s: string) => Number(s).toLocaleString('en-US', { maximumFractionDigits: 2 })

export default function RiskPage() {
  const risk = useApi<DashboardRisk>('/v1/dashboard/risk')
  return (
    <>
      <h1>Risk</h1>
      <Verdict />
      <Async resource={risk} what="the risk analysis">
        {(r) => {
          const a = r.analysis
          const sim = r.simulation
          return (
            <>
              <div class="stats" data-testid="risk-stats">
                <Stat
                  label="Certified slack γ"
                  tone={a.slack !== null && a.slack < 0 ? 'bad' : 'good'}
                  note={
                    a.slack === null
                      ? 'nothing has a profit from corruption'
                      : a.slack < 0
                        ? 'the sufficient condition fails: look at the cascade'
                        : 'profit could grow this much and stay secure'
                  }
                >
                  {a.slack === null ? 'unbounded' : a.slack.toFixed(3)}
                </Stat>
                <Stat label="Cascade bound at ψ = 10%" note="worst loss (1 + 1/γ)·ψ, when γ > 0">
                  {(() => {
                    const c = r.cascade.find((x) => Math.abs(x.psi - 0.1) < 1e-9)
                    return c?.bound != null ? formatPercent(c.bound) : 'none (γ ≤ 0)'
                  })()}
                </Stat>
                <Stat
                  label="Nakamoto coefficient"
                  note="fewest operators holding 1/3 · 1/2 · 2/3 of the stake"
                >
                  {a.nakamoto.third} · {a.nakamoto.half} · {a.nakamoto.twoThirds}
                </Stat>
                <Stat label="Total stake" note={`as of block ${r.block}`}>
                  {fmt(a.totalStake)} STK
                </Stat>
              </div>
              <Section title="Who secures what">
                <p class="muted small">
                  Edges are allocations (thicker: more stake).{' '}
                  {a.attack ? 'In red: the most profitable attack.' : 'No profitable attack exists.'}
                </p>
                <p class="muted small scroll-hint">Scroll sideways for the services.</p>
                <div class="graph-wrap">
                  <RiskGraph risk={r} />
                </div>
              </Section>
              <Section title="Concentration and leverage by service">
                <table class="table" data-testid="risk-services">
                  <thead>
                    <tr>
                      <th>Service</th>
                      <th>Value secured</th>
                      <th>Stake securing it</th>
                      <th>Leverage</th>
                      <th>Nakamoto 1/3 · 1/2 · 2/3</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.services.map((s) => (
                      <tr key={s.id}>
                        <td>#{s.id}</td>
                        <td>{fmt(s.profit)} STK</td>
                        <td>{fmt(s.allocatedStake)} STK</td>
                        <td class={s.leverage !== null && s.leverage > 0.5 ? 'bad' : ''}>
                          {s.leverage === null ? 'unsecured' : `${s.leverage.toFixed(2)}×`}
                        </td>
                        <td>
                          {s.nakamoto.third} · {s.nakamoto.half} · {s.nakamoto.twoThirds}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Section>
              <div class="grid two">
                <Section title="Cascade: worst loss after a shock">
                  <LineChart
                    title="Share of all stake lost (R_ψ) against shock size ψ"
                    time={false}
                    xLabel="shock ψ (% of stake removed)"
                    x={r.cascade.map((c) => c.psi * 100)}
                    series={[
                      {
                        label: 'worst loss R_ψ',
                        unit: '%',
                        values: r.cascade.map((c) => c.worstLoss * 100),
                        color: '#c0392b',
                      },
                      {
                        label: 'shock budget ψ',
                        unit: '%',
                        values: r.cascade.map((c) => c.psi * 100),
                        color: '#888',
                      },
                    ]}
                  />
                  <p class="muted small">
                    A shock removes whole operators, up to the budget ψ: where no set of operators fits it,
                    less is lost (below the smallest operator's stake, nothing).
                  </p>
                </Section>
                <Section title={`Simulation: ${sim.days.length} days, ${sim.runs} runs`}>
                  <LineChart
                    title="Total stake (median, 5th and 95th percentile)"
                    time={false}
                    xLabel="day"
                    x={sim.days}
                    series={[
                      { label: 'p5', values: sim.stake.p5, color: '#e59866' },
                      { label: 'median', values: sim.stake.p50, color: '#2f6fdd' },
                      { label: 'p95', values: sim.stake.p95, color: '#76d7c4' },
                    ]}
                  />
                  <LineChart
                    title="Slashed per day and client losses (95th percentile)"
                    time={false}
                    xLabel="day"
                    x={sim.days}
                    series={[
                      { label: 'slashed p95', values: sim.slashed.p95, color: '#c0392b' },
                      { label: 'client losses p95', values: sim.clientLosses.p95, color: '#8e44ad' },
                    ]}
                  />
                  <p class="muted small">
                    The simulator (src/risk/sim) run on this network's operators and stakes with its default
                    failure, order and price-shock rates; see docs/risk.md.
                  </p>
                </Section>
              </div>
            </>
          )
        }}
      </Async>
    </>
  )
}
