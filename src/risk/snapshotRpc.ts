/**
 * The RPC glue of `risk snapshot`: reads vaults, services, allocations, open-order escrow and declared values
 * from a deployment and hands them to the pure `buildRiskInput`. It needs a read model in the SDK that lists
 * them (vaults of the factory, services of the registry, escrow of open orders); until that exists the
 * command says so plainly instead of producing a partial snapshot that would understate the value at risk.
 */
import { SuretyError } from '../errors.ts'
import type { RiskInput } from './input.ts'
import type { SnapshotOptions } from './snapshot.ts'

export async function snapshotFromRpc(rpcUrl: string, _opts: SnapshotOptions = {}): Promise<RiskInput> {
  throw new SuretyError('the SDK read model is not available yet: cannot list escrowed orders to snapshot', {
    details: `RPC ${rpcUrl} was not contacted. Build the input by hand (see docs/risk.md) or from buildRiskInput().`,
  })
}
