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

const files = ['src', 'test', 'web']
  .flatMap((d) => {
    try {
      return collect(join(root, d))
    } catch {
      return []
    }
  })
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()

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
