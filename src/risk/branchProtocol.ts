/**
 * What the main thread and the branch workers (branchWorker.ts, parallelBranch.ts) share: the slots of their
 * shared memory and the messages between them. Node.js only, like both.
 */
import type { MessagePort } from 'node:worker_threads'
import type { Network } from './network.ts'
import type { BranchOptions } from './serviceBranch.ts'
import type { Attack } from './verify.ts'

/** Slots of the shared Int32Array. */
export const WORK = 0
export const STOP = 1
/** Set by the main thread when a thread died: its peer then stops waiting for its "bye". */
export const DEAD = 2
/** Only ever waited on, as a sleep. */
export const NAP = 3
/**
 * Set while the caller still runs its heuristic beside the search: the second thread does not ask for work, so
 * the search and the heuristic have a core each (the heuristic's budget is wall-clock: three busy threads on two
 * cores leave it fewer kicks. Measured once, hard 200 × 50 seed 2's attack came out at 272 tokens with three
 * threads against 457 with one, but one thread at load 10 also gave 272: the machine's load as much as the threads).
 */
export const HOLD = 4
export const INT_SLOTS = 6
/** Byte offset of the shared BigInt64 deadline (epoch milliseconds). */
export const DEADLINE_BYTE = 24
export const SHARED_BYTES = 32

export type WorkerJob = {
  type: 'job'
  id: number
  network: Network
  /** The root's shares, for the thread that starts the search; the other starts empty and asks for work. */
  root: { shares: Float64Array | null } | null
  incumbent: Attack | null
  shared: SharedArrayBuffer
  peer: MessagePort
  options: Pick<
    BranchOptions,
    'rootSteps' | 'nodeSteps' | 'rootPriceSteps' | 'nodePriceSteps' | 'flatLeafMs' | 'flatMinEdges'
  >
  /** Tests only: throw after bounding this many nodes (a thread failing mid-search). */
  throwAfterNodes?: number
  /** Tests only: hang (never report, until ended) once this many nodes are bounded (0: at once). */
  hangAfterNodes?: number
}

export type WorkerDone = {
  type: 'done'
  id: number
  /** The shared count reached 0 while this thread looked: nothing is open anywhere. */
  exhausted: boolean
  /** A node could be neither pruned nor branched: no proof can come from this search. */
  gaveUp: boolean
  /** The peer's last message arrived: every node handed to this thread is in `bound`. */
  complete: boolean
  attack: Attack | null
  /** Exact net profit of `attack` (0 without one). */
  value: bigint
  /** Largest float bound of the nodes this thread holds or left open, amount units; −∞ when none. */
  bound: number
  nodes: number
}
