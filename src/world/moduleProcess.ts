/**
 * The argument list that runs one of the world's sibling modules in a new node process, the same way this process
 * runs: built JavaScript (`npm start` runs the CLI compiled by scripts/prestart.mjs into .build/) starts with
 * plain `node` in a fraction of a second; TypeScript (tests, `npx tsx`) goes through tsx, which compiles each
 * module on load — seconds per process on a loaded machine, times five nodes.
 */
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)
const ext = extname(here)

/** `path` is relative to src/world/ (or its built twin), without extension: '../cli/main', 'endpointServer'. */
export function moduleArgs(path: string): string[] {
  const file = join(dirname(here), `${path}${ext}`)
  // tsx is resolved from the spawned process's cwd: callers spawn in the checkout
  return ext === '.js' ? [file] : ['--import', 'tsx', file]
}
