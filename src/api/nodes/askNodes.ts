/**
 * Asks every configured attester node the same read (node http/readRoutes.ts) at once. Each answer is kept with
 * the node's URL; a node that does not answer in time, answers an error or answers too much is reported with
 * why, never thrown: one node down must not hide what the others hold.
 */

export type NodeAnswer<T> =
  | { url: string; ok: true; body: T }
  | { url: string; ok: false; status: 'unreachable' | 'error'; error: string }

export type AskOptions = { timeoutMs?: number; maxBytes?: number }

const DEFAULT_TIMEOUT_MS = 2_000
/** A page of 2,000 readings is ~1 MB of JSON; more than this is not an honest node's answer. */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024

async function askOne<T>(url: string, path: string, o: Required<AskOptions>): Promise<NodeAnswer<T>> {
  let response: Response
  try {
    response = await fetch(`${url.replace(/\/$/, '')}${path}`, { signal: AbortSignal.timeout(o.timeoutMs) })
  } catch (error) {
    const e = error as Error
    const why = e.name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (e.cause as Error)?.message
    return { url, ok: false, status: 'unreachable', error: why ?? e.message }
  }
  const declared = Number(response.headers.get('content-length') ?? 0)
  if (declared > o.maxBytes) {
    await response.body?.cancel()
    return { url, ok: false, status: 'error', error: `answer larger than ${o.maxBytes} bytes` }
  }
  let text: string
  try {
    text = await response.text()
  } catch (error) {
    return { url, ok: false, status: 'unreachable', error: (error as Error).message }
  }
  if (text.length > o.maxBytes)
    return { url, ok: false, status: 'error', error: `answer larger than ${o.maxBytes} bytes` }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { url, ok: false, status: 'error', error: `HTTP ${response.status}, not JSON` }
  }
  if (!response.ok) {
    const message = (body as { error?: unknown })?.error
    return {
      url,
      ok: false,
      status: 'error',
      error: `HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`,
    }
  }
  return { url, ok: true, body: body as T }
}

export function askNodes<T>(urls: readonly string[], path: string, options: AskOptions = {}) {
  const o = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
  }
  return Promise.all(urls.map((url) => askOne<T>(url, path, o)))
}
