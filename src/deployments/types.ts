import type { SuretyAddresses } from '../sdk/types.ts'

/** Where one Surety deployment lives: its chain, its contracts, and the delay before a risky parameter change. */
export type SuretyDeployment = {
  chainId: number
  /** A short name for people: `devnet`, `base-sepolia`. */
  name: string
  /** Seconds a service change that can hurt stakers waits (ServiceRegistry's paramChangeDelay). */
  paramChangeDelay: number
  addresses: SuretyAddresses
}
