/**
 * Fail points: named places where a test can make the node die at once (SIGKILL, exactly what `kill -9` does), to
 * prove that every durable step resumes without losing or repeating work. Enabled only by the
 * SURETY_NODE_FAILPOINTS environment variable — comma-separated names, each optionally `@n` to fire on the n-th
 * time the point is reached (default the first); a production node never sets it.
 */
const armed = new Map<string, number>()
for (const item of (process.env.SURETY_NODE_FAILPOINTS ?? '').split(',')) {
  const [name, nth] = item.trim().split('@')
  if (name) armed.set(name, Number(nth ?? 1))
}

export function failpoint(name: string): void {
  const left = armed.get(name)
  if (left === undefined) return
  if (left > 1) {
    armed.set(name, left - 1)
    return
  }
  process.stderr.write(`failpoint ${name}: killing the node\n`)
  process.kill(process.pid, 'SIGKILL')
}
