/**
 * The keeper's order duties, on the pattern of its slash duties (keeper.ts): anyone may do them, several keepers
 * usually run, so each takes its turn (rank.ts) among itself and its keeper peers, reads the order book in the
 * pending block right before acting (another keeper's transaction still in the pool counts as done), and treats a
 * revert saying the work is done as done. Each is done once however many keepers run:
 *
 *   expire       an accepted job whose deadline passed `expireDelaySeconds` ago with milestones unpaid (the
 *                delay leaves room for the attesters' failure report, which carries the violation class, and for
 *                the client's late confirmation); WrongOrderStatus: done.
 *   settleLease  an accepted lease whose operator has not been paid for `leaseSettleSeconds`, or whose funds
 *                have all streamed (the settlement completes it); the next settlement is due only once the paid
 *                amount covers less than that, so a second keeper finds nothing due; NothingToSettle: done.
 *   sweepFees    every service with orders (and every configured service) is checked every
 *                `sweepIntervalSeconds`; fees accrued in the order book are swept when there are any. The turn
 *                order is fixed per service, so two keepers never sweep the same fees.
 *
 * Order-failure slashes need nothing here: they are SlashRequested events in the court, executed by keeper.ts.
 */
import { type Address, keccak256, type PublicClient, toHex } from 'viem'
import { ContractRevertedError } from '../../errors.ts'
import { orderBookAbi } from '../../sdk/abis.ts'
import type { TxRequest } from '../chain/txSender.ts'
import { errorFields } from '../log.ts'
import { readLiveOrder } from '../orders/chainState.ts'
import type { OrderSource } from '../orders/source.ts'
import { type KeeperDeps, keeperTurns } from './turns.ts'

export type OrderKeeperSettings = {
  expireDelaySeconds: number
  leaseSettleSeconds: number
  sweepIntervalSeconds: number
}

type Action = 'expire' | 'settle_lease' | 'sweep'

