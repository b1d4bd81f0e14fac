// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SlashSizing, SlashPayees, SlashOutcome, OrderResult} from "../types/Types.sol";

/// @title IOperatorVault
/// @notice One operator's stake: a first-loss operator bond and a delegated pool whose shares are this ERC-20
/// (the operator's liquid staking token). Pending slashes are liabilities that price every entry and exit.
/// Warning: queued withdrawals stay slashable and earn nothing: they pay min(rate at request, rate at claim).
interface IOperatorVault {
    /* ERRORS */
    error NotOperator(address caller);
    error NotCourt(address caller);
    error ZeroAmount();
    error ZeroShares();
    error AmountTooLarge(uint256 amount);
    error WithdrawalNotFound(address owner, uint64 id);
    error WithdrawalNotReady(uint64 id, uint256 readyAt);
    error BondWithdrawalNotReady(uint256 readyAt);
    error NoBondWithdrawal();
    error ServiceNotAllocatable(uint64 serviceId);
    error DelayShorterThanPipeline(uint256 withdrawalDelay, uint256 pipeline);
    error RestakingCapExceeded(uint256 totalAllocated, uint256 cap);
    error AllocationAboveStake(uint256 allocation, uint256 stake);
    error OperatorJailed(uint64 serviceId, uint256 until);
    error DecreaseTooLarge(uint256 decrease, uint256 allocated);
    error NoDeallocation(uint64 serviceId);
    error DeallocationNotReady(uint64 serviceId, uint256 readyAt);
    error AllocationHeldBySlash(uint64 serviceId, uint256 remaining, uint256 pending);
    error NothingToSlash(uint64 serviceId);
    error NotAllocated(uint64 serviceId);
    error OperatorBanned(uint64 serviceId);
    error InvalidTerms(string field);
    error TermsNotReady(uint256 readyAt);
    error NoPendingTerms();
    error ReceivedLessThanSent(uint256 expected, uint256 received);
    error SharesToVault();
    error VaultWipedOut();
    error ShareSupplyTooLarge();
    error NotOrderBook(address caller);
    error CollateralUnavailable(uint64 serviceId, uint256 amount, uint256 room);
    error PoolSlashPending(uint256 uncovered);
    error BondWithdrawalExpired(uint256 expiredAt);
    error BondBelowMinimum(uint256 bond, uint256 minimum);
    error NoAllocationQueued(uint64 serviceId);
    error AllocationNotReady(uint64 serviceId, uint256 readyAt);
    error ExposureIncreaseExpired(uint256 expiredAt);
    error SlashWaitsForOrders(uint256 stake, uint256 needed);
    error AllocationHeldByOrders(uint64 serviceId, uint256 remaining, uint256 held);

    /* EVENTS */
    event Deposited(address indexed sender, address indexed receiver, uint256 assets, uint256 shares);
    event WithdrawalRequested(address indexed owner, uint64 indexed id, uint256 shares, uint256 assets, uint256 readyAt);
    event WithdrawalClaimed(address indexed owner, uint64 indexed id, address receiver, uint256 shares, uint256 assets);
    event BondDeposited(uint256 amount, uint256 bond);
    event BondWithdrawalRequested(uint256 amount, uint256 readyAt);
    event BondWithdrawn(uint256 requested, uint256 paid, uint256 bond);
    event AllocationQueued(uint64 indexed serviceId, uint256 increase, uint256 readyAt);
    event Allocated(uint64 indexed serviceId, uint256 amount, uint256 totalAllocated);
    event DeallocationRequested(uint64 indexed serviceId, uint256 decrease, uint256 readyAt);
    event Deallocated(uint64 indexed serviceId, uint256 decrease, uint256 amount, uint256 totalAllocated);
    event RewardsClaimed(uint64 indexed serviceId, uint256 amount, uint256 commission, uint256 poolAssets);
    event TermsQueued(uint16 commissionBps, uint32 restakingCapBps, uint256 readyAt);
    event TermsChanged(uint16 commissionBps, uint32 restakingCapBps);
    event SlashReserved(uint64 indexed serviceId, uint256 amount, uint256 pendingLiabilities);
    event SlashReleased(uint64 indexed serviceId, uint256 amount, uint256 pendingLiabilities);
    event CollateralReserved(uint64 indexed serviceId, uint256 amount, uint256 reserved, uint256 totalReserved);
    event CollateralReleased(uint64 indexed serviceId, uint256 amount, OrderResult result, uint256 score);

