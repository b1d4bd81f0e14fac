/** `surety api` as a real process: it listens, answers from the database it is given, refuses bad options. */
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { openIndexerDb } from '../../indexer/db/open.ts'

const root = join(import.meta.dirname, '..', '..', '..')
const cli = (args: string[]) =>
  [process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'api', ...args]] as const

describe('surety api', () => {
  test('serves an index database: /health answers, /ready says no block is indexed yet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'surety-api-cli-'))
    const file = join(dir, 'index.sqlite')
    await (await openIndexerDb({ url: file })).close() // what `surety index` makes before its first block
    const [node, args] = cli(['--database', file, '--port', '0', '--json'])
    const child = spawn(node, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const line = out.split('\n').find((l) => l.startsWith('{'))
          if (line) resolve((JSON.parse(line) as { url: string }).url)
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      const health = await fetch(`${url}/health`)
      assert.equal(health.status, 200)
      const ready = await fetch(`${url}/ready`)
      assert.equal(ready.status, 503)
      assert.match(((await ready.json()) as { reason: string }).reason, /has not indexed a block yet/)
      const list = await fetch(`${url}/v1/vaults`)
      assert.equal(list.status, 503)
      assert.equal(((await list.json()) as { error: { code: string } }).error.code, 'NOT_READY')
    } finally {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      assert.equal(await exited, 0, 'stops cleanly on SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('refuses a bad port, decimals or rate limit with a message and exit code 1, no stack trace', () => {
    for (const [args, message] of [
      [['--port', '99999'], /surety api: --port must be a TCP port, got '99999'/],
      [['--decimals', 'many'], /surety api: --decimals must be an integer from 0 to 36, got 'many'/],
      [
        ['--rate-limit', 'lots'],
        /surety api: --rate-limit must be a whole number of requests per minute \(0 for no limit\), got 'lots'/,
      ],
      [['--prot', '80'], /surety api: Unknown option '--prot'.* Run `surety api --help`/],
      [
        ['--database', '/nonexistent/index.sqlite'],
        /surety api: no index database at \/nonexistent\/index.sqlite: run `surety index` first/,
      ],
    ] as const) {
      const [node, argv] = cli([...args])
      const r = spawnSync(node, argv, { cwd: root, encoding: 'utf8' })
      assert.equal(r.status, 1, r.stderr)
      assert.match(r.stderr, message)
      assert.doesNotMatch(r.stderr, /\n\s+at /)
    }
  })
})
