/**
 * The rows of "the cheapest coalition for A after a shock within Ψ", shared by the cascade probes
 * (cascLargeProbe.ts, cascDropProbe.ts): x_v in the coalition, d_v shocked (never both); each attacked service
 * held by the coalition's stake plus α times the shocked stake (a shocked member's stake leaves the service's
 * total, so the threshold falls by α of it); the shock's stake at most Ψ.
 */
import type { MipBuilder } from '../src/risk/mip.ts'
import { type Network, serviceStake } from '../src/risk/network.ts'

export function addShockCoverRows(
  b: MipBuilder,
  n: Network,
  A: readonly number[],
  x: number[],
  d: number[],
  psi: number,
): void {
  const alpha = (si: number) => Number(n.services[si]?.threshold.num) / Number(n.services[si]?.threshold.den)
  n.operators.forEach((_, v) => {
    b.addRow(
      [
        [x[v] as number, 1],
        [d[v] as number, 1],
      ],
      Number.NEGATIVE_INFINITY,
      1,
    )
  })
  for (const si of A) {
    const s = n.services[si]!
    const row: [number, number][] = []
    s.members.forEach((v, k) => {
      row.push(
        [x[v] as number, Number(s.memberStake[k])],
        [d[v] as number, alpha(si) * Number(s.memberStake[k])],
      )
    })
    b.addRow(row, alpha(si) * Number(serviceStake(s)), Number.POSITIVE_INFINITY)
  }
  b.addRow(
    n.operators.map((o, v) => [d[v] as number, Number(o.stake)] as [number, number]),
    Number.NEGATIVE_INFINITY,
    psi,
  )
}
