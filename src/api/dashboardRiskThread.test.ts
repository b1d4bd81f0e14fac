import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { buildDashboardRisk } from './dashboardRisk.ts'
import { createRiskThread } from './dashboardRiskThread.ts'

const options = { simulation: { epochs: 24 * 5, runs: 2 } }
const input = {
  operators: [
    { id: 'a', stake: '100' },
    { id: 'b', stake: '50' },
  ],
  services: [{ id: 's', profit: '200', threshold: 0.5, operators: ['a', 'b'] }],
}

describe('the dashboard risk on its own thread', () => {
  const thread = createRiskThread()
  after(() => thread.close())

  test('answers exactly what the same computation on this thread answers', async () => {
    const [there, here] = await Promise.all([
      thread.compute(input, options),
      buildDashboardRisk(input, options),
    ])
    assert.deepEqual(there, here)
    assert.equal(there.analysis.attack?.netProfit, '100')
  })

  test('a bad input fails its own job with the reason, and the next job is answered', async () => {
    await assert.rejects(
      thread.compute({ ...input, services: [{ ...input.services[0]!, operators: ['nobody'] }] }, options),
      (e: Error) => /risk computation failed/.test(e.message) && /nobody/.test(e.message),
    )
    const again = await thread.compute(input, options)
    assert.equal(again.analysis.secure, false)
  })

  test('jobs sent together are answered each with its own result', async () => {
    const secure = {
      operators: [
        { id: 'small', stake: 0.1 },
        { id: 'large', stake: 0.9 },
      ],
      services: [{ id: 's', profit: 1, threshold: 1, operators: ['small', 'large'] }],
    }
    const [x, y] = await Promise.all([thread.compute(input, options), thread.compute(secure, options)])
    assert.equal(x.analysis.secure, false)
    assert.equal(y.analysis.secure, true)
  })

  test('after close, a job starts a new worker', async () => {
    const other = createRiskThread()
    await other.compute(input, options)
    await other.close()
    const value = await other.compute(input, options)
    assert.equal(value.analysis.attack?.netProfit, '100')
    await other.close()
  })
})
