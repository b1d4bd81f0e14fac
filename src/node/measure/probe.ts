/** One HTTP health probe: a GET that must answer 2xx within the timeout; latency measured to the response head. */
export type ProbeResult = { ok: boolean; latencyMs: number; status?: number; error?: string }

export async function probeOnce(url: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now()
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' })
    const latencyMs = Math.round(performance.now() - started)
    // drain the body so the connection goes back to the pool for the next probe
    await response.arrayBuffer().catch(() => undefined)
    const ok = response.status >= 200 && response.status < 300
    return ok
      ? { ok, latencyMs, status: response.status }
      : { ok, latencyMs, status: response.status, error: `HTTP ${response.status}` }
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started)
    const name = (error as Error).name
    return {
      ok: false,
      latencyMs,
      error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : (error as Error).message,
    }
  }
}
