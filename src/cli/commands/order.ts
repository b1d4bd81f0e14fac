/**
 * `surety order` — open, bid on, accept, settle and cancel orders of a deployment, withdraw what failed or
 * cancelled orders credited, and list or show them. Writes are signed with the key in SURETY_PRIVATE_KEY; the
 * order's parameters are read back from its OrderOpened event.
 */
import { type Address, type Hex, zeroAddress, zeroHash } from 'viem'
import { ContractRevertedError, InvalidInputError } from '../../errors.ts'
import { collect } from '../../sdk/api/createApiClient.ts'
import { ApiError } from '../../sdk/api/errors.ts'
import { createSuretyClient } from '../../sdk/createSuretyClient.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  bidOnOrder,
  cancelOrder,
  confirmMilestone,
  expireOrder,
  maxRequiredCollateral,
  type OwedCredit,
  openOrder,
  operatorVaultAbi,
  orderBookAbi,
  orderParams,
  orderTerms,
  pickBid,
  readBids,
  readOpenOrders,
  readOrder,
  readOrders,
  readOwed,
  readSlash,
  settleLease,
  vaultFactoryAbi,
  withdrawOwed,
} from '../../sdk/index.ts'
import { unpackMilestones } from '../../sdk/orders.ts'
import type { Order, OrderParams, SuretyClient } from '../../sdk/types.ts'
import { bidsFromApi, orderFromApi } from '../fromApi.ts'
import { captureCall } from '../lib/capture.ts'
import { requireService, requireVault } from '../lib/chain.ts'
import { collateralBar } from '../lib/collateralBar.ts'
import { type Context, connect } from '../lib/connect.ts'
import { decodeRevert } from '../lib/explain.ts'
import { classRef } from '../lib/labels.ts'
import {
  CONNECTION_HELP,
  CONNECTION_OPTIONS,
  parseOptions,
  SIGNER_HELP,
  SIGNER_OPTIONS,
} from '../lib/options.ts'
import { type ApiSource, chooseSource, sourceLine } from '../lib/readSource.ts'
import { loadAccount } from '../lib/signer.ts'
import { duration, when } from '../lib/time.ts'
import { tokenReader } from '../lib/units.ts'
import { runWrite } from '../lib/write.ts'
import type { Command } from '../main.ts'
import {
  address,
  amount,
  bytes32,
  formatAmount,
  milestoneShares,
  orderId,
  toJson,
  wholeNumber,
} from '../orderArgs.ts'
import { milestoneText, nextStep, orderLine } from '../orderText.ts'

type Connection = Context

const usage = `Usage: surety order <subcommand> [ORDER_ID] [options]

  open    --service ID --budget AMOUNT [--vault ADDRESS] [--rate AMOUNT] [--milestones 20,80]
          [--token ADDRESS] [--value AMOUNT] [--bidding-window SECONDS] [--duration SECONDS] [--terms-hash HEX]
          [--device ADDRESS [--pickup-within SECONDS] [--min-temp C --max-temp C]]
          Opens a job (or a lease with --rate, per second) with the budget in escrow; names an operator's vault
          (a Surety vault of this deployment) or, without --vault, is an intent operators bid on. Approves the
          order book for the budget if needed.
          The operator has --bidding-window (default 3600 s) to accept (an intent: to bid). A job's deadline
          is --duration (default 86400 s) counted from the END of that window, not from now: the default job is
          due in 1 d 1 h. The confirmation shows the deadline as a date.
          --value (required with a foreign --token) is what the work is worth in the stake token: every bid must
          then back the order with collateral on at least that, however low its price.
          A shipment names the sensor --device that signs its readings; --pickup-within (counted, like --duration,
          from the end of the bidding window) makes its first milestone the pickup; --min-temp/--max-temp (°C) the
          range it must stay in from pickup to delivery. The attesters judge it from the device's readings.
  bid     ORDER_ID --price AMOUNT [--collateral AMOUNT]   an operator bids (pledging by default the most the
                                                      requirement can be; acceptance reserves exactly it)
  accept  ORDER_ID                 the named operator accepts; after the window anyone accepts an intent's best bid
  pick    ORDER_ID --vault ADDRESS the client accepts a bid of its choice
  confirm ORDER_ID                 the client confirms the next milestone of a job (milestones count from 1)
  expire  ORDER_ID                 fails a job whose deadline passed (anyone); the refund is credited to the client
  settle  ORDER_ID                 pays a lease's operator what has streamed (anyone)
  cancel  ORDER_ID                 the client cancels an open order (full refund); on an active one, client or
                                   operator agrees (both within a day: the refund is credited to the client)
  withdraw [--token ADDRESS]       withdraws what failed or cancelled orders credited you in the token
                                   (default: the stake token)
  list    [--all] [--client ADDRESS] [--service ID]       open and active orders (--all: every order)
  show    ORDER_ID                 one order with its parameters, bids and what the order book owes its parties

Amounts are decimal tokens (the payment token's decimals; collateral and --value in the stake token), or base
units with the wei suffix.

${CONNECTION_HELP}

${SIGNER_HELP}`

