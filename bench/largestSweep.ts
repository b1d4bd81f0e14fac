/**
 * Sweep: the largest attack and the verdict against brute force on small random networks (both models, every
 * small regime), the MIP really used (no exhaustive shortcut exists for these questions). Prints wrong proofs.
 *   npx tsx bench/largestSweep.ts [count] [firstSeed] [scaleExp]
 */
import { largestAttack, solveMostProfitable } from '../src/risk/attack.ts'
import { bruteLargestCost, bruteMostProfitable } from '../src/risk/bruteForce.ts'
import { parseRiskInput } from '../src/risk/input.ts'
import { randomNetwork, SMALL_REGIMES } from '../src/risk/randomNetwork.ts'
import { createRng } from '../src/risk/rng.ts'

const count = Number(process.argv[2] ?? 1000)
const first = Number(process.argv[3] ?? 1)
const scale = 10n ** BigInt(process.argv[4] ?? 0)
let wrongLargest = 0
let wrongLargestStart = 0
let wrongVerdict = 0
let badBound = 0
let provenL = 0
const t0 = Date.now()
for (let seed = first; seed < first + count; seed++) {
  const rng = createRng(seed, 77)
  const allocations = seed % 2 === 0
  const raw = randomNetwork(rng, {
    operators: rng.int(3, 7),
    services: rng.int(1, 4),
    membersPerService: [1, 4],
    allocations,
    profitFactor: SMALL_REGIMES[seed % SMALL_REGIMES.length],
  })
  const times = (x: string | number) => (BigInt(x) * scale).toString()
  const n = parseRiskInput({
    ...raw,
    operators: raw.operators.map((o) => ({ ...o, stake: times(o.stake) })),
    services: raw.services.map((s) => ({ ...s, profit: times(s.profit) })),
    ...(raw.allocations
      ? { allocations: raw.allocations.map((a) => ({ ...a, stake: times(a.stake) })) }
      : {}),
  })
  const truthL = bruteLargestCost(n)
  const truthV = bruteMostProfitable(n)
  const l = await largestAttack(n)
  if (l.proven) provenL++
  if (l.proven && (l.attack?.cost ?? 0n) !== truthL) {
    wrongLargest++
    console.log(
      `WRONG largest seed ${seed} alloc ${allocations}: claimed ${l.attack?.cost ?? 0n} proven, truth ${truthL}`,
    )
  }
  if (l.bound < Number(truthL) * (1 - 1e-9) - 1e-6) {
    badBound++
    console.log(`BAD bound largest seed ${seed}: bound ${l.bound} truth ${truthL}`)
  }
  const v = await solveMostProfitable(n)
  const net = v.answer.attack ? v.answer.attack.profit - v.answer.attack.cost : null
  const truthNet = truthV !== null && truthV > 0n ? truthV : null
  if (v.answer.proven && net !== truthNet) {
    wrongVerdict++
    console.log(
      `WRONG verdict seed ${seed} alloc ${allocations}: claimed ${net} exact ${v.answer.exact}, truth ${truthNet}`,
    )
  }
  const l2 = await largestAttack(n, {
    start: v.attack ?? undefined,
    provenSecure: v.answer.attack === null && v.answer.proven,
    provenExact: v.answer.exact,
  })
  if (l2.proven && (l2.attack?.cost ?? 0n) !== truthL) {
    wrongLargestStart++
    console.log(
      `WRONG largest(start) seed ${seed} alloc ${allocations}: claimed ${l2.attack?.cost ?? 0n}, truth ${truthL}`,
    )
  }
}
console.log(
  `seeds ${first}..${first + count - 1} scale 1e${process.argv[4] ?? 0}: largest proven ${provenL}, wrong ${wrongLargest}, wrong with start ${wrongLargestStart}, bad bounds ${badBound}, wrong verdicts ${wrongVerdict}; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
)
