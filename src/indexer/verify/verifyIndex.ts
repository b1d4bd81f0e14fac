/**
 * `surety index verify`: compares what the index holds with what the contracts' own views return at the one
 * block the index reflects — every vault, every staker's position (shares, and what they are worth), every
 * withdrawal (queued ones as the vault holds them, claimed ones gone), every allocation, every pending slash and
 * open order, every service's reward and allocation totals, every active attester — and lists each difference. The index is read in one
 * snapshot transaction, the chain at that block number (and the block's hash is checked), so a running indexer
 * does not make the two sides disagree.
 */
import type { Kysely } from 'kysely'
import type { Address, Hex, PublicClient } from 'viem'
import { SuretyError } from '../../errors.ts'
import {
  operatorVaultAbi,
  orderBookAbi,
  rewardsDistributorAbi,
  serviceRegistryAbi,
  slashingCourtAbi,
} from '../../generated/contracts.ts'
import { netPoolAssets, toAssetsDown } from '../../model/sharesMath.ts'
import type { SuretyAddresses } from '../../sdk/types.ts'
import { decodeRow } from '../db/codec.ts'
import type { Database, Row } from '../db/schema.ts'
import { readIndexState } from '../queries/readIndexState.ts'
import { ORDER_STATUSES, orderStatusOf, slashStatusOf } from '../status.ts'

export type Difference = { entity: string; id: string; field: string; indexed: string; chain: string }

export type VerifyResult = {
  block: { number: bigint; hash: string }
  checked: {
    vaults: number
    positions: number
    withdrawals: number
    allocations: number
    slashes: number
    orders: number
    services: number
    attesters: number
  }
  differences: Difference[]
}

type Snapshot = {
  vaults: Row<'vaults'>[]
  positions: Row<'positions'>[]
  withdrawals: Row<'withdrawals'>[]
  allocations: Row<'allocations'>[]
  slashes: Row<'slashes'>[]
  orders: Row<'orders'>[]
  services: Row<'services'>[]
  attesters: Row<'attesters'>[]
}

async function readSnapshot(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  const tx = dialect === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction()
  return tx.execute(async (trx) => {
    const state = await readIndexState(trx)
    const snap: Snapshot = {
      vaults: (await trx.selectFrom('vaults').selectAll().execute()).map((r) => decodeRow('vaults', r)),
      positions: (await trx.selectFrom('positions').selectAll().execute()).map((r) =>
        decodeRow('positions', r),
      ),
      withdrawals: (await trx.selectFrom('withdrawals').selectAll().execute()).map((r) =>
        decodeRow('withdrawals', r),
      ),
      allocations: (await trx.selectFrom('allocations').selectAll().execute()).map((r) =>
        decodeRow('allocations', r),
      ),
      slashes: (
        await trx
          .selectFrom('slashes')
          .selectAll()
          .where('status', 'in', ['Pending', 'Disputed', 'Upheld'])
          .execute()
      ).map((r) => decodeRow('slashes', r)),
      orders: (
        await trx.selectFrom('orders').selectAll().where('status', 'in', ['Open', 'Active']).execute()
      ).map((r) => decodeRow('orders', r)),
      services: (await trx.selectFrom('services').selectAll().execute()).map((r) => decodeRow('services', r)),
      attesters: (await trx.selectFrom('attesters').selectAll().where('status', '=', 'active').execute()).map(
        (r) => decodeRow('attesters', r),
      ),
    }
    return { state, snap }
  })
}

