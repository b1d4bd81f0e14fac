/**
 * The thread of flipThread.ts: runs the exact-cover local search over services (leafFlip.ts) on the attack it is
 * given, while the main thread's solver works on its LP, and posts back the best attack it reached. Its deadline
 * sits in shared memory (epoch milliseconds), so that the main thread can end it early when the solver is done.
 */
import { parentPort } from 'node:worker_threads'
import { flipByLeaf } from './leafFlip.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import type { Attack } from './verify.ts'

export type FlipJobMessage = {
  id: number
  network: Network
  attack: Attack
  /** One BigInt64: the deadline in epoch milliseconds. */
  shared: SharedArrayBuffer
}
export type FlipDoneMessage = { id: number; attack: Attack }

const highsReady = loadHighs()

parentPort?.on('message', (m: FlipJobMessage) => {
  void highsReady.then((highs) => {
    const epoch = new BigInt64Array(m.shared)
    const deadline = () => Number(Atomics.load(epoch, 0)) - performance.timeOrigin
    let attack = m.attack
    try {
      attack = flipByLeaf(m.network, m.attack, highs, Number.POSITIVE_INFINITY, deadline)
    } catch {
      // an improvement only: the attack given goes back
    }
    parentPort?.postMessage({ id: m.id, attack } satisfies FlipDoneMessage)
  })
})
