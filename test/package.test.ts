/**
 * The package as an integrator gets it: `npm run build`, `npm pack`, the tarball installed into a fresh project
 * (from the local npm cache or the registry, as `npm install surety viem` would), then
 * - the README's SDK example, extracted from README.md so the two cannot drift, type-checked against the installed
 *   .d.ts and run against a devnet: a deposit, the position read back, an order opened, each checked on chain;
 * - every entry point imported by a typed program (a wrong call must fail to type-check: the types are real);
 * - the `surety` bin run from node_modules/.bin (no tsx installed there: it runs the built JavaScript);
 * - the README's Solidity example compiled with solc against the packaged interfaces;
 * - the risk engine run in Chromium from the installed files.
 */
import assert from 'node:assert/strict'
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { formatEther, parseEther, toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { freePort } from '../src/chain/anvil.ts'
import { DEVNET_MNEMONIC, type Devnet, startDevnet } from '../src/chain/devnet.ts'
import { deploymentFor } from '../src/deployments/index.ts'
import { createSuretyReader } from '../src/sdk/createSuretyClient.ts'
import { readNetwork } from '../src/sdk/readNetwork.ts'
import { readOrder } from '../src/sdk/readOrder.ts'
import { readPosition } from '../src/sdk/readPosition.ts'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const root = join(import.meta.dirname, '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const tsc = require.resolve('typescript/bin/tsc')
/** The installs pin the workspace's versions, so they come from the npm cache. */
const versionOf = (name: string) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version
/** The README's example account: the devnet's 17th funded account (anvil's public test keys). */
const exampleAccount = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: 16 })

/** The first ```lang block after a heading, exactly as the README shows it. */
function codeBlock(heading: string, lang: string): string {
  const section = readme.slice(readme.indexOf(heading))
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section)
  assert.ok(match, `README.md has a \`\`\`${lang} block under "${heading}"`)
  return match[1]!
}

/** npm with none of the outer `npm test`'s npm_* variables (one of them points npm at this repository). */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)))

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: cleanEnv(), maxBuffer: 64 << 20 })
  return stdout
}

/** Runs a program to completion; resolves with its exit code and output whatever the code. */
function exec(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
  })
}

type PackResult = { filename: string; size: number; unpackedSize: number; files: { path: string }[] }

