/**
 * Bad input, command by command, on a real devnet: every case must exit non-zero with one line naming the problem
 * (and never a stack trace). Also what a new user hit before: an unreachable RPC, a missing or invalid manifest
 * (each with its own message pointing at `npm start` / `surety deploy`), the wrong chain, a key on the command
 * line, a keystore with a wrong password, and a write on a chain other than the devnet without --yes.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type Anvil, freePort, startAnvil } from '../../chain/anvil.ts'
import { type Devnet, startDevnet } from '../../chain/devnet.ts'
import { encryptKeystore } from '../../node/keystore.ts'
import { addressOf, keyOf, runCli } from '../testing.ts'

const ZERO_SLASH = `0x${'00'.repeat(32)}`
const NOT_A_VAULT = '0x000000000000000000000000000000000000dEaD'
const STAKER = 16

describe('bad input is named, exits non-zero and prints no stack trace', () => {
  let devnet: Devnet
  let dir: string
  let vault: string
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'surety-bad-'))
    devnet = await startDevnet({ port: await freePort(), manifestDir: dir })
    vault = devnet.world!.vaults[0]!
  })
  after(() => devnet.stop())

  const expectFailure = async (
    args: string[],
    signer: number | undefined,
    message: RegExp,
    env: Record<string, string> = {},
  ) => {
    const { code, out, err } = await runCli(args, signer, env)
    assert.notEqual(code, 0, `${args.join(' ')} exited 0: ${out}`)
    assert.match(err, message, args.join(' '))
    assert.equal(err.split('\n').length, 1, `one line: ${err}`)
    assert.doesNotMatch(err, /\n\s+at |Error:|TypeError/, 'no stack trace')
  }

  test('every command names its bad argument', async () => {
    const m = ['--deployment', devnet.manifestPath]
    // a mixed-case address whose checksum is wrong: the case of its last letter flipped
    const i = Math.max(...[...vault].map((ch, k) => (/[a-fA-F]/.test(ch) && k > 1 ? k : -1)))
    const flip = (ch: string) => (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase())
    const badChecksum = vault.slice(0, i) + flip(vault[i]!) + vault.slice(i + 1)
    const cases: [string[], number | undefined, RegExp][] = [
      // amounts
      [
        ['vault', 'deposit', '--vault', vault, '--amount', 'abc', ...m],
        STAKER,
        /--amount must be an amount of STK like 100 or 0\.5 \(or base units like 1500wei\), got 'abc'/,
      ],
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '0', ...m],
        STAKER,
        /--amount must be more than 0, got '0'/,
      ],
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '-5', ...m],
        STAKER,
        /--amount needs a value that does not start with '-'/,
      ],
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '0.0000000000000000001', ...m],
        STAKER,
        /--amount: STK has 18 decimals, '0\.0000000000000000001' has 19/,
      ],
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '5000000', ...m],
        STAKER,
        /not enough balance: 0x[0-9a-fA-F]{40} has 1,000,000 STK, this needs 5,000,000 STK/,
      ],
      [['vault', 'bond', 'add', '--amount', '1.5x', ...m], 4, /--amount must be an amount of STK/],
      [
        ['rewards', 'fund', '--service', '1', '--amount', 'lots', ...m],
        1,
        /--amount must be an amount of STK/,
      ],
      [
        ['attester', 'join', '--service', '1', '--bond', '1', ...m],
        10,
        /is already an attester of service #1/,
      ],
      // addresses
      [
        ['vault', 'deposit', '--vault', '0x12', '--amount', '1', ...m],
        STAKER,
        /--vault must be an address \(0x and 40 hex digits\), got '0x12'/,
      ],
      [
        ['vault', 'deposit', '--vault', badChecksum, '--amount', '1', ...m],
        STAKER,
        /--vault: 0x[0-9a-fA-F]{40} has a wrong checksum/,
      ],
      [
        ['vault', 'deposit', '--vault', NOT_A_VAULT, '--amount', '1', ...m],
        STAKER,
        /is not a Surety vault of this deployment/,
      ],
      [['vault', 'show', NOT_A_VAULT, ...m], undefined, /is not a Surety vault of this deployment/],
      [['position', '--staker', 'me', ...m], undefined, /--staker must be an address/],
      [
        ['order', 'open', '--service', '1', '--budget', '1', '--vault', NOT_A_VAULT, ...m],
        15,
        /is not a Surety vault of this deployment/,
      ],
      [['rewards', 'claim', '--vault', NOT_A_VAULT, '--service', '1', ...m], STAKER, /is not a Surety vault/],
      [['credit', 'withdraw', '--from', '0xzz', ...m], STAKER, /--from must be an address/],
      // ids checked against the chain
      [
        ['allocate', '--service', '99', '--amount', '1', ...m],
        4,
        /service #99 does not exist: this deployment has services #1 to #1/,
      ],
      [['apply', '--service', '0', ...m], 4, /--service must be a positive whole number, got '0'/],
      [['sync', '--service', '7', ...m], 4, /service #7 does not exist/],
      [
        ['deallocate', '--service', '1', '--amount', '999999999', ...m],
        4,
        /has only 100,000 STK allocated to service #1/,
      ],
      [['service', 'show', '42', ...m], undefined, /service #42 does not exist/],
      [['service', 'show', 'x', ...m], undefined, /ID must be a positive whole number, got 'x'/],
      [['attester', 'list', '--service', '3', ...m], undefined, /service #3 does not exist/],
      [['slash', 'show', ZERO_SLASH, ...m], undefined, /slash 0x0{64} does not exist on this deployment/],
      [['slash', 'dispute', '0x1234', ...m], 4, /SLASH_ID must be 32 bytes of hex/],
      [['slash', 'execute', ZERO_SLASH, ...m], 3, /does not exist on this deployment/],
      [['slash', 'resolve', ZERO_SLASH, ...m], 2, /give one of --uphold or --overturn/],
      [['slash', 'lapse', ZERO_SLASH, ...m], 3, /does not exist/],
      [
        ['slash', 'report', '--signatures', join(dir, 'missing.json'), ...m],
        3,
        /cannot read .*missing\.json as JSON/,
      ],
      [
        [
          'slash',
          'report',
          '--service',
          '1',
          '--vault',
          vault,
          '--class',
          '9',
          '--incident',
          'x',
          '--client',
          addressOf(15),
          '--out',
          join(dir, 's.json'),
          ...m,
        ],
        10,
        /service #1 has 3 violation classes \(0 to 2\): no class 9/,
      ],
      [
        [
          'slash',
          'report',
          '--service',
          '1',
          '--vault',
          vault,
          '--class',
          '0',
          '--incident',
          'x',
          '--client',
          addressOf(15),
          '--out',
          join(dir, 's.json'),
          ...m,
        ],
        STAKER,
        /is not an active attester of service #1/,
      ],
      [['order', 'show', '-1', ...m], undefined, /negative numbers are not accepted \('-1'\)/],
      [['order', 'show', '99', ...m], undefined, /order 99 not found/],
      [['vault', 'withdraw', '--vault', vault, '--shares', '1', ...m], 18, /holds no sOP1 shares of vault/],
      [
        ['vault', 'claim', '--vault', vault, '--id', '3', ...m],
        18,
        /you have no open withdrawal request #3 on vault/,
      ],
      // state that makes a write impossible, said with dates and amounts
      [
        ['apply', '--service', '1', ...m],
        4,
        /has no increase queued on service #1: queue one with `surety allocate`/,
      ],
      [['vault', 'terms', '--apply', ...m], 4, /has no queued terms/],
      [
        ['allocate', '--service', '1', '--amount', '500000', ...m],
        4,
        /this allocation would take the vault to [0-9.]+% of its stake .* its restaking cap is 200%/,
      ],
      [['service', 'change', '1', '--apply', ...m], 3, /service #1 has no queued change/],
      [['service', 'change', '1', '--spec', join(dir, 'nope.yaml'), ...m], 1, /--spec: cannot read/],
      [
        ['rewards', 'fund', '--service', '1', '--rate', '1', ...m],
        STAKER,
        /only service #1's owner 0x[0-9a-fA-F]{40} may set its subsidy rate/,
      ],
      [
        ['rewards', 'claim', '--vault', vault, '--service', '1', ...m],
        STAKER,
        /has nothing to claim on service #1 yet/,
      ],
      [['attester', 'exit', '--service', '1', ...m], STAKER, /has no bond on service #1/],
      [
        ['attester', 'bond', '--service', '1', '--amount', '1', ...m],
        STAKER,
        /is not an active attester of service #1: join first/,
      ],
      [['vault', 'bond', 'withdraw', '--claim', ...m], 4, /no bond withdrawal is queued/],
      [
        ['vault', 'create', '--name', 'x', '--symbol', 'x', ...m],
        4,
        /createVault refused: 0x[0-9a-fA-F]{40} already has a vault: 0x/,
      ],
      [
        ['vault', 'create', '--name', 'x', '--symbol', 'x', '--withdrawal-delay', '5x', ...m],
        18,
        /--withdrawal-delay must be a duration like 3600, 90s, 30m, 2h, 1d or 1w, got '5x'/,
      ],
      [
        ['vault', 'create', '--name', 'x', '--symbol', 'x', '--commission', '60%', ...m],
        18,
        /--commission must be at most 50%/,
      ],
      [['order', 'confirm', '2', ...m], 15, /confirm refused: order #2 is open: this needs another status/],
      // options and subcommands
      [
        ['vault', 'list', '--frob', ...m],
        undefined,
        /unknown option '--frob'; see `surety vault list --help`|unknown option '--frob'/,
      ],
      [['vault', 'frob', ...m], undefined, /unknown subcommand 'frob': one of create, list, show/],
      [['slash', ...m], undefined, /which one\? surety slash report \| list/],
      [['position', '--vault', ...m], undefined, /--vault needs a value that does not start with '-'/],
      // keys
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '1', ...m],
        undefined,
        /needs a key: set SURETY_PRIVATE_KEY, or pass --keystore FILE/,
      ],
      [
        ['vault', 'deposit', '--vault', vault, '--amount', '1', '--private-key', keyOf(STAKER), ...m],
        undefined,
        /--private-key: surety never takes a key on the command line/,
      ],
      [['credit', 'show', ...m], undefined, /whose credits\? pass --account ADDRESS/],
    ]
    for (const [args, signer, message] of cases) await expectFailure(args, signer, message)
  })

  test('a key that is not a key, and a keystore with a wrong password, are named; the right password signs', async () => {
    const m = ['--deployment', devnet.manifestPath]
    await expectFailure(
      ['vault', 'deposit', '--vault', vault, '--amount', '1', ...m],
      undefined,
      /SURETY_PRIVATE_KEY must hold your key as 0x followed by 64 hex digits/,
      {
        SURETY_PRIVATE_KEY: '0x1234',
      },
    )
    const file = join(dir, 'key.json')
    writeFileSync(file, JSON.stringify(encryptKeystore(keyOf(STAKER), 'correct horse', { n: 1024 })))
    const args = ['vault', 'deposit', '--vault', vault, '--amount', '1', '--keystore', file, ...m]
    await expectFailure(args, undefined, /keystore: wrong password/, { SURETY_KEYSTORE_PASSWORD: 'wrong' })
    await expectFailure(args, undefined, /needs its password: set SURETY_KEYSTORE_PASSWORD/)
    const dry = await runCli([...args, '--dry-run'], undefined, { SURETY_KEYSTORE_PASSWORD: 'correct horse' })
    assert.equal(dry.code, 0, dry.err)
    assert.match(dry.out, new RegExp(`dry run \\(nothing sent\\), from ${addressOf(STAKER)}`))
  })

  test('an unreachable RPC, a missing, an invalid or a stale manifest, and the wrong chain each get their own message', async () => {
    await expectFailure(
      ['status', '--rpc-url', 'http://127.0.0.1:1'],
      undefined,
      /cannot reach a chain at http:\/\/127\.0\.0\.1:1: is it running\? Start the local devnet with `npm start`/,
    )
    await expectFailure(
      ['vault', 'list', '--rpc', 'http://127.0.0.1:1'],
      undefined,
      /cannot reach a chain at http:\/\/127\.0\.0\.1:1/,
    )
    await expectFailure(
      ['position', '--staker', addressOf(1)],
      undefined,
      /cannot reach a chain at http:\/\/127\.0\.0\.1:1/,
      { ETH_RPC_URL: 'http://127.0.0.1:1' },
    )
    await expectFailure(
      ['status', '--rpc-url', 'not a url'],
      undefined,
      /--rpc-url must be an http\(s\) URL, got 'not a url'/,
    )
    // where reads come from: a bad --api (or SURETY_API_URL) is one line, before the chain is reached
    await expectFailure(
      ['status', '--api', 'not a url', '--deployment', devnet.manifestPath],
      undefined,
      /--api must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8546, got 'not a url'/,
    )
    await expectFailure(
      ['order', 'list', '--api', 'ftp://127.0.0.1:8546', '--deployment', devnet.manifestPath],
      undefined,
      /--api must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8546, got 'ftp:\/\/127\.0\.0\.1:8546'/,
    )
    await expectFailure(
      ['order', 'show', '1', '--deployment', devnet.manifestPath, '--api'],
      undefined,
      /--api needs a value; see `surety order --help`/,
    )
    await expectFailure(
      ['status', '--api', 'http://127.0.0.1:8546', '--chain', '--deployment', devnet.manifestPath],
      undefined,
      /--api and --chain contradict each other: pass one of them/,
    )
    await expectFailure(
      ['position', '--staker', addressOf(1), '--deployment', devnet.manifestPath],
      undefined,
      /SURETY_API_URL must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:8546, got 'localhost'/,
      { SURETY_API_URL: 'localhost' },
    )
    // the manifest is looked up by the chain's id
    const empty = mkdtempSync(join(tmpdir(), 'surety-none-'))
    await expectFailure(
      ['status', '--rpc-url', devnet.anvil.rpcUrl],
      undefined,
      /no Surety deployment known for chain 31337 \(no .*31337\.json\): start the local devnet with `npm start`, or deploy with `surety deploy --rpc-url URL`/,
      {
        SURETY_DEPLOYMENTS: empty,
      },
    )
    const found = await runCli(['status', '--rpc-url', devnet.anvil.rpcUrl, '--json'], undefined, {
      SURETY_DEPLOYMENTS: dir,
    })
    assert.equal(found.code, 0, found.err)
    assert.equal(JSON.parse(found.out).chainId, 31337)
    await expectFailure(
      ['status', '--deployment', join(empty, 'nope.json')],
      undefined,
      /no deployment manifest at .*nope\.json: check the path, or write one with `surety deploy --rpc-url URL`/,
    )
    const invalid = join(empty, 'invalid.json')
    writeFileSync(invalid, JSON.stringify({ chainId: 31337 }))
    await expectFailure(
      ['status', '--deployment', invalid],
      undefined,
      /the deployment manifest .*invalid\.json is invalid \(rpcUrl: Required\): write it again with `npm start` \(devnet\) or `surety deploy`/,
    )
    const garbled = join(empty, 'garbled.json')
    writeFileSync(garbled, '{ not json')
    await expectFailure(['status', '--deployment', garbled], undefined, /is not valid JSON \(damaged\?\)/)
    const manifest = JSON.parse(readFileSync(devnet.manifestPath, 'utf8'))
    const otherChain = join(empty, '5.json')
    writeFileSync(otherChain, JSON.stringify({ ...manifest, chainId: 5 }))
    await expectFailure(
      ['status', '--deployment', otherChain],
      undefined,
      /wrong chain: the manifest .*5\.json is for chain 5, but http:\/\/127\.0\.0\.1:\d+ is chain 31337/,
    )
    const stale = join(empty, 'stale.json')
    writeFileSync(
      stale,
      JSON.stringify({ ...manifest, addresses: { ...manifest.addresses, registry: NOT_A_VAULT } }),
    )
    await expectFailure(
      ['vault', 'list', '--deployment', stale],
      undefined,
      /no Surety contracts on chain 31337 .* \(the chain was restarted since\?\): run `npm start` again, or `surety deploy`/,
    )
  })

  // in the same suite as the rest: the key travels in the environment, so no two tests may run at once
  test('off the local devnet, a write is refused without a terminal or --yes; --yes sends', async () => {
    const anvil: Anvil = await startAnvil({ chainId: 4242 })
    try {
      const manifestDir = mkdtempSync(join(tmpdir(), 'surety-4242-'))
      const deployed = await runCli(['deploy', '--rpc', anvil.rpcUrl, '--out', manifestDir], 0)
      assert.equal(deployed.code, 0, deployed.err)
      const args = ['vault', 'create', '--name', 'Op', '--symbol', 'sOP', '--rpc-url', anvil.rpcUrl]
      const env = { SURETY_DEPLOYMENTS: manifestDir }
      const refused = await runCli(args, 1, env)
      assert.equal(refused.code, 1)
      assert.match(
        refused.err,
        /chain 4242 is not the local devnet: confirm with --yes to send \(or --dry-run to print the calls\)/,
      )
      assert.match(refused.out, /create vault "Op" \(sOP\) operated by/, 'explained before asking')
      const none = JSON.parse(
        (await runCli(['vault', 'list', '--rpc-url', anvil.rpcUrl, '--json'], undefined, env)).out,
      )
      assert.equal(none.length, 0)
      const sent = await runCli([...args, '--yes'], 1, env)
      assert.equal(sent.code, 0, sent.err)
      assert.match(sent.out, /vault 0x[0-9a-fA-F]{40} created/)
      const one = JSON.parse(
        (await runCli(['vault', 'list', '--rpc-url', anvil.rpcUrl, '--json'], undefined, env)).out,
      )
      assert.equal(one.length, 1)
    } finally {
      await anvil.stop()
    }
  })
})
