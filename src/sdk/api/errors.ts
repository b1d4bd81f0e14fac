/** What goes wrong reading the HTTP API, as typed errors an integrator can tell apart. */
import { SuretyError, type SuretyErrorOptions } from '../../errors.ts'

/**
 * The API answered with an error: `status` is the HTTP status, `code` the API's stable code (BAD_REQUEST,
 * NOT_FOUND, NOT_READY, INTERNAL…) and the message is the server's, which names the problem and what to do.
 */
export class ApiError extends SuretyError {
  override name = 'ApiError'
  readonly status: number
  readonly code: string
  readonly path: string
  constructor(status: number, code: string, serverMessage: string, path: string) {
    super(`the API answered ${status} ${code} to ${path}: ${serverMessage}`, {
      // not ready yet (503) may pass: the indexer is catching up; a 4xx will not change by asking again
      retryable: status >= 500,
    })
    this.status = status
    this.code = code
    this.path = path
  }
}

/** Nothing answered at the API's URL (refused, timed out, not an HTTP server): says where and what to do. */
export class ApiUnreachableError extends SuretyError {
  override name = 'ApiUnreachableError'
  readonly url: string
  constructor(url: string, reason: string, options: SuretyErrorOptions = {}) {
    super(
      `cannot reach the Surety API at ${url} (${reason}): is \`surety api\` (or the devnet) running there? Check the URL, or read from the chain instead`,
      { retryable: true, ...options },
    )
    this.url = url
  }
}
