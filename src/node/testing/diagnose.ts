/**
 * What an end-to-end test prints when a wait times out: each node's view of the outcomes and reports it holds
 * (its own stance, state, reason, signers), of the orders it watches, and the last lines of its log, so that a CI
 * failure says which node stalled where (the runs' directories are gone by then).
 */
import type { ClusterNode, NodeStatus } from './cluster.ts'

/** What to show of each node's status; by default the outcomes and reports not yet confirmed. */
export type DiagnosisFocus = {
  /** Only this order's outcomes (and its entry in the node's order view); reports are left out. */
  orderId?: bigint | string
  /** Only the reports of this slash (whatever their state); outcomes are left out. */
  slashId?: string
  /** How many log lines per node (15 by default). */
  logLines?: number
}

const MAX_ITEMS = 10
const MAX_LINE = 400

const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`

function outcomeLines(s: NodeStatus, focus: DiagnosisFocus): string[] {
  const wanted = s.outcomes.filter((o) =>
    focus.orderId === undefined ? o.state !== 'confirmed' : o.orderId === String(focus.orderId),
  )
  const lines = wanted
    .slice(-MAX_ITEMS)
    .map(
      (o) =>
        `  outcome order ${o.orderId} milestone ${o.milestone} ${o.success ? 'success' : `failure class ${o.classId}`} ${short(o.digest)}: own ${o.own}, state ${o.state}${o.reason ? ` (${o.reason})` : ''}, signers [${o.signers.map(short).join(', ')}]`,
    )
  if (wanted.length > MAX_ITEMS) lines.unshift(`  (${wanted.length - MAX_ITEMS} earlier outcomes left out)`)
  if (focus.orderId !== undefined) {
    const order = s.orders.find((o) => o.orderId === String(focus.orderId))
    lines.push(
      order
        ? `  order ${order.orderId}: ${order.status}, settled ${order.settled} of ${order.milestones}`
        : `  order ${focus.orderId}: not in this node's view`,
    )
  }
  return lines
}

function reportLines(s: NodeStatus, focus: DiagnosisFocus): string[] {
  const slashId = focus.slashId?.toLowerCase()
  const open = s.reports.filter((r) =>
    slashId === undefined ? r.state !== 'confirmed' : r.slashId.toLowerCase() === slashId,
  )
  if (slashId !== undefined && open.length === 0) return [`  no report of slash ${slashId}`]
  const lines = open
    .slice(-MAX_ITEMS)
    .map(
      (r) =>
        `  report ${r.kind} ${r.subject} class ${r.classId} ${short(r.digest)}: own ${r.own}, state ${r.state}${r.reason ? ` (${r.reason})` : ''}, signers [${r.signers.map(short).join(', ')}]`,
    )
  if (open.length > MAX_ITEMS) lines.unshift(`  (${open.length - MAX_ITEMS} earlier reports left out)`)
  return lines
}

async function describeNode(node: ClusterNode, focus: DiagnosisFocus): Promise<string> {
  const head = `node ${node.index} (${node.account.address}, ${node.apiUrl})`
  let view: string[]
  try {
    const response = await fetch(`${node.apiUrl}/v1/status`, { signal: AbortSignal.timeout(3_000) })
    const s = (await response.json()) as NodeStatus
    view = [
      `  block ${s.lastBlock}, transactions ${JSON.stringify(s.transactions)}`,
      ...(focus.slashId === undefined ? outcomeLines(s, focus) : []),
      ...(focus.orderId === undefined ? reportLines(s, focus) : []),
    ]
  } catch (error) {
    view = [`  status unavailable: ${(error as Error).message}`]
  }
  const proc = node.proc
  const exit = proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)
  const logs = (proc?.lines ?? [])
    .slice(-(focus.logLines ?? 15))
    .map((l) => `    ${l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l}`)
  return [
    `${head}${exit ? ` exited (${proc.child.exitCode ?? proc.child.signalCode})` : ''}`,
    ...view,
    `  last log lines${proc ? ` (${proc.logFile})` : ''}:`,
    ...(logs.length ? logs : ['    (none)']),
  ].join('\n')
}

/** Each node's view and log tail, one block per node. */
export async function describeNodes(
  nodes: readonly ClusterNode[],
  focus: DiagnosisFocus = {},
): Promise<string> {
  return (await Promise.all(nodes.map((n) => describeNode(n, focus)))).join('\n')
}
