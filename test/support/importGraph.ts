/**
 * The modules a TypeScript entry point loads at run time: follows relative imports and re-exports through the
 * source files, skipping type-only ones (erased by the compiler), and collects the bare specifiers (packages and
 * Node.js builtins) it reaches, each with the file that imports it.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export type ImportGraph = { files: string[]; packages: Map<string, string> }

// `import … from 'x'`, `export … from 'x'`, `import 'x'` and `import('x')`; `import type`/`export type` are erased
const STATIC = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

export function importGraph(entry: string): ImportGraph {
  const files: string[] = []
  const packages = new Map<string, string>()
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    files.push(file)
    // comments may quote imports; strip block and line comments first
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    const specifiers: string[] = []
    for (const m of source.matchAll(STATIC)) if (!m[2]) specifiers.push(m[3]!)
    for (const m of source.matchAll(DYNAMIC)) specifiers.push(m[1]!)
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else if (!packages.has(specifier)) packages.set(specifier, file)
    }
  }
  visit(resolve(entry))
  return { files, packages }
}
