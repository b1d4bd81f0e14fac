/**
 * Per-address request limit (@fastify/rate-limit): each client IP may make `max` requests per `windowMs`; the
 * next gets 429 with a JSON error naming the limit and when to retry, and the Retry-After and x-ratelimit-*
 * headers. Loopback clients are exempt unless `loopback` is set: on one host the callers are the devnet's own
 * dashboard, the CLI's read commands and benchmarks, and a limit there would only break them. Behind a reverse
 * proxy on the same host every client looks like loopback, so such a deployment sets `loopback: true` (and
 * limits at the proxy, which sees the real addresses).
 */
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance } from 'fastify'
import { SuretyError } from '../errors.ts'

export type RateLimitOptions = {
  /** Requests per window per client address. */
  max: number
  /** The window, in milliseconds (default one minute). */
  windowMs?: number
  /** Limit loopback clients too (default false: they are exempt). */
  loopback?: boolean
}

/** What `surety api` and the devnet apply unless told otherwise: 1,200 requests a minute per address. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 1_200, windowMs: 60_000, loopback: false }

/** A client went over its limit (429): the message names the limit and when to retry. */
export class RateLimitedError extends SuretyError {
  override name = 'RateLimitedError'
  readonly statusCode = 429
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryable: true })
  }
}

export const isLoopback = (ip: string) =>
  ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.')

/** "1,200 requests per minute", "5 requests per 10 s". */
export function describeLimit(max: number, windowMs: number): string {
  const per =
    windowMs === 60_000
      ? 'minute'
      : windowMs === 1_000
        ? 'second'
        : `${Number((windowMs / 1000).toFixed(3))} s`
  return `${max.toLocaleString('en-US')} request${max === 1 ? '' : 's'} per ${per}`
}

export async function installRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  const windowMs = options.windowMs ?? 60_000
  if (!Number.isInteger(options.max) || options.max < 1)
    throw new SuretyError(`the API rate limit must be a whole number of requests ≥ 1, got ${options.max}`)
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: windowMs,
    ...(options.loopback ? {} : { allowList: (req) => isLoopback(req.ip) }),
    errorResponseBuilder: (req, context) => {
      // rounded up: retrying at the second named is never early
      const retry = Math.max(1, Math.ceil(context.ttl / 1000))
      return new RateLimitedError(
        `rate limit reached: at most ${describeLimit(context.max, windowMs)} from ${req.ip}; retry in ${retry} s`,
        retry,
      )
    },
  })
}
