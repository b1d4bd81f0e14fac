#!/usr/bin/env node
// The `surety` command. Installed from the package, it runs the built JavaScript (../cli/main.js) in this process.
// In a checkout it runs the CLI that `npm start`'s prestart compiled into .build/ when that build is current (a
// hash of the sources, scripts/cliBuild.mjs: about 2 s sooner than compiling through tsx), and otherwise the
// TypeScript CLI through tsx, so `npm ci` is enough with no build step; signals are forwarded, so stopping this
// process (Ctrl-C, a supervisor's SIGTERM) stops the command and whatever it started.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const packaged = join(root, 'cli/main.js')
const checkoutBuild = join(root, 'scripts/cliBuild.mjs')

/** The built CLI to run in this process, if there is a current one. */
async function builtCli() {
  if (existsSync(packaged)) return packaged
  if (!existsSync(checkoutBuild) || process.env.SURETY_FROM_SOURCE) return undefined
  const { BUILT_CLI, builtCliIsCurrent } = await import(pathToFileURL(checkoutBuild).href)
  return builtCliIsCurrent() ? BUILT_CLI : undefined
}

const built = await builtCli()
if (built) {
  const { main } = await import(pathToFileURL(built).href)
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
} else {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
  const child = spawn(process.execPath, [tsxCli, join(root, 'src/cli/main.ts'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal))
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
