/**
 * Surety's deployment manifests by chain id (`surety/deployments`): the addresses an integrator passes to
 * `createSuretyClient`. One file per chain (`31337.ts`); adding a chain is a minor release, and changing a chain's
 * addresses is a breaking one (CHANGELOG.md). A deployment of your own (`surety deploy` writes
 * `.surety/deployments/<chainId>.json`) is passed by its addresses.
 *
 * @module surety/deployments
 */
import { InvalidInputError } from '../errors.ts'
import { devnet } from './31337.ts'
import type { SuretyDeployment } from './types.ts'

export { devnet } from './31337.ts'
export type { SuretyDeployment } from './types.ts'

/** Every known deployment, by chain id. */
export const deployments: Readonly<Record<number, SuretyDeployment>> = { [devnet.chainId]: devnet }

/** The deployment on `chainId`; throws `InvalidInputError` naming the chains Surety is deployed on. */
export function deploymentFor(chainId: number): SuretyDeployment {
  const deployment = deployments[chainId]
  if (!deployment) {
    const known = Object.values(deployments).map((d) => `${d.chainId} (${d.name})`)
    throw new InvalidInputError(
      `Surety has no deployment on chain ${chainId}; it is deployed on ${known.join(', ')}. ` +
        'For a deployment of your own, pass its addresses (surety deploy writes them to .surety/deployments/).',
    )
  }
  return deployment
}
