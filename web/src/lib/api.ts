/**
 * The one way the dashboard reads the API: JSON over fetch, typed by the caller, with the API's error body
 * (`{ error: { code, message } }`) turned into an ApiError whose message a page can show as it is.
 */
export type Amount = { base: string; units: string }
export type Time = { unix: number; iso: string }
export type BlockInfo = {
  number: number
  hash: string
  time: Time | null
  final: boolean
  finalNumber: number
}
export type Item<T> = { block: BlockInfo; data: T }
export type List<T> = { block: BlockInfo; data: T[]; page: { next: string | null; limit: number } }

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message)
  }
  /** The indexer has not caught up yet or the server is restarting: worth retrying by itself. */
  get retryable(): boolean {
    return this.status === 503 || this.status === 0 || this.status >= 500
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiError(
      'the dashboard cannot reach its API server: is `npm start` still running?',
      0,
      'OFFLINE',
    )
  }
  const text = await response.text()
  let body: unknown
  try {
    body = text === '' ? undefined : JSON.parse(text)
  } catch {
    throw new ApiError(
      `the API answered ${response.status} with something that is not JSON`,
      response.status,
      'BAD_BODY',
    )
  }
  if (!response.ok) {
    const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new ApiError(
      e?.message ?? `the API answered ${response.status}`,
      response.status,
      e?.code ?? 'HTTP',
    )
  }
  return body as T
}
