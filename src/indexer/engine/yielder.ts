/**
 * A function to await in a long synchronous-in-effect loop (better-sqlite3 behind an async API): it returns to the
 * event loop once `everyMs` passed since it last did, so pending I/O (the next range being read) moves on.
 * Otherwise it costs one clock read.
 */
export function yielder(everyMs: number): () => Promise<void> | undefined {
  let last = performance.now()
  return () => {
    const now = performance.now()
    if (now - last < everyMs) return undefined
    last = now
    return new Promise((resolve) => setImmediate(resolve)).then(() => {
      last = performance.now()
    })
  }
}
