/**
 * Review riskz of the thread schedule (threadSlot.ts) and of a failing solver answering nothing (search.ts
 * searchOrNothing). Fake threads (an EventEmitter that claims its jobs as mipWorker.ts does) drive the races
 * deterministically; a failing and a half-failing solver run against brute force.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import type { Worker } from 'node:worker_threads'
import { SuretyError } from '../errors.ts'
import { largestAttack, solveMostProfitable } from './attack.ts'
import { bruteCascade, bruteLargestCost, bruteMostProfitable } from './bruteForce.ts'
import { worstCaseLoss } from './cascade.ts'
import { parseRiskInput } from './input.ts'
import { loadHighs, type MipRunner, solveMipWith } from './mip.ts'
import { closeMipThread, mipThreadRunner } from './mipThread.ts'
import { totalStake } from './network.ts'
import { randomNetwork } from './randomNetwork.ts'
import { cmp, rat, toNumber } from './rational.ts'
import { createRng } from './rng.ts'
import { type JobHandlers, type JobMessage, threadSlot } from './threadSlot.ts'

/** A thread that does nothing by itself: the test claims, answers and ends its jobs. */
class FakeThread extends EventEmitter {
  posted: { id: number; claim: SharedArrayBuffer }[] = []
  refs = 0
  terminated = false
  postMessage(m: { id: number; claim: SharedArrayBuffer }) {
    this.posted.push(m)
  }
  ref() {
    this.refs = 1
  }
  unref() {
    this.refs = 0
  }
  terminate() {
    this.terminated = true
    return Promise.resolve(0)
  }
  /** The thread takes the job (as claimJob): true when it was queued. */
  claim(id: number): boolean {
    const m = this.posted.find((x) => x.id === id)
    assert.ok(m, `job ${id} posted here`)
    return Atomics.compareExchange(new Int32Array(m.claim), 0, 0, 1) === 0
  }
  /** The thread ends the job (as endJob, before its last message). */
  end(id: number) {
    const m = this.posted.find((x) => x.id === id)
    assert.ok(m)
    Atomics.store(new Int32Array(m.claim), 0, 3)
  }
  say(m: JobMessage & Record<string, unknown>) {
    this.emit('message', m)
  }
}

const fakeSlot = () => {
  const threads: FakeThread[] = []
  let failStart = false
  const slot = threadSlot(() => {
    if (failStart) throw new Error('no thread')
    const t = new FakeThread()
    threads.push(t)
    return t as unknown as Worker
  })
  return { slot, threads, failStarts: (f: boolean) => (failStart = f) }
}

/** Handlers that record what the owner heard. */
const ear = () => {
  const heard: string[] = []
  const handlers: JobHandlers = {
    message: (m) => heard.push(String(m.type)),
    lost: () => heard.push('lost'),
  }
  return { heard, handlers }
}

