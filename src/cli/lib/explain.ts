/**
 * Errors in plain words. A contract's custom error becomes a sentence with its amounts in token units and its
 * times as dates and durations against the chain's clock ("the dispute window of slash 0x12ab… closed 2 h ago");
 * a lost connection, a refused transaction or a bad option becomes one line. Never a stack trace.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  HttpRequestError,
  InsufficientFundsError,
  parseAbi,
} from 'viem'
import { ChainUnreachableError, InvalidInputError, SuretyError } from '../../errors.ts'
import { allSuretyErrorsAbi } from '../../sdk/abis.ts'
import { OrderStatus, SlashStatus } from '../../sdk/types.ts'
import { duration, when } from './time.ts'
import { formatToken, type Token } from './units.ts'

export { ChainUnreachableError }

/** The stake token and the chain's clock, set once a command has connected (amounts and times need them). */
type ErrorContext = { stake: Token; now: () => Promise<bigint> }
let context: ErrorContext | undefined
export const setErrorContext = (c: ErrorContext) => {
  context = c
}

/** OpenZeppelin's ERC-20 errors (the stake token's), decoded like ours. */
const tokenErrorsAbi = parseAbi([
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
])

export type DecodedRevert = { name: string; args: readonly unknown[] }

/** The custom error inside a viem error (walking causes), decoded against every Surety ABI and the token's. */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  let e: unknown = error
  while (e instanceof Error) {
    if (e instanceof BaseError) {
      const reverted = e.walk((x) => x instanceof ContractFunctionRevertedError)
      if (reverted instanceof ContractFunctionRevertedError) {
        if (reverted.data?.errorName) return { name: reverted.data.errorName, args: reverted.data.args ?? [] }
        const raw = (reverted as { raw?: Hex }).raw
        if (raw && raw.length >= 10) {
          try {
            const d = decodeErrorResult({ abi: [...allSuretyErrorsAbi, ...tokenErrorsAbi], data: raw })
            return { name: d.errorName, args: (d.args ?? []) as readonly unknown[] }
          } catch {
            return undefined
          }
        }
        return undefined
      }
    }
    e = e.cause
  }
  return undefined
}

type Fmt = {
  amount: (x: unknown) => string
  at: (t: unknown) => string
  dur: (t: unknown) => string
  slash: (id: unknown) => string
  pct: (bps: unknown) => string
}

const n = (x: unknown) => String(x)

