/** The API stream's message types (docs/api.md): one per indexed event, a head per block, and reorg retractions. */
export const STREAM_TYPES = ['event', 'head', 'retract'] as const
