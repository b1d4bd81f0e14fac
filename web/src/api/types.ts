/**
 * The API's response shapes as the dashboard reads them (src/api/schemas/*, documented in docs/api.md and
 * /openapi.json). Only the fields the pages use are named; amounts are `{ base, units }`, instants `{ unix, iso }`.
 */
import type { Amount, Time } from '../lib/api.ts'

type Meta = { createdBlock: number; updatedBlock: number; final: boolean }

export type Network = {
  chainId: number | null
  addresses: Record<string, string>
  services: number
  vaults: number
  operators: number
  stakers: number
  attesters: { active: number; total: number }
  stake: {
    bond: Amount
    pool: Amount
    total: Amount
    allocated: Amount
    reserved: Amount
    pendingLiabilities: Amount
  }
  orders: { total: number; byStatus: Record<string, number> }
  slashes: { total: number; byStatus: Record<string, number>; pendingAmount: Amount; executedAmount: Amount }
  rewards: { distributed: Amount }
  indexer: { head: number | null; finalityDepth: number | null; halted: string | null }
}

export type ViolationClass = {
  classId: number
  basePenaltyBps: number
  jailDurationSeconds: number
  permanentBan: boolean
}

export type Service = Meta & {
  id: string
  owner: string
  resolver: string
  sink: string
  terms: {
    disputeWindowSeconds: number
    resolutionDeadlineSeconds: number
    quorumBps: number
    reporterShareBps: number
    clientShareBps: number
    disputeBond: Amount
    correlationWindowSeconds: number
    correlationMultiplierBps: number
    incidentCapBps: number
    windowCapBps: number
    attesterPenaltyBps: number
    minAttesterBond: Amount
    orderFeeBps: number
    collateralFactorBps: number
    collateralFloorBps: number
    declaredValue: Amount
  }
  classes: ViolationClass[]
  pendingChange: { readyAt: Time | null } | null
  totalAllocated: Amount
  rewardStake: Amount
  rewards: {
    distributed: Amount
    feesAdded: Amount
    feesSwept: Amount
    subsidyFunded: Amount
    subsidyBalance: Amount
    subsidyRatePerSecond: Amount
  }
}

export type Vault = Meta & {
  address: string
  operator: string
  withdrawalDelaySeconds: number
  commissionBps: number
  restakingCapBps: number
  pendingTerms: { commissionBps: number; restakingCapBps: number; readyAt: Time | null } | null
  bond: Amount
  bondWithdrawal: { amount: Amount; readyAt: Time | null } | null
  poolAssets: Amount
  pendingLiabilities: Amount
  netPoolAssets: Amount
  totalShares: Amount
  sharePrice: Amount
  totalAllocated: Amount
  totalReserved: Amount
  queuedAssets: Amount
  deposited: Amount
  withdrawn: Amount
  rewardsClaimed: Amount
  commissionEarned: Amount
  slashedFromBond: Amount
  slashedFromPool: Amount
}

export type Rate = {
  block: number
  logIndex: number
  time: Time
  cause: string
  poolAssets: Amount
  pendingLiabilities: Amount
  bond: Amount
  totalShares: Amount
  sharePrice: Amount
}

type Queued = { amount: Amount; readyAt: Time | null } | null

export type Allocation = Meta & {
  vault: string
  serviceId: string
  amount: Amount
  queuedIncrease: Queued
  deallocation: Queued
  reserved: Amount
  pendingSlash: Amount
  rewardStake: Amount
  jailedUntil: Time | null
  banned: boolean
  reputation: { score: string; scoredAt: Time | null; orderSuccesses: number; orderFailures: number }
  rewardsClaimed: Amount
}

export type Attester = Meta & {
  serviceId: string
  address: string
  committeeIndex: number | null
  bond: Amount
  status: string
  readyAt: Time | null
  slashed: Amount
}

export type Position = Meta & {
  vault: string
  staker: string
  shares: Amount
  value: Amount
  deposited: Amount
  withdrawn: Amount
}

export type Withdrawal = Meta & {
  vault: string
  owner: string
  id?: string | number
  withdrawalId?: string | number
  shares: Amount
  assets: Amount
  readyAt: Time | null
  requestedAt?: Time | null
  claimed: boolean
  claimedAssets?: Amount | null
}

export type Slash = Meta & {
  id: string
  status: string
  serviceId: string
  vault: string
  classId: number
  incidentId: string
  orderId: string | null
  report: {
    client: string
    reporter: string
    signers: string[]
    signersBitmap: string
    requestedAt: Time
    txHash: string
    seq: number
  }
  requestedAmount: Amount
  amount: Amount
  terms: {
    sink: string
    disputeBond: Amount
    clientShareBps: number
    reporterShareBps: number
    jailDurationSeconds: number
    permanentBan: boolean
    resolutionDeadlineSeconds: number
  }
  disputeEnds: Time
  dispute: { by: string; bond: Amount | null; resolveBy: Time | null; block: number | null } | null
  ruling: { block: number; attestersSlashed: Amount | null } | null
  execution: {
    block: number
    txHash: string | null
    fromBond: Amount
    fromPool: Amount
    toClient: Amount
    toReporter: Amount
    toSink: Amount
  } | null
  jailedUntil: Time | null
  banned: boolean
}

export type SlashDetail = Slash & {
  attesterPenalties: { attester: string; amount: Amount; recipient: string; block: number; txHash: string }[]
}

export type Incident = {
  id: string
  serviceId: string
  isOrder: boolean
  firstRequestedAt: Time
  vaults: string[]
  requestedAmount: Amount
  executedAmount: Amount
  toClients: Amount
  statuses: Record<string, number>
  slashes: Slash[]
}

