// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOrderBook} from "./interfaces/IOrderBook.sol";
import {IOperatorVault} from "./interfaces/IOperatorVault.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {ISlashingCourt} from "./interfaces/ISlashingCourt.sol";
import {IVaultFactory} from "./interfaces/IVaultFactory.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {OrderMathLib} from "./libraries/OrderMathLib.sol";
import {ReputationLib} from "./libraries/ReputationLib.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";
import {
    OrderParams, OrderTerms, OrderStatus, OrderOutcome, OrderResult, Signature, ReportTerms, OrderSlashRequest, NO_CLASS
} from "./types/Types.sol";

/// @title OrderBook
/// @notice Escrowed jobs and leases with bidding, reputation-priced collateral and attested outcomes.
contract OrderBook is EIP712, ReentrancyGuardTransient, IOrderBook {
    using SafeERC20 for IERC20;

    uint256 internal constant BPS = 10_000;
    /// @notice The longest an order may run: collateral is never locked longer than this by one order.
    uint256 public constant MAX_DURATION = 365 days;
    /// @notice An intent's bids bind their operators only this long after the window: later, no one can accept.
    uint256 public constant ACCEPTANCE_WINDOW = 1 days;
    /// @notice One party's agreement to cancel lapses after this long (and whenever a milestone is paid).
    uint256 public constant CONSENT_WINDOW = 1 days;
    bytes32 public constant OUTCOME_TYPEHASH =
        keccak256("OrderOutcome(uint256 orderId,bytes32 paramsHash,address vault,uint8 milestone,bool success,uint8 classId)");

    IERC20 public immutable STAKE_TOKEN;
    IServiceRegistry public immutable REGISTRY;
    IVaultFactory public immutable FACTORY;
    ISlashingCourt public immutable COURT;
    IRewardsDistributor public immutable REWARDS;

    struct Order {
        // word 1: read by every call
        uint160 paramsHash;
        OrderStatus status;
        uint8 settled; // milestones paid (jobs)
        uint8 consent; // bit 0: the client, bit 1: the operator agreed to cancel
        uint40 startedAt; // acceptance; a lease streams from here
        uint32 consentAt; // when the first party agreed
        // word 2: written at open, so no bid writes it from zero
        address vault; // the named vault; the best bidder while bidding; then the operator's vault
        uint96 price; // a job's price or a lease's rate: the budget (most) at open, the best bid while bidding
        // word 3: written at acceptance
        uint96 collateral;
        uint96 paid; // paid out of escrow to the operator, fee included
    }

    struct Bid {
        uint96 price;
        uint96 collateral;
        uint40 at;
    }

    /// @dev Stake-token fees of a service, swept to the rewards distributor in one transfer by anyone. Both totals
    /// only grow, so a settlement never writes this word from zero after the service's first fee.
    struct FeePot {
        uint128 accrued;
        uint128 swept;
    }

    /// @notice The id the next order gets (set at construction so no order writes it from zero).
    uint256 public nextOrderId;
    mapping(uint256 => Order) internal _orders;
    mapping(uint256 => mapping(address => Bid)) internal _bids;
    mapping(uint64 => FeePot) internal _fees;
    /// @notice Refunds and payments of failed or cancelled orders, withdrawn by their owners (withdrawOwed): a
    /// token that refuses a transfer can never stop an order from failing, nor keep its collateral reserved.
    mapping(address token => mapping(address account => uint256)) public owed;

    constructor(
        IERC20 stakeToken,
        IServiceRegistry registry,
        IVaultFactory factory,
        ISlashingCourt court,
        IRewardsDistributor rewards
    ) EIP712("Surety Orders", "1") {
        STAKE_TOKEN = stakeToken;
        REGISTRY = registry;
        FACTORY = factory;
        COURT = court;
        REWARDS = rewards;
        nextOrderId = 1;
    }

    /* OPENING AND BIDDING */

    /// @inheritdoc IOrderBook
    function open(OrderParams calldata params, OrderTerms calldata terms)
        external
        nonReentrant
        returns (uint256 orderId)
    {
        OrderParams memory p = params;
        if (p.client != msg.sender) revert NotClient(msg.sender);
        // the service's terms in force now are the order's, whatever the caller passed
        (p.feeBps, p.collateralFactorBps, p.collateralFloorBps) = REGISTRY.orderTerms(p.serviceId);
        _validate(p);
        orderId = nextOrderId;
        nextOrderId = orderId + 1;
        Order storage o = _orders[orderId];
        o.paramsHash = _hash(p);
        o.status = OrderStatus.Open;
        o.vault = p.vault;
        o.price = p.ratePerSecond > 0 ? p.ratePerSecond : p.budget;
        TokenTransferLib.pullExact(IERC20(p.paymentToken), msg.sender, p.budget);
        emit OrderOpened(orderId, msg.sender, p.serviceId, p, terms);
    }

    /// @inheritdoc IOrderBook
    function bid(uint256 orderId, OrderParams calldata params, uint96 price, uint96 collateral) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Open);
        if (params.vault != address(0)) revert NotAnIntent(orderId);
        if (block.timestamp >= params.biddingEnds) revert BiddingClosed(orderId, params.biddingEnds);
        uint256 most = _isLease(params) ? params.ratePerSecond : params.budget;
        if (price == 0 || price > most) revert PriceAboveBudget(price, most);
        // a lower rate streams the same funds for longer: no lease may hold collateral beyond MAX_DURATION
        if (_isLease(params) && params.budget / price > MAX_DURATION) revert LeaseTooLong(params.budget / price);
        address vault = FACTORY.vaultOf(msg.sender);
        if (vault == address(0)) revert NotAnOperator(msg.sender);
        // the allocation's room (two storage words) is checked now; the vault-wide room when the bid is accepted
        (uint256 room, uint256 score) = IOperatorVault(vault).allocationTerms(params.serviceId);
        uint256 required = _required(params, price, score);
        // `collateral` is the most the operator pledges; acceptance reserves exactly the requirement then
        if (collateral < required) revert CollateralBelowRequirement(collateral, required);
        // a vault that could reserve nothing here (unallocated, full, banned or jailed) may not hold the best bid
        if (required > room || room == 0) revert CollateralUnavailable(required, room);

        Bid storage b = _bids[orderId][vault];
        if (b.price != 0 && price >= b.price) revert BidNotLower(price, b.price);
        (b.price, b.collateral, b.at) = (price, collateral, uint40(block.timestamp));

        address best = o.vault;
        uint256 bestPrice = o.price;
        // lowest price wins; on a tie the higher reputation, then the earlier bid (the incumbent) keeps it
        if (best == address(0) || best == vault || price < bestPrice || (price == bestPrice && _beats(score, best, params)))
        {
            (o.vault, o.price) = (vault, price);
        }
        emit BidPlaced(orderId, vault, price, collateral, score);
    }

    /* ACCEPTANCE */

    /// @inheritdoc IOrderBook
    function accept(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Open);
        if (params.vault != address(0)) {
            // a named order: its operator accepts within the window, at the order's price
            if (FACTORY.vaultOf(msg.sender) != params.vault) revert NotOrderOperator(msg.sender);
            if (block.timestamp > params.biddingEnds) revert AcceptanceClosed(orderId, params.biddingEnds);
            _activate(orderId, params, o, params.vault, o.price, type(uint256).max);
        } else {
            if (block.timestamp < params.biddingEnds) revert BiddingOpen(orderId, params.biddingEnds);
            _checkAcceptanceWindow(orderId, params);
            address best = o.vault;
            if (best == address(0)) revert NoBids(orderId);
            Bid memory b = _bids[orderId][best];
            _activate(orderId, params, o, best, b.price, b.collateral);
        }
    }

    /// @inheritdoc IOrderBook
    function pickBid(uint256 orderId, OrderParams calldata params, address vault) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Open);
        if (msg.sender != params.client) revert NotClient(msg.sender);
        if (params.vault != address(0)) revert NotAnIntent(orderId);
        Bid memory b = _bids[orderId][vault];
        if (b.price == 0) revert NoBid(orderId, vault);
        _checkAcceptanceWindow(orderId, params);
        _activate(orderId, params, o, vault, b.price, b.collateral);
    }

    /* SETTLEMENT */

    /// @inheritdoc IOrderBook
    function confirm(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        if (msg.sender != params.client) revert NotClient(msg.sender);
        if (_isLease(params)) revert NotAJob(orderId);
        _payMilestone(orderId, params, o, false);
    }

    /// @inheritdoc IOrderBook
    function reportOutcome(
        uint256 orderId,
        OrderParams calldata params,
        OrderOutcome calldata outcome,
        Signature[] calldata signatures
    ) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        if (outcome.orderId != orderId) revert OutcomeForOtherOrder(orderId, outcome.orderId);
        // the signatures are over this hash: checked against the stored one, so an order that a reorg renumbered
        // (same id, other parameters) cannot take the old order's outcome
        if (outcome.paramsHash != bytes32(uint256(o.paramsHash))) {
            revert OutcomeForOtherParams(orderId, outcome.paramsHash);
        }
        // the params do not pin the holder (an open-bid order's params carry vault 0): the signed vault does, so a
        // reorg that hands the order to another bidder cannot carry a verdict on the first one's work. The acceptance
        // time is not signed: a reorg that replays the same vault's acceptance at another time changes only that
        // vault's own terms (its bid price, the collateral required of it then, a lease's stream start, which only
        // pays it less), and the verdict is still on that operator's own work on this order and milestone
        if (outcome.vault != o.vault) revert OutcomeForOtherVault(orderId, outcome.vault);
        // one outcome per milestone: success moves `settled` on, failure ends the order, so the other verdict on
        // the same milestone can never land afterwards
        if (outcome.milestone != o.settled) revert MilestoneMismatch(orderId, outcome.milestone, o.settled);
        // the registry checks the quorum (k of n and by bond) and the class; class 0 stands in for a success
        ReportTerms memory t = REGISTRY.reportTerms(
            params.serviceId, outcome.success ? 0 : outcome.classId, _recoverSigners(outcome, signatures)
        );
        if (outcome.success) {
            if (_isLease(params)) revert NotAJob(orderId);
            // after the deadline only the client may still pay (confirm); a late report cannot race expire
            if (block.timestamp > params.deadline) revert DeadlinePassed(orderId, params.deadline);
            _payMilestone(orderId, params, o, true);
        } else {
            _fail(orderId, params, o, outcome.classId, t.signers);
        }
    }

    /// @inheritdoc IOrderBook
    function expire(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        if (_isLease(params)) revert NotAJob(orderId);
        if (block.timestamp <= params.deadline) revert DeadlineNotPassed(orderId, params.deadline);
        _fail(orderId, params, o, NO_CLASS, 0);
    }

    /// @inheritdoc IOrderBook
    function settleLease(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        if (!_isLease(params)) revert NotALease(orderId);
        (uint256 due, bool exhausted) = _streamDue(params, o);
        if (due == 0 && !exhausted) revert NothingToSettle(orderId);
        if (exhausted) {
            o.status = OrderStatus.Completed;
            address operator = IOperatorVault(o.vault).releaseCollateral(
                params.serviceId, o.collateral, OrderResult.Succeeded, _stakeFee(params, params.budget)
            );
            _payLease(orderId, params, o, due, operator, false);
            emit OrderCompleted(orderId, o.paid);
        } else {
            _payLease(orderId, params, o, due, IOperatorVault(o.vault).OPERATOR(), false);
        }
    }

    /* CANCELLATION */

    /// @inheritdoc IOrderBook
    function cancel(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Open);
        if (msg.sender != params.client) revert NotClient(msg.sender);
        o.status = OrderStatus.Cancelled;
        _send(params.paymentToken, params.client, params.budget, false);
        emit OrderCancelled(orderId, params.budget);
    }

    /// @inheritdoc IOrderBook
    function agreeCancel(uint256 orderId, OrderParams calldata params) external nonReentrant {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        // after a job's deadline the order can only fail: a late consent cannot dodge expire
        if (!_isLease(params) && block.timestamp > params.deadline) revert DeadlinePassed(orderId, params.deadline);
        uint8 party;
        if (msg.sender == params.client) party = 1;
        else if (FACTORY.vaultOf(msg.sender) == o.vault) party = 2;
        else revert NotOrderOperator(msg.sender);
        // an old agreement does not bind: it lapses after CONSENT_WINDOW
        uint8 consent = o.consent;
        if (consent != 0 && block.timestamp > uint256(o.consentAt) + CONSENT_WINDOW) consent = 0;
        emit CancelAgreed(orderId, msg.sender);
        if ((consent | party) != 3) {
            if (consent == 0) o.consentAt = uint32(block.timestamp);
            o.consent = consent | party;
            return;
        }
        o.status = OrderStatus.Cancelled;
        address operator =
            IOperatorVault(o.vault).releaseCollateral(params.serviceId, o.collateral, OrderResult.Cancelled, 0);
        if (_isLease(params)) {
            (uint256 due,) = _streamDue(params, o);
            if (due > 0) _payLease(orderId, params, o, due, operator, true);
        }
        uint256 refund = _escrowLeft(params, o);
        o.paid += uint96(refund); // nothing is owed any more: the escrow of this order is spent
        _credit(params.paymentToken, params.client, refund);
        emit OrderCancelled(orderId, refund);
    }

    /// @inheritdoc IOrderBook
    function withdrawOwed(address token) external nonReentrant returns (uint256 amount) {
        amount = owed[token][msg.sender];
        if (amount == 0) return 0;
        owed[token][msg.sender] = 0;
        IERC20(token).safeTransfer(msg.sender, amount);
        emit OwedWithdrawn(token, msg.sender, amount);
    }

    /// @inheritdoc IOrderBook
    function commitResult(uint256 orderId, OrderParams calldata params, bytes32 resultHash) external {
        Order storage o = _load(orderId, params, OrderStatus.Active);
        if (FACTORY.vaultOf(msg.sender) != o.vault) revert NotOrderOperator(msg.sender);
        emit ResultCommitted(orderId, o.settled, resultHash);
    }

    /// @inheritdoc IOrderBook
    function sweepFees(uint64 serviceId) external nonReentrant returns (uint256 amount) {
        FeePot storage pot = _fees[serviceId];
        amount = pot.accrued - pot.swept;
        if (amount == 0) return 0;
        pot.swept = pot.accrued;
        STAKE_TOKEN.safeTransfer(address(REWARDS), amount);
        REWARDS.addOrderFee(serviceId, amount);
        emit FeesSwept(serviceId, amount);
    }

    /* VIEWS */

    function unsweptFees(uint64 serviceId) external view returns (uint256) {
        FeePot memory pot = _fees[serviceId];
        return pot.accrued - pot.swept;
    }

    function outcomeDigest(OrderOutcome calldata outcome) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    OUTCOME_TYPEHASH,
                    outcome.orderId,
                    outcome.paramsHash,
                    outcome.vault,
                    outcome.milestone,
                    outcome.success,
                    outcome.classId
                )
            )
        );
    }

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
        )
    {
        Order storage o = _orders[orderId];
        return (bytes32(uint256(o.paramsHash)), o.status, o.settled, o.startedAt, o.vault, o.price, o.collateral, o.paid);
    }

    function bidOf(uint256 orderId, address vault) external view returns (uint256 price, uint256 collateral, uint256 at) {
        Bid memory b = _bids[orderId][vault];
        return (b.price, b.collateral, b.at);
    }

    function requiredCollateral(OrderParams calldata params, address vault, uint256 price)
        external
        view
        returns (uint256)
    {
        (, uint256 score) = IOperatorVault(vault).collateralTerms(params.serviceId);
        return _required(params, price, score);
    }

    /* INTERNAL */

    function _validate(OrderParams memory p) internal view {
        if (p.paymentToken == address(0)) revert InvalidOrder("paymentToken");
        if (p.budget == 0) revert InvalidOrder("budget");
        // another token needs its value stated in stake units; in the stake token a stated value is a floor
        if (p.paymentToken != address(STAKE_TOKEN) && p.value == 0) revert InvalidOrder("value");
        if (p.biddingEnds <= block.timestamp || p.biddingEnds > block.timestamp + MAX_DURATION) {
            revert InvalidOrder("biddingEnds");
        }
        if (p.ratePerSecond > 0) {
            // a lease runs until its funds do; it has no deadline and no milestones
            if (p.deadline != 0) revert InvalidOrder("deadline");
            if (p.milestones != 0) revert InvalidOrder("milestones");
            if (p.budget / p.ratePerSecond > MAX_DURATION) revert InvalidOrder("ratePerSecond");
        } else {
            if (p.deadline <= p.biddingEnds || p.deadline > block.timestamp + MAX_DURATION) {
                revert InvalidOrder("deadline");
            }
            if (!OrderMathLib.validMilestones(p.milestones)) revert InvalidOrder("milestones");
        }
    }

    function _hash(OrderParams memory p) internal pure returns (uint160) {
        return uint160(uint256(keccak256(abi.encode(p))));
    }

    function _load(uint256 orderId, OrderParams calldata params, OrderStatus expected)
        internal
        view
        returns (Order storage o)
    {
        o = _orders[orderId];
        if (o.status == OrderStatus.None) revert OrderNotFound(orderId);
        if (o.paramsHash != uint160(uint256(keccak256(abi.encode(params))))) revert ParamsMismatch(orderId);
        if (o.status != expected) revert WrongOrderStatus(orderId, o.status);
    }

    function _isLease(OrderParams calldata params) internal pure returns (bool) {
        return params.ratePerSecond > 0;
    }

    /// @dev The order's value in stake-token units: a job's price or a lease's whole funds, but never less than the
    /// value the client stated (what the work is worth to it: a cargo, a deadline), so a dust bid must still back the
    /// order with real collateral; for a foreign payment token, the stated value.
    function _required(OrderParams calldata params, uint256 price, uint256 score) internal view returns (uint256) {
        uint256 base = params.paymentToken != address(STAKE_TOKEN)
            ? params.value
            : Math.max(_isLease(params) ? params.budget : price, params.value);
        return ReputationLib.requiredCollateral(base, params.collateralFactorBps, params.collateralFloorBps, score);
    }

    function _beats(uint256 score, address incumbent, OrderParams calldata params) internal view returns (bool) {
        (, uint256 incumbentScore) = IOperatorVault(incumbent).allocationTerms(params.serviceId);
        return score > incumbentScore;
    }

    /// @dev Reserves the collateral (the vault checks the room, the ban and the jail) and starts the order. The vault
    /// is genuine: a bid's vault is factory.vaultOf(bidder), a named order's is checked against the caller's.
    function _activate(
        uint256 orderId,
        OrderParams calldata params,
        Order storage o,
        address vault,
        uint256 price,
        uint256 pledge
    ) internal {
        if (!_isLease(params) && block.timestamp >= params.deadline) revert DeadlinePassed(orderId, params.deadline);
        // exactly the requirement at acceptance, never more: a pledge above it cannot turn the order into a way to
        // hand the vault's stake to a client (self-dealt or not); the reputation may have fallen since the bid (a
        // failure, a slash, decay), and the pledge must still cover what is required now
        (, uint256 score) = IOperatorVault(vault).allocationTerms(params.serviceId);
        uint256 required = _required(params, price, score);
        if (pledge < required) revert CollateralBelowRequirement(pledge, required);
        IOperatorVault(vault).reserveCollateral(params.serviceId, required);
        uint256 collateral = required;
        o.status = OrderStatus.Active;
        o.startedAt = uint40(block.timestamp);
        (o.vault, o.price) = (vault, uint96(price));
        o.collateral = uint96(collateral);
        // a job won below its budget gives the difference back now; a lease keeps all its funds to stream
        uint256 refund = _isLease(params) ? 0 : params.budget - price;
        _send(params.paymentToken, params.client, refund, false);
        emit OrderAccepted(orderId, vault, price, collateral, refund);
    }

    /// @dev Pays the next milestone of a job (the last takes the remainder) and completes the order after the last.
    function _payMilestone(uint256 orderId, OrderParams calldata params, Order storage o, bool byAttesters) internal {
        uint256 index = o.settled;
        uint256 price = o.price;
        uint256 paid = o.paid;
        bool last = index + 1 == OrderMathLib.milestoneCount(params.milestones);
        uint256 amount = last ? price - paid : OrderMathLib.milestoneAmount(price, params.milestones, index);
        o.settled = uint8(index + 1);
        o.paid = uint96(paid + amount);
        if (o.consent != 0) o.consent = 0; // an agreement to cancel was about the work before this milestone
        address operator;
        if (last) {
            o.status = OrderStatus.Completed;
            operator = IOperatorVault(o.vault).releaseCollateral(
                params.serviceId, o.collateral, OrderResult.Succeeded, _stakeFee(params, price)
            );
        } else {
            operator = IOperatorVault(o.vault).OPERATOR();
        }
        uint256 fee = _pay(params, operator, amount, OrderMathLib.fee(amount, params.feeBps), false);
        emit MilestonePaid(orderId, uint8(index), amount, fee, byAttesters);
        if (last) emit OrderCompleted(orderId, price);
    }

    /// @dev The fee is taken on what has streamed in all (fee(paid + due) − fee(paid)), so settling often never
    /// rounds it up more than once.
    function _payLease(
        uint256 orderId,
        OrderParams calldata params,
        Order storage o,
        uint256 due,
        address operator,
        bool credit
    ) internal {
        uint256 before = o.paid;
        uint256 paid = before + due;
        o.paid = uint96(paid);
        uint256 fee = OrderMathLib.fee(paid, params.feeBps) - OrderMathLib.fee(before, params.feeBps);
        if (due > 0) _pay(params, operator, due, fee, credit);
        emit LeaseSettled(orderId, due, fee, paid, operator);
    }

    /// @dev What a lease has streamed and not yet paid, and whether its funds are all streamed.
    function _streamDue(OrderParams calldata params, Order storage o) internal view returns (uint256 due, bool exhausted) {
        uint256 streamed = Math.min(params.budget, uint256(o.price) * (block.timestamp - o.startedAt));
        return (streamed - o.paid, streamed == params.budget);
    }

    /// @dev Escrow of the order not yet paid out: a job's price (the budget above it went back at acceptance) or a
    /// lease's funds, less what the operator was paid.
    function _escrowLeft(OrderParams calldata params, Order storage o) internal view returns (uint256) {
        return (_isLease(params) ? params.budget : o.price) - o.paid;
    }

    /// @dev Fails an active order: a lease first pays what streamed; the client gets the rest of the escrow back;
    /// the collateral leaves the reservation and becomes a pending slash in the court, paid to the client.
    function _fail(uint256 orderId, OrderParams calldata params, Order storage o, uint8 classId, uint64 signers)
        internal
    {
        o.status = OrderStatus.Failed;
        address vault = o.vault;
        uint256 collateral = o.collateral;
        address operator = IOperatorVault(vault).releaseCollateral(params.serviceId, collateral, OrderResult.Failed, 0);
        if (_isLease(params)) {
            (uint256 due,) = _streamDue(params, o);
            if (due > 0) _payLease(orderId, params, o, due, operator, true);
        }
        uint256 refund = _escrowLeft(params, o);
        o.paid += uint96(refund); // the escrow is spent: nothing of this order can be paid twice
        bytes32 slashId;
        uint256 slashAmount;
        // an order of a service that asks no collateral fails without a slash
        if (collateral > 0) {
            (slashId, slashAmount) = COURT.requestOrderSlash(
                OrderSlashRequest({
                    serviceId: params.serviceId,
                    vault: vault,
                    orderId: orderId,
                    client: params.client,
                    collateral: collateral,
                    classId: classId,
                    signers: signers
                })
            );
        }
        _credit(params.paymentToken, params.client, refund);
        emit OrderFailed(orderId, vault, classId, refund, slashId, slashAmount);
    }

    /// @dev Pays `amount` of the escrow: the fee (rounded up: it goes to the service's stakers) into the service's fee
    /// pot (swept to the rewards distributor by anyone), or to the service owner for a foreign payment token; the
    /// rest to the operator.
    /// With `credit`, transfers become credits withdrawn later (withdrawOwed): a failure or a cancellation must
    /// never depend on a transfer succeeding.
    function _pay(OrderParams calldata params, address operator, uint256 amount, uint256 fee, bool credit)
        internal
        returns (uint256)
    {
        address token = params.paymentToken;
        if (fee > 0) {
            if (token == address(STAKE_TOKEN)) {
                _fees[params.serviceId].accrued += uint128(fee);
            } else {
                _send(token, REGISTRY.serviceOwner(params.serviceId), fee, credit);
            }
        }
        if (amount > fee) _send(token, operator, amount - fee, credit);
        return fee;
    }

    /// @dev Pushes a payment, or credits it (withdrawOwed) when asked to or when the token refuses the transfer: a
    /// recipient a token blacklists can never turn delivered work into a failure nor block a refund.
    function _send(address token, address to, uint256 amount, bool credit) internal {
        if (amount == 0) return;
        if (credit || !IERC20(token).trySafeTransfer(to, amount)) _credit(token, to, amount);
    }

    /// @dev The stake-token fee an order of `amount` paid the service's stakers (rounded up per payment, so at least
    /// this); a foreign token's fee goes to the service owner and proves nothing, so it counts as none.
    function _stakeFee(OrderParams calldata params, uint256 amount) internal view returns (uint256) {
        return params.paymentToken == address(STAKE_TOKEN) ? OrderMathLib.fee(amount, params.feeBps) : 0;
    }

    function _credit(address token, address to, uint256 amount) internal {
        if (amount == 0) return;
        owed[token][to] += amount;
        emit Owed(token, to, amount);
    }

    function _checkAcceptanceWindow(uint256 orderId, OrderParams calldata params) internal view {
        uint256 closes = uint256(params.biddingEnds) + ACCEPTANCE_WINDOW;
        if (block.timestamp > closes) revert AcceptanceClosed(orderId, closes);
    }

    function _recoverSigners(OrderOutcome calldata outcome, Signature[] calldata signatures)
        internal
        view
        returns (address[] memory signers)
    {
        bytes32 digest = outcomeDigest(outcome);
        signers = new address[](signatures.length);
        for (uint256 i; i < signatures.length; ++i) {
            signers[i] = ECDSA.recover(digest, signatures[i].r, signatures[i].vs);
        }
    }
}
