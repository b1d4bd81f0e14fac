/**
 * What a devnet started with `--json` says, as the world's end-to-end tests read it: every JSON line of its stdout
 * (the progress, ready and story events) collected as it arrives, and its stderr kept for failure messages.
 */
import type { ChildProcess } from 'node:child_process'

export type WorldEvent = { event: string; text?: string; [k: string]: unknown }

export function followJsonLines(child: ChildProcess): { events: WorldEvent[]; stderr: string[] } {
  const events: WorldEvent[] = []
  const stderr: string[] = []
  let buffer = ''
  child.stdout!.on('data', (chunk) => {
    buffer += String(chunk)
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as WorldEvent)
  })
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)))
  return { events, stderr }
}