const SUBCOMMANDS = [
  'open',
  'bid',
  'accept',
  'pick',
  'confirm',
  'expire',
  'settle',
  'cancel',
  'withdraw',
  'list',
  'show',
]

type Values = Record<string, string | boolean | undefined>
const str = (values: Values, name: string) => values[name] as string | undefined

/** Runs an order write through the shared pipeline: simulated (captured from the SDK action), explained, sent. */
async function send<R>(
  c: Connection,
  client: SuretyClient,
  values: Values,
  explain: string[],
  action: (c: SuretyClient) => Promise<{ result: R }>,
): Promise<R | undefined> {
  const call = await captureCall(client, action)
  const outcome = await runWrite(c, client, values, { explain, call, send: () => action(client) })
  return outcome.sent ? outcome.result.result : undefined
}

async function open(c: Connection, client: SuretyClient, values: Values) {
  const serviceId = wholeNumber('service', str(values, 'service'))
  if (serviceId === undefined || serviceId === 0) throw new InvalidInputError('--service ID is required')
  await requireService(c, BigInt(serviceId))
  const stake = c.deployment.addresses.stakeToken
  const token = address('token', str(values, 'token')) ?? stake
  const tokens = tokenReader(c.reader)
  const info = await tokens(token)
  const budget = amount('budget', str(values, 'budget'), info.decimals)
  if (budget === undefined) throw new InvalidInputError('--budget AMOUNT is required')
  const foreign = token.toLowerCase() !== stake.toLowerCase()
  const value = amount('value', str(values, 'value'), (await tokens(stake)).decimals)
  if (foreign && value === undefined)
    throw new InvalidInputError('--value is required with a foreign --token')
  const vault = address('vault', str(values, 'vault'))
  // an address the factory did not make would take the escrow and never accept: refuse it before anything is sent
  if (vault) await requireVault(c, vault)
  const termsHash = bytes32('terms-hash', str(values, 'terms-hash'))
  const now = await c.now()
  const params = orderParams({
    client: client.wallet.account.address,
    serviceId: BigInt(serviceId),
    paymentToken: token,
    vault,
    budget,
    value,
    ratePerSecond: amount('rate', str(values, 'rate'), info.decimals),
    now,
    biddingWindow: wholeNumber('bidding-window', str(values, 'bidding-window')),
    duration: wholeNumber('duration', str(values, 'duration')),
    milestones: milestoneShares(str(values, 'milestones')),
  })
  const t = (x: bigint) => `${formatAmount(x, info.decimals)} ${info.symbol}`
  const terms = orderTerms({ ...(termsHash ? { termsHash } : {}), ...shipmentTerms(values, params) })
  const kind =
    params.ratePerSecond > 0n
      ? `a lease at ${t(params.ratePerSecond)}/s`
      : terms.device !== zeroAddress
        ? 'a shipment'
        : 'a job'
  const explain = [
    `open ${kind} on service #${serviceId} with ${t(budget)} in escrow, ${vault ? `for the operator of vault ${vault}` : 'as an intent operators bid on'}`,
    vault
      ? `  the operator may accept until ${when(params.biddingEnds, now)}`
      : `  bids until ${when(params.biddingEnds, now)}; the best bid can be accepted for a day after that`,
    params.ratePerSecond > 0n
      ? '  the lease streams from acceptance until its budget runs out'
      : `  deadline: ${when(params.deadline, now)} (--duration ${duration(params.deadline - params.biddingEnds)} counted from the end of that window); ${milestoneText({ params } as Order)}`,
  ]
  if (terms.device !== zeroAddress)
    explain.push(
      `  sensor ${terms.device}${terms.pickupBy ? `, pickup by ${when(terms.pickupBy, now)}` : ''}${terms.minTempCentiC || terms.maxTempCentiC ? `, kept between ${terms.minTempCentiC / 100} °C and ${terms.maxTempCentiC / 100} °C` : ''}`,
    )
  const orders = c.deployment.addresses.orders
  const outcome = await runWrite(c, client, values, {
    explain,
    call: { address: orders, abi: orderBookAbi, functionName: 'open', args: [params, terms] },
    approval: { token, spender: orders, amount: budget, spenderName: 'order book' },
    send: () => openOrder(client, { params, terms }),
  })
  return outcome.sent ? outcome.result.result : undefined
}

