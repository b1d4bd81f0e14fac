/** The API's Prometheus series, on the node's small registry (text exposition format at /metrics). */
import { Registry } from '../node/metrics.ts'

export function createApiMetrics() {
  const registry = new Registry()
  return {
    registry,
    requests: registry.counter('surety_api_requests_total', 'HTTP requests answered, by route and status'),
    duration: registry.histogram(
      'surety_api_request_duration_seconds',
      'time to answer a request, by route',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    streamClients: registry.gauge('surety_api_stream_clients', 'open /v1/stream connections'),
    streamMessages: registry.counter('surety_api_stream_messages_total', 'stream messages sent, by type'),
    indexedBlock: registry.gauge('surety_api_indexed_block', 'the newest block the indexer has applied'),
    finalBlock: registry.gauge('surety_api_final_block', 'the newest block the indexer counts as final'),
    chainHead: registry.gauge('surety_api_chain_head', 'the chain head the indexer last saw'),
  }
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>
