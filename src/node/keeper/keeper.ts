/**
 * Keeper duties: execute matured slashes in per-vault request order, and lapse disputed slashes whose resolver
 * missed the deadline. Anyone may do both, so several keepers usually run; each takes its turn (rank.ts) among
 * itself and its peers, re-reads the slash's status on chain right before acting, and treats a revert saying the
 * work is done (WrongStatus) as done. The journal makes a keeper killed mid-send finish the same transaction.
 *
 * An order's failure slash is an ordinary SlashRequested and is executed here like any other; the order duties
 * (expire overdue jobs, settle leases, sweep fees) follow the same pattern in orderDuties.ts.
 */
import type { Hex, PublicClient } from 'viem'
import { ContractRevertedError } from '../../errors.ts'
import { slashingCourtAbi } from '../../sdk/abis.ts'
import { SlashStatus, type SuretyAddresses } from '../../sdk/types.ts'
import { errorFields } from '../log.ts'
import type { Store } from '../store/store.ts'
import { type KeeperAction, keeperActions } from './decide.ts'
import { foldSlashEvents, isSettled } from './slashFold.ts'
import { type KeeperDeps, keeperTurns } from './turns.ts'

export function createKeeper(
  deps: {
    store: Store
    client: PublicClient
    addresses: SuretyAddresses
  } & KeeperDeps,
) {
  const { store, metrics, log } = deps
  const now = deps.now ?? Date.now
  const turns = keeperTurns(deps, now)
  /** Settled on chain but not yet confirmed to the follower: skip them without asking again. */
  const settled = new Set<Hex>()

  const liveStatus = async (slashId: Hex) => {
    const [status, disputeEnd, resolveBy] = await deps.client.readContract({
      address: deps.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [slashId],
      // includes another keeper's transaction still in the pool
      blockTag: 'pending',
    })
    return { status: SlashStatus[status] ?? 'None', disputeEnd, resolveBy }
  }

  /** Performs one action if it is this keeper's turn; returns true when the slash is now settled. */
  async function act(a: KeeperAction): Promise<boolean> {
    const { slash } = a
    const key = `${a.action}:${slash.slashId}`
    if (!turns.myTurn(key, slash.slashId)) return false
    const live = await liveStatus(slash.slashId)
    if (isSettled(live.status)) {
      settled.add(slash.slashId)
      await deps.txSender.finish(key)
      return true
    }
    // the follower lags the chain: act only on what the chain and the confirmed events agree on
    if (a.action === 'execute' && live.status !== slash.status) return false
    if (a.action === 'lapse' && live.status !== 'Disputed') return false
    try {
      const outcome = await deps.txSender.send({
        task: key,
        purpose: a.action,
        address: deps.addresses.court,
        abi: slashingCourtAbi,
        functionName: a.action === 'execute' ? 'executeSlash' : 'lapse',
        args: [slash.details],
      })
      metrics.keeperActions.inc({ action: a.action, result: outcome.status })
      if (outcome.status === 'mined') {
        log.info(`slash ${a.action === 'execute' ? 'executed' : 'lapsed'}`, {
          slashId: slash.slashId,
          vault: slash.vault,
          seq: slash.seq,
          tx: outcome.tx.hash,
        })
        settled.add(slash.slashId)
        return true
      }
      return false
    } catch (error) {
      if (error instanceof ContractRevertedError && error.errorName === 'WrongStatus') {
        // another keeper was first
        metrics.keeperActions.inc({ action: a.action, result: 'done_by_other' })
        settled.add(slash.slashId)
        return true
      }
      metrics.keeperActions.inc({ action: a.action, result: 'error' })
      log.warn(`keeper ${a.action} failed`, { slashId: slash.slashId, ...errorFields(error) })
      return false
    }
  }

  async function tick(): Promise<void> {
    const block = await deps.client.getBlock({ blockTag: 'latest' })
    const folded = [...foldSlashEvents(store.chain.openSlashEvents()).values()]
    // executing a vault's head unblocks the next one: go round until nothing more can be done now
    for (let round = 0; round < 64; round++) {
      const open = folded.filter((s) => !settled.has(s.slashId) && !isSettled(s.status))
      const actions = keeperActions(open, block.timestamp)
      if (actions.length === 0) return
      let progressed = false
      for (const a of actions) if (await act(a)) progressed = true
      if (!progressed) return
    }
  }

  return {
    tick,
    /** Follower listener: once settled events are confirmed, the in-memory shortcut is no longer needed. */
    onEvents: (events: { name: string; slashId?: Hex | undefined }[]) => {
      for (const e of events) {
        if (
          e.slashId &&
          (e.name === 'SlashExecuted' || e.name === 'SlashLapsed' || e.name === 'SlashOverturned')
        )
          settled.delete(e.slashId)
      }
    },
    /** A reorg may have orphaned a settlement this keeper saw: ask the chain again. */
    onRollback: () => settled.clear(),
  }
}
