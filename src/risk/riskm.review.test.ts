/**
 * Review (riskm) of the flat nodes' exact covers in the branch and bound over services (flatLeaf.ts) and of the
 * exact-cover flips' retries of unsettled leaves (leafFlip.ts).
 *
 * The flat covers prune nothing themselves; the one thing that skips work is their memory: a cover settled "cut off
 * at the incumbent" lets the fully fixed node of the same A go unsolved. That is sound only if a settled cover
 * means that no coalition for A nets more than the incumbent has from then on. The tests below check exactly that,
 * at the cut-off itself (an A whose best coalition nets the incumbent's net plus one, exactly, or as much, or one
 * less: a cover cut a unit too high survives every end-to-end comparison with brute force the reviewers ran, as
 * such an A must also be the one the search needs), then end to end against brute force on one thread and two.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { bruteMostProfitable } from './bruteForce.ts'
import { flatLeaf } from './flatLeaf.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput, type RiskInput } from './input.ts'
import { flipByLeaf } from './leafFlip.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { closeBranchThreads, parallelBranch } from './parallelBranch.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng, type Rng } from './rng.ts'
import {
  type BranchNode,
  type BranchOptions,
  branchContext,
  branchNode,
  branchOutcome,
  branchState,
  rootNode,
} from './serviceBranch.ts'
import { FREE, IN, OUT } from './shareCore.ts'
import { type Attack, attackCost, attackProfit, isValidAttack, meetsThresholds } from './verify.ts'

const highs = await loadHighs()
after(() => closeBranchThreads())

const net = (n: Network, a: Attack) => attackProfit(n, a) - attackCost(n, a)

/** The best net of any coalition for exactly the services A (null when none meets their thresholds), by enumeration. */
function bestFor(n: Network, A: number[]): bigint | null {
  const members = [...new Set(A.flatMap((s) => n.services[s]?.members ?? []))]
  let best: bigint | null = null
  for (let m = 0; m < 1 << members.length; m++) {
    const a = { services: A, operators: members.filter((_, i) => m & (1 << i)) }
    if (!meetsThresholds(n, a)) continue
    const v = net(n, a)
    if (best === null || v > best) best = v
  }
  return best
}

const REGIMES: readonly (readonly [number, number])[] = [...SMALL_REGIMES, [0.6, 2], [0.99, 1.01]]
const THRESHOLDS: readonly number[][] = [[1 / 3, 0.5, 2 / 3, 1], [0.0001, 1], [1], [0.5], [0.9999]]

/**
 * Small networks of every regime, both models, with the extremes: operators of stake 0, services of profit 0, equal
 * profits, amounts times 10^15–10^60 and past a float (10^300 and more).
 */
function extremeNetwork(rng: Rng, i: number, ops: [number, number] = [1, 7]): Network {
  const raw = randomNetwork(rng, {
    operators: rng.int(ops[0], ops[1]),
    services: rng.int(1, 5),
    membersPerService: [1, 5],
    allocations: i % 2 === 0,
    profitFactor: REGIMES[i % REGIMES.length] as [number, number],
    thresholds: THRESHOLDS[(i >> 1) % THRESHOLDS.length] as number[],
  }) as RiskInput
  const set = <T>(o: T, k: keyof T, v: string) => {
    ;(o as Record<keyof T, unknown>)[k] = v
  }
  const mode = i % 7
  if (mode === 1)
    for (const o of raw.operators)
      if (rng.next() < 0.3) {
        set(o, 'stake', '0')
        for (const a of raw.allocations ?? []) if (a.operator === o.id) set(a, 'stake', '0')
      }
  if (mode === 2) for (const s of raw.services) if (rng.next() < 0.4) set(s, 'profit', '0')
  if (mode === 3) for (const s of raw.services) set(s, 'profit', String(raw.services[0]?.profit))
  if (mode === 4 || mode === 5) {
    const z = '0'.repeat(mode === 4 ? rng.int(15, 60) : rng.int(300, 330))
    for (const o of raw.operators) set(o, 'stake', `${o.stake}${z}`)
    for (const s of raw.services) set(s, 'profit', `${s.profit}${z}`)
    for (const a of raw.allocations ?? []) set(a, 'stake', `${a.stake}${z}`)
  }
  return parseRiskInput(raw)
}

