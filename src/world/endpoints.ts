/**
 * The operators' side of the GPU service, simulated on loopback in a process of its own (endpointServer.ts):
 * each operator's declared health endpoint (what the attesters probe) and the results of its compute jobs (what
 * the attesters check against the committed hash). Whether an endpoint is up follows the world's script
 * (endpointDown), a pure function of the seed and the epoch, so every attester probing during an epoch sees the
 * same thing, the resolver can check a report against it, and a restarted world replays the same outages.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SuretyError } from '../errors.ts'
import { createRng } from '../risk/rng.ts'
import type { OperatorDesign } from './design.ts'
import { moduleArgs } from './moduleProcess.ts'

export type Outage = { from: number; to: number }

/**
 * Whether `op`'s endpoint is down during the epoch containing `unixSeconds`: in its hard outage, or (a flaky one)
 * for a whole epoch with probability flakyBps, never during the first `calmEpochs` after the world began.
 */
export function endpointDown(
  seed: number,
  op: OperatorDesign,
  unixSeconds: number,
  epochSeconds: number,
  startedAt: number,
  outage: Outage | undefined,
  calmEpochs = 2,
): boolean {
  if (op.hardFail && outage && unixSeconds >= outage.from && unixSeconds < outage.to) return true
  if (op.flakyBps === 0) return false
  const epoch = Math.floor(unixSeconds / epochSeconds)
  if (epoch < Math.floor(startedAt / epochSeconds) + calmEpochs) return false
  return createRng(seed, 1_000_000 * (op.index + 1) + (epoch % 1_000_000)).next() * 10_000 < op.flakyBps
}

/** The hard outage: whole epochs from the first epoch boundary `afterSeconds` after the world first started. */
export function hardOutage(
  startedAt: number,
  afterSeconds: number,
  epochSeconds: number,
  epochs: number,
): Outage {
  const from = Math.ceil((startedAt + afterSeconds) / epochSeconds) * epochSeconds
  return { from, to: from + epochs * epochSeconds }
}

export type EndpointServer = {
  url: string
  healthUrl: (op: OperatorDesign) => string
  resultUrlTemplate: string
  /** Starts the script: outages are scheduled from `startedAt` (Unix seconds). */
  startScript: (startedAt: number) => Promise<void>
  pid: number
  close: () => Promise<void>
}

export async function startEndpoints(config: {
  seed: number
  profile: 'demo' | 'fast'
  vaults: string[]
  port: number
}): Promise<EndpointServer> {
  const here = dirname(fileURLToPath(import.meta.url))
  const child = spawn(process.execPath, moduleArgs('endpointServer'), {
    // tsx resolves from the checkout, wherever the devnet was started
    cwd: join(here, '..', '..'),
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SURETY_WORLD_ENDPOINTS: JSON.stringify(config) },
  })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += String(chunk)
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) =>
      reject(
        new SuretyError(`the operators' endpoint server exited (code ${code}); is port ${config.port} free?`),
      ),
    )
  })
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    healthUrl: (op) => `${url}/op/${op.name}/health`,
    resultUrlTemplate: `${url}/results/{orderId}/{milestone}/{vault}`,
    startScript: async (startedAt) => {
      const response = await fetch(`${url}/control/script`, {
        method: 'POST',
        body: JSON.stringify({ startedAt }),
      })
      if (!response.ok) throw new SuretyError(`the endpoint server refused its script: ${response.status}`)
    },
    pid: child.pid!,
    close: async () => {
      process.removeListener('exit', killOnExit)
      // killed by a signal (Ctrl-C reaches the whole process group), exitCode stays null: signalCode says it is gone
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
