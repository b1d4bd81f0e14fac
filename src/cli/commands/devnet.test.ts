/** `surety devnet` as a user runs it: a real child process that stays up, serves the chain, and stops on Ctrl-C. */
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { freePort } from '../../chain/anvil.ts'

const root = join(import.meta.dirname, '..', '..', '..')

test('the devnet keeps running until interrupted, then stops its chain', async () => {
  const port = await freePort()
  const cwd = mkdtempSync(join(tmpdir(), 'surety-devnet-cli-'))
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'surety.mjs'), 'devnet', '--no-world', '--port', String(port), '--json'],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout.on('data', (d) => {
    out += String(d)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const rpc = `http://127.0.0.1:${port}`
  const blockNumber = async () => {
    const r = await fetch(rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    })
    return (await r.json()).result as string
  }
  try {
    const deadline = Date.now() + 90_000
    while (!out.includes('"event":"ready"')) {
      assert.ok(Date.now() < deadline, 'the devnet never reported ready')
      assert.equal(child.exitCode, null, 'the devnet exited before it was ready')
      await new Promise((r) => setTimeout(r, 200))
    }
    const summary = JSON.parse(out.split('\n').find((l) => l.includes('"event":"ready"'))!)
    assert.equal(summary.rpcUrl, rpc)
    assert.equal(summary.nodes, undefined, '--no-world: contracts only, no nodes')
    // still up a moment later: the process does not exit once the world is seeded
    await new Promise((r) => setTimeout(r, 1500))
    assert.equal(child.exitCode, null)
    assert.match(await blockNumber(), /^0x[0-9a-f]+$/)
  } finally {
    child.kill('SIGINT')
  }
  assert.equal(await exited, 0)
  await assert.rejects(blockNumber(), 'the chain stops with the devnet')
})

test('a second devnet on a port in use is refused with what to do, and deploys nothing', async () => {
  const port = await freePort()
  const busy = createServer().listen(port, '127.0.0.1')
  await new Promise((r) => busy.once('listening', r))
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'surety-devnet-cli-'))
    const result = spawnSync(
      process.execPath,
      [join(root, 'bin', 'surety.mjs'), 'devnet', '--no-world', '--port', String(port)],
      { cwd, encoding: 'utf8' },
    )
    assert.equal(result.status, 1)
    assert.match(result.stderr, new RegExp(`port ${port} is in use — is another devnet running\\?`))
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace')
    assert.equal(existsSync(join(cwd, '.surety')), false, 'no manifest written')
  } finally {
    busy.close()
  }
})

test('a devnet whose parent dies without passing on a signal (npm on SIGTERM) stops with its chain', async () => {
  const port = await freePort()
  const cwd = mkdtempSync(join(tmpdir(), 'surety-devnet-cli-'))
  const tsx = join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')
  const devnet = [process.execPath, '--import', tsx, join(root, 'src/cli/main.ts'), 'devnet', '--no-world']
  // a wrapper like npm: it starts the devnet and, killed, passes nothing on
  const wrapper = spawn(
    process.execPath,
    [
      '-e',
      `require('node:child_process').spawn(${JSON.stringify(devnet[0])}, ${JSON.stringify([...devnet.slice(1), '--port', String(port), '--json'])}, { stdio: 'inherit' }); setInterval(() => {}, 1e9)`,
    ],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  wrapper.stdout.on('data', (d) => {
    out += String(d)
  })
  const deadline = Date.now() + 120_000
  while (!out.includes('"event":"ready"')) {
    assert.ok(Date.now() < deadline, 'the devnet never reported ready')
    await new Promise((r) => setTimeout(r, 200))
  }
  const banner = JSON.parse(out.split('\n').find((l) => l.includes('"event":"ready"'))!)
  wrapper.kill('SIGKILL')
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
  const gone = Date.now() + 30_000
  while (alive(banner.pid) || alive(banner.anvilPid)) {
    assert.ok(Date.now() < gone, 'the orphaned devnet and its chain are still running')
    await new Promise((r) => setTimeout(r, 200))
  }
})

test('an unknown option is bad input: named, exit 1, no stack trace', () => {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'surety.mjs'), 'devnet', '--bogus'], {
    encoding: 'utf8',
  })
  assert.equal(result.status, 1)
  assert.match(result.stderr, /Unknown option '--bogus'; see `surety devnet --help`/)
  assert.doesNotMatch(result.stderr, /TypeError|at .*:\d+:\d+/)
})

test('devnet warp refuses a duration it cannot read, naming the format', () => {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'surety.mjs'), 'devnet', 'warp', 'soon'], {
    encoding: 'utf8',
  })
  assert.equal(result.status, 1)
  assert.match(result.stderr, /duration 'soon': give a number and a unit, e.g. 30s, 10m, 2h, 1d/)
})