describe('the packed package, installed in a fresh project', () => {
  let work: string
  let project: string
  let pack: PackResult
  let devnet: Devnet

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'surety-package-'))
    project = join(work, 'integrator')
    mkdirSync(project)
    // the devnet seeds its demo world while the package builds
    const devnetStarting = (async () =>
      startDevnet({ port: await freePort(), manifestDir: join(work, 'deployments') }))()
    const phases: string[] = []
    let since = Date.now()
    const phase = (name: string) => {
      phases.push(`${name} ${((Date.now() - since) / 1000).toFixed(1)} s`)
      since = Date.now()
    }
    try {
      // `npm run build` less its first step, build:contracts, which `npm test` has just run
      await run(process.execPath, ['--import', 'tsx', 'scripts/package/build.ts'], {
        cwd: root,
        env: cleanEnv(),
      })
      phase('build')
      ;[pack] = JSON.parse(await npm(['pack', './dist', '--json', '--pack-destination', work], root))
      phase('pack')
      writeFileSync(
        join(project, 'package.json'),
        `${JSON.stringify({ name: 'integrator', private: true, type: 'module' }, null, 2)}\n`,
      )
      await npm(
        [
          'install',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          join(work, pack.filename),
          `viem@${versionOf('viem')}`,
          `@types/node@${versionOf('@types/node')}`,
        ],
        project,
      )
      phase('install')
    } finally {
      devnet = await devnetStarting
    }
    phase('devnet')
    console.log(`before: ${phases.join(', ')}`)
    console.log(
      `${pack.filename}: ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB ` +
        `unpacked, ${pack.files.length} files`,
    )
  })

  after(async () => {
    await devnet?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test('the tarball holds the built package and nothing a user does not need', () => {
    const paths = pack.files.map((f) => f.path)
    for (const needed of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'bin/surety.mjs',
      'cli/main.js',
      'sdk/index.js',
      'sdk/index.d.ts',
      'sdk/abis.d.ts',
      'risk/index.d.ts',
      'risk/node.d.ts',
      'deployments/index.d.ts',
      'contracts/interfaces/ISlashingCourt.sol',
      'contracts/types/Types.sol',
      'contracts/libraries/SharesMathLib.sol',
    ]) {
      assert.ok(paths.includes(needed), `${needed} is in the tarball`)
    }
    const unwanted = paths.filter(
      (p) =>
        /(^|\/)(test|tests|bench|fixtures|testing|e2e)\//.test(p) ||
        /\.test\.|\.map$/.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')),
    )
    assert.deepEqual(unwanted, [], 'no tests, benchmarks, fixtures, TypeScript sources or source maps')
    const allowed =
      /^(package\.json|README\.md|CHANGELOG\.md|bin\/surety\.mjs|contracts\/.+\.sol|.+\.js|.+\.d\.ts)$/
    assert.deepEqual(
      paths.filter((p) => !allowed.test(p)),
      [],
    )
    assert.ok(
      !paths.some((p) => p.startsWith('contracts/') && !/^contracts\/(interfaces|types|libraries)\//.test(p)),
    )
  })

  test('the installed manifest makes viem a peer and leaves the node daemon’s native SQLite optional', () => {
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules/surety/package.json'), 'utf8'))
    assert.equal(manifest.peerDependencies.viem, `^${versionOf('viem')}`)
    assert.equal(manifest.dependencies.viem, undefined)
    assert.equal(manifest.peerDependenciesMeta['better-sqlite3'].optional, true)
    assert.equal(manifest.private, undefined)
    assert.ok(!Object.keys(manifest.dependencies).some((d) => d.startsWith('@biomejs/')))
    assert.ok(
      !existsSync(join(project, 'node_modules/better-sqlite3')),
      'an SDK user builds no native module',
    )
    assert.ok(!existsSync(join(project, 'node_modules/tsx')), 'the package runs without tsx')
  })

  test('the surety/deployments manifest for chain 31337 is where a fresh devnet deploys', () => {
    assert.deepEqual(deploymentFor(31337).addresses, devnet.deployment.addresses)
    assert.equal(deploymentFor(31337).paramChangeDelay, devnet.deployment.paramChangeDelay)
  })

  test('the README’s SDK example type-checks against the package and stakes, reads and opens an order on a devnet', async () => {
    const example = codeBlock('## Using the SDK', 'ts')
    assert.match(example, /from 'surety\/sdk'/, 'the example imports the package, not a path')
    assert.ok(
      readme.includes(toHex(exampleAccount.getHdKey().privateKey!)),
      'the README names the key it runs with',
    )
    writeFileSync(join(project, 'stake.ts'), example)
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: true,
          outDir: 'out',
          types: ['node'],
        },
        include: ['*.ts'],
      }),
    )
    writeFileSync(join(project, 'exports.ts'), EXPORTS_PROGRAM)
    const compiled = await exec(process.execPath, [tsc, '-p', '.'], { cwd: project })
    assert.equal(compiled.code, 0, `tsc:\n${compiled.stdout}${compiled.stderr}`)

    const ran = await exec(process.execPath, ['out/stake.js'], {
      cwd: project,
      env: {
        ...cleanEnv(),
        SURETY_RPC_URL: devnet.deployment.rpcUrl,
        SURETY_PRIVATE_KEY: toHex(exampleAccount.getHdKey().privateKey!),
      },
    })
    assert.equal(ran.code, 0, ran.stderr)
    const staked = /^staked: ([\d.]+) shares, worth ([\d.]+) tokens$/m.exec(ran.stdout)
    const opened = /^order (\d+): (\w+), ([\d.]+) tokens in escrow$/m.exec(ran.stdout)
    assert.ok(staked && opened, `the example printed its results:\n${ran.stdout}`)

    // what it printed is what the chain holds
    const reader = createSuretyReader({
      rpcUrl: devnet.deployment.rpcUrl,
      chainId: devnet.deployment.chainId,
      addresses: devnet.deployment.addresses,
    })
    const vault = (await readNetwork(reader)).vaults[0]!.vault
    const position = await readPosition(reader, { vault, owner: exampleAccount.address })
    assert.ok(position.shares > 0n)
    assert.equal(staked[1], formatEther(position.shares))
    assert.equal(staked[2], formatEther(position.assets))
    // a fresh deposit redeems for at most what went in (rounded down, in the vault's favour)
    assert.ok(position.assets <= parseEther('1000') && position.assets > parseEther('999'))
    const order = await readOrder(reader, BigInt(opened[1]!))
    assert.equal(order.status, 'Open')
    assert.equal(opened[2], 'Open')
    assert.equal(order.params.client, exampleAccount.address)
    assert.equal(order.params.vault, vault)
    assert.equal(order.params.budget, parseEther('100'))
    assert.equal(opened[3], '100')
  })

  test('every entry point imports from the installed package with real types, and runs', async () => {
    // compiled with the README example above; a wrong call in it must be a type error (see EXPORTS_PROGRAM)
    assert.ok(existsSync(join(project, 'out/exports.js')), 'compiled by the previous test')
    const ran = await exec(process.execPath, ['out/exports.js'], { cwd: project })
    assert.equal(ran.code, 0, ran.stderr)
    const out = JSON.parse(ran.stdout)
    assert.deepEqual(out.attack, { services: ['s1', 's2'], operators: ['v'] })
    assert.equal(out.secure, false)
    assert.equal(out.monteCarloRuns, 2)
    assert.equal(out.workerMatchesThread, true, 'the Monte Carlo workers run from the installed package')
    assert.equal(out.orderBookAbi, true)
    assert.equal(out.devnetOrders, deploymentFor(31337).addresses.orders)
    assert.match(out.unknownChain, /no deployment on chain 1;/)
    assert.equal(out.invalidInput, 'InvalidInputError')
    assert.equal(out.apiUnreachable, 'ApiUnreachableError http://127.0.0.1:1')
  })

  test('npx surety runs the built CLI from the installed package', async () => {
    const bin = join(project, 'node_modules/.bin/surety')
    const help = await exec(bin, ['--help'], { cwd: project })
    assert.equal(help.code, 0, help.stderr)
    for (const command of ['deploy', 'devnet', 'order', 'risk', 'sim', 'status']) {
      assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'))
    }
    // the node's store is the optional native SQLite: the CLI names what to install instead of a stack trace
    assert.match(
      help.stdout,
      /^ {2}node +\(needs the package 'better-sqlite3': npm install better-sqlite3\)$/m,
    )
    const node = await exec(bin, ['node', '--config', 'node.yaml'], { cwd: project })
    assert.equal(node.code, 1)
    assert.match(node.stderr, /surety node: this command needs the package 'better-sqlite3'/)
    assert.doesNotMatch(node.stderr, /\n\s+at /, 'no stack trace')
    // and the devnet needs both optional packages (anvil's binary for its chain, better-sqlite3 for the world's
    // index): whichever it loads first is named, with the install line, never a stack trace
    const anvil = await exec(bin, ['devnet', '--port', String(await freePort())], { cwd: project })
    assert.equal(anvil.code, 1)
    assert.match(
      anvil.stderr,
      /surety devnet: this command needs the package '(@foundry-rs\/anvil-[a-z0-9-]+|better-sqlite3)'/,
    )
    assert.doesNotMatch(anvil.stderr, /\n\s+at /, 'no stack trace')

    const status = await exec(bin, ['status', '--deployment', devnet.manifestPath, '--json'], {
      cwd: project,
    })
    assert.equal(status.code, 0, status.stderr)
    const network = JSON.parse(status.stdout)
    assert.equal(network.chainId, 31337)
    assert.equal(network.vaults.length, 2)
    assert.equal(network.services.length, 1)
  })

  test('a Solidity file importing the packaged interfaces compiles with solc', () => {
    const source = codeBlock('### What the package holds', 'solidity')
    assert.match(source, /import \{IOrderBook\} from "surety\/contracts\/interfaces\/IOrderBook.sol";/)
    const solc = require('solc')
    const input = {
      language: 'Solidity',
      sources: { 'ShipmentGate.sol': { content: source } },
      settings: { outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
    }
    // resolved as Hardhat does, from the project's node_modules: the files the tarball installed
    const findImport = (path: string) => {
      const file = normalize(join(project, 'node_modules', path))
      return existsSync(file) ? { contents: readFileSync(file, 'utf8') } : { error: `not found: ${path}` }
    }
    const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }))
    const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error')
    assert.deepEqual(
      errors.map((e: { formattedMessage: string }) => e.formattedMessage),
      [],
    )
    const gate = output.contracts['ShipmentGate.sol'].ShipmentGate
    assert.ok(gate.evm.bytecode.object.length > 0)
    assert.ok(gate.abi.some((f: { name?: string }) => f.name === 'settled'))
    assert.ok(Object.keys(output.sources).includes('surety/contracts/types/Types.sol'))
  })

  test('the risk engine runs in Chromium from the installed files', async (t) => {
    const chromium = '/usr/bin/chromium'
    assert.ok(existsSync(chromium), 'Debian’s chromium is installed (.ci/run installs it)')
    writeFileSync(join(project, 'risk.html'), RISK_PAGE)
    const server = await serve(project)
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const { port } = server.address() as { port: number }
    const profile = mkdtempSync(join(work, 'chromium-'))
    const page = await exec(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        // no background connections: this machine's network is closed, and a test talks only to its own server
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=60000',
        '--dump-dom',
        `http://127.0.0.1:${port}/risk.html`,
      ],
      { cwd: project, env: process.env },
    )
    const result = /<pre id="result">([^<]*)<\/pre>/.exec(page.stdout)
    assert.ok(
      result,
      `the page rendered a result:\n${page.stdout.slice(0, 2000)}\n${page.stderr.slice(-2000)}`,
    )
    assert.deepEqual(JSON.parse(result[1]!.replace(/&quot;/g, '"')), {
      secure: false,
      attack: { services: ['s1', 's2'], operators: ['v'] },
    })
  })
})