/** Sentences per custom error name; a name shared by two contracts is told apart by its argument count. */
const EXPLAIN: Record<string, (a: readonly unknown[], f: Fmt) => string> = {
  AcceptanceClosed: (a, f) =>
    `order #${n(a[0])}: its acceptance window closed ${f.at(a[1])}; the client may cancel it`,
  AllocationAboveStake: (a, f) =>
    `the allocation would be ${f.amount(a[0])}, more than the vault's whole stake of ${f.amount(a[1])}: allocate less, or add bond or deposits first`,
  AllocationHeldByOrders: (a, f) =>
    `service #${n(a[0])}: the allocation would drop to ${f.amount(a[1])}, but open orders hold ${f.amount(a[2])} of collateral on it: wait until they settle`,
  AllocationHeldBySlash: (a, f) =>
    `service #${n(a[0])}: the allocation would drop to ${f.amount(a[1])}, but pending slashes hold ${f.amount(a[2])} of it: wait until they are executed or overturned`,
  AllocationNotReady: (a, f) =>
    `the queued allocation increase on service #${n(a[0])} may apply only from ${f.at(a[1])}; run \`surety apply\` then`,
  AmountTooLarge: (a, f) => `${f.amount(a[0])} is more than there is to take: use a smaller amount`,
  AttesterAlreadyActive: (a) => `${n(a[1])} is already an attester of service #${n(a[0])}`,
  AttesterExitNotReady: (a, f) =>
    `the attester bond of ${n(a[1])} on service #${n(a[0])} stays locked (slashable for reports it signed) until ${f.at(a[2])}`,
  AttesterNotActive: (a) => `${n(a[1])} is not an active attester of service #${n(a[0])}`,
  AttesterNotApproved: (a) =>
    `${n(a[1])} is not approved to join service #${n(a[0])}'s committee (or its approval is still in its delay): ask the service owner to approve it`,
  BidNotLower: (a, f) =>
    `a bid of ${f.amount(a[0])} does not beat the best bid so far, ${f.amount(a[1])}: bid lower`,
  BiddingClosed: (a, f) => `bidding on order #${n(a[0])} closed ${f.at(a[1])}`,
  BiddingOpen: (a, f) =>
    `order #${n(a[0])} is still taking bids until ${f.at(a[1])}: it can be accepted only after bidding closes`,
  BondBelowMinimum: (a, f) =>
    `the operator's bond would be ${f.amount(a[0])}, below the ${f.amount(a[1])} its allocations require: add bond first (surety vault bond add)`,
  BondWithdrawalExpired: (a, f) =>
    `the bond withdrawal lapsed ${f.at(a[0])} (not claimed in time): request it again`,
  BondWithdrawalNotReady: (a, f) => `the bond withdrawal can be claimed only from ${f.at(a[0])}`,
  ChangeNotReady: (a, f) => `the queued change of service #${n(a[0])} may apply only from ${f.at(a[1])}`,
  ClassTermsHarsher: (a) =>
    `violation class ${n(a[0])}: a change may not make a class harsher (or remove one); create a new class instead`,
  CollateralBelowRequirement: (a, f) =>
    `the collateral ${f.amount(a[0])} is below the ${f.amount(a[1])} this order requires`,
  CollateralUnavailable: (a, f) =>
    a.length === 3
      ? `service #${n(a[0])}: the vault can reserve only ${f.amount(a[2])} of collateral there now, ${f.amount(a[1])} is needed`
      : `the vault can reserve only ${f.amount(a[1])} of collateral now, the order needs ${f.amount(a[0])}`,
  CommitteeFull: (a) => `the committee of service #${n(a[0])} is full`,
  DeadlineNotPassed: (a, f) =>
    `order #${n(a[0])}'s deadline is ${f.at(a[1])}: it can be expired only after that`,
  DeadlinePassed: (a, f) => `order #${n(a[0])}'s deadline passed ${f.at(a[1])}`,
  DeallocationNotReady: (a, f) =>
    `the decrease on service #${n(a[0])} can be completed only from ${f.at(a[1])} (it waits out the service's slashing pipeline)`,
  DecreaseTooLarge: (a, f) => `a decrease of ${f.amount(a[0])} is more than the ${f.amount(a[1])} allocated`,
  DelayShorterThanPipeline: (a, f) =>
    `the vault's withdrawal delay (${f.dur(a[0])}) is shorter than the service's slashing pipeline (${f.dur(a[1])}): stakers could leave before a slash lands, so it cannot back this service`,
  DetailsMismatch: (a, f) => `the details given for slash ${f.slash(a[0])} do not match the court's record`,
  DisputeWindowClosed: (a, f) => `the dispute window of slash ${f.slash(a[0])} closed ${f.at(a[1])}`,
  DisputeWindowOpen: (a, f) =>
    `slash ${f.slash(a[0])} is still in its dispute window until ${f.at(a[1])}: it can be executed only after that`,
  ExposureIncreaseExpired: (a, f) =>
    `the queued increase lapsed ${f.at(a[0])} (not applied within a day of maturing): queue it again with \`surety allocate\``,
  InvalidBlueprint: (a) => `${n(a[0])} is not a vault blueprint`,
  InvalidDelay: (a, f) => `a delay of ${f.dur(a[0])} is outside the allowed ${f.dur(a[1])} to ${f.dur(a[2])}`,
  InvalidOrder: (a) => `the order is invalid: ${n(a[0])}`,
  InvalidParam: (a) => `the service terms are invalid: ${n(a[0])} is out of bounds (see docs/protocol.md)`,
  InvalidTerms: (a) => `the vault terms are invalid: ${n(a[0])} is out of bounds`,
  LeaseTooLong: (a, f) => `the lease would run ${f.dur(a[0])}, longer than allowed`,
  MilestoneMismatch: (a) =>
    `order #${n(a[0])}: the outcome is for milestone ${Number(a[1]) + 1}, but the next one is milestone ${Number(a[2]) + 1}`,
  NoAllocationQueued: (a) =>
    `no allocation increase is queued on service #${n(a[0])}: queue one with \`surety allocate\``,
  NoBid: (a) => `vault ${n(a[1])} has no bid on order #${n(a[0])}`,
  NoBids: (a) =>
    `order #${n(a[0])} has no bids: nothing to accept. The client may cancel it for a full refund (surety order cancel ${n(a[0])})`,
  NoBondWithdrawal: () =>
    'no bond withdrawal is queued: request one with `surety vault bond withdraw --amount A`',
  NoDeallocation: (a) =>
    `no decrease is queued on service #${n(a[0])}: request one with \`surety deallocate\``,
  NoPendingChange: (a) => `service #${n(a[0])} has no queued change`,
  NoPendingTerms: () => 'no vault terms are queued',
  NoRemovalQueued: (a) => `no removal of ${n(a[1])} is queued on service #${n(a[0])}`,
  NotAJob: (a) => `order #${n(a[0])} is a lease, not a job`,
  NotALease: (a) => `order #${n(a[0])} is a job, not a lease`,
  NotAllocated: (a) => `the vault has no allocation to service #${n(a[0])}`,
  NotAnIntent: (a) => `order #${n(a[0])} names its operator: it takes no bids`,
  NotAnOperator: (a) => `${n(a[0])} has no operator vault: create one with \`surety vault create\``,
  NotClient: (a) => `${n(a[0])} is not this order's client`,
  NotCourt: (a) => `${n(a[0])} is not the slashing court`,
  NotOperator: (a) => `${n(a[0])} is not this vault's operator`,
  NotOrderBook: (a) => `${n(a[0])} is not the order book`,
  NotOrderOperator: (a) => `${n(a[0])} is not this order's operator`,
  NotResolver: (a) => `${n(a[0])} is not this service's resolver`,
  NotServiceOwner: (a) => `${n(a[1])} does not own service #${n(a[0])}`,
  NotVault: (a) => `${n(a[0])} is not a Surety vault`,
  NothingToSettle: (a) => `order #${n(a[0])} has nothing to settle yet`,
  NothingToSlash: (a) => `the vault has nothing slashable on service #${n(a[0])}`,
  OnlyCourt: (a) => `${n(a[0])} is not the slashing court`,
  OnlyOrderBook: (a) => `${n(a[0])} is not the order book`,
  OperatorBanned: (a) => `the operator is banned from service #${n(a[0])}`,
  OperatorJailed: (a, f) => `the operator is jailed on service #${n(a[0])} until ${f.at(a[1])}`,
  OrderNotFound: (a) => `order #${n(a[0])} does not exist`,
  OutcomeForOtherOrder: (a) => `the outcome is for order #${n(a[1])}, not #${n(a[0])}`,
  ParamsMismatch: (a) => `the parameters given for order #${n(a[0])} do not match the order book's record`,
  PoolSlashPending: (a, f) =>
    `deposits are paused: pending slashes exceed the operator's bond by ${f.amount(a[0])}; wait until they are executed or overturned`,
  PriceAboveBudget: (a, f) => `the price ${f.amount(a[0])} is above the order's budget of ${f.amount(a[1])}`,
  QuorumCountNotReached: (a, f) =>
    `${n(a[0])} of ${n(a[1])} attesters signed; the quorum is ${f.pct(a[2])} of the committee: gather more signatures`,
  QuorumNotReached: (a, f) =>
    `the signers hold ${f.amount(a[0])} of the committee's ${f.amount(a[1])} bond; the quorum is ${f.pct(a[2])}: gather more signatures`,
  RateTooHigh: (a, f) => `a rate of ${f.amount(a[0])} per second is too high`,
  ReceivedLessThanSent: (a, f) =>
    `the token delivered ${f.amount(a[1])} of the ${f.amount(a[0])} sent (a fee-on-transfer token cannot be staked)`,
  ReportAlreadyUsed: (a, f) => `this incident was already reported (slash ${f.slash(a[0])})`,
  ReservedIncidentId: (a) => `incident id ${n(a[0])} has its top bit set: such ids belong to orders`,
  ResolutionDeadlineNotPassed: (a, f) =>
    `the resolver may still rule on slash ${f.slash(a[0])} until ${f.at(a[1])}: it lapses only after that`,
  ResolutionDeadlinePassed: (a, f) =>
    `the resolution deadline of slash ${f.slash(a[0])} passed ${f.at(a[1])}: anyone may now lapse it (surety slash lapse)`,
  ResolutionExceedsSlash: (a, f) => `${f.amount(a[0])} is more than the slash of ${f.amount(a[1])}`,
  RestakingCapExceeded: (a, f) =>
    `the vault's allocations would total ${f.amount(a[0])}, above its restaking cap of ${f.amount(a[1])}`,
  ServiceNotAllocatable: (a) => `service #${n(a[0])} does not exist or takes no allocations`,
  ServiceNotFound: (a) => `service #${n(a[0])} does not exist`,
  ShareSupplyTooLarge: () => 'the vault cannot mint that many shares',
  SharesToVault: () => 'shares cannot be sent to the vault itself',
  SignersNotSorted: (a) => `signature ${Number(a[0]) + 1} is out of order or a duplicate signer`,
  SlashNotFound: (a, f) => `slash ${f.slash(a[0])} does not exist`,
  SlashNotNextInQueue: (a, f) =>
    `slash ${f.slash(a[0])} waits its turn: an earlier slash of the same vault (#${n(a[1])} in its queue) is not settled yet; execute, resolve or lapse that one first`,
  SlashWaitsForOrders: (a, f) =>
    `the slash waits for open orders: the vault holds ${f.amount(a[0])}, and the slash plus the orders' collateral need ${f.amount(a[1])}`,
  TermsNotReady: (a, f) => `the queued vault terms may apply only from ${f.at(a[0])}`,
  TooManyClasses: (a) => `${n(a[0])} violation classes are too many (at most 16)`,
  UnknownClass: (a) => `service #${n(a[0])} has no violation class ${n(a[1])}`,
  UnknownVault: (a) => `${n(a[0])} is not a Surety vault`,
  VaultExists: (a) => `${n(a[0])} already has a vault: ${n(a[1])}`,
  VaultWipedOut: () => 'the vault lost all its assets to slashes: it takes no deposits',
  WithdrawalNotFound: (a) => `${n(a[0])} has no withdrawal request #${n(a[1])} (or it was claimed)`,
  WithdrawalNotReady: (a, f) => `withdrawal #${n(a[0])} can be claimed only from ${f.at(a[1])}`,
  WrongOrderStatus: (a) =>
    `order #${n(a[0])} is ${(OrderStatus[Number(a[1])] ?? 'in another state').toLowerCase()}: this needs another status`,
  WrongStatus: (a, f) =>
    `slash ${f.slash(a[0])} is ${(SlashStatus[Number(a[1])] ?? 'in another state').toLowerCase()}: this needs another status`,
  ZeroAmount: () => 'the amount must be more than 0',
  ZeroShares: () => 'that is less than one share: use a larger amount',
  ERC20InsufficientBalance: (a, f) =>
    `not enough balance: ${n(a[0])} has ${f.amount(a[1])}, this needs ${f.amount(a[2])}`,
  ERC20InsufficientAllowance: (a, f) =>
    `the token allowance of ${n(a[0])} is ${f.amount(a[1])}, this needs ${f.amount(a[2])}`,
}

