/**
 * An adversarial review of the branch and bound over services on two worker threads (parallelBranch.ts,
 * branchWorker.ts) and its wiring (attack.ts): every proof the threads' merged answer claims must be the
 * brute-force optimum, whatever the deadline, whatever else the threads are doing (a previous search still
 * running, another search started beside it), and no message to a thread may be lost.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { importGraph } from '../../test/support/importGraph.ts'
import { analyzeNetwork } from './analyze.ts'
import { solveMostProfitable } from './attack.ts'
import { bruteMostProfitable } from './bruteForce.ts'
import { heuristicAttack } from './heuristic.ts'
import { parseRiskInput } from './input.ts'
import { loadHighs } from './mip.ts'
import type { Network } from './network.ts'
import { closeBranchThreads, parallelBranch } from './parallelBranch.ts'
import { randomNetwork, SMALL_REGIMES } from './randomNetwork.ts'
import { createRng, type Rng } from './rng.ts'
import { type BranchOutcome, serviceBranch } from './serviceBranch.ts'
import { type Attack, attackCost, attackProfit, isValidAttack } from './verify.ts'

const highs = await loadHighs()
after(() => closeBranchThreads())

/** Weak node bounds, so that even small trees have dozens of nodes (parallelBranch.test.ts). */
const WEAK = { rootSteps: 5, rootPriceSteps: 3, nodePriceSteps: 2 }

const net = (n: Network, a: Attack | null) => (a ? attackProfit(n, a) - attackCost(n, a) : 0n)

function smallNetwork(rng: Rng, i: number): Network {
  return parseRiskInput(
    randomNetwork(rng, {
      operators: rng.int(6, 9),
      services: rng.int(6, 8),
      membersPerService: [3, 6],
      allocations: i % 5 === 4,
      profitFactor: SMALL_REGIMES[i % 3] as readonly [number, number],
    }),
  )
}

/** What any answer must satisfy: its attack valid at its value; proven means the optimum; else a bound above it. */
function assertHonest(n: Network, out: BranchOutcome, best: bigint, what: string): void {
  if (out.attack) {
    assert.ok(isValidAttack(n, out.attack), `${what}: invalid attack`)
    assert.equal(net(n, out.attack), out.value, `${what}: value is not the attack's`)
  }
  assert.ok(out.value <= best, `${what}: value above the optimum`)
  if (out.proven) assert.equal(out.value, best, `${what}: proven but not the optimum`)
  else assert.ok(out.bound >= Number(best), `${what}: unproven with bound ${out.bound} below ${best}`)
}

