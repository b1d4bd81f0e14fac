import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from 'viem'
import { ORDER_STATUSES, SLASH_STATUSES } from '../indexer/status.ts'

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

/** The contract's SlashStatus by its uint8 value (the names are declared once, in src/indexer/status.ts). */
export const SlashStatus = ['None', ...SLASH_STATUSES] as const
export type SlashStatusName = (typeof SlashStatus)[number]

/** What a client fixes when it opens an order (Types.sol OrderParams); pass it back to act on the order. */
export type OrderParams = {
  client: Address
  serviceId: bigint
  /** The stake token (fees go to stakers) or another ERC-20 (fees go to the service owner). */
  paymentToken: Address
  /** The named operator's vault, or zero for an intent that operators bid on. */
  vault: Address
  /** Escrowed at open: a job's price (named) or the most it pays (intent); a lease's whole funds. */
  budget: bigint
  /** Collateral base in stake-token units for a foreign payment token; 0 for the stake token. */
  value: bigint
  /** Leases: the rate (named) or the highest rate accepted (intent); 0 for a job. */
  ratePerSecond: bigint
  biddingEnds: number
  /** Jobs: every milestone settled by then, else the order fails; 0 for a lease. */
  deadline: number
  /** Up to 4 bps shares, 16 bits each from the lowest; 0 = one milestone (see packMilestones). */
  milestones: bigint
  /** The service's terms when the order opened: the contract overwrites whatever the caller passes. */
  feeBps: number
  collateralFactorBps: number
  collateralFloorBps: number
}

/** Off-chain terms and the thresholds the attesters judge, published in OrderOpened. */
export type OrderTerms = {
  termsHash: Hex
  maxLatencyMs: number
  minUptimeBps: number
  minTempCentiC: number
  maxTempCentiC: number
  pickupBy: number
  device: Address
}

/**
 * What an attester quorum signs about an order (EIP-712, see orderOutcomes.ts). `paramsHash` is the order's
 * parameters hash as the order book stores it (orderParamsHash): the outcome names the order by its terms as well as
 * its id, so a reorg that renumbers orders cannot make a signature for one order valid for another. `vault` is the
 * vault holding the order (readOrder(...).vault): an open-bid order's params carry vault 0 and its winner is chosen
 * after opening, so a reorg that gives the order to another bidder cannot carry a verdict on the first one's work.
 */
export type OrderOutcome = {
  orderId: bigint
  paramsHash: Hex
  vault: Address
  milestone: number
  success: boolean
  classId: number
}

/** The class id of an order that failed by its deadline, without an attester report (no jail, no ban). */
export const NO_CLASS = 255

/** The contract's OrderStatus by its uint8 value (the names are declared once, in src/indexer/status.ts). */
export const OrderStatus = ['None', ...ORDER_STATUSES] as const
export type OrderStatusName = (typeof OrderStatus)[number]

/** What every order action needs: the id and the parameters the order book holds the hash of. */
export type OrderRef = { orderId: bigint; params: OrderParams }

/** An order as the chain holds it: state from `order()`, parameters and terms from its OrderOpened event. */
export type Order = OrderRef & {
  terms: OrderTerms
  status: OrderStatusName
  kind: 'job' | 'lease'
  /** Milestones paid (jobs). */
  settled: number
  /** Acceptance time (0 before): a lease streams from here. */
  startedAt: number
  /** The named vault; the best bidder while bidding; then the operator's vault (zero: none yet). */
  vault: Address
  /** A job's price or a lease's rate: the budget at open, the best bid while bidding. */
  price: bigint
  collateral: bigint
  /** Paid out of escrow to the operator, fee included (after a failure or cancel: the whole escrow). */
  paid: bigint
  openedAtBlock: bigint
}
