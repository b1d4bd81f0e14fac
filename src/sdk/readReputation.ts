import type { Address } from 'viem'
import { operatorVaultAbi, orderBookAbi } from './abis.ts'
import type { OrderParams, SuretyReader } from './types.ts'

export type ReputationView = {
  /** Score in [0, 10,000] now: decayed since last written, 0 after an executed slash. */
  score: bigint
  successes: bigint
  failures: bigint
  /** Collateral this vault's open orders on the service hold. */
  reserved: bigint
  /** Collateral a new order on the service may still reserve. */
  room: bigint
}

/** An operator's standing on a service: reputation, settled-order counts and its collateral room. */
export async function readReputation(
  reader: SuretyReader,
  vault: Address,
  serviceId: bigint,
): Promise<ReputationView> {
  const [[score, successes, failures, reserved], [room]] = await Promise.all([
    reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'reputation',
      args: [serviceId],
    }),
    reader.public.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'collateralTerms',
      args: [serviceId],
    }),
  ])
  return { score, successes, failures, reserved, room }
}

/**
 * The collateral the order book requires of `vault` for an order at `price` (a job's price, a lease's rate) now:
 * the order's value × the collateral factor, discounted by the vault's reputation down to the floor. `params` must
 * carry the order's terms (as openOrder / readOrder return them).
 */
export function readRequiredCollateral(
  reader: SuretyReader,
  args: { params: OrderParams; vault: Address; price: bigint },
): Promise<bigint> {
  return reader.public.readContract({
    address: reader.addresses.orders,
    abi: orderBookAbi,
    functionName: 'requiredCollateral',
    args: [args.params, args.vault, args.price],
  })
}
