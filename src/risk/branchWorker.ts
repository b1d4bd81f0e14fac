/**
 * One thread of the parallel branch and bound over services (parallelBranch.ts starts two). Each thread runs its
 * own best-first search (serviceBranch.ts `branchNode`) on the nodes it holds; the two share, without the main
 * thread:
 *
 * - a count of the nodes that exist anywhere (open, in flight between threads, or being bounded), in shared
 *   memory: a thread adds its children less the node it bounded, in one atomic step after the node. The count is
 *   0 only when every node of both threads has been pruned or settled — the proof, each prune being exact
 *   (bigint) in the thread that made it;
 * - a stop flag and the deadline (epoch milliseconds, so the threads' clocks agree), also in shared memory;
 * - a message port to each other: a thread with nothing open asks for work, the other hands over every other
 *   one of its open nodes (best first, so both work near the top), and each passes on the attacks it finds.
 *   An attack received is used only once it is checked exactly (`offerIncumbent`).
 *
 * Messages are read synchronously between nodes (`receiveMessageOnPort`): the search never yields to the event
 * loop while it has work. Before it reports, a thread waits for its peer's last message ("bye"), so that nodes
 * handed over after its own last look are counted in its bound rather than lost.
 */
import {
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  type TransferListItem,
} from 'node:worker_threads'
import {
  DEAD,
  DEADLINE_BYTE,
  HOLD,
  INT_SLOTS,
  NAP,
  STOP,
  WORK,
  type WorkerDone,
  type WorkerJob,
} from './branchProtocol.ts'
import { loadHighs } from './mip.ts'

import {
  amountBound,
  type BranchNode,
  type BranchOptions,
  branchContext,
  branchNode,
  branchState,
  offerIncumbent,
  rootNode,
} from './serviceBranch.ts'
import type { Attack } from './verify.ts'

type PeerMessage =
  | { type: 'need' }
  | { type: 'nodes'; nodes: BranchNode[] }
  | { type: 'incumbent'; attack: Attack }
  | { type: 'bye' }

/** How long an idle thread sleeps between looks at its ports, and how long it waits for its peer's "bye". */
const IDLE_MS = 2
const BYE_WAIT_MS = 2000

const highsReady = loadHighs()

/**
 * Jobs in order. A job's message may arrive while the previous one still runs (its search answered unproven at
 * the deadline while this thread finished a node): the loop's look at the parent port then keeps it here.
 */
const queued: WorkerJob[] = []
/**
 * Attacks for a job not yet running: read while an earlier one ran, or while this thread still loaded the solver
 * (the heuristic's attack on a cold start: dropped here, the cold search went on without it).
 */
let early: { id: number; attack: Attack }[] = []
let running = false

parentPort?.on('message', (m: WorkerJob | { type: 'incumbent'; id: number; attack: Attack }) => {
  if (m.type === 'incumbent') {
    early.push(m) // one for a job already over is dropped when the next starts
    return
  }
  queued.push(m)
  void runQueued()
})

async function runQueued(): Promise<void> {
  if (running) return
  running = true
  const highs = await highsReady
  for (let job = queued.shift(); job; job = queued.shift()) {
    parentPort?.postMessage(runJob(job, highs))
    job.peer.close()
  }
  running = false
}

