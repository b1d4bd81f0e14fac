/**
 * Drivers for searches written as generators that pause (yield) between slices of their work (cascadeCoupled.ts,
 * cascadeCoupledBranch.ts): run to the end at once, or in slices with a macrotask (setImmediate) awaited between
 * them, so a caller's event loop (the solver thread's messages and give-up timer) runs in between.
 */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

export async function runSlices<T>(steps: Generator<void, T, void>): Promise<T> {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}