/** Celsius with up to two decimals, in the terms' centi-degrees. */
function celsius(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?[0-9]{1,3}(\.[0-9]{1,2})?$/.test(value))
    throw new InvalidInputError(`--${name} must be degrees Celsius like 8 or -18.5, got '${value}'`)
  return Math.round(Number(value) * 100)
}

/** A shipment's terms from --device, --pickup-within, --min-temp and --max-temp (none: not a shipment). */
function shipmentTerms(values: Values, params: OrderParams) {
  const device = address('device', str(values, 'device'))
  const pickupWithin = wholeNumber('pickup-within', str(values, 'pickup-within'))
  const min = celsius('min-temp', str(values, 'min-temp'))
  const max = celsius('max-temp', str(values, 'max-temp'))
  if (!device) {
    if (pickupWithin !== undefined || min !== undefined || max !== undefined)
      throw new InvalidInputError(
        '--pickup-within, --min-temp and --max-temp describe a shipment: add --device ADDRESS',
      )
    return {}
  }
  if (params.ratePerSecond > 0n)
    throw new InvalidInputError('a lease cannot be a shipment: drop --rate or --device')
  if ((min === undefined) !== (max === undefined))
    throw new InvalidInputError('give both --min-temp and --max-temp, or neither')
  if (min !== undefined && max !== undefined && min >= max)
    throw new InvalidInputError(`--min-temp (${min / 100} °C) must be below --max-temp (${max / 100} °C)`)
  const pickupBy = pickupWithin === undefined ? 0 : params.biddingEnds + pickupWithin
  if (pickupBy > params.deadline)
    throw new InvalidInputError(
      `--pickup-within ${pickupWithin} s ends after the deadline (--duration ${params.deadline - params.biddingEnds} s)`,
    )
  return { device, pickupBy, minTempCentiC: min ?? 0, maxTempCentiC: max ?? 0 }
}