describe('flat covers (flatLeaf.ts): a settled cover is a proof for its A at the incumbent', () => {
  test('at the cut-off: an A netting the incumbent plus one is found, and one netting no more is settled (seed 301)', () => {
    const rng = createRng(301)
    let cases = 0
    let raised = 0
    let fullyFixed = 0
    for (let i = 0; cases < 600 && i < 400; i++) {
      const n = extremeNetwork(rng, i, [2, 7])
      const S = n.services.length
      for (let mask = 1; mask < 1 << S; mask++) {
        const A = [...n.services.keys()].filter((s) => mask & (1 << s))
        const b = bestFor(n, A)
        if (b === null) continue
        for (const v of [b - 1n, b, b + 1n]) {
          if (v < 1n) continue // with no attack known there are no flat covers
          for (const ms of [10_000, 1e-9]) {
            const ctx = branchContext(n)
            const state = branchState(ctx, null)
            state.value = v // the incumbent's net (the cover reads nothing else of it)
            // A flat node: A's services forced in or attacked whole, the others left out or never attacked; a
            // node with every service fixed is the fully fixed node itself, whose own solve follows at once
            const fixed = new Uint8Array(S)
            const inCover = new Float64Array(S)
            for (let s = 0; s < S; s++) {
              const inA = A.includes(s)
              const r = rng.next()
              fixed[s] = r < 0.3 ? (inA ? IN : OUT) : FREE
              inCover[s] = inA ? 0.9 + 0.1 * rng.next() : 0.1 * rng.next()
            }
            const opts: BranchOptions = { highs, flatMinEdges: 0, flatLeafMs: ms }
            const out = flatLeaf(ctx, state, fixed, inCover, opts, Number.POSITIVE_INFINITY)
            const key = A.join(',')
            const tag: string = `network ${i}, A ${key}, incumbent ${v}, best ${b}, ${ms} ms`
            if (!fixed.includes(FREE)) {
              // the exact solve of the fully fixed node comes next, with all the time left: a cover first would
              // only do it twice (and, cut at 0.8 s, throw its work away)
              fullyFixed++
              assert.equal(out, 'skipped', `${tag}: covered at a fully fixed node`)
              continue
            }
            cases++
            assert.notEqual(out, 'not flat', tag)
            assert.notEqual(out, 'skipped', tag)
            const settled = state.flatTried.get(key)
            assert.ok(settled !== undefined, `${tag}: not remembered`)
            // the memory's soundness: settled means nothing for A nets more than the incumbent now has
            if (settled) assert.ok(state.value >= b, `${tag}: settled at ${state.value}`)
            if (ms === 10_000) assert.ok(settled, `${tag}: not settled with time to spare`)
            assert.equal(out === 'better', state.value > v, tag)
            if (out === 'better') {
              raised++
              const a = state.attack as Attack
              assert.ok(a && isValidAttack(n, a), `${tag}: invalid attack`)
              assert.equal(net(n, a), state.value, `${tag}: mispriced`)
              assert.deepEqual(a.services, A, `${tag}: not an attack of A`)
              assert.equal(state.value, b, `${tag}: not A's best`)
            } else assert.equal(state.value, v, tag)
            // once per A
            assert.equal(flatLeaf(ctx, state, fixed, inCover, opts, Number.POSITIVE_INFINITY), 'skipped')
          }
        }
      }
    }
    assert.ok(cases >= 600, `only ${cases} cases`)
    assert.ok(raised >= 100 && fullyFixed >= 10, `${raised} raised, ${fullyFixed} fully fixed`)
  })

  test('the fully fixed node of an A is skipped only when its cover was settled (seed 305)', () => {
    // The one place the memory skips work (serviceBranch.ts): a fully fixed node whose A nets one more than the
    // incumbent. Its bound is at least that, so only its exact solve decides it: remembered unsettled, it must be
    // solved (and the incumbent rise); remembered settled (here, falsely), it is skipped — the test sees the memory.
    const rng = createRng(305)
    let cases = 0
    for (let i = 0; cases < 150 && i < 1000; i++) {
      const n = extremeNetwork(rng, i, [2, 7])
      const S = n.services.length
      const mask = rng.int(1, (1 << S) - 1)
      const A = [...n.services.keys()].filter((s) => mask & (1 << s))
      const b = bestFor(n, A)
      if (b === null || b < 2n) continue
      cases++
      for (const remembered of [undefined, false, true]) {
        const ctx = branchContext(n)
        const state = branchState(ctx, null)
        state.value = b - 1n
        state.nodes = 1 // not a node that tries its own rounded attack (every eighth)
        if (remembered !== undefined) state.flatTried.set(A.join(','), remembered)
        const node: BranchNode = {
          fixed: Uint8Array.from({ length: S }, (_, s) => (A.includes(s) ? IN : OUT)),
          lam: rootNode(ctx).lam,
          parentBound: 1e300,
        }
        const opts: BranchOptions = { highs, flatMinEdges: 0, flatLeafMs: 10_000 }
        // (a finite deadline: HiGHS refuses an infinite time limit, and the leaf's solve passes it on)
        assert.equal(branchNode(ctx, state, node, opts, performance.now() + 60_000), 'done')
        const tag: string = `network ${i}, A ${A.join(',')}, best ${b}, remembered ${remembered}`
        assert.equal(state.value, remembered === true ? b - 1n : b, tag)
        if (remembered !== true)
          assert.ok(state.attack && isValidAttack(n, state.attack) && net(n, state.attack) === b, tag)
      }
    }
    assert.ok(cases >= 150, `only ${cases} cases`)
  })

  test('a node attacking a free service in part is not flat, and nothing is covered or remembered (seed 303)', () => {
    const rng = createRng(303)
    for (let i = 0; i < 50; i++) {
      const n = extremeNetwork(rng, i, [2, 6])
      const ctx = branchContext(n)
      const state = branchState(ctx, null)
      state.value = 1n
      const S = n.services.length
      const inCover = Float64Array.from({ length: S }, () => (rng.next() < 0.5 ? 1 : 0))
      inCover[rng.int(0, S - 1)] = 0.5
      const out = flatLeaf(ctx, state, new Uint8Array(S), inCover, { highs, flatMinEdges: 0 }, Infinity)
      assert.equal(out, 'not flat')
      assert.equal(state.flatTried.size, 0)
    }
  })
})