describe('riskz: the thread schedule’s races (fake threads)', () => {
  test('a released job that ended on the thread, its last message not yet read: a give-up behind it leaves the next running job alone', () => {
    const { slot, threads } = fakeSlot()
    const c = ear()
    const a = ear()
    const b = ear()
    const coupled = slot.submit({ id: 1 }, c.handlers)
    const solveA = slot.submit({ id: 2 }, a.handlers)
    const solveB = slot.submit({ id: 3 }, b.handlers)
    const t = threads[0] as FakeThread
    // the coupled job runs, is stopped and let go of (coupledOnThread stop())
    assert.ok(t.claim(1))
    t.say({ id: 1, type: 'started' })
    coupled.release()
    t.end(1)
    // the thread ends it and starts A; the main thread, busy (the verdict's flips), has read neither message yet
    // when B's timer fires (timers run before the message port's events)
    assert.ok(t.claim(2))
    assert.equal(solveB.giveUp(), 'queued')
    assert.equal(t.terminated, false, 'the thread running A was ended by B’s give-up')
    assert.deepEqual(a.heard, [], 'A was answered as lost')
    t.say({ id: 1, type: 'coupledDone' })
    t.say({ id: 2, type: 'done' })
    assert.deepEqual(a.heard, ['done'])
    solveA.finish()
  })

  test('a job given up after it ended on the thread (its answer not read yet) leaves the thread to the next job', () => {
    const { slot, threads } = fakeSlot()
    const a = ear()
    const b = ear()
    const solveA = slot.submit({ id: 40 }, a.handlers)
    slot.submit({ id: 41 }, b.handlers)
    const t = threads[0] as FakeThread
    assert.ok(t.claim(40))
    t.say({ id: 40, type: 'started' })
    t.end(40)
    assert.ok(t.claim(41))
    assert.equal(solveA.state(), 'running', 'ended there, its answer coming: not queued (flipThread stop)')
    // A's timer runs before the thread's 'done' for A and 'started' for B are read
    assert.equal(solveA.giveUp(), 'over')
    assert.equal(t.terminated, false, 'B’s thread was ended')
    t.say({ id: 41, type: 'done' })
    assert.deepEqual(b.heard, ['done'])
  })

  test('a job re-posted after its thread was replaced hears only its new thread: the old one’s late answer is not taken, and one answer settles it once', () => {
    const { slot, threads } = fakeSlot()
    const a = ear()
    const b = ear()
    const solveA = slot.submit({ id: 10 }, a.handlers)
    const solveB = slot.submit({ id: 11 }, b.handlers)
    const old = threads[0] as FakeThread
    assert.ok(old.claim(10))
    // A's time is over while it runs: the thread is ended, B re-posted to the successor
    assert.equal(solveA.giveUp(), 'running')
    assert.equal(old.terminated, true)
    const next = threads[1] as FakeThread
    assert.deepEqual(
      next.posted.map((m) => m.id),
      [11],
    )
    assert.equal(next.refs, 1, 'B’s owner waits: its new thread holds the process')
    // the old thread had started B in the instant before it was ended: its claim there is void, and its answer
    // (already in its port) is not read
    const oldClaimB = old.posted.find((m) => m.id === 11)?.claim as SharedArrayBuffer
    assert.notEqual(oldClaimB, next.posted[0]?.claim, 'the re-posted job has a fresh claim')
    assert.equal(Atomics.load(new Int32Array(oldClaimB), 0), 2, 'the old claim was taken back')
    old.say({ id: 11, type: 'done' })
    old.emit('exit', 1)
    assert.deepEqual(b.heard, [])
    assert.ok(next.claim(11))
    next.say({ id: 11, type: 'started' })
    next.say({ id: 11, type: 'done' })
    solveB.finish()
    next.say({ id: 11, type: 'done' })
    assert.deepEqual(b.heard, ['started', 'done'])
    assert.deepEqual(a.heard, [], 'A, given up, hears nothing more')
    assert.equal(next.refs, 0, 'nobody waits: the thread holds nothing')
  })

  test('a thread that dies before it claims anything: its queued job is re-posted twice at most, then answered as lost, once', () => {
    const { slot, threads } = fakeSlot()
    const a = ear()
    slot.submit({ id: 20 }, a.handlers)
    for (let i = 0; i < 5; i++) {
      const t = threads.at(-1) as FakeThread
      t.emit('error', new Error('cannot load'))
      t.emit('exit', 1)
    }
    assert.equal(threads.length, 3, 'the job was posted to three threads')
    assert.deepEqual(a.heard, ['lost'])
  })

  test('a successor that cannot start: the queued job is answered as lost at once (not solved elsewhere), the thread left let go of', () => {
    const { slot, threads, failStarts } = fakeSlot()
    const a = ear()
    const b = ear()
    const solveA = slot.submit({ id: 30 }, a.handlers)
    slot.submit({ id: 31 }, b.handlers)
    const t = threads[0] as FakeThread
    assert.ok(t.claim(30))
    failStarts(true)
    assert.equal(solveA.giveUp(), 'running')
    assert.deepEqual(b.heard, ['lost'])
    assert.throws(() => slot.submit({ id: 32 }, ear().handlers), /no thread/)
    assert.equal(t.refs, 0)
  })
})

/** HiGHS on this thread for the first `good` solves of a question, then failing (a SuretyError, as mipThread.ts). */
let failed = 0
const failsFrom = (good: number): MipRunner => {
  let calls = 0
  return async (b, o) => {
    if (calls++ >= good) {
      await new Promise((r) => setTimeout(r, 1))
      failed++
      throw new SuretyError('HiGHS aborted')
    }
    return solveMipWith(await loadHighs(), b, o)
  }
}