async function bid(c: Connection, client: SuretyClient, values: Values, id: bigint) {
  const order = await readOrder(c.reader, id, c.fromBlock)
  const tokens = tokenReader(c.reader)
  const pay = await tokens(order.params.paymentToken)
  const price = amount('price', str(values, 'price'), pay.decimals)
  if (price === undefined) throw new InvalidInputError('--price AMOUNT is required')
  // said here in tokens: the SDK's own check only knows base units
  const most = order.kind === 'lease' ? order.params.ratePerSecond : order.params.budget
  if (price <= 0n || price > most)
    throw new InvalidInputError(
      `--price must be more than 0 and at most ${formatAmount(most, pay.decimals)} ${pay.symbol}, the order's ${order.kind === 'lease' ? 'rate per second' : 'budget'}; got ${formatAmount(price, pay.decimals)} ${pay.symbol}`,
    )
  const vault = await c.reader.public.readContract({
    address: c.deployment.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'vaultOf',
    args: [client.wallet.account.address],
  })
  if (vault === zeroAddress)
    throw new InvalidInputError(`${client.wallet.account.address} has no operator vault`)
  const stake = await tokens(c.deployment.addresses.stakeToken)
  const collateral =
    amount('collateral', str(values, 'collateral'), stake.decimals) ??
    maxRequiredCollateral(order.params, price, c.deployment.addresses.stakeToken)
  try {
    return await send(
      c,
      client,
      values,
      [
        `bid ${formatAmount(price, pay.decimals)} ${pay.symbol} on order #${id} from vault ${vault}, pledging up to ${formatAmount(collateral, stake.decimals)} ${stake.symbol} of collateral (acceptance reserves exactly the requirement)`,
      ],
      (x) => bidOnOrder(x, { ...order, price, collateral }),
    )
  } catch (error) {
    // the order book's CollateralUnavailable(required, room) says how much, not why: the vault's state does
    const revert = decodeRevert(error)
    if (revert?.name !== 'CollateralUnavailable' || revert.args.length !== 2) throw error
    const bar = await collateralBar(c.reader, {
      vault,
      operator: client.wallet.account.address,
      serviceId: order.params.serviceId,
      now: await c.now(),
      stake: c.stake,
    })
    if (!bar) throw error
    throw new ContractRevertedError(`bid refused: ${bar}`, revert.name, {
      details: error instanceof Error ? error.message : String(error),
    })
  }
}

/** Runs one write on an existing order and returns what the action returned. */
async function write(c: Connection, client: SuretyClient, values: Values, sub: string, id: bigint) {
  const order = await readOrder(c.reader, id, c.fromBlock)
  const token = await tokenReader(c.reader)(order.params.paymentToken)
  const t = (x: bigint) => `${formatAmount(x, token.decimals)} ${token.symbol}`
  const now = await c.now()
  switch (sub) {
    case 'accept':
      return send(
        c,
        client,
        values,
        [`accept order #${id} (${t(order.price)}): reserves its collateral from the vault's allocation`],
        (x) => acceptOrder(x, order),
      )
    case 'pick': {
      const vault = address('vault', str(values, 'vault'))
      if (!vault) throw new InvalidInputError('--vault ADDRESS is required')
      return send(c, client, values, [`accept the bid of vault ${vault} on order #${id}`], (x) =>
        pickBid(x, { ...order, vault }),
      )
    }
    case 'confirm': {
      const count = unpackMilestones(order.params.milestones).length
      return send(
        c,
        client,
        values,
        [
          `confirm milestone ${order.settled + 1} of ${count} of order #${id}: pays its share of ${t(order.price)} to the operator, less the service fee`,
        ],
        (x) => confirmMilestone(x, order),
      )
    }
    case 'expire':
      return send(
        c,
        client,
        values,
        [
          `fail order #${id} by its deadline (${when(order.params.deadline, now)}): the refund is credited to the client and the collateral is slashed to it`,
        ],
        (x) => expireOrder(x, order),
      )
    case 'settle':
      return send(c, client, values, [`pay the operator of lease #${id} what has streamed so far`], (x) =>
        settleLease(x, order),
      )
    default:
      // cancel: the client alone before acceptance; both parties after it
      if (order.status === 'Open')
        return send(
          c,
          client,
          values,
          [`cancel open order #${id}: the client gets ${t(order.params.budget)} back`],
          async (x) => {
            const r = await cancelOrder(x, order)
            return { ...r, result: { cancelled: true, ...r.result } }
          },
        )
      return send(
        c,
        client,
        values,
        [
          `agree to cancel active order #${id}: it is cancelled once both parties agree within a day; the refund is credited to the client`,
        ],
        (x) => agreeCancelOrder(x, order),
      )
  }
}

/** The caller withdraws what failed or cancelled orders credited it in `--token` (default: the stake token). */
async function withdraw(c: Connection, client: SuretyClient, values: Values) {
  const token = address('token', str(values, 'token')) ?? c.deployment.addresses.stakeToken
  const info = await tokenReader(c.reader)(token)
  const owed = await readOwed(c.reader, token, client.wallet.account.address)
  if (owed === 0n) return { token, amount: 0n }
  return send(
    c,
    client,
    values,
    [`withdraw ${formatAmount(owed, info.decimals)} ${info.symbol} the order book owes you`],
    (x) => withdrawOwed(x, { token }),
  )
}