    /// @notice Deposits `assets` of the stake token into the pool; mints shares to `receiver` (rounded down).
    /// Refused (PoolSlashPending) while pending slashes exceed the bond: they would price the pool below its value
    /// if overturned.
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);

    /// @notice Queues `shares` of the caller for withdrawal; they stop moving and stay slashable.
    /// @return id The request's id, used with the caller's address to claim.
    function requestWithdrawal(uint256 shares) external returns (uint64 id);

    /// @notice Pays a matured withdrawal at min(value at request before pending slashes, value now net of pending
    /// slashes). Never held by orders: a staker who asked to leave is paid after the withdrawal delay.
    function claimWithdrawal(uint64 id, address receiver) external returns (uint256 assets);

    /// @notice Operator adds to its first-loss bond.
    function depositBond(uint256 amount) external;

    /// @notice Operator queues a bond withdrawal (replacing any earlier one); the bond stays slashable until claimed.
    function requestBondWithdrawal(uint256 amount) external;

    /// @notice Operator claims a matured bond withdrawal within BOND_CLAIM_WINDOW of maturing: at most the bond
    /// beyond pending slashes, orders' collateral and the minimum bond (MIN_BOND_BPS of the exposure).
    function claimBondWithdrawal() external returns (uint256 paid);

    /// @notice Queues an increase of the allocation to a service (replacing a queued one); it applies after
    /// EXPOSURE_DELAY (twice the withdrawal delay), so stakers can leave before any new exposure exists.
    function allocate(uint64 serviceId, uint256 increase) external;

    /// @notice Applies a matured increase within APPLY_WINDOW of maturing (later it lapses): the sum up to the
    /// restaking cap, each one up to the stake, the bond at least MIN_BOND_BPS of the exposure. Anyone may call.
    function applyAllocation(uint64 serviceId) external;

    /// @notice Brings the allocation's weight (rewards, correlation base) to the effective allocation (the limit held to its share of the stake), 0 once banned.
    /// Anyone may call: a vault whose stake fell below its limit must not keep earning on stake it no longer has.
    function syncAllocation(uint64 serviceId) external;

    /// @notice Queues a decrease; it waits out the service's slashing pipeline.
    function requestDeallocation(uint64 serviceId, uint256 decrease) external;

    /// @notice Applies a matured decrease; never below what pending slashes hold. Anyone may call.
    function completeDeallocation(uint64 serviceId) external;

    /// @notice Collects what the vault earned on a service. The operator's commission (rounded down) joins its
    /// first-loss bond (withdrawable with requestBondWithdrawal); the rest raises the pool's exchange rate. Anyone may
    /// call. Queued withdrawals do not gain from it (they pay min(rate at request, rate at claim)).
    function claimRewards(uint64 serviceId) external returns (uint256 amount, uint256 commission);

    /// @notice Reserves an order's collateral on the service: at most the allocation (up to the stake not leaving
    /// by queued withdrawals) less pending slashes and collateral already reserved, here and vault-wide. Reserved
    /// collateral cannot be deallocated or withdrawn. Order book only.
    /// @return score The operator's reputation on the service now (ReputationLib).
    function reserveCollateral(uint64 serviceId, uint256 amount) external returns (uint256 score);

    /// @notice Releases an order's collateral and records its result in the reputation. Order book only.
    /// @return operator Who is paid for the order.
    /// @param feePaid The stake-token fee the order paid to the service's stakers: with the collateral, it weighs a
    /// success (a free or dust order earns no reputation).
    function releaseCollateral(uint64 serviceId, uint256 amount, OrderResult result, uint256 feePaid)
        external
        returns (address operator);

    /// @notice Changes commission and restaking cap; decreases apply now, increases after the withdrawal delay.
    function setTerms(uint16 commissionBps, uint32 restakingCapBps) external;

    /// @notice Applies queued terms whose delay has passed, within APPLY_WINDOW (later they lapse). Anyone may call.
    function applyTerms() external;

    /// @notice Fixes and reserves a slash against the service's allocation. Court only.
    function reserveSlash(uint64 serviceId, SlashSizing calldata sizing) external returns (uint256 amount);

    /// @notice Releases a reserved slash that was overturned, lapsed or reduced, and gives the released amount back
    /// to the operator's window cap when the slash was requested in the current window epoch. Court only.
    function releaseSlash(uint64 serviceId, uint256 amount, uint256 requestEpoch) external;

    /// @notice Executes a reserved slash: bond first, then pool; pays the three recipients. Court only.
    /// Allocations are limits and are not rewritten: the effective allocation is the limit held to its share of the
    /// stake. A report waits (SlashWaitsForOrders) while it would leave orders' collateral unbacked.
    function executeSlash(uint64 serviceId, uint256 amount, SlashPayees calldata payees)
        external
        returns (SlashOutcome memory outcome);

    /* VIEWS */
    function ASSET() external view returns (address);
    function OPERATOR() external view returns (address);
    function WITHDRAWAL_DELAY() external view returns (uint32);
    function totals()
        external
        view
        returns (uint256 bondAssets, uint256 poolAssets, uint256 pendingLiabilities, uint256 queuedShares);
    function netPoolAssets() external view returns (uint256);
    function totalStake() external view returns (uint256);
    function allocation(uint64 serviceId)
        external
        view
        returns (uint256 amount, uint256 pending, uint256 decrease, uint256 decreaseReadyAt);
    function slashableStake(uint64 serviceId) external view returns (uint256);
    /// @notice The queued allocation increase, when it may apply, and the weight the court and rewards count.
    function exposure(uint64 serviceId) external view returns (uint256 increase, uint256 readyAt, uint256 weight);
    /// @notice The least bond the operator must keep for what it has allocated.
    function minimumBond() external view returns (uint256);
    function EXPOSURE_DELAY() external view returns (uint256);
    function isBanned(uint64 serviceId) external view returns (bool);
    function jailedUntil(uint64 serviceId) external view returns (uint256);
    /// @notice Collateral a new order could reserve on the service now, and the reputation that sizes it.
    function collateralTerms(uint64 serviceId) external view returns (uint256 room, uint256 score);
    /// @notice The cheap part of collateralTerms (two storage words), checked when bidding: the allocation limit less
    /// its pending slashes and reservations (0 if banned or jailed), and the reputation. Acceptance checks the whole
    /// room, on the effective allocation.
    function allocationTerms(uint64 serviceId) external view returns (uint256 allocationRoom, uint256 score);
    /// @notice What queued withdrawals were promised at request: stake that backs no new order.
    function queuedAssets() external view returns (uint256);
    function reputation(uint64 serviceId)
        external
        view
        returns (uint256 score, uint256 successes, uint256 failures, uint256 reserved);
    function totalReserved() external view returns (uint256);
    function ORDERS() external view returns (address);
    function previewDeposit(uint256 assets) external view returns (uint256 shares);
    function previewRedeem(uint256 shares) external view returns (uint256 assets);
    function withdrawal(address owner, uint64 id) external view returns (uint256 shares, uint256 assets, uint256 readyAt);
    function commissionBps() external view returns (uint16);
    function restakingCapBps() external view returns (uint32);
    function totalAllocated() external view returns (uint256);
}
