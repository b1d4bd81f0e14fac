/**
 * Helpers for slashing-court tests: reads of the court and of vaults, exact time control, the slash id, and a
 * hand-built requestSlash that bypasses the SDK's signature ordering (to test what the court itself rejects).
 */
import { type Account, type Address, encodeAbiParameters, type Hex, keccak256 } from 'viem'
import {
  type CompactSignature,
  operatorVaultAbi,
  type SignedReport,
  type SlashDetails,
  type SlashReport,
  SlashStatus,
  type SlashStatusName,
  sendTransaction,
  signReport,
  slashingCourtAbi,
  toCompactSignature,
} from '../../src/sdk/index.ts'
import { readOrRevert } from './expectRevert.ts'
import type { World } from './world.ts'

/** keccak256(abi.encode(serviceId, vault, incidentId)), computed here rather than read from the court. */
export function slashIdOf(serviceId: bigint, vault: Address, incidentId: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint64' }, { type: 'address' }, { type: 'bytes32' }],
      [serviceId, vault, incidentId],
    ),
  )
}

/** Timestamp of the block that included a transaction. */
export const txTime = async (w: World, tx: { blockNumber: bigint }) =>
  (await w.public.getBlock({ blockNumber: tx.blockNumber })).timestamp

/** Mines a block stamped exactly `timestamp`: later calls (and their simulations) see at least that time. */
export async function travelTo(w: World, timestamp: bigint) {
  await w.test.setNextBlockTimestamp({ timestamp })
  await w.test.mine({ blocks: 1 })
}

export const courtRead = <T>(w: World, functionName: string, args: readonly unknown[] = []) =>
  readOrRevert<T>(w, { address: w.addresses.court, abi: slashingCourtAbi, functionName, args })

export const vaultRead = <T>(w: World, vault: Address, functionName: string, args: readonly unknown[] = []) =>
  readOrRevert<T>(w, { address: vault, abi: operatorVaultAbi, functionName, args })

export async function statusOf(w: World, slashId: Hex) {
  const [status, disputeEnd, resolveBy] = await courtRead<readonly [number, bigint, bigint]>(
    w,
    'slashStatus',
    [slashId],
  )
  return { status: SlashStatus[status] as SlashStatusName, disputeEnd, resolveBy }
}

export async function totalsOf(w: World, vault: Address) {
  const [bond, pool, pending, queuedShares] = await vaultRead<readonly [bigint, bigint, bigint, bigint]>(
    w,
    vault,
    'totals',
  )
  return { bond, pool, pending, queuedShares }
}

export async function allocationOf(w: World, vault: Address, serviceId: bigint) {
  const [amount, pending, decrease, decreaseReadyAt] = await vaultRead<
    readonly [bigint, bigint, bigint, bigint]
  >(w, vault, 'allocation', [serviceId])
  return { amount, pending, decrease, decreaseReadyAt }
}

export const sharesOf = (w: World, vault: Address, who: Address) =>
  vaultRead<bigint>(w, vault, 'balanceOf', [who])
export const supplyOf = (w: World, vault: Address) => vaultRead<bigint>(w, vault, 'totalSupply')

/** Token balances of several addresses at once, to diff before and after a transaction. */
export const balancesOf = (w: World, who: readonly Address[]) => Promise.all(who.map((a) => w.balanceOf(a)))

/** Signs a report under an arbitrary domain (another chain id or court address, for replay tests). */
export const signUnder = (
  account: Account,
  domain: { chainId: number; court: Address },
  report: SlashReport,
) => signReport(account, domain, report)

/**
 * Submits requestSlash with the signature array exactly as given: no sorting, no duplicate check. This is what
 * an attacker who does not use the SDK would send.
 */
export function requestSlashRaw(
  w: World,
  submitter: Account,
  report: SlashReport,
  signatures: readonly (SignedReport | CompactSignature)[],
) {
  const compact = signatures.map((s) => ('signature' in s ? toCompactSignature(s.signature) : s))
  return sendTransaction(w.clientFor(submitter), {
    address: w.addresses.court,
    abi: slashingCourtAbi,
    functionName: 'requestSlash',
    args: [report, compact],
  })
}

/** The details with one field changed (for DetailsMismatch tests). */
export const tamper = (details: SlashDetails, change: Partial<SlashDetails>): SlashDetails => ({
  ...details,
  ...change,
})

/** Sorts accounts by address, ascending, as the court orders signers. */
export const byAddress = (accounts: readonly Account[]) =>
  [...accounts].sort((a, b) =>
    BigInt(a.address) < BigInt(b.address) ? -1 : BigInt(a.address) > BigInt(b.address) ? 1 : 0,
  )
