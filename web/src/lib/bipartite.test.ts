import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { countCrossings, type GraphInput, layoutBipartite } from './bipartite.ts'

describe('bipartite layout', () => {
  test('orders both columns to uncross a crossed graph', () => {
    // drawn in input order, o1→s3, o2→s2, o3→s1 cross pairwise (3 crossings)
    const g: GraphInput = {
      operators: ['o1', 'o2', 'o3'].map((id) => ({ id, weight: 1 })),
      services: ['s1', 's2', 's3'].map((id) => ({ id, weight: 1 })),
      edges: [
        { operator: 'o1', service: 's3', weight: 1 },
        { operator: 'o2', service: 's2', weight: 1 },
        { operator: 'o3', service: 's1', weight: 1 },
      ],
    }
    const naive = layoutBipartite(g, { width: 600, sweeps: 0 })
    assert.equal(countCrossings(naive, g.edges), 3)
    const laid = layoutBipartite(g, { width: 600 })
    assert.equal(countCrossings(laid, g.edges), 0)
  })
  test('every node is placed inside the drawing, bigger stake drawn bigger', () => {
    const g: GraphInput = {
      operators: [
        { id: 'a', weight: 100 },
        { id: 'b', weight: 1 },
      ],
      services: [{ id: 's', weight: 50 }],
      edges: [
        { operator: 'a', service: 's', weight: 1 },
        { operator: 'b', service: 's', weight: 1 },
      ],
    }
    const l = layoutBipartite(g, { width: 400 })
    assert.equal(l.nodes.length, 3)
    for (const n of l.nodes) {
      assert.ok(n.x - n.r >= 0 && n.x + n.r <= l.width, `${n.id} fits horizontally`)
      assert.ok(n.y - n.r >= 0 && n.y + n.r <= l.height, `${n.id} fits vertically`)
    }
    const r = (id: string) => l.nodes.find((n) => n.id === id)!.r
    assert.ok(r('a') > r('b'))
  })
  test('an empty network lays out to an empty drawing', () => {
    const l = layoutBipartite({ operators: [], services: [], edges: [] }, { width: 300 })
    assert.equal(l.nodes.length, 0)
  })
})
