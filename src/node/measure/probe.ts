import { readBounded } from './boundedBody.ts'

/** One HTTP health probe: a GET that must answer 2xx within the timeout; latency measured to the response head. */
export type ProbeResult = {
  ok: boolean
  latencyMs: number
  status?: number
  error?: string
  /** The failure is this node's own (out of descriptors, no DNS, no route): no evidence about the operator. */
  local?: boolean
}

/**
 * Errors that say this node cannot reach anything, not that the operator is down: descriptors or buffers
 * exhausted, its resolver failing temporarily (EAI_AGAIN; ENOTFOUND is the operator's name not existing, which is
 * the operator's fault), no route or source address on this side.
 */
export const LOCAL_ERROR_CODES = new Set([
  'EMFILE',
  'ENFILE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOBUFS',
  'ENOMEM',
  'ENETDOWN',
])

/** The system error code of a failed fetch (undici puts it on the cause), if any. */
export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

/** A health answer needs no more than this: a larger body is a failed probe, and is not read past the cap. */
export const DEFAULT_PROBE_MAX_BODY_BYTES = 64 * 1024

export async function probeOnce(
  url: string,
  timeoutMs: number,
  maxBodyBytes = DEFAULT_PROBE_MAX_BODY_BYTES,
): Promise<ProbeResult> {
  const started = performance.now()
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
      // nothing to gain from compression on a health answer, and a compressed one is what a gzip bomb needs
      headers: { 'accept-encoding': 'identity' },
    })
    const latencyMs = Math.round(performance.now() - started)
    // drain the body (bounded) so the connection goes back to the pool for the next probe
    const body = await readBounded(response, maxBodyBytes)
    if (!body.ok) return { ok: false, latencyMs, status: response.status, error: body.reason }
    const ok = response.status >= 200 && response.status < 300
    return ok
      ? { ok, latencyMs, status: response.status }
      : { ok, latencyMs, status: response.status, error: `HTTP ${response.status}` }
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started)
    const name = (error as Error).name
    const code = errorCode(error)
    if (code && LOCAL_ERROR_CODES.has(code)) return { ok: false, latencyMs, error: code, local: true }
    return {
      ok: false,
      latencyMs,
      error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : (error as Error).message,
    }
  }
}
