#!/usr/bin/env node
// Runs Biome from its platform binary package. The wrapper package `@biomejs/biome` lists every platform's binary
// as an optional dependency, and the registry this project installs from does not carry all of them, which makes
// `npm ci` fail; so package.json depends on the binary for the platforms we run on (linux x64) directly.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const pkg = `@biomejs/cli-${process.platform}-${process.arch}`
let binary
try {
  binary = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'biome')
} catch {
  console.error(`biome: ${pkg} is not installed; add it with \`npm i -D -E ${pkg}@2.6.8\` on this platform`)
  process.exit(2)
}
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' })
process.exit(result.status ?? 1)