/** serviceBranch's loop, kept here so that the state (the flat covers' memory) can be read at the end. */
function search(n: Network, incumbent: Attack | null, budgetMs: number, opts: BranchOptions) {
  const ctx = branchContext(n)
  const state = branchState(ctx, incumbent)
  const deadline = performance.now() + budgetMs
  state.open.push(Infinity, rootNode(ctx))
  while (state.open.size > 0) {
    if (performance.now() > deadline) break
    if (branchNode(ctx, state, state.open.pop() as BranchNode, opts, deadline) === 'stop') break
  }
  return { out: branchOutcome(ctx, state), state }
}

describe('flat covers end to end: never a wrong proof against brute force', () => {
  test('one thread, every regime, both models, extremes, covers of no time to plenty, budgets of 3 ms to 10 s (seed 307)', () => {
    // Flat covers at any size (flatMinEdges 0) from the heuristic's attack or none, each given 1e-9 ms to 0.5 s, so
    // that many end unsettled; weak node bounds in one search of seven (more nodes, more flat ones). At the end,
    // every A remembered as settled is checked against its brute-force best.
    const rng = createRng(307)
    let covers = 0
    let unsettled = 0
    let remembered = 0
    let proven = 0
    let insecure = 0
    for (let i = 0; i < 700; i++) {
      const n = extremeNetwork(rng, i)
      const best = bruteMostProfitable(n)
      const truth = best !== null && best > 0n ? best : 0n
      if (truth > 0n) insecure++
      const incumbent = i % 3 === 0 ? null : heuristicAttack(n, { budgetMs: 5 })
      const budgetMs = [10_000, 10_000, 30, 3][(i >> 2) % 4] as number
      const { out, state } = search(n, incumbent, budgetMs, {
        highs,
        flatMinEdges: 0,
        flatLeafMs: [1e-9, 0.05, 1, 500][i % 4] as number,
        roundedMinEdges: i % 5 === 0 ? 0 : 2500,
        ...(i % 7 === 0 ? { nodeSteps: 1, nodePriceSteps: 1, rootPriceSteps: 2 } : {}),
        flatTrace: (_A, _before, _found, complete) => {
          covers++
          if (!complete) unsettled++
        },
      })
      const tag: string = `network ${i}`
      if (out.attack) {
        assert.ok(isValidAttack(n, out.attack), `${tag}: invalid attack`)
        assert.equal(net(n, out.attack), out.value, `${tag}: mispriced`)
      } else assert.equal(out.value, 0n, tag)
      assert.ok(out.value <= truth, `${tag}: ${out.value} above the optimum ${truth}`)
      assert.ok(
        out.bound >= Number(truth) * (1 - 1e-9),
        `${tag}: bound ${out.bound} below the optimum ${truth}`,
      )
      if (out.proven) {
        proven++
        assert.equal(out.value, truth, `${tag}: proved ${out.value}, brute force ${truth}`)
      }
      for (const [key, settled] of state.flatTried) {
        if (!settled) continue
        remembered++
        const b = bestFor(n, key.split(',').map(Number))
        assert.ok(
          b === null || b <= state.value,
          `${tag}: A ${key} remembered settled, nets ${b} > ${state.value}`,
        )
      }
    }
    assert.ok(insecure >= 150 && proven >= 500, `${insecure} insecure, ${proven} proven`)
    assert.ok(
      covers >= 150 && unsettled >= 50 && remembered >= 50,
      `${covers} covers, ${unsettled} unsettled, ${remembered} remembered`,
    )
  })

  test('two threads with flat covers at any size agree with brute force (seed 311)', async () => {
    // The threads' searches with flat covers on (flatMinEdges 0 through the test steps), weak bounds so that both
    // threads get nodes, covers of 1e-9 ms or 0.5 s: a node handed over is solved by a thread without the other's
    // memory, and each thread's incumbent rises with the other's attacks.
    const rng = createRng(311)
    const weak = { rootSteps: 5, rootPriceSteps: 3, nodePriceSteps: 2, flatMinEdges: 0 }
    const threads = parallelBranch({ minEdges: 0, steps: weak })
    let proven = 0
    let insecure = 0
    for (let i = 0; i < 40; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(5, 8),
          services: rng.int(4, 7),
          membersPerService: [3, 6],
          allocations: i % 2 === 0,
          profitFactor: i % 4 === 3 ? [0.2, 0.7] : [0.4, 1.2],
        }),
      )
      const best = bruteMostProfitable(n)
      const truth = best !== null && best > 0n ? best : 0n
      if (truth > 0n) insecure++
      const incumbent = heuristicAttack(n, { budgetMs: 10 })
      const job = threads.start(n, {
        incumbent,
        deadline: performance.now() + 5000,
        flatLeafMs: i % 2 === 0 ? 1e-9 : 500,
      })
      job.setDeadline(performance.now() + 5000)
      const out = await job.result()
      const tag: string = `network ${i}`
      if (out.attack) {
        assert.ok(isValidAttack(n, out.attack), `${tag}: invalid attack`)
        assert.equal(net(n, out.attack), out.value, `${tag}: mispriced`)
      }
      assert.ok(out.bound >= Number(truth) * (1 - 1e-9), `${tag}: bound below the optimum`)
      if (out.proven) {
        proven++
        assert.equal(out.value, truth, `${tag}: proved ${out.value}, brute force ${truth}`)
      }
    }
    assert.ok(insecure >= 25 && proven >= 30, `${insecure} insecure, ${proven} proven`)
  })
})

