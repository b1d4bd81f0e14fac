/** `surety order` and the orders in `surety status` on a seeded devnet: every subcommand and its argument errors. */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseEther, toHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { freePort } from '../../chain/anvil.ts'
import { DEVNET_MNEMONIC, type Devnet, startDevnet } from '../../chain/devnet.ts'
import { main } from '../main.ts'
import { travel } from '../testing.ts'

const keyOf = (i: number) =>
  toHex(mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: i }).getHdKey().privateKey!)
const CLIENT = 15
const OPERATOR_1 = 4

/** Runs a CLI command in-process as account `signer` (if any) and captures what it prints. */
async function run(argv: string[], signer?: number): Promise<{ code: number; out: string; err: string }> {
  const lines: string[] = []
  const errors: string[] = []
  const [log, error] = [console.log, console.error]
  console.log = (...a: unknown[]) => lines.push(a.join(' '))
  console.error = (...a: unknown[]) => errors.push(a.join(' '))
  if (signer === undefined) delete process.env.SURETY_PRIVATE_KEY
  else process.env.SURETY_PRIVATE_KEY = keyOf(signer)
  try {
    const code = await main(argv)
    return { code, out: lines.join('\n'), err: errors.join('\n') }
  } finally {
    console.log = log
    console.error = error
    delete process.env.SURETY_PRIVATE_KEY
  }
}

