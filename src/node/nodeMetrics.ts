/** Every series the node exports on /metrics, in one place so docs/node.md and the code cannot drift apart. */
import { Registry } from './metrics.ts'

export function createNodeMetrics() {
  const registry = new Registry()
  return {
    registry,
    probes: registry.counter('surety_node_probes_total', 'HTTP health probes by result (ok, down, timeout)'),
    probeLatency: registry.histogram(
      'surety_node_probe_latency_seconds',
      'latency of successful health probes',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    probesInFlight: registry.gauge('surety_node_probes_in_flight', 'health probes waiting for an answer'),
    verdicts: registry.counter(
      'surety_node_verdicts_total',
      'epoch, job, shipment and compute-order verdicts by kind and result',
    ),
    signatureChecks: registry.counter(
      'surety_node_signature_checks_total',
      'report, outcome and telemetry signatures verified, by kind and result',
    ),
    reports: registry.counter('surety_node_reports_total', 'report state transitions, by state'),
    reportsOpen: registry.gauge('surety_node_reports_open', 'reports still gathering signatures'),
    peerRequests: registry.counter(
      'surety_node_peer_requests_total',
      'signature exchanges with peers, by result',
    ),
    peerAuth: registry.counter(
      'surety_node_peer_auth_total',
      'signed peer requests received, by result (ok, refused, not_member)',
    ),
    limited: registry.counter(
      'surety_node_requests_limited_total',
      'requests refused by a bound (rate, signatures, subjects), by reason',
    ),
    submissions: registry.counter(
      'surety_node_submissions_total',
      'requestSlash transactions, by result (mined, already_used, failed)',
    ),
    outcomes: registry.counter('surety_node_outcomes_total', 'order outcome state transitions, by state'),
    outcomesOpen: registry.gauge('surety_node_outcomes_open', 'order outcomes still gathering signatures'),
    outcomeSubmissions: registry.counter(
      'surety_node_outcome_submissions_total',
      'reportOutcome transactions, by result (mined, already_settled, no_quorum, failed, error)',
    ),
    ordersWatched: registry.gauge(
      'surety_node_orders_watched',
      'running orders in the confirmed view, by status (Open, Active)',
    ),
    keeperActions: registry.counter(
      'surety_node_keeper_actions_total',
      'keeper transactions by action (execute, lapse, expire, settle_lease, sweep) and result',
    ),
    transactions: registry.counter(
      'surety_node_transactions_total',
      'transactions broadcast, by purpose and result',
    ),
    transactionReplacements: registry.counter(
      'surety_node_transaction_replacements_total',
      'transactions re-signed for the same nonce with higher fees, by purpose, reason (unmined, underpriced, dropped) and result (sent, capped, cancel: a released entry replaced by a 0-value cancel)',
    ),
    telemetryAccepted: registry.counter(
      'surety_node_telemetry_accepted_total',
      'telemetry readings accepted',
    ),
    telemetryRejected: registry.counter(
      'surety_node_telemetry_rejected_total',
      'telemetry readings rejected, by reason',
    ),
    lastBlock: registry.gauge(
      'surety_node_last_processed_block',
      'highest block processed at confirmation depth',
    ),
    chainHead: registry.gauge('surety_node_chain_head_block', 'latest block seen'),
    reorgs: registry.counter('surety_node_reorgs_total', 'chain reorganisations detected below the cursor'),
    reorgDepth: registry.gauge(
      'surety_node_last_reorg_depth',
      'blocks rolled back by the last reorganisation',
    ),
    loopErrors: registry.counter(
      'surety_node_loop_errors_total',
      'errors caught in a periodic duty, by duty',
    ),
  }
}

export type NodeMetrics = ReturnType<typeof createNodeMetrics>