describe('the exact-cover flips retrying unsettled leaves (leafFlip.ts)', () => {
  /** A weak start for the flips (room to improve): one profitable service, attacked by all its members. */
  const start = (n: Network): Attack | null => {
    const s = n.services.findIndex((_, t) => (bestFor(n, [t]) ?? 0n) > 0n)
    if (s < 0) return null
    const a = { services: [s], operators: [...(n.services[s]?.members ?? [])].sort((x, y) => x - y) }
    return isValidAttack(n, a) ? a : null
  }

  test('from no time at all per leaf, with no deadline: it ends on its own, at a local optimum, valid and exact (seed 313)', () => {
    // flipMs 1e-9: every cover is left open at first, and only the retries' doubling settles it (about 30 rounds
    // to a millisecond); the extreme networks bring zero stakes and profits, ties and amounts past a float.
    const rng = createRng(313)
    let checked = 0
    let improved = 0
    for (let i = 0; checked < 120 && i < 600; i++) {
      const n = extremeNetwork(rng, i, [3, 7])
      const a = start(n)
      if (!a) continue
      checked++
      const best = bruteMostProfitable(n)
      const out = flipByLeaf(n, a, highs, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1e-9)
      const tag = `network ${i}`
      assert.ok(isValidAttack(n, out), `${tag}: invalid attack`)
      const v = net(n, out)
      assert.ok(v >= net(n, a) && best !== null && v <= best, `${tag}: ${v} outside [${net(n, a)}, ${best}]`)
      if (v > net(n, a)) improved++
      // no single flip, and no cheaper coalition for its own services, nets more: every leaf was settled
      for (let s = 0; s < n.services.length; s++) {
        const A = out.services.includes(s) ? out.services.filter((t) => t !== s) : [...out.services, s]
        if (A.length === 0) continue
        const b = bestFor(
          n,
          A.sort((x, y) => x - y),
        )
        assert.ok(b === null || b <= v, `${tag}: flipping service ${s} nets ${b} > ${v}`)
      }
      const own = bestFor(n, out.services)
      assert.ok(own === null || own <= v, `${tag}: its own services net ${own} > ${v}`)
    }
    assert.ok(checked >= 120 && improved >= 10, `${checked} checked, ${improved} improved`)
  })

  test("the start's own services are covered again too: on one service, the flips' only move (seed 323)", () => {
    // one service: no flip leaves a non-empty A, so only the retry of the start's own A can find its cheaper
    // coalition (the start pays every member's stake)
    const rng = createRng(323)
    let cheaper = 0
    for (let i = 0; i < 300; i++) {
      const n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(3, 8),
          services: 1,
          membersPerService: [3, 8],
          allocations: i % 2 === 0,
          profitFactor: [0.6, 2],
        }),
      )
      const a = start(n)
      if (!a) continue
      const b = bestFor(n, [0]) as bigint
      if (b > net(n, a)) cheaper++
      const out = flipByLeaf(
        n,
        a,
        highs,
        Number.POSITIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        i % 2 ? 1e-9 : 150,
      )
      assert.ok(isValidAttack(n, out), `network ${i}`)
      assert.equal(net(n, out), b, `network ${i}: its own A's best is not reached`)
    }
    assert.ok(cheaper >= 20, `only ${cheaper} starts with a cheaper cover`)
  })

  test('a leaf given no time at first is still retried to the end: no endless retries at 0 ms (seed 317)', () => {
    // With flipMs 0 a retry got 2 · 0 ms, for ever: with no deadline (the thread's case: an unbounded budget) the
    // search never ended. The deadline here is only a watchdog, far beyond what these networks take (milliseconds);
    // before the fix every search ran into it.
    const rng = createRng(317)
    let checked = 0
    for (let i = 0; checked < 5 && i < 100; i++) {
      const n = extremeNetwork(rng, 7 * i, [4, 7]) // plain amounts
      const a = start(n)
      if (!a) continue
      checked++
      let watchdog = false
      const until = performance.now() + 20_000
      const outer = () => {
        if (performance.now() < until) return Number.POSITIVE_INFINITY
        watchdog = true
        return Number.NEGATIVE_INFINITY
      }
      const out = flipByLeaf(n, a, highs, Number.POSITIVE_INFINITY, outer, 0)
      assert.ok(!watchdog, `network ${i}: the flips never ended`)
      assert.ok(isValidAttack(n, out) && net(n, out) >= net(n, a), `network ${i}`)
    }
    assert.equal(checked, 5)
  })

  test('a deadline that passes while it runs ends it with a valid attack, at once and at every later moment (seed 319)', () => {
    // the deadline read live: it passes after k reads, for k from 1 on
    const rng = createRng(319)
    let checked = 0
    for (let i = 0; checked < 60 && i < 400; i++) {
      const n = extremeNetwork(rng, i, [3, 7])
      const a = start(n)
      if (!a) continue
      checked++
      const k = rng.int(1, 200)
      let reads = 0
      let after = 0
      const outer = () => {
        if (++reads <= k) return Number.POSITIVE_INFINITY
        after++
        return Number.NEGATIVE_INFINITY
      }
      const out = flipByLeaf(n, a, highs, Number.POSITIVE_INFINITY, outer, 1e-9)
      assert.ok(isValidAttack(n, out) && net(n, out) >= net(n, a), `network ${i}`)
      // once past, it stops at the next look (a leaf's solve and the loop each look once or twice more)
      assert.ok(after <= 4, `network ${i}: ${after} looks at a passed deadline`)
    }
    assert.equal(checked, 60)
  })
})
