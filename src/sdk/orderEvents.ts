/**
 * Decoding of the order book's events (and the court's SlashRequested of a failed order) from a transaction's
 * receipt: the order actions return what the contract emitted, not what the caller asked for.
 *
 * A failure or a mutual cancellation transfers nothing: it credits what it pays (`Owed` events) to
 * `owed[token][account]` in the order book, which each holder withdraws with withdrawOwed.
 */
import { type Address, type Hex, type Log, parseEventLogs } from 'viem'
import { SuretyError } from '../errors.ts'
import { orderBookAbi, slashingCourtAbi } from './abis.ts'
import type { SlashDetails, SuretyClient } from './types.ts'

export type OrderAcceptance = { vault: Address; price: bigint; collateral: bigint; refund: bigint }

export type MilestonePayment = {
  milestone: number
  /** Paid out of escrow for this milestone, fee included. */
  amount: bigint
  /** The operator (the vault's OPERATOR) received amount − fee. */
  fee: bigint
  byAttesters: boolean
  /** The last milestone: the order completed and its collateral was released. */
  completed: boolean
}

export type LeasePayment = {
  amount: bigint
  /** Taken on the cumulative amount: fee(streamed) − fee(streamed − amount), so frequent settling rounds up once. */
  fee: bigint
  /** Paid to the operator so far, fee included. */
  streamed: bigint
  completed: boolean
}

/** An amount the order book credited to `account` (OrderBook.owed[token][account]), withdrawn with withdrawOwed. */
export type OwedCredit = { token: Address; account: Address; amount: bigint }

export type OrderFailure = {
  classId: number
  /** The unpaid escrow, credited to the client (not transferred): the client withdraws it with withdrawOwed. */
  refund: bigint
  /** Zero when nothing was left to slash (the order still failed). */
  slashId: Hex
  slashAmount: bigint
  /** The pending slash of the collateral: pass `details` to executeSlash / disputeSlash. */
  slash: { details: SlashDetails; disputeEnd: bigint } | undefined
  /** What a failed lease paid for the time it streamed before failing (credited to the operator, not sent). */
  leasePayment: LeasePayment | undefined
  /**
   * Every credit the failure made, in event order: the client's refund and, for a lease, the operator's streamed
   * part less the fee (and a foreign-token fee to the service owner). Nothing was transferred.
   */
  credits: OwedCredit[]
}

/** The logs of a mined transaction, for the `decode…` functions below. */
export async function receiptLogs(client: Pick<SuretyClient, 'public'>, hash: Hex): Promise<Log[]> {
  return (await client.public.getTransactionReceipt({ hash })).logs as Log[]
}

/** The order book's `eventName` events among `logs`, decoded with its ABI. */
export function orderEvents<const N extends string>(logs: Log[], eventName: N) {
  return parseEventLogs({ abi: orderBookAbi, eventName: eventName as any, logs }) as unknown as {
    args: Record<string, any>
  }[]
}

/** The one `eventName` event a successful order action must have emitted. */
export function requireOrderEvent(logs: Log[], eventName: string, action: string, hash: Hex) {
  const [event] = orderEvents(logs, eventName)
  if (!event) throw new SuretyError(`${action}: no ${eventName} event in the receipt`, { details: hash })
  return event.args
}

/** What a milestone payment paid (the MilestonePaid event), and whether it completed the order. */
export function decodeMilestonePayment(logs: Log[], action: string, hash: Hex): MilestonePayment {
  const a = requireOrderEvent(logs, 'MilestonePaid', action, hash)
  return {
    milestone: Number(a.milestone),
    amount: a.amount,
    fee: a.fee,
    byAttesters: a.byAttesters,
    completed: orderEvents(logs, 'OrderCompleted').length > 0,
  }
}

/** What a lease settlement streamed and paid (the LeaseSettled event); undefined when nothing was settled. */
export function decodeLeasePayment(logs: Log[]): LeasePayment | undefined {
  const [event] = orderEvents(logs, 'LeaseSettled')
  if (!event) return undefined
  const a = event.args
  return {
    amount: a.amount,
    fee: a.fee,
    streamed: a.streamed,
    completed: orderEvents(logs, 'OrderCompleted').length > 0,
  }
}

/** The `Owed` credits of a receipt, in event order. */
export function decodeCredits(logs: Log[]): OwedCredit[] {
  return orderEvents(logs, 'Owed').map(({ args }) => ({
    token: args.token,
    account: args.account,
    amount: args.amount,
  }))
}

/** What an order's failure did (the OrderFailed event): its violation class, the refund, the slash it opened. */
export function decodeOrderFailure(logs: Log[], action: string, hash: Hex): OrderFailure {
  const a = requireOrderEvent(logs, 'OrderFailed', action, hash)
  const [requested] = parseEventLogs({ abi: slashingCourtAbi, eventName: 'SlashRequested', logs })
  return {
    classId: Number(a.classId),
    refund: a.refund,
    slashId: a.slashId,
    slashAmount: a.slashAmount,
    slash: requested
      ? { details: requested.args.details as SlashDetails, disputeEnd: requested.args.disputeEnd }
      : undefined,
    leasePayment: decodeLeasePayment(logs),
    credits: decodeCredits(logs),
  }
}
