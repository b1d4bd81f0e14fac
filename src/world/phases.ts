/**
 * How long each phase of the devnet's start took, from the moment the process was launched (node and the CLI's
 * modules loading count as the first phase, `load`), so the ready line says where the seconds went:
 * `ready in 11.8 s — load 1.1 · chain 0.4 · deploy 0.6 · seed 2.9 · endpoints 0.3 · nodes+api 5.2 · history 0.1`.
 */
export type PhaseClock = {
  /** Ends the phase running (if any) and starts `name`. */
  start: (name: string) => void
  /** Ends the phase running; the durations so far, in milliseconds, in order, and the total since launch. */
  finish: () => { phases: Record<string, number>; totalMs: number }
}

/** `now` is milliseconds since the process was launched (performance.now() counts from there). */
export function createPhaseClock(now: () => number = () => performance.now()): PhaseClock {
  const phases: Record<string, number> = {}
  let current = 'load'
  let since = 0
  const end = () => {
    const t = now()
    phases[current] = Math.round((phases[current] ?? 0) + t - since)
    since = t
  }
  return {
    start: (name) => {
      end()
      current = name
    },
    finish: () => {
      end()
      current = 'after-ready'
      return { phases: { ...phases }, totalMs: Math.round(since) }
    },
  }
}

/** `ready in 11.8 s — load 1.1 · chain 0.4 · …` */
export function formatPhases(timing: { phases: Record<string, number>; totalMs: number }): string {
  const parts = Object.entries(timing.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`)
  return `ready in ${(timing.totalMs / 1000).toFixed(1)} s — ${parts.join(' · ')}`
}
