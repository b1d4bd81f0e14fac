/**
 * Independent parts of a network: services linked by a shared operator fall in one
 * component. An attack's profit, cost and thresholds add up over components — an operator's cost counts only
 * its own services, which all sit in its component — so the most profitable attack is the union of each
 * component's most profitable attack (or none), and each component is solved (or certified secure by its own γ)
 * on its own.
 */
import type { Network } from './network.ts'
import type { Attack } from './verify.ts'

export type Component = {
  /** The component as a network of its own. */
  network: Network
  /** Index in the whole network of each of its services and operators. */
  services: number[]
  operators: number[]
}

export function components(n: Network): Component[] {
  // Union–find over services; an operator joins the services it is listed on.
  const parent = n.services.map((_, i) => i)
  const find = (i: number): number => {
    let r = i
    while (parent[r] !== r) r = parent[r] as number
    while (parent[i] !== r) {
      const next = parent[i] as number
      parent[i] = r
      i = next
    }
    return r
  }
  const firstService = new Map<number, number>()
  n.services.forEach((s, si) => {
    for (const v of s.members) {
      const other = firstService.get(v)
      if (other === undefined) firstService.set(v, si)
      else parent[find(si)] = find(other)
    }
  })
  const groups = new Map<number, number[]>()
  n.services.forEach((_, si) => {
    const r = find(si)
    const g = groups.get(r)
    if (g) g.push(si)
    else groups.set(r, [si])
  })
  return [...groups.values()].map((services) => {
    const operators = [...new Set(services.flatMap((si) => n.services[si]?.members ?? []))].sort(
      (a, b) => a - b,
    )
    const local = new Map(operators.map((v, i) => [v, i]))
    return {
      services,
      operators,
      network: {
        scale: n.scale,
        hasAllocations: n.hasAllocations,
        operators: operators.map((v) => n.operators[v] as Network['operators'][number]),
        services: services.map((si) => {
          const s = n.services[si] as Network['services'][number]
          return { ...s, members: s.members.map((v) => local.get(v) as number) }
        }),
      },
    }
  })
}

/** An attack on a component, in the whole network's indices. */
export const liftAttack = (c: Component, a: Attack): Attack => ({
  services: a.services.map((s) => c.services[s] as number),
  operators: a.operators.map((v) => c.operators[v] as number),
})
