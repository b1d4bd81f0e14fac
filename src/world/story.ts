/**
 * The live log of the world: one short line per notable event, in token units and durations ("slash requested:
 * gpu-3, downtime, 1,200 STK, dispute window 3m 0s"), or one JSON object per line with `--json`. `--quiet` keeps
 * only the banner, warnings and errors.
 */
import { formatUnits } from 'viem'
import { formatDuration } from '../sdk/formatDuration.ts'

export type StoryEvent = {
  /** Short kebab-case name: order-opened, slash-requested, … */
  event: string
  text: string
  block?: bigint | undefined
  [field: string]: unknown
}

export type Story = {
  tell: (e: StoryEvent) => void
  warn: (text: string) => void
  /** Counts of every event told, by name (the tests and the final summary read them). */
  counts: Map<string, number>
}

/** Whole tokens with thousands separators and at most two decimals: 1,234.5 STK. */
export function tokens(wei: bigint, symbol = 'STK'): string {
  const n = Number(formatUnits(wei, 18))
  return `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${symbol}`
}

/** "45 s", "3 min", "2 h 5 min": the CLI's and the dashboard's wording (the SDK's). */
export const duration = (seconds: number | bigint): string => formatDuration(seconds)

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))

export function createStory(options: {
  json: boolean
  quiet: boolean
  write?: (line: string) => void
}): Story {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const counts = new Map<string, number>()
  const clock = () => new Date().toISOString().slice(11, 19)
  return {
    counts,
    tell: (e) => {
      counts.set(e.event, (counts.get(e.event) ?? 0) + 1)
      if (options.quiet) return
      if (options.json) write(json({ t: new Date().toISOString(), ...e }))
      else write(`${clock()}  ${e.text}`)
    },
    warn: (text) => {
      if (options.json) write(json({ t: new Date().toISOString(), event: 'warning', text }))
      else process.stderr.write(`${clock()}  ! ${text}\n`)
    },
  }
}