export function createOrderKeeper(
  deps: {
    orders: OrderSource
    /** Services whose fees this keeper sweeps. */
    serviceIds: () => bigint[]
    client: PublicClient
    ordersAddress: Address
    settings: OrderKeeperSettings
  } & KeeperDeps,
) {
  const { orders, metrics, log, settings } = deps
  const now = deps.now ?? Date.now
  const turns = keeperTurns(deps, now)
  /** Orders this keeper knows are expired on chain (the confirmed view catches up a few blocks later). */
  const expired = new Set<bigint>()
  /** Chain time at which each lease is next worth reading. */
  const leaseCheckAt = new Map<bigint, number>()
  /** Wall time at which each service's fees are next checked. */
  const sweepCheckAt = new Map<bigint, number>()

  const myTurn = (task: string) => turns.myTurn(task, keccak256(toHex(task)))

  const request = (
    task: string,
    purpose: string,
    functionName: string,
    args: readonly unknown[],
  ): TxRequest => ({
    task,
    purpose,
    address: deps.ordersAddress,
    abi: orderBookAbi,
    functionName,
    args,
  })

  /** Sends the task's transaction; true when the work is done (by this keeper or, per the revert, another). */
  async function perform(action: Action, req: TxRequest, doneErrors: ReadonlySet<string>, fields: object) {
    try {
      const outcome = await deps.txSender.send(req)
      metrics.keeperActions.inc({ action, result: outcome.status })
      if (outcome.status !== 'mined') return false
      log.info(`keeper ${action}`, { ...fields, tx: outcome.tx.hash })
      turns.forget(req.task)
      return true
    } catch (error) {
      if (error instanceof ContractRevertedError && doneErrors.has(error.errorName ?? '')) {
        metrics.keeperActions.inc({ action, result: 'done_by_other' })
        turns.forget(req.task)
        return true
      }
      metrics.keeperActions.inc({ action, result: 'error' })
      log.warn(`keeper ${action} failed`, { ...fields, ...errorFields(error) })
      return false
    }
  }

  async function expireDue(chainTime: number): Promise<void> {
    for (const o of orders.list()) {
      if (o.status !== 'Active' || o.kind !== 'job' || expired.has(o.orderId)) continue
      if (chainTime <= o.params.deadline + settings.expireDelaySeconds) continue
      const task = `expire:${o.orderId}`
      if (!myTurn(task)) continue
      const live = await readLiveOrder(deps.client, deps.ordersAddress, o.orderId, 'pending')
      if (live.status !== 'Active') {
        // failed (expired, or an attested failure), completed or cancelled: nothing to expire
        expired.add(o.orderId)
        turns.forget(task)
        await deps.txSender.finish(task)
        continue
      }
      const done = await perform(
        'expire',
        request(task, 'expire', 'expire', [o.orderId, o.params]),
        new Set(['WrongOrderStatus']),
        { orderId: o.orderId, deadline: o.params.deadline },
      )
      if (done) expired.add(o.orderId)
    }
  }

  async function settleLeases(chainTime: number): Promise<void> {
    const every = settings.leaseSettleSeconds
    for (const o of orders.list()) {
      if (o.status !== 'Active' || o.kind !== 'lease') continue
      if (chainTime < (leaseCheckAt.get(o.orderId) ?? 0)) continue
      const live = await readLiveOrder(deps.client, deps.ordersAddress, o.orderId, 'pending')
      if (live.status !== 'Active' || live.price === 0n) {
        leaseCheckAt.set(o.orderId, chainTime + every)
        continue
      }
      const budget = o.params.budget
      const exhaustedAt = live.startedAt + Number((budget + live.price - 1n) / live.price)
      const paidUntil = live.startedAt + Number(live.paid / live.price)
      if (chainTime < exhaustedAt && chainTime - paidUntil < every) {
        leaseCheckAt.set(o.orderId, Math.min(exhaustedAt, paidUntil + every))
        continue
      }
      // keyed by what was paid: once anyone settles, the task (and the turn order) changes, and nothing is due
      const task = `settleLease:${o.orderId}:${live.paid}`
      if (!myTurn(task)) continue
      const done = await perform(
        'settle_lease',
        request(task, 'settle_lease', 'settleLease', [o.orderId, o.params]),
        new Set(['NothingToSettle', 'WrongOrderStatus']),
        { orderId: o.orderId, paidBefore: live.paid },
      )
      // read it again next second: the pending state then shows what is paid and when the next settlement is due
      if (done) leaseCheckAt.set(o.orderId, chainTime + 1)
    }
  }

  async function sweepFees(): Promise<void> {
    for (const serviceId of deps.serviceIds()) {
      if (now() < (sweepCheckAt.get(serviceId) ?? 0)) continue
      const unswept = await deps.client.readContract({
        address: deps.ordersAddress,
        abi: orderBookAbi,
        functionName: 'unsweptFees',
        args: [serviceId],
        blockTag: 'pending',
      })
      const next = now() + settings.sweepIntervalSeconds * 1000
      if (unswept === 0n) {
        sweepCheckAt.set(serviceId, next)
        turns.forget(`sweep:${serviceId}`)
        continue
      }
      // one fixed turn order per service: two keepers never race for the same fees
      const task = `sweep:${serviceId}`
      if (!myTurn(task)) continue
      const done = await perform(
        'sweep',
        { ...request(`${task}:${unswept}`, 'sweep', 'sweepFees', [serviceId]) },
        new Set(),
        { serviceId, amount: unswept },
      )
      if (done) {
        turns.forget(task)
        sweepCheckAt.set(serviceId, next)
      }
    }
  }

  async function tick(): Promise<void> {
    // the chain's time matters only to accepted orders: no block read while there are none
    if (orders.list().some((o) => o.status === 'Active')) {
      const chainTime = Number((await deps.client.getBlock({ blockTag: 'latest' })).timestamp)
      await expireDue(chainTime)
      await settleLeases(chainTime)
    }
    await sweepFees()
    for (const id of expired) if (!orders.byId(id)) expired.delete(id)
    for (const id of leaseCheckAt.keys()) if (!orders.byId(id)) leaseCheckAt.delete(id)
  }

  return {
    tick,
    /** A reorg may have orphaned an expiry or a settlement this keeper saw: ask the chain again. */
    onRollback: () => {
      expired.clear()
      leaseCheckAt.clear()
    },
  }
}
