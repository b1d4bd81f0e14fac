/**
 * Runs every `*.test.ts` under src/, test/ and web/ with Node's test runner, each file in its own process (through
 * tsx: the children inherit this process's loader flags); contract tests start their own anvil there.
 * Arguments that are not flags narrow the run to matching paths (`npm test -- src/risk`);
 * `--test-name-pattern=RE` runs only the tests whose names match; `--test-reporter=tap` prints TAP instead of
 * the spec reporter's lines. TEST_CONCURRENCY sets the number of files run at once (2 by default); TEST_TIMES=file.json
 * writes every file's seconds there.
 *
 * The files run through `run()` rather than `node --test FILES`: Node 20's command line sorts the files it is
 * given alphabetically, so the order below was silently lost and the longest files started wherever the alphabet
 * put them. At the end the run prints the files that took longest, which is where CI time goes.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { run } from 'node:test'
import { spec, tap } from 'node:test/reporters'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)
const filters = args.filter((a) => !a.startsWith('--'))
const flag = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ??
  (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined)
const unknown = args.filter(
  (a, i) =>
    a.startsWith('--') &&
    !/^--test-(name-pattern|reporter)(=|$)/.test(a) &&
    !/^--test-(name-pattern|reporter)$/.test(args[i - 1] ?? ''),
)
if (unknown.length > 0) {
  console.error(
    `runTests: unknown option ${unknown.join(' ')}; use path filters, --test-name-pattern=RE or --test-reporter=tap`,
  )
  process.exit(2)
}

function collect(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return []
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return collect(path)
    return name.endsWith('.test.ts') ? [relative(root, path)] : []
  })
}

/**
 * The files that run for minutes start first, longest first (the new user's story ~300 s, the invariant suites
 * ~150 s each, the real-process world and node end-to-end tests, the package and browser suites): with two
 * workers the run then ends when the many short files have filled the gaps, instead of a long file starting last
 * and running alone. Measured order; the run's closing summary shows whether it still holds.
 */
const LONG_FIRST = [
  'src/world/newUser',
  'test/invariants/',
  'src/world/world.e2e',
  'test/package.test',
  'test/gas.test',
  'src/node/e2e/',
  'src/world/',
  'dashboard.browser',
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

const reporterName = flag('test-reporter') ?? 'spec'
if (reporterName !== 'spec' && reporterName !== 'tap') {
  console.error(`runTests: --test-reporter must be spec or tap; got ${reporterName}`)
  process.exit(2)
}
const pattern = flag('test-name-pattern')
const started = performance.now()
const stream = run({
  files: files.map((f) => join(root, f)),
  // Three files at once on two cores: the end-to-end stories wait on blocks more than they compute, and a fresh
  // clone's `.ci/run` took 17 min 45 s with three against 19 min 55 s with two (1,389 of 1,389 both; 2026-12-08).
  concurrency: Number(process.env.TEST_CONCURRENCY ?? 3),
  ...(pattern ? { testNamePatterns: [new RegExp(pattern)] } : {}),
})

/** Seconds of top-level tests per file: where the run's time goes. */
const perFile = new Map<string, number>()
let failed = false
type TopLevel = { nesting: number; file?: string; details: { duration_ms: number } }
const count = (t: TopLevel) => {
  if (t.nesting !== 0 || !t.file) return
  perFile.set(t.file, (perFile.get(t.file) ?? 0) + t.details.duration_ms / 1000)
}
stream.on('test:pass', count)
stream.on('test:fail', (t: TopLevel) => {
  failed = true
  count(t)
})

const out = reporterName === 'tap' ? stream.compose(tap) : stream.compose(new spec())
out.pipe(process.stdout)
// 'close' of the reporter: after its last line (neither 'end' nor beforeExit comes after it on Node 20)
out.on('close', () => {
  const byTime = [...perFile].sort((a, b) => b[1] - a[1])
  // every file's seconds, for balancing the run (TEST_TIMES=path.json)
  if (process.env.TEST_TIMES)
    writeFileSync(
      process.env.TEST_TIMES,
      JSON.stringify(Object.fromEntries(byTime.map(([f, s]) => [relative(root, f), Math.round(s)])), null, 1),
    )
  const slowest = byTime.slice(0, 8)
  if (files.length > 1) {
    console.error(
      `\nruntests: ${files.length} files in ${((performance.now() - started) / 1000).toFixed(0)} s; the longest:\n` +
        slowest.map(([f, s]) => `  ${s.toFixed(1).padStart(6)} s  ${relative(root, f)}`).join('\n'),
    )
  }
  process.exitCode = failed ? 1 : 0
})