/** A static server for the project folder: JavaScript, WebAssembly and the page, with their content types. */
function serve(dir: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.mjs': 'text/javascript',
    '.wasm': 'application/wasm',
  }
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)))
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' })
    res.end(readFileSync(path))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/** The restaking attack that only pays across two services (src/risk/attack.test.ts), solved by the package. */
const NETWORK = `{
  operators: [{ id: 'v', stake: 10 }],
  services: [
    { id: 's1', profit: 6, threshold: 1, operators: ['v'] },
    { id: 's2', profit: 6, threshold: 1, operators: ['v'] },
  ],
}`

const EXPORTS_PROGRAM = `import { orderBookAbi } from 'surety/abis'
import { deploymentFor, type SuretyDeployment } from 'surety/deployments'
import { analyzeNetwork, parseRiskInput, parseScenario, runSimulation } from 'surety/risk'
import { runMonteCarlo } from 'surety/risk/node'
import { type ApiOrder, ApiUnreachableError, createApiClient, deposit, InvalidInputError, type SuretyClient } from 'surety/sdk'
import type { Abi } from 'viem'

// the types are real: each of these is a type error, and an unused @ts-expect-error fails the compile
declare const client: SuretyClient
// @ts-expect-error assets are bigint token units, never a number
void (() => deposit(client, { vault: '0x0000000000000000000000000000000000000001', assets: 1 }))
// @ts-expect-error a deployment's chain id is a number
const wrong: SuretyDeployment['chainId'] = '31337'
void wrong
// @ts-expect-error the API's order ids are decimal strings (derived from the server's schema), never numbers
const wrongId: ApiOrder['id'] = 7
void wrongId
// the HTTP API's client: nothing listens on port 1, so the typed unreachable error
let apiUnreachable = ''
try {
  await createApiClient({ url: 'http://127.0.0.1:1' }).network()
} catch (error) {
  apiUnreachable = error instanceof ApiUnreachableError ? \`\${error.name} \${error.url}\` : String(error)
}
const abi: Abi = orderBookAbi
const report = await analyzeNetwork(parseRiskInput(${NETWORK}))
let unknownChain = ''
try {
  deploymentFor(1)
} catch (error) {
  unknownChain = (error as Error).message
}
let invalidInput = ''
try {
  parseRiskInput({ operators: 'none' })
} catch (error) {
  invalidInput = error instanceof InvalidInputError ? error.name : String(error)
}
// two worker threads running the built worker.js; a run's result does not depend on the thread it ran on
const scenario = parseScenario({ operators: { count: 10 } })
const monteCarlo = await runMonteCarlo(scenario, { epochs: 50, seed: 7, runs: 2, workers: 2 })
const inThread = runSimulation(scenario, { epochs: 50, seed: 7, run: 1, sampleEvery: monteCarlo.sampleEvery })
console.log(
  JSON.stringify({
    secure: report.secure,
    attack: report.attack && { services: report.attack.services, operators: report.attack.operators },
    monteCarloRuns: monteCarlo.runs.length,
    workerMatchesThread: monteCarlo.runs[1]!.series.stake.join() === inThread.series.stake.join(),
    orderBookAbi: abi.some((item) => item.type === 'function' && item.name === 'open'),
    devnetOrders: deploymentFor(31337).addresses.orders,
    unknownChain,
    invalidInput,
    apiUnreachable,
  }),
)
`

const RISK_PAGE = `<!doctype html>
<html>
<head>
<script type="importmap">
{ "imports": {
  "surety/risk": "/node_modules/surety/risk/index.js",
  "zod": "/node_modules/zod/index.js",
  "highs": "/node_modules/highs/build/highs.mjs"
} }
</script>
</head>
<body>
<pre id="result"></pre>
<script type="module">
import { analyzeNetwork, parseRiskInput } from 'surety/risk'
const out = document.getElementById('result')
try {
  const report = await analyzeNetwork(parseRiskInput(${NETWORK}))
  out.textContent = JSON.stringify({
    secure: report.secure,
    attack: report.attack && { services: report.attack.services, operators: report.attack.operators },
  })
} catch (error) {
  out.textContent = 'error: ' + (error && error.stack || error)
}
</script>
</body>
</html>
`