/**
 * What the order book owes the order's client and, once accepted, its operator in the payment token (OrderBook.owed:
 * credits of failed and cancelled orders, summed over all of each account's orders).
 */
async function owedTo(c: Connection, order: Order) {
  const token = order.params.paymentToken
  const owed = async (account: Address) => ({ account, amount: await readOwed(c.reader, token, account) })
  // while an intent is open its vault is only the best bidder
  if (order.status === 'Open' || order.vault === zeroAddress)
    return { client: await owed(order.params.client) }
  const operator = await c.reader.public.readContract({
    address: order.vault,
    abi: operatorVaultAbi,
    functionName: 'OPERATOR',
  })
  return { client: await owed(order.params.client), operator: await owed(operator) }
}

/**
 * How a failed order failed (its OrderFailed event): the class the attesters named (255: expired past its
 * deadline), the refund credited to the client, and the collateral slash with where it stands now.
 */
async function failureOf(c: Connection, order: Order) {
  if (order.status !== 'Failed') return undefined
  const [failed] = await c.reader.public.getContractEvents({
    address: c.deployment.addresses.orders,
    abi: orderBookAbi,
    eventName: 'OrderFailed',
    args: { orderId: order.orderId },
    fromBlock: c.fromBlock,
  })
  if (!failed) return undefined
  const { classId, refund, slashId, slashAmount } = failed.args as {
    classId: number
    refund: bigint
    slashId: Hex
    slashAmount: bigint
  }
  const slash = slashId === zeroHash ? undefined : await readSlash(c.reader, slashId, c.fromBlock)
  return { classId, refund, slashId, slashAmount, slash }
}

/** An order and its bids from the API; an id the index does not hold yet is read from the chain (it may trail). */
async function orderAndBids(c: Connection, id: bigint, source: ApiSource | undefined) {
  if (source) {
    try {
      const { data } = await source.api.orders.get(id)
      return { order: orderFromApi(data), bids: await bidsFromApi(source.api, data), fromApi: true }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error
    }
  }
  const [order, bids] = await Promise.all([
    readOrder(c.reader, id, c.fromBlock),
    readBids(c.reader, id, c.fromBlock),
  ])
  return { order, bids, fromApi: false }
}

async function show(c: Connection, id: bigint, json: boolean, source: ApiSource | undefined) {
  const [{ order, bids, fromApi }, block] = await Promise.all([
    orderAndBids(c, id, source),
    c.now().then((timestamp) => ({ timestamp })),
  ])
  const [owed, failure] = await Promise.all([owedTo(c, order), failureOf(c, order)])
  if (json) return console.log(toJson({ ...order, bids, owed, failure }))
  const token = await tokenReader(c.reader)(order.params.paymentToken)
  const stake = await tokenReader(c.reader)(c.deployment.addresses.stakeToken)
  const p = order.params
  console.log(orderLine(order, token, block.timestamp))
  console.log(
    `  client ${p.client}  service #${p.serviceId}  budget ${formatAmount(p.budget, token.decimals)} ${token.symbol}`,
  )
  if (order.kind === 'job')
    console.log(`  ${milestoneText(order)}, deadline ${when(p.deadline, block.timestamp)}`)
  console.log(
    `  fee ${p.feeBps / 100}%  collateral ${p.collateralFactorBps / 100}% of value (floor ${p.collateralFloorBps / 100}%)`,
  )
  // collateral is held only while an order is active; completion or failure releases or slashes it
  if (order.collateral > 0n && order.status === 'Active')
    console.log(`  collateral reserved ${formatAmount(order.collateral, stake.decimals)} ${stake.symbol}`)
  console.log(`  terms ${order.terms.termsHash}`)
  const tm = order.terms
  if (tm.device !== zeroAddress)
    console.log(
      `  shipment: sensor ${tm.device}${tm.pickupBy ? `, pickup by ${when(tm.pickupBy, block.timestamp)}` : ''}${tm.minTempCentiC || tm.maxTempCentiC ? `, ${tm.minTempCentiC / 100}–${tm.maxTempCentiC / 100} °C` : ''}`,
    )
  if (failure) {
    const why =
      failure.classId === 255
        ? 'expired past its deadline'
        : `class ${classRef(c, p.serviceId, failure.classId)} (surety service show ${p.serviceId})`
    console.log(
      `  failed: ${why}; ${formatAmount(failure.refund, token.decimals)} ${token.symbol} refunded to the client`,
    )
    const sl = failure.slash
    if (sl) {
      const x = sl.execution
      console.log(
        `  collateral slash ${failure.slashId}: ${formatAmount(sl.details.amount, stake.decimals)} ${stake.symbol}, ${sl.status}${x ? `, the client paid ${formatAmount(x.toClient, stake.decimals)} ${stake.symbol}` : sl.status === 'Pending' ? `, disputable until ${when(Number(sl.disputeEnd), block.timestamp)}` : ''} (surety slash show ${failure.slashId})`,
      )
    }
  }
  console.log(`  ${nextStep(order, block.timestamp)}`)
  for (const [who, o] of Object.entries(owed)) {
    if (o.amount === 0n) continue
    console.log(
      `  owed to the ${who} ${o.account}: ${formatAmount(o.amount, token.decimals)} ${token.symbol} (all its orders; surety order withdraw --token ${p.paymentToken})`,
    )
  }
  for (const b of bids) {
    console.log(
      `  bid ${formatAmount(b.price, token.decimals)} ${token.symbol} with ${formatAmount(b.collateral, stake.decimals)} ${stake.symbol} collateral  vault ${b.vault}`,
    )
  }
  if (source && fromApi) console.log(sourceLine(source))
}

