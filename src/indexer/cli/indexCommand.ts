/**
 * `surety index`: indexes a deployment until stopped (Ctrl-C / SIGTERM finish the current range and exit 0).
 * Prints one line per committed range (blocks, events, events/s), or JSON lines with --json.
 */
import { InvalidInputError } from '../../errors.ts'
import { createIndexer } from '../engine/runIndexer.ts'
import { COMMON_OPTIONS, connect, parse, str, wholeNumber } from './options.ts'

export async function indexCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    'from-block': { type: 'string' },
    'finality-depth': { type: 'string' },
    'batch-blocks': { type: 'string' },
    'commit-events': { type: 'string' },
    'poll-ms': { type: 'string' },
  })
  const fromBlock = wholeNumber('from-block', str(values, 'from-block'))
  const finalityDepth = wholeNumber('finality-depth', str(values, 'finality-depth')) ?? 12
  const batchBlocks = wholeNumber('batch-blocks', str(values, 'batch-blocks')) ?? 2_000
  if (batchBlocks < 1) throw new InvalidInputError('--batch-blocks must be at least 1')
  const maxEventsPerCommit = wholeNumber('commit-events', str(values, 'commit-events'))
  const pollMs = wholeNumber('poll-ms', str(values, 'poll-ms')) ?? 1_000
  const c = await connect(values)
  const json = values.json === true
  const say = (fields: Record<string, unknown>, text: string) =>
    console.log(json ? JSON.stringify(fields, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) : text)
  const started = Date.now()
  let total = 0
  const indexer = await createIndexer({
    client: c.client,
    idb: c.idb,
    chainId: c.chainId,
    addresses: c.deployment.addresses,
    startBlock: fromBlock !== undefined ? BigInt(fromBlock) : BigInt(c.deployment.blockNumber),
    finalityDepth,
    batchBlocks,
    maxEventsPerCommit,
    pollMs,
    log: {
      debug() {},
      info: (m, f) => say({ level: 'info', msg: m, ...f }, `${m} ${f ? JSON.stringify(f) : ''}`),
      warn: (m, f) => say({ level: 'warn', msg: m, ...f }, `warning: ${m} ${f ? JSON.stringify(f) : ''}`),
    },
    onCommit: (info) => {
      total += info.events
      const rate = Math.round(total / Math.max(0.001, (Date.now() - started) / 1000))
      say(
        { ...info, eventsPerSecond: rate },
        `blocks ${info.from}–${info.to}: ${info.events} events (${total} in all, ${rate}/s), final up to ${info.finalBlock}`,
      )
    },
  })
  say(
    { msg: 'indexing', database: c.idb.describe, chainId: c.chainId },
    `indexing chain ${c.chainId} into ${c.idb.describe}`,
  )
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    await indexer.run(stop.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await c.idb.close()
  }
  return 0
}
