#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so a checkout works after `npm ci` with no build step. Signals are forwarded,
// so stopping this process (Ctrl-C, a supervisor's SIGTERM) stops the command and whatever it started.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const child = spawn(process.execPath, [tsxCli, join(root, 'src/cli/main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
