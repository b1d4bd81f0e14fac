/** Operator endpoints for tests and the benchmark, served by a separate process (see endpointServer.ts). */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Endpoints = {
  url: (name: string) => string
  set: (name: string, state: 'up' | 'down') => Promise<void>
  hits: () => Promise<number>
  /** The process serving them, for CPU accounting. */
  pid: number
  close: () => Promise<void>
}

export async function startEndpoints(): Promise<Endpoints> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'endpointServer.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += String(chunk)
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`endpoint server exited (${code})`)))
  })
  const base = `http://127.0.0.1:${port}`
  return {
    url: (name) => `${base}/op/${name}`,
    set: async (name, state) => {
      const response = await fetch(`${base}/control/${name}/${state}`, { method: 'POST' })
      if (!response.ok) throw new Error(`endpoint control failed: ${response.status}`)
    },
    hits: async () => ((await (await fetch(`${base}/stats`)).json()) as { hits: number }).hits,
    pid: child.pid!,
    close: async () => {
      process.removeListener('exit', killOnExit)
      if (child.exitCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
