/**
 * What decides whether the CLI compiled into .build/ (by scripts/prestart.mjs) is current: a hash of the CLI's
 * sources, the lockfile and the build script, recorded beside node_modules when the build finishes. Shared by
 * prestart (rebuild only when it changed) and bin/surety.mjs (in a checkout, run the built CLI with plain node
 * only when it is current — through tsx every `npx surety` paid seconds compiling TypeScript).
 * Plain JavaScript, so that checking costs milliseconds.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..')
/** The built CLI: one level below the checkout like src/, so paths a module builds from its own location hold. */
export const BUILD_DIR = join(root, '.build')
export const BUILT_CLI = join(BUILD_DIR, 'cli', 'main.js')
const STAMPS = join(root, 'node_modules', '.cache', 'surety')

/** Test-only files under src/ (the package build leaves out the same): never part of the run. */
const isTestOnly = (rel) =>
  /\.test\.[cm]?ts$/.test(rel) ||
  /(^|\/)testing(\/|$)/.test(rel) ||
  /(^|\/)node\/e2e(\/|$)/.test(rel) ||
  /(^|\/)fixtures\//.test(rel)

export function walk(dir, skip = () => false) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const path = join(dir, e.name)
      if (skip(relative(root, path))) return []
      return e.isDirectory() ? walk(path, skip) : [path]
    })
    .sort()
}

export function hashFiles(files) {
  const hash = createHash('sha256')
  for (const file of files)
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex')
}

/** The CLI's TypeScript sources (what esbuild compiles). */
export const cliSources = () =>
  walk(join(root, 'src')).filter((f) => f.endsWith('.ts') && !isTestOnly(relative(join(root, 'src'), f)))

/** Inputs of every build besides its own files: the lockfile and the scripts that build. */
export const commonInputs = () => [
  join(root, 'package-lock.json'),
  join(root, 'scripts', 'prestart.mjs'),
  fileURLToPath(import.meta.url),
]

export const cliHash = () => hashFiles([...cliSources(), ...commonInputs()])

export function stamp(name) {
  try {
    return readFileSync(join(STAMPS, name), 'utf8')
  } catch {
    return undefined
  }
}

export function writeStamp(name, value) {
  mkdirSync(STAMPS, { recursive: true })
  writeFileSync(join(STAMPS, name), value)
}

/** True when .build/ holds the CLI compiled from exactly the sources in the checkout now. */
export const builtCliIsCurrent = () => existsSync(BUILT_CLI) && stamp('cli.hash') === cliHash()

let current
/**
 * The node arguments that run the CLI in a new process from a checkout: the built CLI while it is current (plain
 * node, a second sooner per process than tsx compiling ~400 modules), else the sources through tsx. What tests use
 * to start devnets, nodes and CLI calls: `npm test`'s pretest runs prestart, so CI runs what `npm start` runs.
 * The currency check (a hash of the sources) is made once per process.
 */
export function cliCommand() {
  current ??= builtCliIsCurrent()
  if (current) return [BUILT_CLI]
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')
  return ['--import', tsx, join(root, 'src', 'cli', 'main.ts')]
}
