/**
 * The package's browser-safe entry points (`surety/sdk`, `surety/abis`, `surety/deployments`, `surety/risk`) load
 * no Node.js module and nothing of the node daemon or the CLI, whatever is added to the files they import; the
 * Node.js-only parts live behind `surety/risk/node`. The packed package itself is exercised in package.test.ts.
 */
import assert from 'node:assert/strict'
import { builtinModules } from 'node:module'
import { join, relative } from 'node:path'
import { describe, test } from 'node:test'
import { ENTRY_POINTS } from '../scripts/package/manifest.ts'
import { importGraph } from './support/importGraph.ts'

const root = join(import.meta.dirname, '..')
const BROWSER_SAFE = ['./sdk', './abis', './deployments', './risk']
/** Packages that need Node.js (a native module, a process) even though they are not builtins. */
const NODE_ONLY_PACKAGES = ['better-sqlite3', 'tsx']
const isNodeOnly = (specifier: string) =>
  specifier.startsWith('node:') ||
  builtinModules.includes(specifier.split('/')[0]!) ||
  NODE_ONLY_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`))

describe('the package entry points', () => {
  for (const subpath of BROWSER_SAFE) {
    test(`surety/${subpath.slice(2)} loads no Node.js module, in any file it imports`, () => {
      const graph = importGraph(join(root, 'src', `${ENTRY_POINTS[subpath]}.ts`))
      const nodeOnly = [...graph.packages].filter(([specifier]) => isNodeOnly(specifier))
      assert.deepEqual(
        nodeOnly.map(([specifier, file]) => `${specifier} (from ${relative(root, file)})`),
        [],
        'move the Node.js-only part behind surety/risk/node or a node-only module',
      )
      const daemon = graph.files.filter((f) => /src\/(node|cli|chain)\//.test(f))
      assert.deepEqual(
        daemon.map((f) => relative(root, f)),
        [],
      )
    })
  }

  test('surety/risk/node is where the worker-thread Monte Carlo is', () => {
    const graph = importGraph(join(root, 'src', `${ENTRY_POINTS['./risk/node']}.ts`))
    assert.ok(graph.packages.has('node:worker_threads'))
    assert.ok(graph.packages.has('highs'), 'the solver is reached through the re-exported engine')
  })

  test('every entry point is a module under src/ that exists', () => {
    for (const module of Object.values(ENTRY_POINTS)) {
      assert.ok(importGraph(join(root, 'src', `${module}.ts`)).files.length > 0)
    }
  })
})
