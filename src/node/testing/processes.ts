/**
 * Node processes for end-to-end tests: the real CLI (`surety node --config FILE`) in a child process, its JSON log
 * lines kept in memory and in a file beside its config, and a clean way to stop it (SIGTERM) or kill it (SIGKILL).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cliCommand } from '../../../scripts/cliBuild.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export type Exit = { code: number | null; signal: NodeJS.Signals | null }

export type NodeProcess = {
  child: ChildProcess
  lines: string[]
  logFile: string
  exited: Promise<Exit>
  /** SIGTERM, then SIGKILL after a grace period. */
  stop: () => Promise<Exit>
  kill: () => Promise<Exit>
  /** Parsed JSON log records whose `msg` matches. */
  logs: (msg: string | RegExp) => Record<string, unknown>[]
}

export function spawnNode(configPath: string, env: Record<string, string>): NodeProcess {
  const logFile = configPath.replace(/\.ya?ml$/, '.log')
  const child = spawn(process.execPath, [...cliCommand(), 'node', '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const lines: string[] = []
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8')
    appendFileSync(logFile, text)
    for (const line of text.split('\n')) if (line.trim()) lines.push(line)
  }
  child.stdout!.on('data', collect)
  child.stderr!.on('data', collect)
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    const exit = await exited
    clearTimeout(timer)
    return exit
  }
  return {
    child,
    lines,
    logFile,
    exited,
    stop,
    kill: async () => {
      child.kill('SIGKILL')
      return exited
    },
    logs: (msg) =>
      lines
        .filter((l) => l.startsWith('{'))
        .map((l) => {
          try {
            return JSON.parse(l) as Record<string, unknown>
          } catch {
            return {}
          }
        })
        .filter(
          (r) => typeof r.msg === 'string' && (typeof msg === 'string' ? r.msg === msg : msg.test(r.msg)),
        ),
  }
}
