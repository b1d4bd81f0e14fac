import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem'

/** Where a Surety deployment lives. Written by deploy, read by everything else (see deployments/<chainId>.json). */
export type SuretyAddresses = {
  stakeToken: Address
  registry: Address
  factory: Address
  court: Address
  rewards: Address
  orders: Address
}

/** A wallet client that has an account: every write action needs one. */
export type SuretyWalletClient = WalletClient<Transport, Chain | undefined, Account>

/** The pair of clients actions take: reads go to `public`, writes are signed by `wallet`. */
export type SuretyClient = {
  public: PublicClient
  wallet: SuretyWalletClient
  addresses: SuretyAddresses
}

export type SuretyReader = { public: PublicClient; addresses: SuretyAddresses }

export type TxResult<T = undefined> = { hash: Hex; gasUsed: bigint; blockNumber: bigint; result: T }

export type ServiceParams = {
  resolver: Address
  disputeWindow: number
  resolutionDeadline: number
  quorumBps: number
  reporterShareBps: number
  sink: Address
  disputeBond: bigint
  correlationWindow: number
  correlationMultiplierBps: number
  incidentCapBps: number
  windowCapBps: number
  clientShareBps: number
  attesterPenaltyBps: number
  minAttesterBond: bigint
  minAllocationDelay: number
  orderFeeBps: number
  collateralFactorBps: number
  collateralFloorBps: number
  declaredValue: bigint
}

export type ViolationClass = { basePenaltyBps: number; jailDuration: number; permanentBan: boolean }

export type SlashReport = {
  serviceId: bigint
  vault: Address
  classId: number
  incidentId: Hex
  client: Address
}

export type CompactSignature = { r: Hex; vs: Hex }

export type SlashDetails = {
  serviceId: bigint
  vault: Address
  classId: number
  incidentId: Hex
  client: Address
  reporter: Address
  sink: Address
  amount: bigint
  disputeBond: bigint
  clientShareBps: number
  reporterShareBps: number
  jailDuration: number
  permanentBan: boolean
  resolutionDeadline: number
  seq: bigint
  signers: bigint
  requestedAt: number
}

export const SlashStatus = [
  'None',
  'Pending',
  'Disputed',
  'Upheld',
  'Executed',
  'Overturned',
  'Lapsed',
] as const
export type SlashStatusName = (typeof SlashStatus)[number]
