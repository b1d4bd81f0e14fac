/**
 * The `surety` executable in a checkout (bin/surety.mjs): a reader that closes the pipe early is not an error,
 * and the CLI compiled by prestart is run only while it matches the sources (scripts/cliBuild.mjs).
 */
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..')
const BIN = join(ROOT, 'bin/surety.mjs')

test('`surety --help | head -1` exits 0 without a stack trace when the reader closes the pipe', async () => {
  const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (d) => {
    err += d
  })
  // read the first chunk, then close our end: the CLI's next write meets EPIPE
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  child.stdout.destroy()
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  assert.equal(err, '', 'nothing on stderr')
  assert.equal(code, 0)
})

test('the built CLI is chosen only when its recorded hash matches the sources now', async () => {
  const { BUILT_CLI, cliHash, builtCliIsCurrent, stamp, writeStamp } = await import(
    join(ROOT, 'scripts/cliBuild.mjs')
  )
  const recorded: string | undefined = stamp('cli.hash')
  try {
    writeStamp('cli.hash', cliHash())
    assert.equal(
      builtCliIsCurrent(),
      existsSync(BUILT_CLI),
      'a matching stamp: current whenever the build exists',
    )
    writeStamp('cli.hash', 'a build of other sources')
    assert.equal(builtCliIsCurrent(), false, 'a stale stamp is never current')
    // with a stale build the executable falls back to the TypeScript sources through tsx, and still works
    const stale = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })
    assert.equal(stale.status, 0, stale.stderr)
    assert.match(stale.stdout, /Usage: surety <command>/)
  } finally {
    if (recorded === undefined) rmSync(join(ROOT, 'node_modules/.cache/surety/cli.hash'), { force: true })
    else writeStamp('cli.hash', recorded)
  }
})
