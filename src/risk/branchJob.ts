/**
 * The shape of a branch and bound over services (serviceBranch.ts) run somewhere else — on worker threads
 * (parallelBranch.ts, Node.js only) — as attack.ts sees it. Only types live here, so the browser build, which
 * has no worker threads, imports nothing Node.js-only: it simply passes no `ParallelBranch` and searches on one
 * thread.
 */
import type { FlipJob } from './flipThread.ts'
import type { MipRunner } from './mip.ts'
import type { CoupledThreadJob } from './mipThread.ts'
import type { Network } from './network.ts'
import type { BranchOutcome } from './serviceBranch.ts'
import type { Attack } from './verify.ts'

export type BranchJobOptions = {
  /** The cost shares' best (parallel to the service-ordered edges), to start the root from. */
  rootShares?: Float64Array
  /** The best known valid attack (checked exactly where it is used). */
  incumbent?: Attack | null
  /** When to stop, in this thread's performance.now() milliseconds. */
  deadline: number
  /** serviceBranch.ts's option: how long a flat node's A is covered exactly (flatLeaf.ts); 0 turns it off. */
  flatLeafMs?: number
  /**
   * How long past the deadline the threads' reports are waited for (parallelBranch.ts GRACE_MS by default). A caller
   * that sets its deadline early enough may give them more, without running past its own.
   */
  graceMs?: number
}

/** A search under way: started at once, fed attacks found meanwhile, its deadline moved, then awaited. */
export type BranchJob = {
  /** An attack found elsewhere (the heuristic): the search prunes against it once it is checked exactly. */
  offer(attack: Attack): void
  /**
   * Moves the deadline (this thread's performance.now() milliseconds) and lets the second thread join: until
   * then one thread searches, beside the caller's own work (the heuristic).
   */
  setDeadline(deadline: number): void
  /**
   * The search's answer: `proven` only when every node of every thread was pruned by an exact bound and every
   * thread reported back; a thread that failed or overran the deadline leaves it unproven.
   */
  result(): Promise<BranchOutcome>
}

export type ParallelBranch = {
  /**
   * Whether a component this size, with this many milliseconds for its search, is worth the threads (feeding
   * them costs milliseconds, starting them hundreds).
   */
  worthIt(n: Network, budgetMs: number): boolean
  start(n: Network, opts: BranchJobOptions): BranchJob
  /**
   * The exact-cover local search over services (leafFlip.ts) on a thread of its own until `deadline` (this
   * thread's performance.now() milliseconds), beside the MIP solver (flipThread.ts); `warmFlip` starts that thread.
   */
  flip?(n: Network, attack: Attack, deadline: number): FlipJob
  warmFlip?(): void
  /**
   * Runs the MIP solver on a thread of its own, abandoned at its time limit with what it found (mipThread.ts);
   * `warmMip` starts that thread.
   */
  mip?: MipRunner
  warmMip?(): void
  /**
   * The coupled Lagrangian's search continued on the solver's thread until `endBy` (this thread's performance.now()
   * milliseconds), where the verdict runs its flips instead of the solver (mipThread.ts coupledOnThread).
   */
  coupled?(
    n: Network,
    start: { lam: Float64Array; p: Float64Array; tau: number },
    endBy: number,
  ): CoupledThreadJob
  /** CPU milliseconds this process has used so far, all threads (process.cpuUsage): how much CPU it gets. */
  cpuMs?(): number
}
