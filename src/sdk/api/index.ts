/** The HTTP API's typed client (`createApiClient`), its answer types and its errors; re-exported by `surety/sdk`. */
export * from './createApiClient.ts'
export * from './errors.ts'
export * from './types.ts'