export type Order = Meta & {
  id: string
  kind: 'job' | 'lease'
  status: string
  serviceId: string
  client: string
  paymentToken: { address: string; isStakeToken: boolean; decimals: number }
  intent: boolean
  namedVault: string | null
  vault: string | null
  budget: Amount
  value: Amount
  ratePerSecond: Amount
  price: Amount
  collateral: Amount
  biddingEnds: Time | null
  deadline: Time | null
  milestoneShares: string
  feeBps: number
  terms: {
    termsHash: string
    maxLatencyMs: number
    minUptimeBps: number
    minTempCentiC: number
    maxTempCentiC: number
    pickupBy: Time | null
    device: string
  }
  milestonesPaid: number
  paidOut: Amount
  fees: Amount
  refunded: Amount
  streamed: Amount
  openedAt: Time
  acceptedAt: Time | null
  failedClassId: number | null
  slashId: string | null
}

export type OrderDetail = Order & {
  bids: (Meta & { vault: string; price: Amount; collateral: Amount; score: string })[]
  milestones: (Meta & {
    index: number
    amount: Amount | null
    fee: Amount | null
    byAttesters: boolean | null
    paidAt: Time | null
    resultHash: string | null
  })[]
}

export type RewardEvent = {
  id: string
  kind: 'distributed' | 'fee' | 'subsidy' | 'claimed' | 'fees-swept'
  serviceId: string
  account: string | null
  amount: Amount
  commission: Amount | null
  block: number
  time: Time
}

export type ChainEvent = {
  id: string
  name: string
  contract: string
  block: { number: number; hash: string; final: boolean }
  time: Time | null
  txHash: string
  args: Record<string, unknown>
}

/** /v1/dashboard/config (src/api/serveDashboard.ts). */
export type DashboardConfig = {
  chainId: number
  rpcUrl: string | null
  devnet: boolean
  addresses: Record<'stakeToken' | 'registry' | 'factory' | 'court' | 'rewards' | 'orders', `0x${string}`>
  token: { symbol: string; decimals: number }
  /** Names of services and their violation classes by service id; may be empty. */
  labels: { services: Record<string, { name: string; classes?: string[] }> }
}

/** /v1/dashboard/risk (src/api/dashboardRisk.ts). */
export type RiskAttack = {
  services: string[]
  operators: string[]
  profit: string
  cost: string
  netProfit: string
}
export type Nakamoto = { third: number; half: number; twoThirds: number }
export type DashboardRisk = {
  block: number
  vaults: Record<string, string>
  graph: {
    operators: { id: string; stake: string }[]
    services: { id: string; profit: string; threshold: number }[]
    edges: { operator: string; service: string; stake: string }[]
  }
  analysis: {
    secure: boolean | null
    verdictProven: boolean
    /** proven in integers (a verified attack, the certified slack, cost shares, the branching), not by HiGHS alone */
    verdictExact: boolean
    optimal: boolean
    attack: RiskAttack | null
    largestAttack: RiskAttack | null
    slack: number | null
    slackExact: string | null
    totalStake: string
    nakamoto: Nakamoto
    services: {
      id: string
      profit: string
      allocatedStake: string
      leverage: number | null
      nakamoto: Nakamoto
    }[]
  }
  cascade: { psi: number; worstLoss: number; proven: boolean; bound: number | null; shock: string[] }[]
  simulation: {
    days: number[]
    runs: number
    stake: Band
    slashed: Band
    clientLosses: Band
    stakerYield: Band
  }
}
type Band = { p5: number[]; p50: number[]; p95: number[] }

/** Where a reading or a measurement came from: one configured attester node (GET …/readings, …/uptime). */
export type NodeSource = {
  url: string
  attester: string | null
  status: 'ok' | 'unreachable' | 'error' | 'not-on-committee' | 'wrong-chain'
  error: string | null
}

export type SignedReading = {
  device: string
  seq: number
  time: Time
  kind: 'reading' | 'pickup' | 'checkpoint' | 'delivery'
  temperatureCentiC: number | null
  latE7: number | null
  lonE7: number | null
  digest: string
  signer: string
  heldBy: string[]
}

/** GET /v1/orders/{id}/readings */
export type OrderReadings = {
  orderId: string
  shipment: boolean
  device: string | null
  minTempCentiC: number
  maxTempCentiC: number
  pickupBy: Time | null
  deadline: Time | null
  committee: number
  answered: number
  readings: SignedReading[]
  rejected: { unsigned: number; badSignature: number; wrongDevice: number; wrongOrder: number }
  conflicts: number
  truncated: boolean
  nodes: NodeSource[]
}

/** GET /v1/vaults/{vault}/uptime */
export type VaultUptime = {
  vault: string
  services: {
    serviceId: string
    epochSeconds: number
    minUptimeBps: number
    epochs: {
      epoch: number
      start: Time
      attesters: {
        attester: string
        samples: number
        ok: number
        uptimeBps: number
        verdict: string | null
      }[]
      medianBps: number
    }[]
  }[]
  nodes: NodeSource[]
}

/** GET /v1/services/{id}/apr */
export type ServiceApr = {
  serviceId: string
  from: Time
  to: Time
  windowSeconds: number
  distributions: number
  rewards: Amount
  commission: Amount
  stakerRewards: Amount
  averageStake: Amount
  stakeSeconds: string
  /** After the operators' commissions: what a staker receives. */
  aprPpm: string | null
  /** The same rate before the operators' commissions. */
  grossAprPpm: string | null
}
