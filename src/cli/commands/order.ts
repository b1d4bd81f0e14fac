/**
 * `surety order` — open, bid on, accept, settle and cancel orders of a deployment, withdraw what failed or
 * cancelled orders credited, and list or show them. Writes are signed with the key in SURETY_PRIVATE_KEY; the
 * order's parameters are read back from its OrderOpened event.
 */
import { parseArgs } from 'node:util'
import { type Address, erc20Abi, zeroAddress } from 'viem'
import { InvalidInputError } from '../../errors.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  approveToken,
  bidOnOrder,
  cancelOrder,
  confirmMilestone,
  expireOrder,
  maxRequiredCollateral,
  type OwedCredit,
  openOrder,
  operatorVaultAbi,
  orderParams,
  orderTerms,
  pickBid,
  readBids,
  readOpenOrders,
  readOrder,
  readOrders,
  readOwed,
  settleLease,
  vaultFactoryAbi,
  withdrawOwed,
} from '../../sdk/index.ts'
import type { Order, OrderParams } from '../../sdk/types.ts'
import type { Command } from '../main.ts'
import {
  address,
  amount,
  bytes32,
  type Connection,
  connect,
  formatAmount,
  milestoneShares,
  orderId,
  signer,
  toJson,
  wholeNumber,
} from '../orderArgs.ts'
import { milestoneText, nextStep, orderLine, tokenInfos } from '../orderText.ts'

const usage = `Usage: surety order <subcommand> [ORDER_ID] [options] [--deployment FILE] [--rpc URL] [--json]

  open    --service ID --budget AMOUNT [--vault ADDRESS] [--rate AMOUNT] [--milestones 20,80]
          [--token ADDRESS] [--value AMOUNT] [--bidding-window SECONDS] [--duration SECONDS] [--terms-hash HEX]
          Opens a job (or a lease with --rate, per second) with the budget in escrow; names an operator's vault
          or, without --vault, is an intent operators bid on. Approves the order book for the budget if needed.
          --value (required with a foreign --token) is what the work is worth in the stake token: every bid must
          then back the order with collateral on at least that, however low its price.
  bid     ORDER_ID --price AMOUNT [--collateral AMOUNT]   an operator bids (pledging by default the most the
                                                      requirement can be; acceptance reserves exactly it)
  accept  ORDER_ID                 the named operator accepts; after the window anyone accepts an intent's best bid
  pick    ORDER_ID --vault ADDRESS the client accepts a bid of its choice
  confirm ORDER_ID                 the client confirms the next milestone of a job
  expire  ORDER_ID                 fails a job whose deadline passed (anyone); the refund is credited to the client
  settle  ORDER_ID                 pays a lease's operator what has streamed (anyone)
  cancel  ORDER_ID                 the client cancels an open order (full refund); on an active one, client or
                                   operator agrees (both within a day: the refund is credited to the client)
  withdraw [--token ADDRESS]       withdraws what failed or cancelled orders credited you in the token
                                   (default: the stake token)
  list    [--all] [--client ADDRESS] [--service ID]       open and active orders (--all: every order)
  show    ORDER_ID                 one order with its parameters, bids and what the order book owes its parties

Amounts are decimal tokens (the payment token's decimals; collateral and --value in the stake token). Writes
are signed with the key in SURETY_PRIVATE_KEY. The manifest defaults to .surety/deployments/31337.json.`

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

async function open(c: Connection, values: Values) {
  const client = signer(c, values)
  const serviceId = wholeNumber('service', str(values, 'service'))
  if (serviceId === undefined || serviceId === 0) throw new InvalidInputError('--service ID is required')
  const stake = c.deployment.addresses.stakeToken
  const token = address('token', str(values, 'token')) ?? stake
  const tokens = tokenInfos(c.reader)
  const { decimals } = await tokens(token)
  const budget = amount('budget', str(values, 'budget'), decimals)
  if (budget === undefined) throw new InvalidInputError('--budget AMOUNT is required')
  const foreign = token.toLowerCase() !== stake.toLowerCase()
  const value = amount('value', str(values, 'value'), (await tokens(stake)).decimals)
  if (foreign && value === undefined)
    throw new InvalidInputError('--value is required with a foreign --token')
  const termsHash = bytes32('terms-hash', str(values, 'terms-hash'))
  const params = orderParams({
    client: client.wallet.account.address,
    serviceId: BigInt(serviceId),
    paymentToken: token,
    vault: address('vault', str(values, 'vault')),
    budget,
    value,
    ratePerSecond: amount('rate', str(values, 'rate'), decimals),
    now: (await c.reader.public.getBlock()).timestamp,
    biddingWindow: wholeNumber('bidding-window', str(values, 'bidding-window')),
    duration: wholeNumber('duration', str(values, 'duration')),
    milestones: milestoneShares(str(values, 'milestones')),
  })
  const allowance = await c.reader.public.readContract({
    address: token,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [client.wallet.account.address, c.deployment.addresses.orders],
  })
  if (allowance < budget)
    await approveToken(client, { token, spender: c.deployment.addresses.orders, amount: budget })
  return (await openOrder(client, { params, terms: orderTerms(termsHash ? { termsHash } : {}) })).result
}