async function list(c: Connection, values: Values, source: ApiSource | undefined) {
  const serviceId = wholeNumber('service', str(values, 'service'))
  const filter = {
    client: address('client', str(values, 'client')),
    serviceId: serviceId === undefined ? undefined : BigInt(serviceId),
    fromBlock: c.fromBlock,
  }
  const [orders, block] = await Promise.all([
    source
      ? listFromApi(source, filter, values.all === true)
      : values.all
        ? readOrders(c.reader, filter)
        : readOpenOrders(c.reader, filter),
    c.now().then((timestamp) => ({ timestamp })),
  ])
  if (values.json) return console.log(toJson(orders))
  console.log(`${values.all ? 'Orders' : 'Open orders'} (${orders.length})`)
  const tokens = tokenReader(c.reader)
  for (const o of orders)
    console.log(`  ${orderLine(o, await tokens(o.params.paymentToken), block.timestamp)}`)
  if (source) console.log(sourceLine(source))
}

/** The orders `list` prints, from the API: every status with --all, else Open and Active, by id as the chain lists them. */
async function listFromApi(
  source: ApiSource,
  filter: { client?: Address; serviceId?: bigint },
  all: boolean,
): Promise<Order[]> {
  const statuses = all ? [undefined] : (['Open', 'Active'] as const)
  const lists = await Promise.all(
    statuses.map((status) =>
      collect(
        source.api.orders.all({
          status,
          client: filter.client,
          service: filter.serviceId,
          sort: 'id',
          order: 'asc',
          limit: 500,
        }),
      ),
    ),
  )
  return lists
    .flat()
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))
    .map(orderFromApi)
}

/** Amounts the order book pays in the stake token; every other amount is in the order's payment token. */
const STAKE_FIELDS = new Set(['collateral', 'slashAmount'])

