// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OrderParams, OrderTerms, OrderStatus, OrderOutcome, Signature} from "../types/Types.sol";

/// @title IOrderBook
/// @notice Work escrow: jobs (paid by milestones) and leases (paid per second), for a named operator or as intents
/// operators bid on. Accepting reserves collateral from the operator's allocation to the service, sized by the order's
/// value, the service's collateral factor and the operator's reputation. Success pays the operator less the service
/// fee (to the service's stakers); failure refunds the client what is unpaid and opens a pending slash of the
/// collateral in the slashing court, paid to the client when it executes.
/// Warning: the order book stores a 160-bit hash of each order's parameters; pass them back (they are in the
/// OrderOpened event) to act on an order.
interface IOrderBook {
    /* ERRORS */
    error InvalidOrder(string field);
    error OrderNotFound(uint256 orderId);
    error ParamsMismatch(uint256 orderId);
    error WrongOrderStatus(uint256 orderId, OrderStatus status);
    error NotClient(address caller);
    error NotOrderOperator(address caller);
    error NotAnOperator(address caller);
    error NotAnIntent(uint256 orderId);
    error NotALease(uint256 orderId);
    error NotAJob(uint256 orderId);
    error BiddingClosed(uint256 orderId, uint256 closedAt);
    error BiddingOpen(uint256 orderId, uint256 closesAt);
    error AcceptanceClosed(uint256 orderId, uint256 closedAt);
    error PriceAboveBudget(uint256 price, uint256 budget);
    error BidNotLower(uint256 price, uint256 previous);
    error NoBid(uint256 orderId, address vault);
    error NoBids(uint256 orderId);
    error CollateralBelowRequirement(uint256 collateral, uint256 required);
    error CollateralUnavailable(uint256 collateral, uint256 room);
    error DeadlineNotPassed(uint256 orderId, uint256 deadline);
    error DeadlinePassed(uint256 orderId, uint256 deadline);
    error MilestoneMismatch(uint256 orderId, uint256 reported, uint256 next);
    error OutcomeForOtherOrder(uint256 orderId, uint256 reported);
    error OutcomeForOtherParams(uint256 orderId, bytes32 reported);
    error OutcomeForOtherVault(uint256 orderId, address reported);
    error NothingToSettle(uint256 orderId);
    error LeaseTooLong(uint256 seconds_);

    /* EVENTS */
    event OrderOpened(
        uint256 indexed orderId,
        address indexed client,
        uint64 indexed serviceId,
        OrderParams params,
        OrderTerms terms
    );
    event BidPlaced(uint256 indexed orderId, address indexed vault, uint256 price, uint256 collateral, uint256 score);
    event OrderAccepted(uint256 indexed orderId, address indexed vault, uint256 price, uint256 collateral, uint256 refund);
    /// @dev Paid to the vault's operator (its immutable OPERATOR): amount − fee.
    event MilestonePaid(uint256 indexed orderId, uint8 milestone, uint256 amount, uint256 fee, bool byAttesters);
    event LeaseSettled(uint256 indexed orderId, uint256 amount, uint256 fee, uint256 streamed, address operator);
    event OrderCompleted(uint256 indexed orderId, uint256 paid);
    event OrderFailed(
        uint256 indexed orderId,
        address indexed vault,
        uint8 classId,
        uint256 refund,
        bytes32 slashId,
        uint256 slashAmount
    );
    event CancelAgreed(uint256 indexed orderId, address party);
    event OrderCancelled(uint256 indexed orderId, uint256 refund);
    event ResultCommitted(uint256 indexed orderId, uint8 milestone, bytes32 resultHash);
    event FeesSwept(uint64 indexed serviceId, uint256 amount);
    event Owed(address indexed token, address indexed account, uint256 amount);
    event OwedWithdrawn(address indexed token, address indexed account, uint256 amount);

    /// @notice Opens an order with `params.budget` of the payment token in escrow (pulled from the caller, who is
    /// the client). The service's fee, collateral factor and floor in force now are written into the parameters.
    /// @return orderId Sequential, from 1.
    function open(OrderParams calldata params, OrderTerms calldata terms) external returns (uint256 orderId);

