/**
 * `npm start`'s preparation (the `prestart` script), done only when something changed:
 * 1. the CLI compiled to JavaScript in .build/ (one file per module, the same tree as src/, imports kept
 *    external), so `npm start` and the world's node processes start with plain `node`: running through tsx, each
 *    of the six processes compiled the code on load, most of the devnet's start time on a loaded machine;
 * 2. the dashboard (`npm run build:web` → web/dist/), which the world's API serves.
 * Each is skipped when a hash of its inputs (file contents, the lockfile, this script) matches the one recorded
 * by its last build. Plain JavaScript, not TypeScript through tsx, so that checking costs milliseconds.
 * Run: node scripts/prestart.mjs [--force]
 */
import { spawn } from 'node:child_process'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  BUILD_DIR,
  BUILT_CLI,
  cliHash,
  cliSources,
  commonInputs,
  hashFiles,
  root,
  stamp,
  walk,
  writeStamp,
} from './cliBuild.mjs'

const force = process.argv.includes('--force')
const sources = cliSources()
const common = commonInputs()

async function buildCli() {
  const hash = cliHash()
  if (!force && existsSync(BUILT_CLI) && stamp('cli.hash') === hash) return 'up to date'
  const { build } = await import('esbuild')
  // built beside the old tree, then swapped in: a devnet running from .build/ never loads a half-written file
  const tmp = `${BUILD_DIR}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  await build({
    entryPoints: sources,
    outdir: tmp,
    outbase: join(root, 'src'),
    // each module its own file: `bundle` only so that a plugin can rewrite every relative import from `.ts`
    // (what tsx resolves) to `.js`, keeping it external; packages stay imports of node_modules
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'relative-imports-stay-modules',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) =>
            args.kind === 'entry-point'
              ? undefined
              : { path: args.path.replace(/\.ts$/, '.js'), external: true },
          )
        },
      },
    ],
  })
  rmSync(BUILD_DIR, { recursive: true, force: true })
  renameSync(tmp, BUILD_DIR)
  writeStamp('cli.hash', hash)
  return `compiled ${sources.length} modules`
}

async function buildWeb() {
  const inputs = [
    ...walk(join(root, 'web'), (rel) => rel === 'web/dist' || rel.includes('node_modules')),
    // the dashboard imports the SDK from src/
    ...sources,
    ...common,
  ]
  const hash = hashFiles(inputs)
  const index = join(root, 'web', 'dist', 'index.html')
  const built = () => `${hash} ${hashFiles([index])}`
  if (!force && existsSync(index) && stamp('web.hash') === built()) return 'up to date'
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js')
  const status = await new Promise((resolve, reject) => {
    const args = [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', resolve)
  })
  if (status !== 0) throw new Error('the dashboard did not build (npm run build:web says why)')
  writeStamp('web.hash', built())
  return 'built'
}

const started = performance.now()
try {
  const timed = async (build) => {
    const what = await build()
    return `${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`
  }
  // side by side: esbuild and vite each do their work in a process of their own
  const [cli, web] = await Promise.all([timed(buildCli), timed(buildWeb)])
  console.error(`prestart: CLI ${cli}, dashboard ${web}`)
} catch (error) {
  console.error(`prestart: ${error.message}`)
  process.exit(1)
}
