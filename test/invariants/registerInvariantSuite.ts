import { after, describe, test } from 'node:test'
import { useWorld } from '../support/world.ts'
import { runSequence, setupInvariantWorld } from './invariantSuite.ts'

const STEPS = Number(process.env.INVARIANT_STEPS ?? 50)

/**
 * Registers `count` seeded sequences starting at `firstSeed` on this file's own chain.
 * INVARIANT_SEED=<n> replays one sequence (in the file whose range holds it); INVARIANT_SEQUENCES scales down;
 * INVARIANT_STATS=1 prints how often each action succeeded or failed with each error (to tune the step mix).
 */
export function registerInvariantSuite(firstSeed: number, count: number) {
  const { world, fixture } = useWorld(setupInvariantWorld)
  const replay = process.env.INVARIANT_SEED ? Number(process.env.INVARIANT_SEED) : undefined
  const scaled = Math.min(count, Number(process.env.INVARIANT_SEQUENCES ?? count))
  const seeds =
    replay !== undefined
      ? replay >= firstSeed && replay < firstSeed + count
        ? [replay]
        : []
      : Array.from({ length: scaled }, (_, i) => firstSeed + i)
  const stats: Record<string, number> = {}
  describe(`invariants, seeds ${firstSeed}..${firstSeed + count - 1}`, () => {
    if (process.env.INVARIANT_STATS)
      after(() => {
        const lines = Object.entries(stats).sort(([a], [b]) => a.localeCompare(b))
        console.log(lines.map(([k, n]) => `${k.padEnd(48)} ${n}`).join('\n'))
      })
    for (const seed of seeds) {
      test(`random sequence ${seed} keeps the chain equal to the reference model`, async () => {
        try {
          const outcomes = await runSequence(world(), fixture(), seed, STEPS)
          for (const [k, n] of Object.entries(outcomes)) stats[k] = (stats[k] ?? 0) + n
        } catch (error) {
          console.error(
            `invariant failure — replay with INVARIANT_SEED=${seed} npx tsx scripts/runTests.ts invariants`,
          )
          throw error
        }
      })
    }
  })
}
