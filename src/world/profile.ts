/**
 * How fast the world runs. `demo` is what `npm start` shows a person: a block every 2 s, probe epochs of 30 s,
 * dispute windows of 3 minutes, so an incident → dispute → ruling → payout story ends within ~10 minutes.
 * `fast` is for tests and the impatient: a block a second and the protocol's shortest windows (60 s). Both are
 * deployment and service parameters only; the contracts' bounds are the same as on a real chain.
 */
export type WorldProfile = {
  name: 'demo' | 'fast'
  /** Seconds between blocks (anvil interval mining). */
  blockSeconds: number
  /** Service parameters (chain seconds). */
  disputeWindow: number
  resolutionDeadline: number
  /** Vault withdrawal delay (chain seconds): at least a service's pipeline (dispute window + resolution). */
  withdrawalDelay: number
  /** Node probe epochs and probes (wall-clock, as the node numbers epochs). */
  epochSeconds: number
  probeIntervalMs: number
  minSamples: number
  judgeDelayMs: number
  /** Seconds a job or shipment runs after its bidding window. */
  orderSeconds: number
  biddingSeconds: number
  /** Wall-clock seconds from the world's start until the hard-failing operator goes down, and for how long. */
  hardFailAfterSeconds: number
  hardFailEpochs: number
  /** How many blocks between a client's new orders (per client). */
  orderEveryBlocks: number
  /** How many blocks between staker actions (one staker acts per turn). */
  stakerEveryBlocks: number
  /** How long a disputed slash waits for its ruling (blocks). */
  rulingAfterBlocks: number
}

export const PROFILES: Record<WorldProfile['name'], WorldProfile> = {
  demo: {
    name: 'demo',
    blockSeconds: 2,
    disputeWindow: 180,
    resolutionDeadline: 300,
    withdrawalDelay: 600,
    epochSeconds: 30,
    // probe counts per epoch are Poisson (memoryless timing, node docs): 15 expected, fewer than 6 in 0.3 % of
    // epochs (no verdict from that attester then)
    probeIntervalMs: 2_000,
    minSamples: 6,
    judgeDelayMs: 5_000,
    orderSeconds: 240,
    biddingSeconds: 20,
    hardFailAfterSeconds: 90,
    hardFailEpochs: 3,
    orderEveryBlocks: 6,
    stakerEveryBlocks: 5,
    rulingAfterBlocks: 10,
  },
  fast: {
    name: 'fast',
    blockSeconds: 1,
    disputeWindow: 60,
    resolutionDeadline: 60,
    withdrawalDelay: 120,
    epochSeconds: 4,
    // 13 probes expected per epoch, fewer than 5 in 0.4 % of epochs
    probeIntervalMs: 300,
    minSamples: 5,
    judgeDelayMs: 5_000,
    orderSeconds: 90,
    biddingSeconds: 6,
    hardFailAfterSeconds: 8,
    hardFailEpochs: 3,
    orderEveryBlocks: 3,
    stakerEveryBlocks: 2,
    rulingAfterBlocks: 3,
  },
}

/** The deployment's change delay: twice the longest vault withdrawal delay, as the factory requires. */
export const paramChangeDelay = (p: WorldProfile) => 4 * p.withdrawalDelay