/** Explains a decoded custom error in words; amounts in the stake token, times against the chain's clock. */
export async function explainRevert(revert: DecodedRevert): Promise<string> {
  const explain = EXPLAIN[revert.name]
  if (!explain) return `${revert.name}(${revert.args.map(String).join(', ')})`
  const now = context ? await context.now().catch(() => BigInt(Math.floor(Date.now() / 1000))) : undefined
  const f: Fmt = {
    amount: (x) => (context ? formatToken(BigInt(x as bigint), context.stake) : `${String(x)} base units`),
    at: (t) => when(BigInt(t as bigint), now ?? BigInt(Math.floor(Date.now() / 1000))),
    dur: (t) => duration(BigInt(t as bigint)),
    slash: (id) => `${String(id).slice(0, 10)}…`,
    pct: (bps) => `${Number(bps) / 100}%`,
  }
  return explain(revert.args, f)
}

/** One line for any error a command ends with. */
export async function describeError(error: unknown): Promise<string> {
  const revert = decodeRevert(error)
  if (revert) {
    const action = error instanceof SuretyError ? /^(\w+) reverted/.exec(error.message)?.[1] : undefined
    return `${action ? `${action} refused: ` : ''}${await explainRevert(revert)}`
  }
  if (error instanceof InvalidInputError || error instanceof ChainUnreachableError) return error.message
  const http = walk(error, (e) => e instanceof HttpRequestError) as HttpRequestError | undefined
  if (http)
    return `lost the connection to the chain at ${http.url}: is it still running? (${http.shortMessage.split('\n')[0]})`
  if (walk(error, (e) => e instanceof InsufficientFundsError))
    return 'the signer has not enough ETH to pay for gas: fund it first'
  if (error instanceof SuretyError) return error.message
  if (error instanceof BaseError) return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}

function walk(error: unknown, match: (e: unknown) => boolean): unknown {
  let e: unknown = error
  for (let i = 0; i < 10 && e instanceof Error; i++) {
    if (match(e)) return e
    e = e.cause
  }
  return undefined
}
