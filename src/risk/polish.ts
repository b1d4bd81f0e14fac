/**
 * Improves the heuristic's coalition for a fixed set of attacked services A (heuristic.ts): reverse deletion
 * leaves a minimal cover, but often not a cheap one. Two moves, repeated while either lowers the cost:
 *  - drop an operator every attacked service can do without;
 *  - swap an operator for a cheaper one outside the coalition that makes up every shortfall its leaving opens.
 * Floats, like the rest of the heuristic: the result is only used after the exact (bigint) check.
 */
import { operatorCost, type Prepared } from './heuristic.ts'

export function polishCoalition(
  p: Prepared,
  inA: Uint8Array,
  operators: readonly number[],
): { operators: number[]; cost: number } {
  const held = new Float64Array(p.profit.length)
  const inB = new Uint8Array(p.stake.length)
  const cost = new Float64Array(p.stake.length)
  const stakeOn = (v: number, s: number): number => {
    for (const e of p.byOp[v] ?? []) if (e.service === s) return e.stake
    return 0
  }
  for (const v of operators) {
    inB[v] = 1
    cost[v] = operatorCost(p, v, inA)
    for (const e of p.byOp[v] ?? []) if (inA[e.service]) held[e.service] = (held[e.service] ?? 0) + e.stake
  }
  const move = (v: number, sign: 1 | -1) => {
    inB[v] = sign > 0 ? 1 : 0
    for (const e of p.byOp[v] ?? [])
      if (inA[e.service]) held[e.service] = (held[e.service] ?? 0) + sign * e.stake
  }
  let members = [...operators]
  for (let pass = 0, improved = true; improved && pass < 20; pass++) {
    improved = false
    members.sort((a, b) => (cost[b] ?? 0) - (cost[a] ?? 0))
    for (const v of members) {
      if (!inB[v]) continue
      // What each attacked service of v would lack without it.
      const short: [number, number][] = []
      for (const e of p.byOp[v] ?? []) {
        const s = e.service
        const lack = (p.need[s] ?? 0) - ((held[s] ?? 0) - e.stake)
        if (inA[s] && lack > 0) short.push([s, lack])
      }
      const cv = cost[v] ?? 0
      if (short.length === 0) {
        if (cv > 0) {
          move(v, -1)
          improved = true
        }
        continue
      }
      // A replacement must sit in every short service; look among the members of the first one.
      let best = -1
      let bestCost = cv
      for (const u of p.members[(short[0] as [number, number])[0]] ?? []) {
        if (inB[u]) continue
        const cu = operatorCost(p, u, inA)
        if (cu >= bestCost - 1e-12) continue
        if (short.every(([s, lack]) => stakeOn(u, s) >= lack)) {
          best = u
          bestCost = cu
        }
      }
      if (best >= 0) {
        move(v, -1)
        move(best, 1)
        cost[best] = bestCost
        members.push(best)
        improved = true
      }
    }
    members = members.filter((v) => inB[v])
  }
  const out = members.filter((v) => inB[v]).sort((a, b) => a - b)
  return { operators: out, cost: out.reduce((a, v) => a + (cost[v] ?? 0), 0) }
}