function runJob(job: WorkerJob, highs: Awaited<typeof highsReady>): WorkerDone {
  const i32 = new Int32Array(job.shared, 0, INT_SLOTS)
  const deadlineEpoch = new BigInt64Array(job.shared, DEADLINE_BYTE, 1)
  const ctx = branchContext(job.network)
  const state = branchState(ctx, job.incumbent)
  for (const m of early) if (m.id === job.id) offerIncumbent(ctx, state, m.attack)
  early = early.filter((m) => m.id > job.id) // those for jobs queued behind this one wait for them
  if (job.root) state.open.push(Infinity, rootNode(ctx, job.root.shares ?? undefined))
  const opts: BranchOptions = { ...job.options, highs }
  const peer = job.peer
  let peerNeeds = false
  let asked = false
  let exhausted = false
  let gaveUp = false
  let peerGone = false

  const send = (m: PeerMessage, transfer: TransferListItem[] = []) => peer.postMessage(m, transfer)
  const readPeer = (): boolean => {
    const got = receiveMessageOnPort(peer)
    if (!got) return false
    const m = got.message as PeerMessage
    if (m.type === 'need') peerNeeds = true
    else if (m.type === 'nodes') {
      for (const node of m.nodes) state.open.push(node.parentBound, node)
      asked = false
    } else if (m.type === 'incumbent') offerIncumbent(ctx, state, m.attack)
    else peerGone = true
    return true
  }
  const drain = () => {
    for (let got = receiveMessageOnPort(parentPort as MessagePort); got; ) {
      const m = got.message as WorkerJob | { type: 'incumbent'; id: number; attack: Attack }
      if (m.type === 'job') queued.push(m)
      else if (m.id === job.id) offerIncumbent(ctx, state, m.attack)
      else if (m.id > job.id) early.push(m)
      got = receiveMessageOnPort(parentPort as MessagePort)
    }
    while (readPeer()) {}
  }
  const localDeadline = () => Number(Atomics.load(deadlineEpoch, 0)) - performance.timeOrigin

  for (;;) {
    // tests only: a thread stuck in a node (a leaf's solve that ignores its deadline), until it is ended
    if (job.hangAfterNodes !== undefined && state.nodes >= job.hangAfterNodes)
      for (;;) Atomics.wait(i32, NAP, 0, 50)
    drain()
    if (Atomics.load(i32, STOP) !== 0) break
    if (performance.now() > localDeadline()) break
    if (peerNeeds && state.open.size >= 2 && !peerGone) {
      // every other node by bound, so both threads work near the top of the tree
      const keep: BranchNode[] = []
      const give: BranchNode[] = []
      while (state.open.size > 0)
        (keep.length <= give.length ? keep : give).push(state.open.pop() as BranchNode)
      for (const node of keep) state.open.push(node.parentBound, node)
      send({ type: 'nodes', nodes: give })
      peerNeeds = false
    }
    const node = state.open.pop()
    if (node) {
      const before = state.value
      const sizeBefore = state.open.size
      // the deadline read live inside the node too: the main thread moves it once its heuristic is done, and a
      // node (a leaf's exact solve above all) started before must not run on to the old one
      const r = branchNode(ctx, state, node, opts, localDeadline)
      // this node is done, its children exist: one atomic step, so the count never touches 0 in between
      Atomics.add(i32, WORK, state.open.size - sizeBefore - 1)
      if (state.value > before && state.attack) {
        send({ type: 'incumbent', attack: state.attack })
        parentPort?.postMessage({ type: 'incumbent', id: job.id, attack: state.attack })
      }
      if (r === 'stop') {
        gaveUp = true
        Atomics.store(i32, STOP, 1)
        break
      }
      if (job.throwAfterNodes !== undefined && state.nodes >= job.throwAfterNodes)
        throw new Error('branch worker: injected failure')
      continue
    }
    if (Atomics.load(i32, WORK) === 0) {
      exhausted = true
      break
    }
    if (!asked && !peerGone && Atomics.load(i32, HOLD) === 0) {
      send({ type: 'need' })
      asked = true
    }
    Atomics.wait(i32, NAP, 0, IDLE_MS)
  }
  // Last words: stop the peer too (unless the search is over anyway), say bye, and take in whatever it handed
  // over before its own bye.
  if (!exhausted) Atomics.store(i32, STOP, 1)
  // the main thread hears that this one is out of its search (what follows is bounded: BYE_WAIT_MS), so that past its
  // grace it ends only a thread still inside a node (parallelBranch.ts)
  parentPort?.postMessage({ type: 'stopping', id: job.id })
  send({ type: 'bye' })
  const waitUntil = performance.now() + BYE_WAIT_MS
  while (!peerGone && Atomics.load(i32, DEAD) === 0 && performance.now() < waitUntil)
    if (!readPeer()) Atomics.wait(i32, NAP, 0, IDLE_MS)
  const open = Math.max(state.openBound, state.open.top)
  return {
    type: 'done',
    id: job.id,
    exhausted,
    gaveUp,
    complete: peerGone,
    attack: state.attack,
    value: state.value,
    bound: open === Number.NEGATIVE_INFINITY ? open : amountBound(open, ctx.unitF),
    nodes: state.nodes,
  }
}