    /// @notice An operator bids on an intent before its window closes: `price` (a job's price, or a lease's rate)
    /// and `collateral`, at least the requirement for the operator's reputation and within what its vault can
    /// reserve. A second bid by the same vault must lower the price. A lease's rate must stream its funds within
    /// MAX_DURATION. The best bid is the lowest price; ties go to
    /// the higher reputation, then to the earlier bid.
    function bid(uint256 orderId, OrderParams calldata params, uint96 price, uint96 collateral) external;

    /// @notice Accepts an order: a named order by its operator before `biddingEnds`; an intent by anyone after the
    /// window (and within ACCEPTANCE_WINDOW of its end), for its best bid. Reserves the collateral; an intent job
    /// refunds the budget above the price.
    function accept(uint256 orderId, OrderParams calldata params) external;

    /// @notice The client accepts a bid of its choice on an intent that is still open, up to ACCEPTANCE_WINDOW after
    /// the bidding window.
    function pickBid(uint256 orderId, OrderParams calldata params, address vault) external;

    /// @notice The client confirms the next milestone of a job: pays it, less the fee, to the operator.
    function confirm(uint256 orderId, OrderParams calldata params) external;

    /// @notice An attester quorum's outcome for the next milestone (EIP-712 OrderOutcome). Success pays it (until the
    /// job's deadline; after it only the client may confirm); failure fails the order (a lease's failure is attested
    /// downtime, of violation class `classId`). The outcome names the order by id *and* by its parameters hash (as
    /// `order(orderId).paramsHash` returns it) and by the vault holding it (`order(orderId).vault`), so signatures
    /// for an order renumbered by a reorg, or handed to another bidder by one, are refused.
    /// @param signatures One per signer, in strictly ascending order of signer address.
    function reportOutcome(
        uint256 orderId,
        OrderParams calldata params,
        OrderOutcome calldata outcome,
        Signature[] calldata signatures
    ) external;

    /// @notice Fails a job whose deadline passed before its last milestone was settled. Anyone may call. Like every
    /// failure, it credits the refund (withdrawOwed) rather than transferring it.
    function expire(uint256 orderId, OrderParams calldata params) external;

    /// @notice Pays a lease's operator what has streamed so far; completes it when the funds have run out.
    /// Anyone may call.
    function settleLease(uint256 orderId, OrderParams calldata params) external;

    /// @notice The client cancels an order nobody accepted yet: full refund.
    function cancel(uint256 orderId, OrderParams calldata params) external;

    /// @notice Client or operator agrees to cancel an active order; when both have (within CONSENT_WINDOW of each
    /// other, with no milestone paid in between, and before a job's deadline), the client is credited what is
    /// unpaid (a lease credits the operator what streamed first) and the collateral is freed, reputation unchanged.
    function agreeCancel(uint256 orderId, OrderParams calldata params) external;

    /// @notice Pays the caller what failed or cancelled orders credited it in `token`.
    function withdrawOwed(address token) external returns (uint256 amount);

    /// @notice The operator publishes the hash of a job's result for the attesters to check.
    function commitResult(uint256 orderId, OrderParams calldata params, bytes32 resultHash) external;

    /// @notice Moves a service's accrued stake-token order fees to the rewards distributor, which streams them to the
    /// stake allocated to the service. Anyone may call (a keeper duty); one transfer for any number of orders.
    function sweepFees(uint64 serviceId) external returns (uint256 amount);

    /* VIEWS */
    function unsweptFees(uint64 serviceId) external view returns (uint256);
    function outcomeDigest(OrderOutcome calldata outcome) external view returns (bytes32);
    function order(uint256 orderId)
        external
        view
        returns (
            bytes32 paramsHash,
            OrderStatus status,
            uint8 settled,
            uint40 startedAt,
            address vault,
            uint256 price,
            uint256 collateral,
            uint256 paid
        );
    function bidOf(uint256 orderId, address vault) external view returns (uint256 price, uint256 collateral, uint256 at);
    function nextOrderId() external view returns (uint256);
    function requiredCollateral(OrderParams calldata params, address vault, uint256 price)
        external
        view
        returns (uint256);
}
