/**
 * The thread of flipThread.ts: runs the exact-cover local search over services (leafFlip.ts) on the attack it is
 * given, while the main thread's solver works on its LP, and posts back the best attack it reached. Its deadline
 * sits in shared memory (epoch milliseconds), so that the main thread can end it early when the solver is done.
 */
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { flipByLeaf } from './leafFlip.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { claimJob, endJob } from './threadSlot.ts'
import type { Attack } from './verify.ts'

export type FlipJobMessage = {
  id: number
  network: Network
  attack: Attack
  /** One BigInt64: the deadline in epoch milliseconds. */
  shared: SharedArrayBuffer
  /** Its claim (threadSlot.ts claimJob): skipped when its owner withdrew it or its deadline has passed. */
  claim?: SharedArrayBuffer
}
export type FlipDoneMessage = { id: number; attack: Attack; type?: undefined }
export type FlipWorkerMessage = FlipDoneMessage | { id: number; type: 'started' }

const highsReady = loadHighs()

// The solver beside this thread sets the bound with its root LP, which needs most of the time limit: on a busy
// machine this thread must not take CPU from it. Linux keeps the nice value per thread (setpriority on the calling
// thread, pid 0), and with session autogroups the threads of one process share one slice, so at the default
// priority this thread halved the solver's CPU there (typical 1,000 × 100 with allocations at load 8–11: the root
// LP finished in 0 of 6 verdicts against 3 of 6 without the thread). At nice 19 it gets what the solver leaves,
// and a whole core when one is idle. Where that is refused, it runs as it is. Linux only: elsewhere (macOS, Windows)
// the call's pid 0 is the whole process, and the verdict's solver on the main thread would run at nice 19 too.
if (process.platform === 'linux') {
  try {
    setPriority(19)
  } catch {}
}

parentPort?.on('message', (m: FlipJobMessage) => {
  void highsReady.then((highs) => {
    const epoch = new BigInt64Array(m.shared)
    const deadline = () => Number(Atomics.load(epoch, 0)) - performance.timeOrigin
    // withdrawn by its owner while queued, or its deadline past: skipped, its attack given back at once
    if (!claimJob(m.claim, Number(Atomics.load(epoch, 0)))) {
      parentPort?.postMessage({ id: m.id, attack: m.attack } satisfies FlipDoneMessage)
      return
    }
    parentPort?.postMessage({ id: m.id, type: 'started' } satisfies FlipWorkerMessage)
    let attack = m.attack
    try {
      attack = flipByLeaf(m.network, m.attack, highs, Number.POSITIVE_INFINITY, deadline)
    } catch {
      // an improvement only: the attack given goes back
    }
    endJob(m.claim)
    parentPort?.postMessage({ id: m.id, attack } satisfies FlipDoneMessage)
  })
})
