/**
 * The API's errors and the one handler that turns any thrown value into `{ error: { code, message } }`. Routes
 * throw typed errors; nothing else decides a status code, and no stack trace ever reaches a caller.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { InvalidInputError, SuretyError } from '../errors.ts'
import { RateLimitedError } from './rateLimit.ts'

/** An id that names nothing the indexer holds (404). */
export class NotFoundError extends SuretyError {
  override name = 'NotFoundError'
}

/** The indexer has not indexed anything yet, or the database cannot be read right now (503, retryable). */
export class NotReadyError extends SuretyError {
  override name = 'NotReadyError'
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: true })
  }
}

/** What only the attester nodes hold could not be had from any of them, or none is configured (503, retryable). */
export class NodesUnavailableError extends SuretyError {
  override name = 'NodesUnavailableError'
  constructor(message: string) {
    super(message, { retryable: true })
  }
}

export type ErrorJson = { error: { code: string; message: string } }

const body = (code: string, message: string): ErrorJson => ({ error: { code, message } })

type AjvError = {
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
  keyword?: string
  parentSchema?: { description?: string }
}

const PART_NAMES: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
}

/** Turns Ajv's `querystring/limit must be <= 500` into `query parameter 'limit' must be <= 500`. */
export function validationMessage(error: FastifyError): string {
  const first = (error.validation as AjvError[] | undefined)?.[0]
  const part = PART_NAMES[error.validationContext ?? ''] ?? error.validationContext ?? 'input'
  if (!first) return error.message
  if (first.keyword === 'additionalProperties' && typeof first.params?.additionalProperty === 'string')
    return `unknown ${part} '${first.params.additionalProperty}'; see /openapi.json for the accepted ones`
  if (first.keyword === 'required' && typeof first.params?.missingProperty === 'string')
    return `${part} '${first.params.missingProperty}' is required`
  const field = (first.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
  let message = first.message ?? 'is invalid'
  if (first.keyword === 'pattern' || first.keyword === 'format') {
    // Ajv in verbose mode hands back the failing schema: its description says what was expected.
    const description = first.parentSchema?.description
    if (description) message = `must be ${description}`
  }
  if (first.keyword === 'anyOf' || first.keyword === 'enum') {
    const allowed = first.params?.allowedValues
    if (Array.isArray(allowed)) message = `must be one of ${allowed.join(', ')}`
  }
  return field ? `${part} '${field}' ${message}` : `${part}s ${message}`
}

export function toErrorReply(error: unknown): { status: number; body: ErrorJson } {
  if (error instanceof NotFoundError) return { status: 404, body: body('NOT_FOUND', error.message) }
  if (error instanceof InvalidInputError) return { status: 400, body: body('BAD_REQUEST', error.message) }
  if (error instanceof NodesUnavailableError)
    return { status: 503, body: body('NODES_UNAVAILABLE', error.message) }
  if (error instanceof NotReadyError) return { status: 503, body: body('NOT_READY', error.message) }
  if (error instanceof RateLimitedError) return { status: 429, body: body('RATE_LIMITED', error.message) }
  const fe = error as Partial<FastifyError>
  if (fe.validation) return { status: 400, body: body('BAD_REQUEST', validationMessage(fe as FastifyError)) }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own 4xx (malformed JSON, unsupported media type, body too large): its message is already plain.
    return { status: fe.statusCode, body: body('BAD_REQUEST', fe.message ?? 'bad request') }
  }
  return { status: 500, body: body('INTERNAL', 'the server failed to answer; the error is in its log') }
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toErrorReply(error)
  if (status >= 500) request.log.error({ err: error }, 'request failed')
  void reply.status(status).type('application/json').send(body)
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  void reply
    .status(404)
    .send(
      body(
        'NOT_FOUND',
        `no route ${request.method} ${request.url.split('?')[0]}; the routes are listed at /openapi.json`,
      ),
    )
}