describe('surety order', () => {
  let devnet: Devnet
  let order: (args: string[], signer?: number) => ReturnType<typeof run>
  before(async () => {
    devnet = await startDevnet({
      port: await freePort(),
      manifestDir: mkdtempSync(join(tmpdir(), 'surety-order-')),
    })
    order = (args, signer) => run(['order', ...args, '--deployment', devnet.manifestPath], signer)
  })
  after(() => devnet.stop())

  test('the devnet seeds a named job in progress and an intent with a bid; list, show and status show them', async () => {
    const [job, intent] = devnet.world!.orders
    const listed = JSON.parse((await order(['list', '--json'])).out)
    assert.deepEqual(
      listed.map((o: { orderId: string; status: string }) => [o.orderId, o.status]),
      [
        [String(job), 'Active'],
        [String(intent), 'Open'],
      ],
    )
    const text = (await order(['list'])).out
    assert.match(text, /Open orders \(2\)/)
    assert.match(text, /#1\s+Active\s+job of 500 STK, milestones 40%\/60%, 0 of 2 paid/)
    assert.match(
      text,
      /#2\s+Open\s+job of 300 STK, 1 milestone \(intent\)\s+best bid 250 STK by vault 0x[0-9a-fA-F]{40}\s+bidding closes in (5 h 59 min|6 h)/,
    )
    const shown = JSON.parse((await order(['show', String(intent), '--json'])).out)
    assert.equal(shown.bids.length, 1)
    assert.equal(shown.bids[0].price, parseEther('250').toString())
    assert.match((await order(['show', String(intent)])).out, /bid 250 STK with [0-9,.]+ STK collateral/)
    const status = await run(['status', '--deployment', devnet.manifestPath])
    assert.match(status.out, /Open orders \(2\)/)
    const statusJson = JSON.parse((await run(['status', '--deployment', devnet.manifestPath, '--json'])).out)
    assert.equal(statusJson.openOrders.length, 2)
  })

  test('open, accept and confirm a named job through the CLI', async () => {
    const vault = devnet.world!.vaults[0]!
    const opened = await order(
      ['open', '--service', '1', '--vault', vault, '--budget', '10.5', '--milestones', '50,50', '--json'],
      CLIENT,
    )
    assert.equal(opened.code, 0, opened.err)
    const { orderId, params } = JSON.parse(opened.out)
    // the explanation (on stderr under --json) dates the deadline and says what --duration counts from
    assert.match(
      opened.err,
      /deadline: \d+ \w+ \d{4} \d\d:\d\d UTC \(in 1 d (1 h|59 min)\) \(--duration 1 d counted from the end of that window\)/,
    )
    assert.deepEqual(
      [params.budget, params.feeBps, params.milestones],
      [parseEther('10.5').toString(), 100, String(5000n | (5000n << 16n))],
    )
    // the contract's WrongOrderStatus(id, 1), simulated before sending and said in words
    assert.equal(
      (await order(['confirm', orderId], CLIENT)).err,
      `surety order: confirm refused: order #${orderId} is open: this needs another status`,
    )
    const accepted = await order(['accept', orderId], OPERATOR_1)
    assert.match(accepted.out, new RegExp(`order #${orderId} accepted by vault ${vault}`))
    const first = (await order(['confirm', orderId], CLIENT)).out
    assert.match(first, /confirm milestone 1 of 2 of order #\d+/)
    assert.match(first, /milestone 1 paid$/m)
    assert.match(first, /amount 5\.25 STK\n\s+fee 0\.0525 STK/)
    assert.match((await order(['confirm', orderId], CLIENT)).out, /milestone 2 paid; order completed/)
    assert.equal(JSON.parse((await order(['show', orderId, '--json'])).out).status, 'Completed')
    assert.doesNotMatch((await order(['show', orderId])).out, /collateral reserved/)
  })

  test('bid on the seeded intent, then the client cancels it for a full refund', async () => {
    const intent = String(devnet.world!.orders[1])
    const bid = JSON.parse((await order(['bid', intent, '--price', '200', '--json'], OPERATOR_1)).out)
    assert.equal(bid.price, parseEther('200').toString())
    assert.equal(bid.vault, devnet.world!.vaults[0])
    const shown = JSON.parse((await order(['show', intent, '--json'])).out)
    assert.equal(shown.vault, devnet.world!.vaults[0], 'the lowest bid leads')
    const cancelled = JSON.parse((await order(['cancel', intent, '--json'], CLIENT)).out)
    assert.deepEqual([cancelled.cancelled, cancelled.refund], [true, parseEther('300').toString()])
  })

  test('an accepted job cancelled by both parties: the refund is credited, shown and withdrawn', async () => {
    const vault = devnet.world!.vaults[0]!
    const clientAddress = mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: CLIENT }).address
    const stake = devnet.deployment.addresses.stakeToken
    const opened = await order(
      ['open', '--service', '1', '--vault', vault, '--budget', '12', '--json'],
      CLIENT,
    )
    const { orderId } = JSON.parse(opened.out)
    assert.equal((await order(['accept', orderId], OPERATOR_1)).code, 0)
    const one = await order(['cancel', orderId], CLIENT)
    assert.match(one.out, new RegExp(`order #${orderId}: agreed to cancel; waiting for the other party`))
    const both = await order(['cancel', orderId], OPERATOR_1)
    assert.match(both.out, new RegExp(`order #${orderId} cancelled; refund credited to the client`))
    assert.match(both.out, /refund 12 STK/)
    assert.match(both.out, new RegExp(`credited 12 STK to ${clientAddress}`))
    assert.match(
      (await order(['show', orderId])).out,
      new RegExp(
        `owed to the client ${clientAddress}: 12 STK \\(all its orders; surety order withdraw --token ${stake}\\)`,
      ),
    )
    const shown = JSON.parse((await order(['show', orderId, '--json'])).out)
    assert.deepEqual(shown.owed.client, { account: clientAddress, amount: parseEther('12').toString() })
    assert.equal(shown.owed.operator.amount, '0')
    assert.match(
      (await order(['withdraw'], CLIENT)).out,
      /^withdraw 12 STK the order book owes you\nwithdrew 12 STK owed by the order book$/,
    )
    const again = JSON.parse((await order(['withdraw', '--token', stake, '--json'], CLIENT)).out)
    assert.deepEqual(again, { token: stake, amount: '0' })
    assert.match((await order(['withdraw'], CLIENT)).out, /^nothing owed in STK$/)
    assert.doesNotMatch((await order(['show', orderId])).out, /owed to/)
  })

  test('bad arguments are named, with exit code 1 and no stack trace', async () => {
    const cases: [string[], number | undefined, RegExp][] = [
      [
        ['open', '--service', '1', '--budget', 'abc'],
        CLIENT,
        /--budget must be an amount of tokens like 100 or 0.5 \(or base units like 1500wei\), got 'abc'/,
      ],
      [
        ['open', '--service', '1', '--budget', '1', '--milestones', '30,30'],
        CLIENT,
        /--milestones must sum to 100/,
      ],
      [['open', '--budget', '1'], CLIENT, /--service ID is required/],
      [['open', '--service', '1', '--budget', '1', '--vault', '0x12'], CLIENT, /--vault must be an address/],
      [
        ['open', '--service', '1', '--budget', '1', '--vault', '0xd8058efe0198ae9dD7D563e1b4938Dcbc86A1f81'],
        CLIENT,
        /--vault: 0xd8058efe0198ae9dD7D563e1b4938Dcbc86A1f81 has a wrong checksum/,
      ],
      // an address that is not a vault of this deployment would take the escrow and never accept
      [
        ['open', '--service', '1', '--budget', '1', '--vault', '0x000000000000000000000000000000000000dEaD'],
        CLIENT,
        /0x000000000000000000000000000000000000dEaD is not a Surety vault of this deployment/,
      ],
      [
        ['open', '--service', '1', '--budget', '-5'],
        CLIENT,
        /--budget needs a value that does not start with '-'/,
      ],
      [['open', '--service', '9', '--budget', '1'], CLIENT, /service #9 does not exist/],
      [['show', '-1'], undefined, /negative numbers are not accepted \('-1'\)/],
      [['list', '--frobnicate'], undefined, /unknown option '--frobnicate'; see `surety order --help`/],
      [['open', '--service', '1', '--budget', '1'], undefined, /needs a key: set SURETY_PRIVATE_KEY/],
      [['show', 'x'], undefined, /ORDER_ID must be a positive whole number, got 'x'/],
      [['show', '99'], undefined, /order 99 not found/],
      [['confirm'], CLIENT, /ORDER_ID is required/],
      [['bid', '1', '--price', '1'], CLIENT, /has no operator vault/],
      [
        ['withdraw', '--token', '0x12'],
        CLIENT,
        /--token must be an address \(0x and 40 hex digits\), got '0x12'/,
      ],
      [['withdraw'], undefined, /needs a key: set SURETY_PRIVATE_KEY/],
      [['frobnicate'], undefined, /unknown subcommand 'frobnicate'/],
    ]
    for (const [args, signer, message] of cases) {
      const { code, err } = await order(args, signer)
      assert.equal(code, 1, args.join(' '))
      assert.match(err, message)
      assert.doesNotMatch(err, /\n\s+at /)
    }
  })

  // last: it moves the chain's clock past every bidding window
  test('a shipment intent nobody bids on: named a shipment, a price over its budget said in tokens, and the way out', async () => {
    const opened = await order(
      [
        ...['open', '--service', '1', '--budget', '40', '--bidding-window', '60', '--duration', '600'],
        ...['--device', '0x000000000000000000000000000000000000dEaD', '--min-temp', '2', '--max-temp', '8'],
      ],
      CLIENT,
    )
    assert.equal(opened.code, 0, opened.err)
    assert.match(opened.out, /^open a shipment on service #1 with 40 STK in escrow/m)
    const orderId = /order #(\d+) opened/.exec(opened.out)![1]!
    const over = await order(['bid', orderId, '--price', '41'], OPERATOR_1)
    assert.equal(over.code, 1)
    assert.match(over.err, /--price must be more than 0 and at most 40 STK, the order's budget; got 41 STK/)
    const line = (id: string, text: string) =>
      text.split('\n').find((l) => l.trimStart().startsWith(`#${id} `)) ?? ''
    assert.match(
      line(orderId, (await order(['list'])).out),
      /shipment of 40 STK, 1 milestone \(intent\)\s+no bids yet\s+bidding closes in/,
    )
    await travel(devnet.anvil.rpcUrl, 120)
    assert.match(
      line(orderId, (await order(['list'])).out),
      /\s+no bids\s+nobody bid: the client may cancel it for a full refund$/,
    )
    const accept = await order(['accept', orderId], CLIENT)
    assert.equal(accept.code, 1)
    assert.match(
      accept.err,
      new RegExp(
        `order #${orderId} has no bids: nothing to accept\\. The client may cancel it for a full refund \\(surety order cancel ${orderId}\\)`,
      ),
    )
    const cancelled = JSON.parse((await order(['cancel', orderId, '--json'], CLIENT)).out)
    assert.deepEqual([cancelled.cancelled, cancelled.refund], [true, parseEther('40').toString()])
  })
})