async function bid(c: Connection, values: Values, id: bigint) {
  const client = signer(c, values)
  const order = await readOrder(c.reader, id, c.fromBlock)
  const tokens = tokenInfos(c.reader)
  const price = amount('price', str(values, 'price'), (await tokens(order.params.paymentToken)).decimals)
  if (price === undefined) throw new InvalidInputError('--price AMOUNT is required')
  const vault = await c.reader.public.readContract({
    address: c.deployment.addresses.factory,
    abi: vaultFactoryAbi,
    functionName: 'vaultOf',
    args: [client.wallet.account.address],
  })
  if (vault === zeroAddress)
    throw new InvalidInputError(`${client.wallet.account.address} has no operator vault`)
  const collateral =
    amount(
      'collateral',
      str(values, 'collateral'),
      (await tokens(c.deployment.addresses.stakeToken)).decimals,
    ) ?? maxRequiredCollateral(order.params, price, c.deployment.addresses.stakeToken)
  return (await bidOnOrder(client, { ...order, price, collateral })).result
}

/** Runs one write on an existing order and returns what the action returned. */
async function write(c: Connection, values: Values, sub: string, id: bigint) {
  const client = signer(c, values)
  const order = await readOrder(c.reader, id, c.fromBlock)
  switch (sub) {
    case 'accept':
      return (await acceptOrder(client, order)).result
    case 'pick': {
      const vault = address('vault', str(values, 'vault'))
      if (!vault) throw new InvalidInputError('--vault ADDRESS is required')
      return (await pickBid(client, { ...order, vault })).result
    }
    case 'confirm':
      return (await confirmMilestone(client, order)).result
    case 'expire':
      return (await expireOrder(client, order)).result
    case 'settle':
      return (await settleLease(client, order)).result
    default:
      // cancel: the client alone before acceptance; both parties after it
      if (order.status === 'Open') return { cancelled: true, ...(await cancelOrder(client, order)).result }
      return (await agreeCancelOrder(client, order)).result
  }
}

/** The caller withdraws what failed or cancelled orders credited it in `--token` (default: the stake token). */
async function withdraw(c: Connection, values: Values) {
  const client = signer(c, values)
  const token = address('token', str(values, 'token')) ?? c.deployment.addresses.stakeToken
  return (await withdrawOwed(client, { token })).result
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

async function show(c: Connection, id: bigint, json: boolean) {
  const [order, bids, block] = await Promise.all([
    readOrder(c.reader, id, c.fromBlock),
    readBids(c.reader, id, c.fromBlock),
    c.reader.public.getBlock(),
  ])
  const owed = await owedTo(c, order)
  if (json) return console.log(toJson({ ...order, bids, owed }))
  const token = await tokenInfos(c.reader)(order.params.paymentToken)
  const stake = await tokenInfos(c.reader)(c.deployment.addresses.stakeToken)
  const p = order.params
  console.log(orderLine(order, token, block.timestamp))
  console.log(
    `  client ${p.client}  service #${p.serviceId}  budget ${formatAmount(p.budget, token.decimals)} ${token.symbol}`,
  )
  if (order.kind === 'job')
    console.log(`  ${milestoneText(order)}, deadline ${new Date(p.deadline * 1000).toISOString()}`)
  console.log(
    `  fee ${p.feeBps / 100}%  collateral ${p.collateralFactorBps / 100}% of value (floor ${p.collateralFloorBps / 100}%)`,
  )
  if (order.collateral > 0n)
    console.log(`  collateral reserved ${formatAmount(order.collateral, stake.decimals)} ${stake.symbol}`)
  console.log(`  terms ${order.terms.termsHash}`)
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
}

async function list(c: Connection, values: Values) {
  const serviceId = wholeNumber('service', str(values, 'service'))
  const filter = {
    client: address('client', str(values, 'client')),
    serviceId: serviceId === undefined ? undefined : BigInt(serviceId),
    fromBlock: c.fromBlock,
  }
  const [orders, block] = await Promise.all([
    values.all ? readOrders(c.reader, filter) : readOpenOrders(c.reader, filter),
    c.reader.public.getBlock(),
  ])
  if (values.json) return console.log(toJson(orders))
  console.log(`${values.all ? 'Orders' : 'Open orders'} (${orders.length})`)
  const tokens = tokenInfos(c.reader)
  for (const o of orders)
    console.log(`  ${orderLine(o, await tokens(o.params.paymentToken), block.timestamp)}`)
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
    confirm: `order #${id}: milestone ${r.milestone} paid${r.completed ? '; order completed' : ''}`,
    expire: `order #${id} failed by its deadline; refund credited to the client (surety order withdraw); slash ${r.slashId}`,
    settle: `order #${id}: lease settled${r.completed ? '; order completed' : ''}`,
    cancel: !r.cancelled
      ? `order #${id}: agreed to cancel; waiting for the other party (its agreement within a day)`
      : r.credits
        ? `order #${id} cancelled; refund credited to the client (surety order withdraw)`
        : `order #${id} cancelled; refund sent to the client`,
  }
  console.log(lines[sub])
  const tokens = tokenInfos(c.reader)
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
  const token = await tokenInfos(c.reader)(result.token)
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
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        deployment: { type: 'string' },
        rpc: { type: 'string' },
        json: { type: 'boolean' },
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
        price: { type: 'string' },
        collateral: { type: 'string' },
        client: { type: 'string' },
      },
    })
    const [sub, idArg] = positionals
    if (!sub || !SUBCOMMANDS.includes(sub)) {
      throw new InvalidInputError(`unknown subcommand '${sub ?? ''}': one of ${SUBCOMMANDS.join(', ')}`)
    }
    const c = connect(values)
    const json = values.json === true
    if (sub === 'list') return void (await list(c, values))
    if (sub === 'withdraw') return void (await reportWithdrawal(c, await withdraw(c, values), json))
    if (sub === 'open') return void (await report(c, sub, undefined, await open(c, values), json))
    const id = orderId(idArg)
    if (sub === 'show') return void (await show(c, id, json))
    await report(c, sub, id, sub === 'bid' ? await bid(c, values, id) : await write(c, values, sub, id), json)
  },
}