export async function verifyIndex(deps: {
  db: Kysely<Database>
  dialect: 'sqlite' | 'postgres'
  client: PublicClient
  addresses: SuretyAddresses
}): Promise<VerifyResult> {
  const { state, snap } = await readSnapshot(deps.db, deps.dialect)
  if (!state.block) throw new SuretyError('the index is empty: run `surety index` first')
  const blockNumber = state.block.number
  const onChain = await deps.client.getBlock({ blockNumber })
  if (onChain.hash?.toLowerCase() !== state.block.hash.toLowerCase()) {
    throw new SuretyError(
      `block ${blockNumber} of the index (${state.block.hash}) is not on the chain (${onChain.hash}): a reorg the indexer has not processed yet; run verify again once it has`,
      { retryable: true },
    )
  }
  const diffs: Difference[] = []
  const read = (
    address: Address,
    abi: readonly unknown[],
    functionName: string,
    args: readonly unknown[] = [],
  ) => deps.client.readContract({ address, abi, functionName, args, blockNumber } as never) as Promise<any>
  const check = (entity: string, id: string, field: string, indexed: unknown, chain: unknown) => {
    const a = String(indexed).toLowerCase()
    const b = String(chain).toLowerCase()
    if (a !== b) diffs.push({ entity, id, field, indexed: String(indexed), chain: String(chain) })
  }

  await inParallel(snap.vaults, async (v) => {
    const vault = v.vault as Address
    const [totals, supply, allocated, reserved, queued, commission, cap, operator, bondWithdrawal] =
      await Promise.all([
        read(vault, operatorVaultAbi, 'totals'),
        read(vault, operatorVaultAbi, 'totalSupply'),
        read(vault, operatorVaultAbi, 'totalAllocated'),
        read(vault, operatorVaultAbi, 'totalReserved'),
        read(vault, operatorVaultAbi, 'queuedAssets'),
        read(vault, operatorVaultAbi, 'commissionBps'),
        read(vault, operatorVaultAbi, 'restakingCapBps'),
        read(vault, operatorVaultAbi, 'OPERATOR'),
        read(vault, operatorVaultAbi, 'bondWithdrawal'),
      ])
    check('vault', vault, 'bond', v.bond, totals[0])
    check('vault', vault, 'poolAssets', v.pool_assets, totals[1])
    check('vault', vault, 'pendingLiabilities', v.pending_liabilities, totals[2])
    check('vault', vault, 'totalSupply', v.total_supply, supply)
    check('vault', vault, 'totalAllocated', v.total_allocated, allocated)
    check('vault', vault, 'totalReserved', v.total_reserved, reserved)
    check('vault', vault, 'queuedAssets', v.queued_assets, queued)
    check('vault', vault, 'commissionBps', v.commission_bps, commission)
    check('vault', vault, 'restakingCapBps', v.restaking_cap_bps, cap)
    check('vault', vault, 'operator', v.operator, operator)
    check('vault', vault, 'bondWithdrawal.amount', v.bond_withdrawal_requested, bondWithdrawal[0])
  })

  // A position is the staker's vault-token balance; its value is what redeeming it would pay at this block, which
  // the index works out from the vault's row (net pool assets over total supply, rounded down as the vault does).
  const vaultsByAddress = new Map(snap.vaults.map((v) => [v.vault, v]))
  await inParallel(snap.positions, async (p) => {
    const vault = p.vault as Address
    const id = `${p.vault}/${p.staker}`
    const balance = (await read(vault, operatorVaultAbi, 'balanceOf', [p.staker as Address])) as bigint
    check('position', id, 'shares', p.shares, balance)
    const v = vaultsByAddress.get(p.vault)
    if (!v) {
      diffs.push({ entity: 'position', id, field: 'vault', indexed: 'missing', chain: p.vault })
      return
    }
    const value = toAssetsDown(
      p.shares,
      netPoolAssets(v.pool_assets, v.bond, v.pending_liabilities),
      v.total_supply,
    )
    check('position', id, 'value', value, await read(vault, operatorVaultAbi, 'previewRedeem', [balance]))
  })

  // A queued withdrawal is held by the vault under (owner, id) until claimed; a claimed one is deleted there.
  await inParallel(snap.withdrawals, async (w) => {
    const id = `${w.vault}/${w.owner}/${w.withdrawal_id}`
    const [shares, assets, readyAt] = (await read(w.vault as Address, operatorVaultAbi, 'withdrawal', [
      w.owner as Address,
      BigInt(w.withdrawal_id),
    ])) as [bigint, bigint, bigint]
    if (w.claimed === 1) {
      check('withdrawal', id, 'claimed', true, shares === 0n)
      return
    }
    check('withdrawal', id, 'shares', w.shares, shares)
    check('withdrawal', id, 'assets', w.assets, assets)
    check('withdrawal', id, 'readyAt', w.ready_at, readyAt)
  })

  await inParallel(snap.allocations, async (a) => {
    const vault = a.vault as Address
    const id = `${a.vault}/${a.service_id}`
    const sid = BigInt(a.service_id)
    const [alloc, exposure, reputation, jailed, banned] = await Promise.all([
      read(vault, operatorVaultAbi, 'allocation', [sid]),
      read(vault, operatorVaultAbi, 'exposure', [sid]),
      read(vault, operatorVaultAbi, 'reputation', [sid]),
      read(deps.addresses.court, slashingCourtAbi, 'jailedUntil', [sid, vault]),
      read(deps.addresses.court, slashingCourtAbi, 'isBanned', [sid, vault]),
    ])
    check('allocation', id, 'amount', a.amount, alloc[0])
    check('allocation', id, 'pendingSlash', a.pending_slash, alloc[1])
    check('allocation', id, 'deallocationRequested', a.deallocation_requested, alloc[2])
    check('allocation', id, 'queuedIncrease', a.queued_increase, exposure[0])
    if (a.queued_increase > 0n) check('allocation', id, 'queuedReadyAt', a.queued_ready_at, exposure[1])
    check('allocation', id, 'reserved', a.reserved, reputation[3])
    check('allocation', id, 'orderSuccesses', a.order_successes, reputation[1])
    check('allocation', id, 'orderFailures', a.order_failures, reputation[2])
    check('allocation', id, 'jailedUntil', a.jailed_until, jailed)
    check('allocation', id, 'banned', a.banned === 1, banned)
  })

  await inParallel(snap.slashes, async (s) => {
    const [status, disputeEnd, resolveBy] = await read(
      deps.addresses.court,
      slashingCourtAbi,
      'slashStatus',
      [s.slash_id as Hex],
    )
    check('slash', s.slash_id, 'status', s.status, slashStatusOf(Number(status)) ?? 'None')
    check('slash', s.slash_id, 'disputeEnd', s.dispute_end, disputeEnd)
    if (s.resolve_by !== null) check('slash', s.slash_id, 'resolveBy', s.resolve_by, resolveBy)
  })

  await inParallel(snap.orders, async (o) => {
    const r = await read(deps.addresses.orders, orderBookAbi, 'order', [BigInt(o.order_id)])
    const id = String(o.order_id)
    check('order', id, 'status', o.status, orderStatusOf(Number(r[1])) ?? 'None')
    check('order', id, 'settled', o.milestones_paid, r[2])
    check('order', id, 'vault', o.vault, r[4])
    check('order', id, 'price', o.price, r[5])
    check('order', id, 'collateral', o.collateral, r[6])
    // what the book counts as paid: a lease's stream so far, a job's milestones
    check('order', id, 'paid', o.rate_per_second > 0n ? o.streamed : o.paid_out, r[7])
    if (o.status === ORDER_STATUSES[1]) check('order', id, 'startedAt', o.accepted_at, r[3])
  })

  await inParallel(snap.services, async (s) => {
    const sid = BigInt(s.service_id)
    const id = String(s.service_id)
    const [allocated, rewards, owner] = await Promise.all([
      read(deps.addresses.court, slashingCourtAbi, 'serviceAllocated', [sid]),
      read(deps.addresses.rewards, rewardsDistributorAbi, 'serviceRewards', [sid]),
      read(deps.addresses.registry, serviceRegistryAbi, 'serviceOwner', [sid]),
    ])
    check('service', id, 'totalAllocated', s.total_allocated, allocated)
    check('service', id, 'accPerStake', s.acc_per_stake, rewards[0])
    check('service', id, 'rewardStake', s.reward_stake, rewards[1])
    check('service', id, 'subsidyRatePerSecond', s.subsidy_rate_per_second, rewards[2])
    check('service', id, 'owner', s.owner, owner)
  })

  await inParallel(snap.attesters, async (a) => {
    const info = await read(deps.addresses.registry, serviceRegistryAbi, 'attesterInfo', [
      BigInt(a.service_id),
      a.attester as Address,
    ])
    const id = `${a.service_id}/${a.attester}`
    check('attester', id, 'active', true, info[0])
    check('attester', id, 'committeeIndex', a.committee_index, info[1])
    check('attester', id, 'bond', a.bond, info[2])
  })

  return {
    block: state.block,
    checked: {
      vaults: snap.vaults.length,
      positions: snap.positions.length,
      withdrawals: snap.withdrawals.length,
      allocations: snap.allocations.length,
      slashes: snap.slashes.length,
      orders: snap.orders.length,
      services: snap.services.length,
      attesters: snap.attesters.length,
    },
    differences: diffs,
  }
}

/** Runs `fn` over `items`, a bounded number at a time (an RPC takes a few hundred requests at once well). */
async function inParallel<T>(items: T[], fn: (item: T) => Promise<void>, width = 16): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}