describe('review: the two-thread branch and bound', () => {
  test('an attack offered while the threads still load is used, not dropped (seed 7, network 0)', async () => {
    // Threads load their modules and the solver before running a job; the heuristic's attack, offered meanwhile,
    // reached the worker's message handler, which kept only jobs: the cold search (every CLI run) went on
    // without it. Without setDeadline only the thread holding the root searches, so node counts are repeatable.
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    const n = smallNetwork(createRng(7), 0)
    const h = heuristicAttack(n, { budgetMs: 20 })
    assert.ok(h && net(n, h) > 0n, 'the heuristic finds an attack to offer')
    const withIt = await threads.start(n, { incumbent: h, deadline: performance.now() + 5000 }).result()
    const without = await threads.start(n, { deadline: performance.now() + 5000 }).result()
    assert.notEqual(withIt.nodes, without.nodes, 'the incumbent changes the search here')
    await closeBranchThreads()
    const cold = threads.start(n, { deadline: performance.now() + 5000 })
    cold.offer(h)
    const out = await cold.result()
    assert.ok(out.proven)
    assert.equal(out.value, bruteMostProfitable(n))
    assert.equal(out.nodes, withIt.nodes, 'the cold threads searched without the offered attack')
  })

  test('a time limit of months or more is kept, not taken for one already over (seed 11, network 3)', async () => {
    // The grace timer got the whole time left: setTimeout takes at most 2^31 − 1 ms (24.8 days) and fires after
    // 1 ms beyond it, so the threads were stopped at once and the exact proof lost to the solver's; and a deadline
    // past 2^63 ms wrapped in the shared BigInt64 slot. One thread proves these exactly.
    const rng = createRng(11)
    let n: Network | undefined
    for (let i = 0; i <= 3; i++)
      n = parseRiskInput(
        randomNetwork(rng, {
          operators: rng.int(6, 9),
          services: rng.int(6, 8),
          membersPerService: [3, 6],
          profitFactor: SMALL_REGIMES[2] as readonly [number, number],
        }),
      )
    const m = n as Network
    const best = bruteMostProfitable(m) ?? 0n
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    for (const ms of [3e9, 1e20]) {
      const job = threads.start(m, { deadline: performance.now() + ms })
      job.setDeadline(performance.now() + ms)
      const out = await job.result()
      assert.ok(out.proven, `deadline in ${ms} ms: unproven`)
      assert.equal(out.value, best)
    }
    const parallel = parallelBranch({ minEdges: 0 })
    for (const timeLimitSeconds of [1e7, 1e17]) {
      const { answer, attack } = await solveMostProfitable(m, { timeLimitSeconds, parallel })
      assert.ok(answer.proven && answer.exact, `limit ${timeLimitSeconds} s: not proven exactly`)
      assert.equal(net(m, attack), best)
    }
  })

  test('amounts past a float: a search cut short answers no bound (Infinity), never NaN', async () => {
    // 1e320 tokens: the shares' unit is Infinity and every float of the search NaN; the bound reported was
    // NaN · Infinity = NaN, which compares below every optimum (and reached analyzeNetwork's profitBound).
    const E = '0'.repeat(320)
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: `3${E}` },
        { id: 'b', stake: `4${E}` },
        { id: 'c', stake: `5${E}` },
      ],
      services: [
        { id: 's', profit: `5${E}`, threshold: 0.5, operators: ['a', 'b'] },
        { id: 't', profit: `3${E}`, threshold: 0.5, operators: ['b', 'c'] },
      ],
    })
    const best = bruteMostProfitable(n) ?? 0n
    assert.equal(best, 10n ** 320n)
    for (const maxNodes of [1, 2, 3]) {
      const out = serviceBranch(n, { maxNodes, highs })
      assertHonest(n, out, best, `one thread, ${maxNodes} nodes`)
    }
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    let cut = 0
    for (let k = 0; k < 20; k++) {
      const job = threads.start(n, { deadline: performance.now() + (k % 4) })
      job.setDeadline(performance.now() + (k % 4))
      const out = await job.result()
      assertHonest(n, out, best, `two threads, try ${k}`)
      if (!out.proven && out.nodes > 0) cut++
    }
    const whole = await threads.start(n, { deadline: performance.now() + 5000 }).result()
    assertHonest(n, whole, best, 'two threads, 5 s')
    assert.ok(whole.proven)
    // deadlines of 0–3 ms stop most of them after a node or more (15 of 20 here at load 7)
    assert.ok(cut >= 1, 'no search was cut short after a node')
  })

  test('the browser’s risk engine reaches neither the threads nor node:worker_threads', () => {
    // attack.ts names the threads' job by type only (branchJob.ts), erased by the compiler
    for (const entry of ['index.ts', 'attack.ts', 'analyze.ts']) {
      const graph = importGraph(join(import.meta.dirname, entry))
      assert.ok(graph.files.some((f) => f.endsWith('attack.ts')))
      assert.ok(!graph.packages.has('node:worker_threads'), `${entry} loads node:worker_threads`)
      for (const f of graph.files) assert.ok(!/(parallelBranch|branchWorker|branchProtocol)\.ts$/.test(f), f)
    }
    const node = importGraph(join(import.meta.dirname, 'node.ts'))
    assert.ok(node.files.some((f) => f.endsWith('parallelBranch.ts')))
  })

  test('every claim matches brute force at deadlines of 0–80 ms and 3 s, offers mid-search (seed 103)', async () => {
    // A node lost between the threads, a report from the previous search or a job still queued at the deadline
    // would show here as a proof off the optimum or a bound below it.
    const rng = createRng(103)
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    const tally = { proven: 0, unproven: 0, shared: 0 }
    for (let i = 0; i < 49; i++) {
      const n = smallNetwork(rng, i)
      const best = bruteMostProfitable(n) ?? 0n
      const ms = [0, 1, 3, 10, 30, 80, 3000][i % 7] as number
      const incumbent = i % 2 === 1 ? heuristicAttack(n, { budgetMs: 5 }) : null
      const job = threads.start(n, { incumbent, deadline: performance.now() + ms })
      if (i % 4 === 2) job.offer(heuristicAttack(n, { budgetMs: 2 }) ?? { services: [0], operators: [] })
      if (i % 3 !== 0) job.setDeadline(performance.now() + ms) // else one thread only, under HOLD
      const out = await job.result()
      assertHonest(n, out, best, `network ${i} at ${ms} ms`)
      tally[out.proven ? 'proven' : 'unproven']++
      if ((out.nodesPerThread ?? []).every((k) => k > 0)) tally.shared++
    }
    assert.ok(tally.proven >= 10 && tally.unproven >= 10, JSON.stringify(tally))
    assert.ok(tally.shared >= 3, JSON.stringify(tally))
  })

  test('searches started together on the same two threads keep their answers apart (seed 107)', async () => {
    // The threads take jobs in order: a search started beside another waits for it, and may answer unproven
    // past its own deadline, but never with the other's nodes, attack or proof.
    const rng = createRng(107)
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    let proven = 0
    let unproven = 0
    for (let round = 0; round < 6; round++) {
      const nets = [0, 1, 2, 3].map((k) => smallNetwork(rng, 4 * round + k + 2))
      const bests = nets.map((n) => bruteMostProfitable(n) ?? 0n)
      const outs = await Promise.all(
        nets.map(async (n, k) => {
          const ms = [0, 20, 80, 3000][(round + k) % 4] as number
          const job = threads.start(n, { deadline: performance.now() + ms })
          await new Promise((r) => setTimeout(r, 2 * k))
          const h = heuristicAttack(n, { budgetMs: 2 })
          if (h) job.offer(h)
          job.setDeadline(performance.now() + ms)
          return job.result()
        }),
      )
      outs.forEach((out, k) => {
        assertHonest(nets[k] as Network, out, bests[k] as bigint, `round ${round}, search ${k}`)
        if (out.proven) proven++
        else unproven++
      })
    }
    assert.ok(proven >= 6 && unproven >= 3, `${proven} proven, ${unproven} not`)
    // two whole questions at once, on the same two threads
    const parallel = parallelBranch({ minEdges: 0 })
    for (let round = 0; round < 4; round++) {
      const two = [smallNetwork(rng, 2), smallNetwork(rng, 5)]
      const res = await Promise.all(
        two.map((n, k) =>
          solveMostProfitable(n, { timeLimitSeconds: [0.02, 0.08, 3][(round + k) % 3] as number, parallel }),
        ),
      )
      res.forEach(({ answer, attack }, k) => {
        const n = two[k] as Network
        const best = bruteMostProfitable(n) ?? 0n
        if (attack) assert.ok(isValidAttack(n, attack))
        if (answer.proven) assert.equal(net(n, attack), best, `round ${round}, question ${k}`)
        else assert.ok(answer.bound >= Number(best), `round ${round}, question ${k}: bound below`)
      })
    }
  })

  test('an attack listing a service or an operator twice is no incumbent: it "proved" 11 where the best is 2', async () => {
    // No service pays alone (each cover costs 7 for 6); both together net 2. A caller's start (SolveOptions,
    // public) of s three times passed isValidAttack, which summed its profit three times (18 − 7 = 11): the
    // branching pruned the real optimum against it and reported it proven exactly, on one thread and on two.
    const n = parseRiskInput({
      operators: [
        { id: 'a', stake: 3 },
        { id: 'b', stake: 4 },
        { id: 'c', stake: 3 },
      ],
      services: [
        { id: 's', profit: 6, threshold: 1, operators: ['a', 'b'] },
        { id: 't', profit: 6, threshold: 1, operators: ['b', 'c'] },
      ],
    })
    assert.equal(bruteMostProfitable(n), 2n)
    const forged: Attack[] = [
      { services: [0, 0, 0], operators: [0, 1] },
      { services: [0, 1, 1], operators: [0, 1, 2] },
      { services: [0, 1], operators: [0, 1, 2, 2] }, // valid as a set, charged c twice
    ]
    for (const a of forged) assert.equal(isValidAttack(n, a), false, JSON.stringify(a))
    const threads = parallelBranch({ minEdges: 0, steps: WEAK })
    for (const start of forged) {
      const one = serviceBranch(n, { incumbent: start, highs, budgetMs: 2000 })
      assertHonest(n, one, 2n, `one thread from ${JSON.stringify(start)}`)
      const job = threads.start(n, { incumbent: start, deadline: performance.now() + 2000 })
      job.offer(start)
      job.setDeadline(performance.now() + 2000)
      assertHonest(n, await job.result(), 2n, `two threads from ${JSON.stringify(start)}`)
      for (const parallel of [undefined, parallelBranch({ minEdges: 0 })]) {
        const r = await analyzeNetwork(n, { timeLimitSeconds: 3, start, ...(parallel ? { parallel } : {}) })
        assert.ok(r.attack, 'insecure')
        assert.equal(r.attack.profit - r.attack.cost, 2n, `analyzeNetwork from ${JSON.stringify(start)}`)
        assert.equal(r.largestAttack?.cost, 10n, `the largest attack from ${JSON.stringify(start)}`)
      }
    }
  })
})