async function report(c: Connection, sub: string, id: bigint | undefined, result: unknown, json: boolean) {
  if (json) return console.log(toJson({ orderId: id, ...(result as object) }))
  const r = result as Record<string, unknown>
  const lines: Record<string, string> = {
    open: `order #${r.orderId} opened`,
    bid: `bid placed on order #${id}`,
    accept: `order #${id} accepted by vault ${r.vault}`,
    pick: `order #${id} accepted by vault ${r.vault}`,
    confirm: `order #${id}: milestone ${Number(r.milestone) + 1} paid${r.completed ? '; order completed' : ''}`,
    expire: `order #${id} failed by its deadline; refund credited to the client (surety order withdraw); slash ${r.slashId}`,
    settle: `order #${id}: lease settled${r.completed ? '; order completed' : ''}`,
    cancel: !r.cancelled
      ? `order #${id}: agreed to cancel; waiting for the other party (its agreement within a day)`
      : r.credits
        ? `order #${id} cancelled; refund credited to the client (surety order withdraw)`
        : `order #${id} cancelled; refund sent to the client`,
  }
  console.log(lines[sub])
  const tokens = tokenReader(c.reader)
  const paymentToken =
    (r.params as OrderParams | undefined)?.paymentToken ??
    (await readOrder(c.reader, id!, c.fromBlock)).params.paymentToken
  const [pay, stake] = await Promise.all([tokens(paymentToken), tokens(c.deployment.addresses.stakeToken)])
  for (const [k, v] of Object.entries(r)) {
    if (k === 'orderId' || k === 'milestone') continue
    if (k === 'score') console.log(`  reputation ${v} / 10000`)
    else if (typeof v === 'bigint') {
      const token = STAKE_FIELDS.has(k) ? stake : pay
      console.log(`  ${k} ${formatAmount(v, token.decimals)} ${token.symbol}`)
    } else if (typeof v === 'string' || typeof v === 'number') console.log(`  ${k} ${v}`)
  }
  for (const credit of (r.credits as OwedCredit[] | undefined) ?? []) {
    const token = await tokens(credit.token)
    console.log(
      `  credited ${formatAmount(credit.amount, token.decimals)} ${token.symbol} to ${credit.account}`,
    )
  }
}

async function reportWithdrawal(c: Connection, result: { token: Address; amount: bigint }, json: boolean) {
  if (json) return console.log(toJson(result))
  const token = await tokenReader(c.reader)(result.token)
  console.log(
    result.amount > 0n
      ? `withdrew ${formatAmount(result.amount, token.decimals)} ${token.symbol} owed by the order book`
      : `nothing owed in ${token.symbol}`,
  )
}

export const command: Command = {
  summary: 'open, bid on, accept, settle, cancel, list and show orders',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions('order', args, {
      ...CONNECTION_OPTIONS,
      ...SIGNER_OPTIONS,
      all: { type: 'boolean' },
      service: { type: 'string' },
      budget: { type: 'string' },
      vault: { type: 'string' },
      rate: { type: 'string' },
      milestones: { type: 'string' },
      token: { type: 'string' },
      value: { type: 'string' },
      'bidding-window': { type: 'string' },
      duration: { type: 'string' },
      'terms-hash': { type: 'string' },
      device: { type: 'string' },
      'pickup-within': { type: 'string' },
      'min-temp': { type: 'string' },
      'max-temp': { type: 'string' },
      price: { type: 'string' },
      collateral: { type: 'string' },
      client: { type: 'string' },
    })
    const [sub, idArg] = positionals
    if (!sub || !SUBCOMMANDS.includes(sub)) {
      throw new InvalidInputError(`unknown subcommand '${sub ?? ''}': one of ${SUBCOMMANDS.join(', ')}`)
    }
    const id = sub === 'list' || sub === 'withdraw' || sub === 'open' ? undefined : orderId(idArg)
    const json = values.json === true
    // a write needs a key: a missing one fails before the chain is reached
    const account = sub === 'list' || sub === 'show' ? undefined : await loadAccount(values)
    const c = await connect(values)
    const source = sub === 'list' || sub === 'show' ? await chooseSource(c, values) : undefined
    if (sub === 'list') return void (await list(c, values, source))
    if (sub === 'show') return void (await show(c, id!, json, source))
    const client = createSuretyClient({
      rpcUrl: c.rpcUrl,
      chainId: c.chainId,
      account: account!,
      addresses: c.deployment.addresses,
    })
    if (sub === 'withdraw') {
      const r = await withdraw(c, client, values)
      if (r) await reportWithdrawal(c, r, json)
      return
    }
    const result =
      sub === 'open'
        ? await open(c, client, values)
        : sub === 'bid'
          ? await bid(c, client, values, id!)
          : await write(c, client, values, sub, id!)
    // undefined: a dry run, nothing sent
    if (result !== undefined) await report(c, sub, id, result, json)
  },
}
