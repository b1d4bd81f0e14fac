/**
 * The new user's story of issue 12, against `npm start` as a real process (`surety devnet --fast`): with the keys
 * `surety devnet key` prints, the user ("you", account 3) deposits into a vault, opens a cold-chain shipment as an
 * intent, an operator (cold-2) wins it and never picks it up, the nodes fail it under the cold chain's lateness
 * class, and once the slash executes the client is paid — every step done with the `surety` CLI and observed both
 * through its read commands and through the HTTP API. Then the world's own shipments: each failed one is failed
 * under the class of its fate (an overheating one under the temperature class, a late one under lateness).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Address, createPublicClient, erc20Abi, http, type PublicClient } from 'viem'
import { freePort } from '../chain/anvil.ts'
import { orderBookAbi } from '../sdk/abis.ts'
import { chainFor } from '../sdk/createSuretyClient.ts'
import { readOrder } from '../sdk/readOrder.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { CLIENT_NAMES, worldAccounts } from './accounts.ts'
import { shipmentPlan } from './actors/sensors.ts'
import { rngFor } from './context.ts'
import { COLD_CLASSES } from './seedWorld.ts'
import { devnetHarness, pluginUrl, ready } from './testing/devnet.ts'
import { apiReady, withinBlocks } from './testing/withinBlocks.ts'

const harness = devnetHarness('surety-new-user')
const SEED = 3
/** A guard against a hang, in blocks (a block a second with --fast), not an assertion about speed. */
const STEP_BLOCKS = 150n

/** `npx surety …` in the world's directory, as `key` (a private key) when given; the parsed --json output. */
function surety(args: string[], key?: string) {
  const r = harness.cli(args, key ? { SURETY_PRIVATE_KEY: key } : {})
  assert.equal(r.status, 0, `surety ${args.join(' ')}:\n${r.stdout}${r.stderr}`)
  return r.stdout
}
// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON, checked field by field below
const json = (args: string[], key?: string): any => JSON.parse(surety([...args, '--json'], key))

/** Polls `check` until it holds, for at most STEP_BLOCKS blocks from now. */
async function until<T>(
  client: PublicClient,
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  return withinBlocks(client, await client.getBlockNumber({ cacheTime: 0 }), STEP_BLOCKS, what, check)
}

