/**
 * The operator–service graph: operators left, services right, an edge per allocation (thicker for more stake),
 * the most profitable attack's operators, services and edges in red when one exists.
 */
import { useMemo } from 'preact/hooks'
import type { DashboardRisk } from '../api/types.ts'
import { layoutBipartite } from '../lib/bipartite.ts'
import { shortAddress } from '../lib/format.ts'
import { serviceNameOf, useLabels } from '../lib/labels.ts'
import { navigate } from '../lib/router.ts'
import { useVaultNames } from '../lib/vaultNames.ts'

export function RiskGraph({ risk, width = 640 }: { risk: DashboardRisk; width?: number }) {
  const { graph, analysis, vaults } = risk
  const attack = analysis.attack
  const hotOps = new Set(attack?.operators ?? [])
  const hotSvc = new Set(attack?.services ?? [])
  // named as the overview names them ("Surety Staked gpu-1", "service #1 · gpu-inference"), the address while unknown
  const names = useVaultNames(Object.values(vaults))
  const labels = useLabels()
  const vaultLabel = (id: string) => {
    const address = vaults[id]
    const name = address ? names?.[address.toLowerCase()] : undefined
    return name ?? `vault ${shortAddress(address ?? id)}`
  }
  // (in the column headed "services": "#1 · gpu-inference" fits the margin bipartite.ts leaves, "service #1 · …" did not)
  const serviceLabel = (id: string) => {
    const name = serviceNameOf(labels, id)
    return name ? `#${id} · ${name}` : `service #${id}`
  }
  const layout = useMemo(
    () =>
      layoutBipartite(
        {
          operators: graph.operators.map((o) => ({ id: o.id, weight: Number(o.stake) })),
          services: graph.services.map((s) => ({ id: s.id, weight: Number(s.profit) })),
          edges: graph.edges.map((e) => ({
            operator: e.operator,
            service: e.service,
            weight: Number(e.stake),
          })),
        },
        { width },
      ),
    [graph, width],
  )
  const at = new Map(layout.nodes.map((n) => [`${n.side}:${n.id}`, n]))
  const maxEdge = Math.max(1, ...graph.edges.map((e) => Number(e.stake)))
  return (
    <svg
      class="risk-graph"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label="operators (left) and the services they secure (right)"
      data-testid="risk-graph"
    >
      <text
        x={layout.nodes.find((n) => n.side === 'operator')?.x ?? 0}
        y={14}
        text-anchor="middle"
        class="axis"
      >
        operators (stake)
      </text>
      <text
        x={layout.nodes.find((n) => n.side === 'service')?.x ?? width}
        y={14}
        text-anchor="middle"
        class="axis"
      >
        services (value)
      </text>
      {graph.edges.map((e) => {
        const a = at.get(`operator:${e.operator}`)
        const b = at.get(`service:${e.service}`)
        if (!a || !b) return null
        const hot = hotOps.has(e.operator) && hotSvc.has(e.service)
        return (
          <line
            key={`${e.operator}-${e.service}`}
            x1={a.x}
            y1={a.y}
            x2={b.x}
            y2={b.y}
            class={hot ? 'edge hot' : 'edge'}
            stroke-width={1 + 7 * (Number(e.stake) / maxEdge)}
          >
            <title>
              {vaultLabel(e.operator)} allocates {Number(e.stake).toLocaleString('en-US')} STK to service{' '}
              {serviceLabel(e.service).replace(/^service /, '')}
            </title>
          </line>
        )
      })}
      {layout.nodes.map((n) => {
        const hot = n.side === 'operator' ? hotOps.has(n.id) : hotSvc.has(n.id)
        const op = graph.operators.find((o) => o.id === n.id)
        const svc = graph.services.find((s) => s.id === n.id)
        // operators are named by their vault, as on every other page
        const label = n.side === 'operator' ? vaultLabel(n.id) : serviceLabel(n.id)
        const sub =
          n.side === 'operator'
            ? `${Number(op?.stake ?? 0).toLocaleString('en-US', { maximumFractionDigits: 0 })} STK`
            : `${Number(svc?.profit ?? 0).toLocaleString('en-US', { maximumFractionDigits: 0 })} STK`
        const href =
          n.side === 'operator'
            ? vaults[n.id]
              ? `/vaults/${vaults[n.id]!.toLowerCase()}`
              : null
            : `/services/${n.id}`
        return (
          <a
            key={`${n.side}:${n.id}`}
            href={href ?? undefined}
            class={`node ${n.side} ${hot ? 'hot' : ''}`}
            data-hot={hot ? 'true' : 'false'}
            onClick={(e) => {
              if (!href) return
              e.preventDefault()
              navigate(href)
            }}
          >
            <circle cx={n.x} cy={n.y} r={n.r} />
            <text
              x={n.side === 'operator' ? n.x - n.r - 6 : n.x + n.r + 6}
              y={n.y - 2}
              text-anchor={n.side === 'operator' ? 'end' : 'start'}
            >
              {label}
            </text>
            <text
              x={n.side === 'operator' ? n.x - n.r - 6 : n.x + n.r + 6}
              y={n.y + 13}
              text-anchor={n.side === 'operator' ? 'end' : 'start'}
              class="sub"
            >
              {sub}
            </text>
          </a>
        )
      })}
    </svg>
  )
}
