/**
 * `surety order bid` by an operator whose vault can reserve nothing on the order's service, on a seeded devnet: the
 * order book's error says only "room 0", so the CLI reads the vault and names the reason — a jail with its end, a
 * missing allocation with the command that makes one — instead of "the vault can reserve only 0 STK".
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { freePort } from '../../chain/anvil.ts'
import { type Devnet, startDevnet } from '../../chain/devnet.ts'
import { addressOf, cliFor, type runCli, travel } from '../testing.ts'

const HOUR = 3600
const [ANYONE, OPERATOR_1, OPERATOR_2, CLIENT, NEW_OPERATOR] = [3, 4, 5, 15, 17]
/** The devnet service's class 1 (late delivery / wrong output) jails for a day. */
const JAILING_CLASS = '1'

describe('surety order bid, when the vault can reserve no collateral', () => {
  let devnet: Devnet
  let dir: string
  let cli: (args: string[], signer?: number) => ReturnType<typeof runCli>
  let ok: (args: string[], signer?: number) => Promise<string>
  /** Opens an intent on service 1 and returns its id. */
  let intent: () => Promise<string>
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'surety-order-bid-'))
    devnet = await startDevnet({ port: await freePort(), manifestDir: dir })
    ;({ cli, ok } = cliFor(devnet.manifestPath, (r, args) =>
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`),
    ))
    intent = async () =>
      String(
        JSON.parse(await ok(['order', 'open', '--service', '1', '--budget', '100', '--json'], CLIENT))
          .orderId,
      )
  })
  after(() => devnet.stop())

  test('a jailed operator is told it is jailed on the service, until when', async () => {
    const vault2 = devnet.world!.vaults[1]!
    // a quorum (3 of 5) reports a jailing fault of operator 2, and the slash executes after its dispute window
    const files = [10, 11, 12].map((i) => join(dir, `sig-${i}.json`))
    for (const [k, i] of [10, 11, 12].entries())
      await ok(
        [
          'slash',
          'report',
          '--service',
          '1',
          '--vault',
          vault2,
          '--class',
          JAILING_CLASS,
          '--incident',
          'render-2 wrong output',
          '--client',
          addressOf(CLIENT),
          '--out',
          files[k]!,
        ],
        i,
      )
    const submitted = await ok(['slash', 'report', '--signatures', files.join(',')], ANYONE)
    const slashId = /slash (0x[0-9a-f]{64}) requested/.exec(submitted)?.[1]
    assert.ok(slashId, submitted)
    await travel(devnet.anvil.rpcUrl, 2 * HOUR + 60)
    assert.match(await ok(['slash', 'execute', slashId], ANYONE), /executed/)

    const id = await intent()
    const refused = await cli(['order', 'bid', id, '--price', '90'], OPERATOR_2)
    assert.equal(refused.code, 1)
    assert.match(
      refused.err,
      new RegExp(
        `bid refused: operator ${addressOf(OPERATOR_2)} is jailed on service #1 until .+ \\(in (1 d|23 h \\d+ min)\\): its vault ${vault2} cannot reserve collateral there until then`,
      ),
    )
    assert.doesNotMatch(refused.err, /can reserve only/)
    assert.doesNotMatch(refused.err, /\n\s+at /)
    // the operator beside it, not jailed, bids on the same order
    await ok(['order', 'bid', id, '--price', '90'], OPERATOR_1)
  })

  test('an operator without an allocation to the service is told to allocate', async () => {
    const created = JSON.parse(
      await ok(['vault', 'create', '--name', 'Idle', '--symbol', 'sIDLE', '--json'], NEW_OPERATOR),
    )
    await ok(['vault', 'bond', 'add', '--amount', '1000'], NEW_OPERATOR)
    const refused = await cli(['order', 'bid', await intent(), '--price', '90'], NEW_OPERATOR)
    assert.equal(refused.code, 1)
    assert.match(
      refused.err,
      new RegExp(
        `bid refused: vault ${created.result} has no allocation to service #1: allocate to it first \\(\`surety allocate --service 1 --amount AMOUNT\``,
      ),
    )
  })
})
