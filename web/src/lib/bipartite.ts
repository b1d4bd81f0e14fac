/**
 * Layout of the operator–service graph: operators in the left column, services in the right, each column
 * ordered by the barycentre of its neighbours (a few sweeps of the Sugiyama heuristic), which removes most edge
 * crossings of a two-layer graph. Deterministic — the same network draws the same picture on every reload —
 * and a few dozen lines, where a general force layout would jitter and weigh far more.
 */
export type GraphInput = {
  operators: { id: string; weight: number }[]
  services: { id: string; weight: number }[]
  edges: { operator: string; service: string; weight: number }[]
}

export type PlacedNode = { id: string; x: number; y: number; r: number; side: 'operator' | 'service' }
export type Layout = { nodes: PlacedNode[]; width: number; height: number }

export function layoutBipartite(
  g: GraphInput,
  opts: { width: number; rowHeight?: number; sweeps?: number },
): Layout {
  const rowHeight = opts.rowHeight ?? 64
  let left = g.operators.map((o) => o.id)
  let right = g.services.map((s) => s.id)
  const neighbours = (id: string, side: 'operator' | 'service') =>
    g.edges
      .filter((e) => (side === 'operator' ? e.operator === id : e.service === id))
      .map((e) => (side === 'operator' ? e.service : e.operator))
  const order = (ids: string[], side: 'operator' | 'service', other: string[]) => {
    const pos = new Map(other.map((id, i) => [id, i]))
    const centre = (id: string) => {
      const ns = neighbours(id, side)
        .map((n) => pos.get(n))
        .filter((p): p is number => p !== undefined)
      return ns.length === 0 ? Number.POSITIVE_INFINITY : ns.reduce((a, b) => a + b, 0) / ns.length
    }
    // stable: ties keep their current order, unconnected nodes go last
    return ids
      .map((id, i) => ({ id, i, c: centre(id) }))
      .sort((a, b) => a.c - b.c || a.i - b.i)
      .map((x) => x.id)
  }
  for (let s = 0; s < (opts.sweeps ?? 4); s++) {
    right = order(right, 'service', left)
    left = order(left, 'operator', right)
  }
  const rows = Math.max(left.length, right.length, 1)
  const height = rows * rowHeight + 40
  const maxWeight = Math.max(1, ...g.operators.map((o) => o.weight), ...g.services.map((s) => s.weight))
  const radius = (w: number) => 8 + 14 * Math.sqrt(Math.max(0, w) / maxWeight)
  const column = (ids: string[], side: 'operator' | 'service', x: number, weights: Map<string, number>) => {
    // a shorter column is centred against the longer one
    const offset = ((rows - ids.length) * rowHeight) / 2
    return ids.map((id, i) => ({
      id,
      side,
      x,
      y: 20 + offset + rowHeight * (i + 0.5),
      r: radius(weights.get(id) ?? 0),
    }))
  }
  // labels sit outside the columns (operators' to the left, services' to the right): leave them room
  const margin = Math.min(170, opts.width * 0.3)
  return {
    width: opts.width,
    height,
    nodes: [
      ...column(left, 'operator', margin, new Map(g.operators.map((o) => [o.id, o.weight]))),
      ...column(right, 'service', opts.width - margin, new Map(g.services.map((s) => [s.id, s.weight]))),
    ],
  }
}

/** Edge crossings of a two-layer layout (for tests and to compare orders). */
export function countCrossings(layout: Layout, edges: GraphInput['edges']): number {
  const y = new Map(layout.nodes.map((n) => [`${n.side}:${n.id}`, n.y]))
  const segs = edges.map((e) => [y.get(`operator:${e.operator}`)!, y.get(`service:${e.service}`)!] as const)
  let crossings = 0
  for (let i = 0; i < segs.length; i++)
    for (let j = i + 1; j < segs.length; j++) {
      const [a1, b1] = segs[i]!
      const [a2, b2] = segs[j]!
      if ((a1 - a2) * (b1 - b2) < 0) crossings++
    }
  return crossings
}
