/**
 * Periodic duties: each runs on its own timer, never overlapping itself, and a failing run is logged and
 * counted, never fatal — the next run tries again (every duty is idempotent against the store and the chain).
 */
import { errorFields, type Logger } from './log.ts'
import type { NodeMetrics } from './nodeMetrics.ts'

export type Loop = { stop: () => Promise<void>; runNow: () => Promise<void> }

export function every(
  name: string,
  intervalMs: number,
  fn: () => Promise<unknown>,
  deps: { log: Logger; metrics: NodeMetrics },
): Loop {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const run = (): Promise<void> => {
    if (running) return running
    running = (async () => {
      try {
        await fn()
      } catch (error) {
        deps.metrics.loopErrors.inc({ duty: name })
        deps.log.error(`${name} failed`, errorFields(error))
      }
    })().finally(() => {
      running = undefined
    })
    return running
  }
  const arm = () => {
    if (stopped) return
    timer = setTimeout(async () => {
      await run()
      arm()
    }, intervalMs)
  }
  arm()
  return {
    runNow: run,
    stop: async () => {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
