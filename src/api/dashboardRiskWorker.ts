/**
 * The worker thread that computes the dashboard's risk answer (dashboardRiskThread.ts starts it): the solver, the
 * cascades and the simulation take from a second to many on a loaded machine, and on the API's own thread they
 * stalled every request and the live stream for that long. One message in, one out: `{ id, input, options }` →
 * `{ id, value }` or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads'
import type { RiskInput } from '../risk/input.ts'
import { buildDashboardRisk, type DashboardRiskOptions } from './dashboardRisk.ts'

export type RiskJob = {
  id: number
  input: RiskInput
  options: Pick<DashboardRiskOptions, 'timeLimitSeconds' | 'simulation'>
}
export type RiskJobResult = { id: number; value: unknown } | { id: number; error: string }

parentPort?.on('message', async (job: RiskJob) => {
  let reply: RiskJobResult
  try {
    reply = { id: job.id, value: await buildDashboardRisk(job.input, job.options) }
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) }
  }
  parentPort?.postMessage(reply)
})
