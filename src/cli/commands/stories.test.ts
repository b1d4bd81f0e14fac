/**
 * The CLI's stories on one seeded devnet, each as a new user types them: a staker deposits, reads its position,
 * requests and claims a withdrawal; an operator creates a vault, bonds, allocates and applies; a service owner
 * creates a service from a spec file; an attester quorum reports, the operator disputes, the resolver rules and
 * anyone executes; a service is funded and a staker claims its vault's rewards. Every command of the groups runs
 * at least once against the chain (the bad inputs are in badInput.test.ts).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseEther } from 'viem'
import { freePort } from '../../chain/anvil.ts'
import { type Devnet, startDevnet } from '../../chain/devnet.ts'
import { addressOf, cliFor, runCli, travel } from '../testing.ts'

const HOUR = 3600
const DAY = 24 * HOUR
const [OWNER, RESOLVER, ANYONE, OPERATOR_1, STAKER_2] = [1, 2, 3, 4, 7]
const [STAKER, NEW_OPERATOR, NEW_OWNER, NEW_ATTESTER] = [16, 17, 18, 19]

describe('the surety CLI, story by story', () => {
  let devnet: Devnet
  let dir: string
  let cli: (args: string[], signer?: number) => ReturnType<typeof runCli>
  /** Runs a command that must succeed, and returns what it printed. */
  let ok: (args: string[], signer?: number) => Promise<string>
  let vault1: `0x${string}`
  let vault2: `0x${string}`
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'surety-stories-'))
    devnet = await startDevnet({ port: await freePort(), manifestDir: dir })
    ;({ cli, ok } = cliFor(devnet.manifestPath, (r, args) =>
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`),
    ))
    ;[vault1, vault2] = devnet.world!.vaults as [`0x${string}`, `0x${string}`]
  })
  after(() => devnet.stop())

  test('a staker deposits, sees its position, requests a withdrawal and claims it after the delay', async () => {
    const deposit = await ok(['vault', 'deposit', '--vault', vault1, '--amount', '100'], STAKER)
    assert.match(
      deposit,
      new RegExp(`deposit 100 STK into vault ${vault1} \\("Surety Staked Operator 1"\\) of operator 0x`),
    )
    assert.match(deposit, /you receive ≈ [0-9,.]+ sOP1 at [0-9.,]+ STK per 1,000 shares/)
    assert.match(deposit, /first approve the vault to take 100 STK/)
    assert.match(deposit, /deposited 100 STK; minted [0-9,.]+ sOP1/)

    const position = JSON.parse(await ok(['position', '--json'], STAKER))
    assert.equal(position.staker, addressOf(STAKER))
    assert.equal(position.positions.length, 1)
    const p = position.positions[0]
    assert.equal(p.vault, vault1)
    // shares are priced down, never up: the position is worth at most what was paid in
    assert.ok(BigInt(p.value) <= parseEther('100') && BigInt(p.value) > parseEther('99.99'), p.value)
    const text = await ok(['position'], STAKER)
    assert.match(text, /shares\s+[0-9,.]+ sOP1 worth 99\.99\d* STK|shares\s+[0-9,.]+ sOP1 worth 100 STK/)
    assert.match(text, /slashable now\s+up to 100,000 STK of the vault across 1 service \(#1: 100,000 STK\)/)
    assert.match(text, /a withdrawal requested now is paid from \d+ \w+ \d{4} \d\d:\d\d UTC \(in 1 d\)/)

    const requested = await ok(['vault', 'withdraw', '--vault', vault1, '--all'], STAKER)
    assert.match(requested, /withdrawal #\d+ requested: [0-9,.]+ sOP1, claimable in 1 d/)
    const early = await cli(['vault', 'claim', '--vault', vault1], STAKER)
    assert.equal(early.code, 1)
    assert.match(
      early.err,
      /not claimable yet: request #\d+ matures \d+ \w+ \d{4} \d\d:\d\d UTC \(in (1 d|23 h 59 min)\)/,
    )
    assert.match(
      await ok(['position'], STAKER),
      /withdrawal #\d+\s+[0-9,.]+ sOP1, pays ≈ [0-9,.]+ STK; claimable .*\(in/,
    )

    await travel(devnet.anvil.rpcUrl, DAY + 60)
    const claimed = await ok(['vault', 'claim', '--vault', vault1], STAKER)
    assert.match(claimed, /withdrawal #\d+ claimed: (99\.99\d*|100) STK paid to 0x/)
    assert.match(await ok(['position'], STAKER), /holds no vault shares and has no withdrawals queued/)
  })

  test('an operator creates a vault, bonds, allocates, and the increase is applied after the exposure delay', async () => {
    const created = JSON.parse(
      await ok(
        [
          'vault',
          'create',
          '--name',
          // an operator's name may carry a terminal escape (this one clears the screen) and hidden characters
          'GPU\u200b One\u001b[2J',
          '--symbol',
          'sGPU1\u202e',
          '--withdrawal-delay',
          '1d',
          '--commission',
          '8%',
          '--json',
        ],
        NEW_OPERATOR,
      ),
    )
    const vault = created.result as string
    assert.match(vault, /^0x[0-9a-fA-F]{40}$/)
    assert.match(await ok(['vault', 'list']), /sGPU1/)
    // what others read of it is printed without them
    const seen = await ok(['vault', 'show', vault])
    assert.match(seen, /"GPU One\[2J" \(sGPU1\)/)
    for (const hidden of ['\u001b', '\u200b', '\u202e']) {
      assert.ok(!seen.includes(hidden), `vault show printed U+${hidden.codePointAt(0)!.toString(16)}`)
      assert.ok(!(await ok(['vault', 'list'])).includes(hidden))
    }
    assert.match(
      await ok(['vault', 'bond', 'add', '--amount', '5000'], NEW_OPERATOR),
      new RegExp(`bond of vault ${vault} is now 5,000 STK`),
    )

    const tooMuch = await cli(['allocate', '--service', '1', '--amount', '13000'], NEW_OPERATOR)
    assert.equal(tooMuch.code, 1)
    assert.match(
      tooMuch.err,
      /this allocation would take the vault to 260% of its stake \(13,000 STK allocated of 5,000 STK\); its restaking cap is 100%: allocate at most 5,000 STK more/,
    )

    const queued = await ok(['allocate', '--service', '1', '--amount', '3000'], NEW_OPERATOR)
    assert.match(queued, /queue \+3,000 STK on service #1 .*: 0 STK → 3,000 STK/)
    assert.match(
      queued,
      /stakers get 2 d to leave; then apply it with `surety apply --service 1` from .* \(in 2 d\) until .* \(in 3 d\)/,
    )
    const early = await cli(['apply', '--service', '1', '--vault', vault], ANYONE)
    assert.equal(early.code, 1)
    assert.match(
      early.err,
      /the increase of 3,000 STK on service #1 may apply only from .* \(in (2 d|1 d 23 h)\)/,
    )

    await travel(devnet.anvil.rpcUrl, 2 * DAY + 60)
    assert.match(await ok(['apply', '--service', '1', '--vault', vault], ANYONE), /is now 3,000 STK/)
    const shown = JSON.parse(await ok(['vault', 'show', vault, '--json']))
    assert.equal(shown.allocations[0].amount, parseEther('3000').toString())
    assert.match(await ok(['vault', 'show'], NEW_OPERATOR), /#1\s+3,000 STK\s+3,000 STK/)

    // the rest of an operator's tools on the same vault
    assert.match(
      await ok(['sync', '--service', '1'], NEW_OPERATOR),
      /counted weight of vault .* on service #1 is now 3,000 STK/,
    )
    assert.match(
      await ok(['deallocate', '--service', '1', '--amount', '1000'], NEW_OPERATOR),
      /decrease of 1,000 STK queued; complete it from .*\(in 6 h\)/,
    )
    const notYet = await cli(['deallocate', '--service', '1', '--complete'], NEW_OPERATOR)
    assert.match(notYet.err, /can be completed only from .*\(in (6 h|5 h 59 min)\)/)
    await travel(devnet.anvil.rpcUrl, 6 * HOUR + 60)
    assert.match(
      await ok(['deallocate', '--service', '1', '--complete'], NEW_OPERATOR),
      /decrease completed on service #1/,
    )
    assert.match(
      await ok(['vault', 'terms', '--commission', '5%'], NEW_OPERATOR),
      /decreases only: they apply at once[\s\S]*terms applied/,
    )
    assert.match(
      await ok(['vault', 'terms', '--restaking-cap', '150%'], NEW_OPERATOR),
      /terms queued; apply them from .*\(in 2 d\)/,
    )
    assert.match(
      await ok(['vault', 'bond', 'withdraw', '--amount', '100'], NEW_OPERATOR),
      /bond withdrawal of 100 STK requested; claim it from .*\(in 1 d\)/,
    )
    const claimEarly = await cli(['vault', 'bond', 'withdraw', '--claim'], NEW_OPERATOR)
    assert.match(claimEarly.err, /the bond withdrawal of 100 STK is claimable only from/)
  })

  test('a service owner creates a service from a YAML spec; its founding attester joins, adds bond and exits', async () => {
    const spec = join(dir, 'service.yaml')
    writeFileSync(
      spec,
      [
        `resolver: "${addressOf(RESOLVER)}"`,
        'disputeWindow: 2h',
        'resolutionDeadline: 4h',
        'quorumBps: 67%',
        'disputeBond: 25',
        'minAttesterBond: 1000',
        'declaredValue: 50000',
        'classes:',
        '  - { name: downtime, basePenaltyBps: 1%, jailDuration: 0 }',
        '  - { name: fraud, basePenaltyBps: 50%, permanentBan: true }',
        `attesters: ["${addressOf(NEW_ATTESTER)}"]`,
      ].join('\n'),
    )
    const created = await ok(['service', 'create', '--spec', spec], NEW_OWNER)
    assert.match(
      created,
      /create a service owned by 0x[0-9a-fA-F]{40} with 2 violation classes and 1 founding attester/,
    )
    assert.match(created, /dispute window 2 h, dispute bond 25 STK; resolver rules within 4 h/)
    assert.match(created, /class 1: penalty 50%, permanent ban/)
    assert.match(created, /service #2 created/)
    const list = await ok(['service', 'list'])
    assert.match(list, /Services \(2\)/)
    assert.match(list, new RegExp(`#2\\s+${addressOf(NEW_OWNER)}\\s+0\\s+67%`))
    assert.match(
      await ok(['service', 'show', '2']),
      /quorum 67% of the committee's bond; attesters need 1,000 STK/,
    )

    const change = join(dir, 'change.json')
    writeFileSync(change, JSON.stringify({ declaredValue: '60000' }))
    assert.match(
      await ok(['service', 'change', '2', '--spec', change], NEW_OWNER),
      /change of service #2 queued; apply it from .*\(in 2 d\)/,
    )
    assert.match(await ok(['service', 'show', '2']), /a change is queued: it may apply from/)
    const early = await cli(['service', 'change', '2', '--apply'], ANYONE)
    assert.match(early.err, /the change of service #2 may apply only from .*\(in (2 d|1 d 23 h)\)/)

    assert.match(
      await ok(['attester', 'join', '--service', '2', '--bond', '1000'], NEW_ATTESTER),
      /joined the committee of service #2 with 1,000 STK/,
    )
    assert.match(
      await ok(['attester', 'bond', '--service', '2', '--amount', '10'], NEW_ATTESTER),
      /is now 1,010 STK/,
    )
    assert.match(
      await ok(['attester', 'list', '--service', '2']),
      new RegExp(`${addressOf(NEW_ATTESTER)}\\s+1,010 STK\\s+100%`),
    )
    assert.match(
      await ok(['attester', 'exit', '--service', '2'], NEW_ATTESTER),
      /left the committee of service #2; withdraw the bond from .*\(in 2 d\)/,
    )
    const again = await cli(['attester', 'exit', '--service', '2'], NEW_ATTESTER)
    assert.match(again.err, /your bond of 1,010 STK on service #2 can be withdrawn only from/)
  })

  test('an attester quorum reports from the CLI, the operator disputes, the resolver upholds and anyone executes', async () => {
    const client = addressOf(15)
    const files = [10, 11, 12].map((i) => join(dir, `sig-${i}.json`))
    for (const [k, i] of [10, 11, 12].entries()) {
      const signed = await ok(
        [
          'slash',
          'report',
          '--service',
          '1',
          '--vault',
          vault1,
          '--class',
          '1',
          '--incident',
          'gpu-1 down 06:00',
          '--client',
          client,
          '--out',
          files[k]!,
        ],
        i,
      )
      assert.match(signed, /signed the report as attester .* \(bond 5,000 STK\)/)
      assert.match(signed, /nothing was sent/)
    }
    const submitted = await ok(['slash', 'report', '--signatures', files.join(',')], ANYONE)
    assert.match(submitted, /signed by 3 of 5 attesters holding 15,000 STK of 25,000 STK bond \(quorum 60%\)/)
    const slashId = /slash (0x[0-9a-f]{64}) requested: ([0-9,.]+) STK/.exec(submitted)
    assert.ok(slashId, submitted)
    const id = slashId[1]!

    const listed = await ok(['slash', 'list'])
    assert.match(
      listed,
      new RegExp(
        `${id}\\s+Pending\\s+#1\\s+${vault1}\\s+1\\s+${slashId[2]} STK\\s+the operator may dispute until`,
      ),
    )
    const tooEarly = await cli(['slash', 'execute', id], ANYONE)
    assert.match(
      tooEarly.err,
      /is in its dispute window until .*\(in (2 h|1 h 59 min)\): it can be executed only after that/,
    )

    assert.match(
      await ok(['slash', 'dispute', id], OPERATOR_1),
      /disputed; the resolver rules by .*\(in 4 h\)/,
    )
    assert.match(
      await ok(['slash', 'show', id]),
      /Slash 0x[0-9a-f]{64}: Disputed[\s\S]*next: the resolver rules by/,
    )
    const notResolver = await cli(['slash', 'resolve', id, '--uphold'], ANYONE)
    assert.match(notResolver.err, new RegExp(`only service #1's resolver ${addressOf(RESOLVER)} may rule`))
    assert.match(
      await ok(['slash', 'resolve', id, '--uphold', '--amount', '1000'], RESOLVER),
      /upheld at 1,000 STK/,
    )
    assert.match(
      await ok(['slash', 'execute', id], ANYONE),
      new RegExp(`slash ${id} executed: 1,000 STK taken from vault ${vault1}`),
    )
    assert.equal(JSON.parse(await ok(['slash', 'show', id, '--json'])).status, 'Executed')
    assert.match(await ok(['slash', 'list', '--all']), new RegExp(`${id}\\s+Executed`))
    assert.match(await ok(['slash', 'list']), /Open slashes \(0\)/)
  })

  test('a service owner funds a subsidy; a staker sees the yield and claims its vault rewards', async () => {
    const funded = await ok(['rewards', 'fund', '--service', '1', '--amount', '1000', '--rate', '0.5'], OWNER)
    assert.match(funded, /funded service #1's subsidy with 1,000 STK/)
    assert.match(funded, /streams at 0\.5 STK per second/)
    await travel(devnet.anvil.rpcUrl, 100)
    const shown = JSON.parse(await ok(['rewards', 'show', '--service', '1', '--json']))
    const claimable = shown[0].vaults.find((v: { vault: string }) => v.vault === vault2)
    assert.ok(BigInt(claimable.claimable) > 0n)
    assert.match(await ok(['rewards', 'show']), /service #1: subsidy 0\.5 STK\/s/)
    assert.match(
      await ok(['position', '--staker', addressOf(STAKER_2)]),
      /yield from #1\s+≈ [0-9.]+% a year: subsidy 0\.5 STK\/s/,
    )
    const claimed = await ok(['rewards', 'claim', '--vault', vault2, '--service', '1'], STAKER_2)
    assert.match(
      claimed,
      /claimed [0-9,.]+ STK: [0-9,.]+ STK to the stakers, [0-9,.]+ STK commission to the operator's bond/,
    )
  })

  test('--dry-run explains and prints the calls with their calldata, and sends nothing; --json keeps stdout machine-readable', async () => {
    const before = JSON.parse(await ok(['vault', 'show', vault2, '--json']))
    const dry = await cli(
      ['vault', 'deposit', '--vault', vault2, '--amount', '5', '--dry-run', '--json'],
      NEW_OWNER,
    )
    assert.equal(dry.code, 0, dry.err)
    const printed = JSON.parse(dry.out)
    assert.equal(printed.dryRun, true)
    assert.deepEqual(
      printed.calls.map((c: { function: string }) => c.function.split('(')[0]),
      ['approve', 'deposit'],
    )
    assert.match(printed.calls[1].data, /^0x6e553f65/) // deposit(uint256,address)
    assert.match(dry.err, /deposit 5 STK into vault/)
    const afterwards = JSON.parse(await ok(['vault', 'show', vault2, '--json']))
    assert.equal(afterwards.poolAssets, before.poolAssets)
    assert.match(await ok(['credit', 'show', '--account', addressOf(STAKER)]), /nothing credited to/)
    assert.match(
      (await cli(['credit', 'withdraw'], STAKER)).err,
      /nothing is credited to .*: nothing to withdraw/,
    )
  })

  test('risk reads a deployment in token units, in a table whose columns never run together, and says why a shock removes nobody', async () => {
    const file = join(dir, 'net.json')
    const snap = await cli(['risk', 'snapshot', '--out', file])
    assert.equal(snap.code, 0, snap.err)
    assert.match(snap.err, /wrote .*net\.json: 3 operators, 2 services \(amounts in STK\)/)
    const offline = async (args: string[]) => {
      const r = await runCli(args)
      assert.equal(r.code, 0, r.err)
      return r.out
    }
    const analyzed = await offline(['risk', 'analyze', '--input', file])
    // amounts in STK (grouped), not wei: no run of 18+ digits anywhere
    assert.doesNotMatch(analyzed, /[0-9]{10}/)
    const header = analyzed.split('\n').find((l) => l.startsWith('service '))!
    assert.match(
      header,
      /^service\s+profit from corruption\s+allocated stake\s+leverage\s+Nakamoto 1\/3 1\/2 2\/3$/,
    )
    const row = analyzed.split('\n').find((l) => l.startsWith('1 '))!
    assert.match(row, /^1\s+\d{3},\d{3}\s+\d{3},\d{3}\s+\d\.\d{3}\s+\d \d \d$/)
    const cascade = await offline(['risk', 'cascade', '--input', file, '--shock', '0.01'])
    assert.match(
      cascade,
      /a 1\.00% shock removes no operator: the smallest holds [0-9.]+% of all stake, more than the shock/,
    )
    assert.doesNotMatch(cascade, /shock: none|1 services/)
  })
})