describe('riskz: a solver that fails part-way never proves what is not so', () => {
  const rng = createRng(2626)
  const nets = Array.from({ length: 16 }, (_, i) =>
    parseRiskInput(
      randomNetwork(rng, {
        operators: 6,
        services: 4,
        membersPerService: [2, 5],
        allocations: i % 2 === 1,
        // near the edge: some secure, most reach the solver
        profitFactor: i % 4 < 2 ? [0.15, 0.6] : [0.3, 1.5],
      }),
    ),
  )
  test('the verdict: "secure" only where brute force finds no profitable attack; bounds never below it', async () => {
    const before = failed
    for (const [i, n] of nets.entries())
      for (const good of [0, 1]) {
        const r = await solveMostProfitable(n, { mipRunner: failsFrom(good) })
        const best = bruteMostProfitable(n) ?? 0n
        const net = r.answer.attack ? r.answer.attack.profit - r.answer.attack.cost : 0n
        assert.ok(net <= best, `net ${i} good ${good}: attack above brute force`)
        assert.ok(r.answer.bound >= Number(best), `net ${i} good ${good}: bound below brute force`)
        if (r.answer.proven) assert.equal(net, best, `net ${i} good ${good}: false proof`)
        if (r.answer.proven && r.answer.attack === null)
          assert.ok(best <= 0n, `net ${i}: proven secure, is not`)
      }
    assert.ok(failed - before >= 2, `the solver failed only ${failed - before} times`)
  })
  test('the largest attack and the cascade (both paths), failing on the second opinion or later', async () => {
    const before = failed
    for (const [i, n] of nets.slice(0, 10).entries())
      for (const good of [1]) {
        const large = await largestAttack(n, { mipRunner: failsFrom(good) })
        const most = bruteLargestCost(n)
        assert.ok((large.attack?.cost ?? 0n) <= most)
        assert.ok(large.bound >= Number(most), `net ${i} good ${good}: largest bound below brute force`)
        if (large.proven)
          assert.equal(large.attack?.cost ?? 0n, most, `net ${i} good ${good}: largest false proof`)
        const psi = rat(BigInt(1 + (i % 3)), 10n)
        const worst = rat(bruteCascade(n, psi), totalStake(n))
        for (const extra of [{}, { cascadeSplit: 0.2 }]) {
          const c = await worstCaseLoss(n, psi, { exhaustive: false, ...extra, mipRunner: failsFrom(good) })
          assert.ok(cmp(c.worstLoss, worst) <= 0)
          assert.ok(
            c.worstLossBound >= toNumber(worst) * (1 - 1e-12),
            `net ${i} good ${good}: cascade bound low`,
          )
          if (c.proven) assert.equal(cmp(c.worstLoss, worst), 0, `net ${i} good ${good}: cascade false proof`)
        }
      }
    assert.ok(failed - before >= 8, `the solver failed only ${failed - before} times`)
  })
})

/** Runs a script through tsx in a child process: its output, exit code, and whether it had to be killed. */
const child = (file: string, killAfterMs: number) =>
  new Promise<{ out: string; code: number | null; killed: boolean }>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let killed = false
    p.stdout.on('data', (d) => {
      out += d
    })
    p.stderr.on('data', (d) => {
      out += d
    })
    const t = setTimeout(() => {
      killed = true
      p.kill('SIGKILL')
    }, killAfterMs)
    p.on('exit', (code) => {
      clearTimeout(t)
      resolve({ out, code, killed })
    })
  })

