/**
 * Starts a real anvil process from the `@foundry-rs/anvil` npm package on a free local port.
 * Used by the test harness (one chain per test worker), the benchmarks and the devnet.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'

export type AnvilOptions = {
  port?: number
  chainId?: number
  /** Seconds between blocks; omit for automine (one block per transaction). */
  blockTime?: number
  accounts?: number
  /** Stamp blocks with explicit timestamps by default: tests move time themselves. */
  extraArgs?: string[]
  /** Told the process as soon as it is spawned, before the chain answers (the devnet's reaper watches it). */
  onSpawn?: (child: ChildProcess) => void
}

export type Anvil = { rpcUrl: string; port: number; process: ChildProcess; stop: () => Promise<void> }

export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url)
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`
  // The platform package of @foundry-rs/anvil ships the real binary. package.json depends on it directly (the
  // wrapper lists every platform as optional, and the registry we install from does not carry them all, which
  // breaks `npm ci`); calling the binary directly also avoids a wrapper process that would forward signals.
  return join(dirname(require.resolve(`${platformPackage}/package.json`)), 'bin', 'anvil')
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') return reject(new Error('no port'))
      server.close(() => resolve(address.port))
    })
  })
}

export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  const port = options.port ?? (await freePort())
  const args = [
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
    '--chain-id',
    String(options.chainId ?? 31337),
    '--accounts',
    String(options.accounts ?? 20),
    '--silent',
    ...(options.blockTime ? ['--block-time', String(options.blockTime)] : []),
    ...(options.extraArgs ?? []),
  ]
  const child = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  options.onSpawn?.(child)
  // The chain never outlives the process that started it, and never keeps that process alive by itself.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  child.once('exit', () => process.removeListener('exit', killOnExit))
  child.unref()
  ;(child.stderr as unknown as { unref?: () => void } | null)?.unref?.()
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  const rpcUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited with code ${child.exitCode}: ${stderr}`)
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      })
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`anvil did not start on port ${port}: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))])
    if (child.exitCode === null) child.kill('SIGKILL')
  }
  return { rpcUrl, port, process: child, stop }
}
