/**
 * Runs every `*.test.ts` under src/ and test/ with Node's built-in test runner (through tsx).
 * Each file runs in its own process; contract tests start their own anvil there (one chain per worker).
 * Extra arguments are passed through, so `npm test -- src/risk` narrows the run to matching paths.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('--'))

function collect(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return []
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return collect(path)
    return name.endsWith('.test.ts') ? [relative(root, path)] : []
  })
}

/**
 * The files that run for minutes start first, longest first (the invariant suites ~200 s each, the real-process
 * world and node end-to-end tests, the package and browser suites): with two workers the run then ends when the
 * many short files have filled the gaps, instead of a long file starting last and running alone.
 */
const LONG_FIRST = [
  'test/invariants/',
  'src/world/',
  'src/node/e2e/',
  'test/package',
  'dashboard.browser',
  'gas.test',
]
const firstRank = (f: string) => {
  const i = LONG_FIRST.findIndex((p) => f.includes(p))
  return i === -1 ? LONG_FIRST.length : i
}

const files = ['src', 'test', 'web']
  .flatMap((d) => {
    try {
      return collect(join(root, d))
    } catch {
      return []
    }
  })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => firstRank(a) - firstRank(b) || a.localeCompare(b))

if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`)
  process.exit(1)
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2'
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...passthrough, ...files],
  { stdio: 'inherit', cwd: root },
)
process.exit(result.status ?? 1)
