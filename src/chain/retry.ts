/**
 * Retry with exponential backoff, for retryable errors only. A revert is a fact about the chain and retrying it
 * only burns gas and time; a dropped connection or a timed-out RPC is not, so the SDK tags those `retryable`
 * (src/sdk/sendTransaction.ts) and this loop keys off that tag alone.
 */
import { SuretyError } from '../errors.ts'

export type RetryOptions = {
  /** Attempts after the first; 0 means no retry. */
  retries: number
  baseMs: number
  maxMs: number
  isRetryable?: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  /** Injected for tests; resolves after `ms`. */
  sleep?: (ms: number) => Promise<void>
  /** Random in [0, 1) for jitter; injected for tests. */
  random?: () => number
}

export const isRetryable = (error: unknown): boolean => error instanceof SuretyError && error.retryable

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Like `sleep`, but over as soon as `signal` aborts: a loop backing off for seconds still stops at once. */
export const sleepUnlessAborted = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })

/** Delay before retry number `attempt` (1-based): base × 2^(attempt−1), capped, with up to 50 % jitter. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1))
  return Math.round(exp / 2 + (exp / 2) * random())
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const retryable = options.isRetryable ?? isRetryable
  const wait = options.sleep ?? sleep
  const random = options.random ?? Math.random
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= options.retries || !retryable(error)) throw error
      const delay = backoffDelay(attempt + 1, options.baseMs, options.maxMs, random)
      options.onRetry?.(error, attempt + 1, delay)
      await wait(delay)
    }
  }
}
