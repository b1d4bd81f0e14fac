/**
 * `npm run build`: the installable package in dist/, from scratch every time (a deleted source never ships).
 * 1. ESM JavaScript for every non-test file under src/ (tsconfig.build.json; globbed, so new files ship),
 * 2. .d.ts for the public entry points and what they import (tsconfig.types.json),
 * 3. the non-TypeScript files under src/ a module reads at run time (SQL, JSON…), by the same glob,
 * 4. the Solidity an integrator imports (contracts/src/{interfaces,types,libraries} → dist/contracts/…),
 * 5. the manifest (scripts/package/manifest.ts), the README, the CHANGELOG and the `surety` bin.
 * `npm pack ./dist` (npm run pack) then makes the tarball.
 */
import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { ENTRY_POINTS, publishManifest } from './manifest.ts'

const root = join(import.meta.dirname, '..', '..')
const dist = join(root, 'dist')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
/** Integrator-facing Solidity: what an on-chain integration imports; the protocol's contracts stay in the repo. */
const SOLIDITY_DIRS = ['interfaces', 'types', 'libraries']
/** Test-only files and folders under src/: never shipped. */
const isTestOnly = (path: string) =>
  /\.test\.[cm]?ts$/.test(path) ||
  /(^|\/)testing(\/|$)/.test(path) ||
  /(^|\/)node\/e2e(\/|$)/.test(path) ||
  /(^|\/)fixtures\//.test(path)

function tscPass(config: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', config], { cwd: root, stdio: 'inherit' })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p ${config} failed`))))
  })
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

export async function build() {
  const started = Date.now()
  rmSync(dist, { recursive: true, force: true })
  // the two passes write different files (.js, .d.ts): run them side by side
  await Promise.all([tscPass('tsconfig.build.json'), tscPass('tsconfig.types.json')])

  let assets = 0
  for (const file of walk(join(root, 'src'))) {
    const rel = relative(join(root, 'src'), file)
    if (file.endsWith('.ts') || isTestOnly(rel)) continue
    mkdirSync(dirname(join(dist, rel)), { recursive: true })
    cpSync(file, join(dist, rel))
    assets++
  }
  for (const dir of SOLIDITY_DIRS) {
    cpSync(join(root, 'contracts/src', dir), join(dist, 'contracts', dir), { recursive: true })
  }

  const manifest = publishManifest(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')))
  writeFileSync(join(dist, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  for (const file of ['README.md', 'CHANGELOG.md']) cpSync(join(root, file), join(dist, file))
  mkdirSync(join(dist, 'bin'))
  cpSync(join(root, 'bin/surety.mjs'), join(dist, 'bin/surety.mjs'))

  for (const module of Object.values(ENTRY_POINTS)) {
    for (const ext of ['.js', '.d.ts']) {
      if (!existsSync(join(dist, module + ext))) {
        throw new Error(
          `entry point ${module}${ext} was not built: add src/${module}.ts to tsconfig.types.json`,
        )
      }
    }
  }
  console.log(`built dist/ (${assets} assets) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

if (process.argv[1] === import.meta.filename) {
  build().catch((error: Error) => {
    console.error(`build: ${error.message}`)
    process.exit(1)
  })
}