describe('riskz: a process with jobs withdrawn and re-posted exits once it has answered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'riskz-'))
  const here = new URL('.', import.meta.url).pathname
  test('surety risk analyze --time-limit 1 on a small network, and 12 solves at once on the real thread (never closed): each answers, then the process ends', async () => {
    const input = join(dir, 'net.json')
    writeFileSync(
      input,
      JSON.stringify({
        operators: [
          { id: 'a', stake: 1 },
          { id: 'b', stake: 2 },
          { id: 'c', stake: 3 },
        ],
        services: [
          { id: 's', profit: 2.5, threshold: 0.5, operators: ['a', 'b'] },
          { id: 't', profit: 1, threshold: 0.34, operators: ['b', 'c'] },
        ],
      }),
    )
    const cli = join(dir, 'cli.mts')
    // (no process.exit, unlike bin/surety.mjs: whatever holds the event loop shows)
    writeFileSync(
      cli,
      `import { command } from '${here}../cli/commands/risk.ts'
       const code = await command.run(['analyze', '--input', '${input}', '--time-limit', '1', '--json'])
       console.log('ANSWERED', code)`,
    )
    const solves = join(dir, 'solves.mts')
    // 12 solves posted at once with limits of 10–120 ms: most are given up queued (withdrawn) or running (the
    // thread replaced, the rest re-posted); every one must settle, and nothing may hold the process after
    writeFileSync(
      solves,
      `import { buildAttackModel } from '${here}attackModel.ts'
       import { parseRiskInput } from '${here}input.ts'
       import { runMipOnThread, abandonedSolves, withdrawnSolves } from '${here}mipThread.ts'
       import { randomNetwork } from '${here}randomNetwork.ts'
       import { createRng } from '${here}rng.ts'
       const rng = createRng(7)
       const model = () => buildAttackModel(parseRiskInput(randomNetwork(rng, { operators: 9, services: 5, membersPerService: [2, 6], allocations: true })), 'profit').builder
       // the thread loaded first (one solve with room), so that some are given up while running
       await runMipOnThread(model(), { maximize: true, timeLimitSeconds: 5 })
       const jobs = Array.from({ length: 12 }, (_, i) => {
         return runMipOnThread(model(), { maximize: true, timeLimitSeconds: 0.01 * (1 + (i % 12)) })
       })
       const out = await Promise.allSettled(jobs)
       console.log('SETTLED', out.filter((r) => r.status === 'fulfilled').length, abandonedSolves(), withdrawnSolves())`,
    )
    const [a, b] = await Promise.all([child(cli, 30_000), child(solves, 30_000)])
    assert.equal(a.killed, false, `the CLI did not exit: ${a.out}`)
    assert.match(a.out, /ANSWERED 0/, a.out)
    assert.equal(b.killed, false, `the solves’ process did not exit: ${b.out}`)
    assert.match(b.out, /SETTLED 12 /, b.out)
    console.log(`riskz: ${b.out.trim()}`)
  })
})

describe('riskz: 20 questions at once on the solver’s thread, short limits', () => {
  after(() => closeMipThread())
  test('each answers, never past brute force, no false proof (overruns measured, printed)', async () => {
    const rng = createRng(2020)
    const LIMIT_S = 0.4
    const nets = Array.from({ length: 20 }, (_, i) =>
      parseRiskInput(
        randomNetwork(rng, {
          operators: 7,
          services: 4,
          membersPerService: [2, 5],
          allocations: i % 2 === 0,
          profitFactor: [0.2, 1.5],
        }),
      ),
    )
    const over: number[] = []
    const timed = async <T>(f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now()
      const r = await f()
      over.push(performance.now() - t0 - LIMIT_S * 1000)
      return r
    }
    const opts = { timeLimitSeconds: LIMIT_S, mipRunner: mipThreadRunner }
    await Promise.all(
      nets.map(async (n, i) => {
        if (i % 3 === 0) {
          const r = await timed(() => solveMostProfitable(n, opts))
          const best = bruteMostProfitable(n) ?? 0n
          const net = r.answer.attack ? r.answer.attack.profit - r.answer.attack.cost : 0n
          assert.ok(net <= best && r.answer.bound >= Number(best), `net ${i}: verdict`)
          if (r.answer.proven) assert.equal(net, best, `net ${i}: verdict false proof`)
        } else if (i % 3 === 1) {
          const r = await timed(() => largestAttack(n, opts))
          const most = bruteLargestCost(n)
          assert.ok((r.attack?.cost ?? 0n) <= most && r.bound >= Number(most), `net ${i}: largest`)
          if (r.proven) assert.equal(r.attack?.cost ?? 0n, most, `net ${i}: largest false proof`)
        } else {
          const psi = rat(BigInt(1 + (i % 3)), 10n)
          const r = await timed(() => worstCaseLoss(n, psi, { ...opts, exhaustive: false }))
          const worst = rat(bruteCascade(n, psi), totalStake(n))
          assert.ok(cmp(r.worstLoss, worst) <= 0, `net ${i}: cascade above brute force`)
          assert.ok(r.worstLossBound >= toNumber(worst) * (1 - 1e-12), `net ${i}: cascade bound low`)
          if (r.proven) assert.equal(cmp(r.worstLoss, worst), 0, `net ${i}: cascade false proof`)
        }
      }),
    )
    assert.equal(over.length, 20)
    over.sort((a, b) => b - a)
    console.log(
      `riskz: 20 at once, ${LIMIT_S} s each: overruns (ms, worst first) ${over.slice(0, 5).map(Math.round)}`,
    )
  })
})
