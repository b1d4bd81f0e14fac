/**
 * One error base class for all of Surety's TypeScript: a short message, optional details and cause, and a
 * `retryable` tag that the node's and indexer's retry loops rely on. Never throw strings.
 */
export type SuretyErrorOptions = { details?: string; cause?: unknown; retryable?: boolean }

/** The base class of every error Surety throws; `retryable` says whether trying again may succeed. */
export class SuretyError extends Error {
  override name = 'SuretyError'
  readonly details: string | undefined
  readonly retryable: boolean

  constructor(shortMessage: string, options: SuretyErrorOptions = {}) {
    super(shortMessage, options.cause === undefined ? undefined : { cause: options.cause })
    this.details = options.details
    this.retryable = options.retryable ?? false
  }
}

/** Input that does not satisfy a schema or a documented bound; the message names the field. */
export class InvalidInputError extends SuretyError {
  override name = 'InvalidInputError'
}

/** A contract call reverted; `errorName` is the custom error the contract raised. */
export class ContractRevertedError extends SuretyError {
  override name = 'ContractRevertedError'
  readonly errorName: string | undefined
  constructor(shortMessage: string, errorName: string | undefined, options: SuretyErrorOptions = {}) {
    super(shortMessage, options)
    this.errorName = errorName
  }
}

/** The RPC did not answer: said with what to do, never with the transport's stack of causes. */
export class ChainUnreachableError extends SuretyError {
  override name = 'ChainUnreachableError'
}