test('a new user: deposits, opens a shipment intent, an operator wins and fails it, the client is compensated', async () => {
  // below Linux's ephemeral ports (32768 and up): a node's port (+10…+14) or the API's (+50) there was once taken by a
  // client connection of another test (EADDRINUSE)
  const port = 20_000 + ((await freePort()) % 12_000)
  const devnet = harness.start(['devnet', '--fast', '--seed', String(SEED), '--port', String(port), '--json'])
  const banner = await ready(devnet)
  const events = devnet.events
  const rpcUrl = banner.rpcUrl as string
  const addresses = banner.addresses as SuretyAddresses
  const rpc = ['--rpc-url', rpcUrl]
  const client = createPublicClient({
    chain: chainFor(rpcUrl, 31337),
    transport: http(rpcUrl),
  }) as PublicClient
  const api = pluginUrl(banner, 'API')
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked field by field below
  const get = async (path: string): Promise<any> => {
    const r = await fetch(`${api}${path}`)
    return r.status === 200 ? ((await r.json()) as { data: unknown }).data : undefined
  }
  await apiReady(client, api, STEP_BLOCKS)

  // who is who: "you" (3) and the operator cold-2 (11); their keys from the CLI, as the banner says
  const accounts = worldAccounts()
  const you = accounts.attacker.address
  const youKey = surety(['devnet', 'key', '3']).trim()
  const operatorKey = surety(['devnet', 'key', '11']).trim()
  const operator = accounts.operators[7]!.address

  // the cold chain, as the API shows it: two classes with their own terms
  const services = (await get('/v1/services')) as {
    id: string
    classes: { classId: number; basePenaltyBps: number; jailDurationSeconds: number }[]
  }[]
  const cold = services.find(
    (s) => s.classes.length === 2 && s.classes[COLD_CLASSES.temperature]!.basePenaltyBps === 500,
  )
  assert.ok(cold, `the cold-chain service: ${JSON.stringify(services)}`)
  const temperature = cold.classes[COLD_CLASSES.temperature]!
  const lateness = cold.classes[COLD_CLASSES.lateness]!
  assert.ok(
    temperature.basePenaltyBps > lateness.basePenaltyBps && lateness.jailDurationSeconds === 0,
    'distinct terms',
  )
  // the CLI names the service and its classes, from the manifest the devnet wrote (the chain holds ids only)
  const coldShown = surety(['service', 'show', cold.id, ...rpc])
  assert.match(coldShown, new RegExp(`^Service #${cold.id} cold-chain, owner`), coldShown)
  assert.match(coldShown, /class 1 \(lateness\): penalty/, coldShown)
  const vaults = json(['vault', 'list', ...rpc]) as { vault: Address; operator: Address }[]
  const vaultOf = (who: Address) => {
    const found = vaults.find((v) => v.operator.toLowerCase() === who.toLowerCase())?.vault
    assert.ok(found, `${who}'s vault in \`surety vault list\`: ${JSON.stringify(vaults)}`)
    return found
  }
  const vault = vaultOf(operator)

  // 1. a staker deposits into cold-2's vault, and sees the position in the CLI and the API
  surety(['vault', 'deposit', '--vault', vault, '--amount', '1000', ...rpc], youKey)
  const position = json(['position', ...rpc], youKey)
  const mine = position.positions.find(
    (p: { vault: string }) => p.vault.toLowerCase() === vault.toLowerCase(),
  )
  assert.ok(mine && BigInt(mine.shares) > 0n, `\`surety position\`: ${JSON.stringify(position)}`)
  await until(client, 'the position in the API', async () =>
    (
      (await get(`/v1/stakers/${you}/positions`)) as
        | { vault: string; deposited: { units: string } }[]
        | undefined
    )?.find((p) => p.vault === vault.toLowerCase() && Number(p.deposited.units) >= 1000),
  )

  // 2. the client opens a shipment as an intent: bids for 80 s, pickup within 10 s of the bidding's end, 2–8 °C
  const opened = json(
    [
      'order',
      'open',
      '--service',
      cold.id,
      '--budget',
      '500',
      '--milestones',
      '30,70',
      '--bidding-window',
      '80',
      '--duration',
      '600',
      '--device',
      '0x000000000000000000000000000000000000dEaD',
      '--pickup-within',
      '10',
      '--min-temp',
      '2',
      '--max-temp',
      '8',
      ...rpc,
    ],
    youKey,
  )
  const id = String(opened.orderId)
  const shown = json(['order', 'show', id, ...rpc])
  assert.deepEqual(
    [shown.status, shown.vault, shown.terms.minTempCentiC, shown.terms.maxTempCentiC],
    ['Open', '0x0000000000000000000000000000000000000000', 200, 800],
  )
  const indexed = await until(client, 'the order in the API', () => get(`/v1/orders/${id}`))
  assert.deepEqual(
    [indexed.intent, indexed.terms.device.toLowerCase(), indexed.terms.pickupBy !== null],
    [true, '0x000000000000000000000000000000000000dead', true],
  )

  // 3. the operator bids and wins: the client accepts the best bid once the bidding closes (the window is long
  // enough for the four CLI calls between opening and bidding: 14 s at load 8 with the built CLI). The rest of
  // the window is waited out, not skipped with `devnet warp`: the nodes judge deadlines by the wall clock, so a
  // warped chain would leave the late pickup unjudged until the wall clock caught up)
  // cold-2 bids; should the world have jailed it meanwhile (a temperature slash), cold-1 does: the story needs
  // an operator, not a particular one
  const bidders = [
    { key: operatorKey, vault },
    { key: surety(['devnet', 'key', '10']).trim(), vault: vaultOf(accounts.operators[6]!.address) },
  ]
  const winner = bidders.find(
    (b) =>
      harness.cli(['order', 'bid', id, '--price', '400', ...rpc], { SURETY_PRIVATE_KEY: b.key }).status === 0,
  )
  assert.ok(winner, 'a cold-chain operator bids')
  const bids = json(['order', 'show', id, ...rpc]).bids as { vault: string }[]
  assert.deepEqual(
    bids.map((b) => b.vault.toLowerCase()),
    [winner.vault.toLowerCase()],
  )
  const biddingEnds = Number(shown.params.biddingEnds)
  await until(client, 'the bidding closed', async () =>
    Number((await client.getBlock({ blockTag: 'latest' })).timestamp) > biddingEnds ? true : undefined,
  )
  surety(['order', 'accept', id, ...rpc], youKey)
  // accepted by the winner; it may already have failed by the time the CLI reads it (nobody picks the shipment
  // up, and the nodes fail it once the pickup deadline passes)
  const accepted = json(['order', 'show', id, ...rpc])
  assert.ok(
    ['Active', 'Failed'].includes(accepted.status),
    `accepted, then at most failed: ${accepted.status}`,
  )
  assert.equal(accepted.vault.toLowerCase(), winner.vault.toLowerCase())
  // accepted by the winner, as the API shows it (it may already have failed: nobody picks the shipment up)
  let lastSeen: unknown
  await until(client, 'the acceptance in the API', async () => {
    const o = await get(`/v1/orders/${id}`)
    lastSeen = o && { status: o.status, vault: o.vault, acceptedAt: o.acceptedAt, block: o.blockNumber }
    return o?.acceptedAt && o.vault?.toLowerCase() === winner.vault.toLowerCase() ? true : undefined
  }).catch((error: Error) => {
    throw new Error(`${error.message}; the API's last answer: ${JSON.stringify(lastSeen)}`)
  })

  // 4. nobody picks the shipment up: the nodes fail it under the lateness class, the order book requests the slash
  const failed = await until(client, 'the order failed', () => {
    const o = json(['order', 'show', id, ...rpc])
    return o.status === 'Failed' ? o : undefined
  })
  assert.equal(failed.failure.classId, COLD_CLASSES.lateness, 'failed under lateness')
  // the escrow left: the winning price (the budget above it went back at acceptance)
  assert.equal(BigInt(failed.failure.refund), 400n * 10n ** 18n, 'the unpaid price refunded')
  const slashId = failed.failure.slashId as string
  assert.equal(failed.failure.slash.details.client.toLowerCase(), you.toLowerCase())
  const inApi = await until(client, 'the failure in the API', async () => {
    const o = await get(`/v1/orders/${id}`)
    return o?.status === 'Failed' ? o : undefined
  })
  assert.deepEqual([inApi.failedClassId, inApi.slashId], [COLD_CLASSES.lateness, slashId])
  const told = await until(client, 'the live line', () =>
    events.find((e) => e.event === 'slash-requested' && e.slashId === slashId),
  )
  assert.match(
    told.text!,
    new RegExp(
      `^slash requested: cold-[12], lateness, [0-9,.]+ STK, order #${id} failed, reported by [3-5] attesters, dispute window`,
    ),
  )

  // 5. the dispute window (60 s) is skipped with `devnet warp`; a keeper executes; the client is paid
  const balance = () =>
    client.readContract({
      address: addresses.stakeToken,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [you],
    })
  const before = await balance()
  assert.match(surety(['devnet', 'warp', '70s', '--rpc', rpcUrl]), /moved the devnet's clock forward 70s/)
  const executed = await until(client, 'the slash executed', () => {
    const s = json(['slash', 'show', slashId, ...rpc])
    return s.status === 'Executed' ? s : undefined
  })
  const paid = BigInt(executed.execution.toClient)
  assert.ok(paid > 0n, 'the client is paid from the slash')
  const slashShown = surety(['slash', 'show', slashId, ...rpc])
  assert.match(slashShown, /executed: .* the client was paid [0-9,.]+ STK/)
  assert.match(slashShown, /on service #\d+ cold-chain, class 1 \(lateness\)/, slashShown)
  assert.match(
    surety(['order', 'show', id, ...rpc]),
    /failed: class 1 \(lateness\) .*\n.*collateral slash 0x[0-9a-f]{64}: [0-9,.]+ STK, Executed, the client paid/,
  )
  const slashInApi = await until(client, 'the executed slash in the API', async () => {
    const s = await get(`/v1/slashes/${slashId}`)
    return s?.status === 'Executed' ? s : undefined
  })
  assert.deepEqual(
    [slashInApi.orderId, slashInApi.classId, slashInApi.execution.toClient.base],
    [id, COLD_CLASSES.lateness, paid.toString()],
  )
  assert.equal(await balance(), before + paid, 'the payout reached the client’s wallet')
  const withdrawn = json(['order', 'withdraw', ...rpc], youKey)
  assert.ok(BigInt(withdrawn.amount) >= 400n * 10n ** 18n, 'and the refund is withdrawn')

  // the world's own shipments: each failed one under the class of its fate
  const coldClient = accounts.clients[CLIENT_NAMES.indexOf('cold-client')]!.address.toLowerCase()
  const rng = rngFor(SEED)
  const classOf = { overheats: COLD_CLASSES.temperature, late: COLD_CLASSES.lateness } as const
  const judged = await until(client, 'world shipments failed under both classes', async () => {
    const fails = await client.getContractEvents({
      address: addresses.orders,
      abi: orderBookAbi,
      eventName: 'OrderFailed',
      fromBlock: 0n,
    })
    const opens = await client.getContractEvents({
      address: addresses.orders,
      abi: orderBookAbi,
      eventName: 'OrderOpened',
      fromBlock: 0n,
    })
    const shipments = new Set(
      opens.filter((o) => o.args.client!.toLowerCase() === coldClient).map((o) => o.args.orderId!),
    )
    const world = fails.filter((f) => shipments.has(f.args.orderId!) && f.args.classId !== 255)
    const classes = new Set(world.map((f) => f.args.classId))
    return classes.has(COLD_CLASSES.temperature) && classes.has(COLD_CLASSES.lateness) ? world : undefined
  })
  const acceptances = await client.getContractEvents({
    address: addresses.orders,
    abi: orderBookAbi,
    eventName: 'OrderAccepted',
    fromBlock: 0n,
  })
  for (const f of judged) {
    const id = f.args.orderId!
    const plan = shipmentPlan({ rng }, id)
    // A shipment's pickup reading is stamped one second after its acceptance (sensors.ts plannedReadings): one
    // accepted after its pickup deadline — its operator's acceptance mined late, on a loaded machine — is late
    // whatever its plan, and its first broken promise is lateness. Any other failed one failed as planned.
    const accepted = acceptances.find((a) => a.args.orderId === id)!
    const acceptedAt = Number((await client.getBlock({ blockNumber: accepted.blockNumber })).timestamp)
    const { pickupBy } = (await readOrder({ public: client, addresses }, id)).terms
    const where = `order #${id} (${plan}, accepted at ${acceptedAt}, pickup by ${pickupBy})`
    if (pickupBy > 0 && acceptedAt + 1 > pickupBy) {
      assert.equal(f.args.classId, COLD_CLASSES.lateness, where)
      continue
    }
    assert.notEqual(plan, 'on-time', `${where} was planned on time but failed`)
    assert.equal(f.args.classId, classOf[plan as keyof typeof classOf], where)
  }
  const lines = events.filter((e) => e.event === 'slash-requested').map((e) => e.text!)
  assert.ok(
    lines.some((l) => /, temperature excursion, /.test(l)),
    `a live line names the temperature class:\n${lines.join('\n')}`,
  )
})
