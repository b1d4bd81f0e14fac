// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IOperatorVault} from "./interfaces/IOperatorVault.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {ISlashingCourt} from "./interfaces/ISlashingCourt.sol";
import {IVaultFactory} from "./interfaces/IVaultFactory.sol";
import {SharesMathLib} from "./libraries/SharesMathLib.sol";
import {SlashMathLib} from "./libraries/SlashMathLib.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";
import {ReputationLib} from "./libraries/ReputationLib.sol";
import {StakeCredits} from "./base/StakeCredits.sol";
import {SlashSizing, SlashPayees, SlashOutcome, OrderResult} from "./types/Types.sol";

/// @title OperatorVault
/// @notice One operator's stake: first-loss bond + delegated pool whose shares are this ERC-20.
contract OperatorVault is ERC20, ReentrancyGuardTransient, StakeCredits, IOperatorVault {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    uint32 public constant MAX_RESTAKING_CAP_BPS = 100_000; // 10x
    /// @notice Shares minted to the vault itself at construction and never redeemable (like Uniswap's minimum
    /// liquidity): the vault's share balance and totalSupply are then never written from zero by a staker.
    uint256 public constant DEAD_SHARES = 1;
    uint16 public constant MAX_COMMISSION_BPS = 5_000;
    /// @notice A matured bond withdrawal must be claimed within this long, or it lapses: a request cannot be held
    /// open to pull the bond out the moment a report is seen coming.
    uint256 public constant BOND_CLAIM_WINDOW = 1 days;
    /// @notice A matured exposure increase (allocation, terms) must be applied within this long, or it lapses: an
    /// increase cannot wait, applicable at the operator's chosen moment, for stakers who arrived after its notice.
    uint256 public constant APPLY_WINDOW = 1 days;

    IERC20 internal immutable _asset;
    address public immutable OPERATOR;
    ISlashingCourt public immutable COURT;
    IServiceRegistry public immutable REGISTRY;
    IRewardsDistributor public immutable REWARDS;
    /// @notice The order book: the only caller that may reserve and release order collateral.
    address public immutable ORDERS;
    uint32 public immutable WITHDRAWAL_DELAY;
    /// @notice How long an increase of the stake's exposure (an allocation increase, a new service, a higher
    /// restaking cap) waits before it applies: twice the withdrawal delay, so a staker who asks to leave within a
    /// withdrawal delay of the announcement is paid before the new exposure exists.
    uint256 public immutable EXPOSURE_DELAY;
    /// @notice While anything is allocated, the operator's first-loss bond stays at least this share of the
    /// exposure (min(total allocated, stake)): checked when the bond leaves and when an allocation grows. Set per
    /// deployment by the factory (10% by default: Rocket Pool's minimum of 10% of the borrowed stake is the anchor).
    uint256 public immutable MIN_BOND_BPS;

    struct Withdrawal {
        uint128 shares;
        uint96 assets; // value at request on the pool before pending slashes, rounded down
        uint32 readyAt;
    }

    /// @dev An allocation is a limit: up to `amount` of the vault's stake backs the service. Slashes do not
    /// rewrite it; the effective allocation is min(amount, stake × shareBps), the limit held to its share of the stake.
    struct Allocation {
        // word 1: read by every slash request
        uint96 amount;
        uint96 pending; // slashes reserved against this allocation
        uint40 windowEpoch; // epoch of windowSlashed (service correlation window)
        bool banned; // a permanent-ban slash executed: never slashable or allocatable here again
        uint16 slashCount; // executed slashes on this service (wraps); a change resets the reputation
        // word 2
        uint96 windowSlashed;
        uint96 decrease;
        uint40 decreaseReadyAt;
        bool live; // set at first allocation so word 2 is never written from zero inside a slash
        // the largest share of the vault's stake the allocation may reach (bps, rounded up), fixed when it was
        // queued and applied: when stakers leave, the allocation shrinks with the stake instead of growing into a
        // larger share of those who stayed
        uint16 shareBps;
        // word 3: orders; set live at first allocation so a reservation never writes it from zero
        uint96 reserved; // collateral open orders hold
        uint16 score; // reputation at scoredAt, before decay (ReputationLib)
        uint40 scoredAt;
        uint16 slashesSeen; // slashCount when the score was last written
        uint24 successes;
        uint24 failures;
        uint32 jailedUntil; // after an executed slash of a jailing class: no allocation increase, no new order
        bool ordersLive;
        // word 4: exposure changes and the weight the court and the rewards count
        uint96 increase; // queued increase, applied after EXPOSURE_DELAY
        uint40 increaseReadyAt;
        uint96 weight; // the effective allocation as last synced, 0 once banned: rewards and the correlation base
        uint16 queuedShareBps; // (amount + increase) / stake when the increase was queued, rounded up
    }

    struct PendingTerms {
        uint16 commissionBps;
        uint32 restakingCapBps;
        uint40 readyAt;
    }

    struct BondWithdrawal {
        uint128 amount;
        uint40 readyAt; // claimable from then until readyAt + BOND_CLAIM_WINDOW
    }

    // word A: the two tranches and the withdrawal counter (read by every entry and exit)
    uint96 internal _bondAssets;
    uint96 internal _poolAssets;
    uint64 internal _nextWithdrawalId;
    // word B: liabilities, allocations and terms; never zero (the cap is at least 100%), so no write from zero
    uint96 internal _pendingLiabilities;
    uint96 internal _totalAllocated;
    uint16 internal _commissionBps;
    uint32 internal _restakingCapBps;
    // word C: collateral all open orders hold, and what queued withdrawals were promised at request (an upper bound
    // of what they will take); `_ordersLive` is set at construction so neither is ever written from zero
    uint96 internal _totalReserved;
    uint96 internal _queuedAssets;
    bool internal _ordersLive;
    // Queued withdrawal shares are held by the vault itself: still in totalSupply (so still slashable and still
    // in the share base), out of the holder's hands.

    PendingTerms public pendingTerms;
    BondWithdrawal public bondWithdrawal;
    mapping(bytes32 => Withdrawal) internal _withdrawals;
    mapping(uint64 => Allocation) internal _allocations;

    constructor(
        IERC20 asset_,
        address operator_,
        ISlashingCourt court_,
        IServiceRegistry registry_,
        uint32 withdrawalDelay_,
        uint16 commissionBps_,
        uint32 restakingCapBps_,
        string memory name_,
        string memory symbol_
    ) ERC20(name_, symbol_) {
        _asset = asset_;
        OPERATOR = operator_;
        COURT = court_;
        REGISTRY = registry_;
        REWARDS = court_.REWARDS();
        ORDERS = court_.ORDERS();
        _ordersLive = true;
        WITHDRAWAL_DELAY = withdrawalDelay_;
        EXPOSURE_DELAY = 2 * uint256(withdrawalDelay_);
        MIN_BOND_BPS = IVaultFactory(msg.sender).MIN_BOND_BPS();
        _checkTerms(commissionBps_, restakingCapBps_);
        _commissionBps = commissionBps_;
        _restakingCapBps = restakingCapBps_;
        _mint(address(this), DEAD_SHARES);
    }

    modifier onlyOperator() {
        if (msg.sender != OPERATOR) revert NotOperator(msg.sender);
        _;
    }

    modifier onlyCourt() {
        if (msg.sender != address(COURT)) revert NotCourt(msg.sender);
        _;
    }

    modifier onlyOrders() {
        if (msg.sender != ORDERS) revert NotOrderBook(msg.sender);
        _;
    }

    /* STAKERS */

    /// @inheritdoc IOperatorVault
    function deposit(uint256 assets, address receiver) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        uint256 pool = _poolAssets;
        uint256 supply = totalSupply();
        uint256 bond = _bondAssets;
        uint256 pending = _pendingLiabilities;
        // a pending slash the bond cannot cover lowers the pool's price; whoever bought at that price would take the
        // pool's value back from its holders if the slash were then overturned, so the pool takes no deposits until
        // such slashes are settled (a depositor can wait; nobody's money is held)
        if (pending > bond) revert PoolSlashPending(pending - bond);
        uint256 net = SharesMathLib.netPoolAssets(pool, bond, pending);
        // shares outstanding over a worthless pool: a deposit would mint astronomically many shares for the same
        // assets; the vault takes deposits again once those shares are redeemed (for nothing) and burnt
        if (net == 0 && supply > DEAD_SHARES) revert VaultWipedOut();
        // priced net of pending slashes: a depositor never buys into a loss already known
        shares = SharesMathLib.toSharesDown(assets, net, supply);
        if (shares == 0) revert ZeroShares();
        // every balance and every queued withdrawal then fits the 128 bits a withdrawal stores
        if (supply + shares > type(uint128).max) revert ShareSupplyTooLarge();
        TokenTransferLib.pullExact(_asset, msg.sender, assets);
        _poolAssets = (pool + assets).toUint96();
        _mint(receiver, shares);
        emit Deposited(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IOperatorVault
    function requestWithdrawal(uint256 shares) external nonReentrant returns (uint64 id) {
        if (shares == 0) revert ZeroShares();
        // value at request at the pool's rate before pending slashes, rounded down; the claim pays the lower of this
        // and the value then, net of what is still pending, so the request bears every slash that executes and none
        // that is overturned (pricing it net of pending would hand an overturned slash's value to those who stayed)
        uint256 assets = SharesMathLib.toAssetsDown(shares, _poolAssets, totalSupply());
        // the vault holds queued shares: out of the holder's hands, still in the share base, still slashable
        _transfer(msg.sender, address(this), shares);
        id = _nextWithdrawalId++;
        _queuedAssets += assets.toUint96(); // leaving stake backs no new order
        uint256 readyAt = block.timestamp + WITHDRAWAL_DELAY;
        _withdrawals[_withdrawalKey(msg.sender, id)] =
            Withdrawal({shares: shares.toUint128(), assets: assets.toUint96(), readyAt: uint32(readyAt)});
        emit WithdrawalRequested(msg.sender, id, shares, assets, readyAt);
    }

    /// @inheritdoc IOperatorVault
    function claimWithdrawal(uint64 id, address receiver) external nonReentrant returns (uint256 assets) {
        bytes32 key = _withdrawalKey(msg.sender, id);
        Withdrawal memory w = _withdrawals[key];
        if (w.shares == 0) revert WithdrawalNotFound(msg.sender, id);
        if (block.timestamp < w.readyAt) revert WithdrawalNotReady(id, w.readyAt);
        uint256 pool = _poolAssets;
        uint256 valueNow = SharesMathLib.toAssetsDown(
            w.shares, SharesMathLib.netPoolAssets(pool, _bondAssets, _pendingLiabilities), totalSupply()
        );
        // min(rate at request, rate now): queued stake earns nothing but bears every loss
        assets = Math.min(w.assets, valueNow);
        // no order can hold a staker who asked to leave: the request's value stopped backing new orders at request
        // (queued assets), and what it takes now only shrinks what earlier orders' collateral can still be paid from
        _queuedAssets -= w.assets;
        delete _withdrawals[key];
        _burn(address(this), w.shares);
        _poolAssets = uint96(pool - assets);
        _asset.safeTransfer(receiver, assets);
        emit WithdrawalClaimed(msg.sender, id, receiver, w.shares, assets);
    }

    /* SHARE TOKEN */

    /// @dev Shares held by the vault are queued withdrawals; a holder sending shares here would lose them and
    /// make them look queued, so the public transfer paths refuse the vault as recipient.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (to == address(this)) revert SharesToVault();
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (to == address(this)) revert SharesToVault();
        return super.transferFrom(from, to, value);
    }

    /* OPERATOR BOND */

    /// @inheritdoc IOperatorVault
    function depositBond(uint256 amount) external onlyOperator nonReentrant {
        if (amount == 0) revert ZeroAmount();
        TokenTransferLib.pullExact(_asset, msg.sender, amount);
        uint256 bond = _bondAssets + amount;
        _bondAssets = bond.toUint96();
        emit BondDeposited(amount, bond);
    }

    /// @inheritdoc IOperatorVault
    function requestBondWithdrawal(uint256 amount) external onlyOperator {
        if (amount == 0) revert ZeroAmount();
        // a new request replaces the last; it is claimable only within BOND_CLAIM_WINDOW after it matures
        uint256 readyAt = block.timestamp + WITHDRAWAL_DELAY;
        bondWithdrawal = BondWithdrawal({amount: amount.toUint128(), readyAt: uint40(readyAt)});
        emit BondWithdrawalRequested(amount, readyAt);
    }

    /// @inheritdoc IOperatorVault
    function claimBondWithdrawal() external onlyOperator nonReentrant returns (uint256 paid) {
        BondWithdrawal memory request = bondWithdrawal;
        if (request.amount == 0) revert NoBondWithdrawal();
        if (block.timestamp < request.readyAt) revert BondWithdrawalNotReady(request.readyAt);
        if (block.timestamp > request.readyAt + BOND_CLAIM_WINDOW) {
            revert BondWithdrawalExpired(request.readyAt + BOND_CLAIM_WINDOW);
        }
        uint256 bond = _bondAssets;
        // pending slashes and orders' collateral hit the bond first, and the bond stays first-loss: only what is
        // beyond both them and the minimum share of the exposure may leave
        uint256 held = Math.max(uint256(_pendingLiabilities) + _totalReserved, _minimumBond(_totalAllocated));
        uint256 free = bond > held ? bond - held : 0;
        paid = Math.min(request.amount, free);
        delete bondWithdrawal;
        _bondAssets = uint96(bond - paid);
        if (paid > 0) _asset.safeTransfer(OPERATOR, paid);
        emit BondWithdrawn(request.amount, paid, bond - paid);
    }

    /* ALLOCATIONS */

    /// @inheritdoc IOperatorVault
    function allocate(uint64 serviceId, uint256 increase) external onlyOperator {
        if (increase == 0) revert ZeroAmount();
        Allocation storage a = _allocations[serviceId];
        // the checks apply now (early feedback) and again when the increase applies
        _checkIncrease(serviceId, a, increase);
        uint256 readyAt = block.timestamp + EXPOSURE_DELAY;
        // a new request replaces a queued one and waits the whole delay again; the share of the stake it announces
        // is what it may ever reach (a sybil deposit cannot make it look small and then leave)
        (a.increase, a.increaseReadyAt) = (uint96(increase), uint40(readyAt));
        // on what is in effect now, not the limit: a limit the stake has shrunk under cannot come back by a 1-wei rise
        uint256 stake = totalStake();
        a.queuedShareBps = uint16(_shareOf(_effective(a, stake) + increase, stake));
        if (!a.live) (a.live, a.ordersLive) = (true, true);
        emit AllocationQueued(serviceId, increase, readyAt);
    }

    /// @inheritdoc IOperatorVault
    function applyAllocation(uint64 serviceId) external nonReentrant {
        Allocation storage a = _allocations[serviceId];
        uint256 increase = a.increase;
        if (increase == 0) revert NoAllocationQueued(serviceId);
        uint256 readyAt = a.increaseReadyAt;
        if (block.timestamp < readyAt) revert AllocationNotReady(serviceId, readyAt);
        if (block.timestamp > readyAt + APPLY_WINDOW) revert ExposureIncreaseExpired(readyAt + APPLY_WINDOW);
        uint256 total = _checkIncrease(serviceId, a, increase);
        // a limit the stake has shrunk under is first cut to what is in effect (never below what slashes and orders
        // hold on it): an increase adds `increase`, never a share of the stake the limit had lost
        uint256 stake = totalStake();
        uint256 kept = Math.min(a.amount, Math.max(_effective(a, stake), uint256(a.pending) + a.reserved));
        total -= a.amount - kept;
        uint256 newAmount = kept + increase;
        (a.amount, a.increase, a.increaseReadyAt) = (uint96(newAmount), 0, 0);
        // the smaller of the share announced and the share now: deposits since then lower it, departures cannot
        // raise it
        a.shareBps = uint16(Math.min(a.queuedShareBps, _shareOf(newAmount, stake)));
        a.queuedShareBps = 0;
        _totalAllocated = uint96(total);
        _syncWeight(serviceId, a);
        emit Allocated(serviceId, newAmount, total);
    }

    /// @inheritdoc IOperatorVault
    function syncAllocation(uint64 serviceId) external nonReentrant {
        _syncWeight(serviceId, _allocations[serviceId]);
    }

    /// @inheritdoc IOperatorVault
    function requestDeallocation(uint64 serviceId, uint256 decrease) external onlyOperator {
        Allocation storage a = _allocations[serviceId];
        if (decrease == 0) revert ZeroAmount();
        if (decrease > a.amount) revert DecreaseTooLarge(decrease, a.amount);
        uint256 readyAt = block.timestamp + REGISTRY.pipelineLength(serviceId);
        a.decrease = uint96(decrease);
        a.decreaseReadyAt = uint40(readyAt);
        emit DeallocationRequested(serviceId, decrease, readyAt);
    }

    /// @inheritdoc IOperatorVault
    function completeDeallocation(uint64 serviceId) external nonReentrant {
        Allocation storage a = _allocations[serviceId];
        if (a.decrease == 0) revert NoDeallocation(serviceId);
        if (block.timestamp < a.decreaseReadyAt) revert DeallocationNotReady(serviceId, a.decreaseReadyAt);
        uint256 oldAmount = a.amount;
        uint256 decrease = Math.min(a.decrease, oldAmount); // slashes may have shrunk it meanwhile
        uint256 newAmount = oldAmount - decrease;
        // stake that a pending slash holds never leaves
        if (newAmount < a.pending) revert AllocationHeldBySlash(serviceId, newAmount, a.pending);
        // nor does collateral that open orders hold
        if (newAmount < uint256(a.pending) + a.reserved) {
            revert AllocationHeldByOrders(serviceId, newAmount, uint256(a.pending) + a.reserved);
        }
        a.amount = uint96(newAmount);
        a.decrease = 0;
        a.decreaseReadyAt = 0;
        // a decrease never raises the share (the stake may have fallen since the allocation applied)
        uint256 stake = totalStake();
        a.shareBps = uint16(Math.min(a.shareBps, stake == 0 ? 0 : _shareOf(newAmount, stake)));
        uint256 total = _totalAllocated - decrease;
        _totalAllocated = uint96(total);
        _syncWeight(serviceId, a);
        emit Deallocated(serviceId, decrease, newAmount, total);
    }

    /* REWARDS */

    /// @inheritdoc IOperatorVault
    function claimRewards(uint64 serviceId) external returns (uint256 amount, uint256 commission) {
        // no reentrancy guard: the only call is to the protocol's rewards contract, which only transfers to us
        amount = REWARDS.claim(serviceId);
        if (amount == 0) return (0, 0);
        // the commission (rounded down) joins the operator's first-loss bond, withdrawable like the rest of it;
        // everything else raises the pool's exchange rate for holders. One storage word holds both tranches.
        commission = amount * _commissionBps / BPS;
        uint256 pool = _poolAssets + (amount - commission);
        _bondAssets = (_bondAssets + commission).toUint96();
        _poolAssets = pool.toUint96();
        emit RewardsClaimed(serviceId, amount, commission, pool);
    }

    /* ORDERS */

    /// @inheritdoc IOperatorVault
    function reserveCollateral(uint64 serviceId, uint256 amount) external onlyOrders returns (uint256 score) {
        // no reentrancy guard on the order book's hooks: only it calls them, and every order book entry is guarded
        Allocation storage a = _allocations[serviceId];
        if (!a.live) revert NotAllocated(serviceId);
        if (a.banned) revert OperatorBanned(serviceId);
        uint256 jailedUntil_ = a.jailedUntil;
        if (jailedUntil_ > block.timestamp) revert OperatorJailed(serviceId, jailedUntil_);
        uint256 room = _collateralRoom(a);
        if (amount > room) revert CollateralUnavailable(serviceId, amount, room);
        uint256 reserved = a.reserved + amount;
        a.reserved = uint96(reserved);
        uint256 total = _totalReserved + amount;
        _totalReserved = uint96(total);
        score = _score(a);
        emit CollateralReserved(serviceId, amount, reserved, total);
    }

    /// @inheritdoc IOperatorVault
    function releaseCollateral(uint64 serviceId, uint256 amount, OrderResult result, uint256 feePaid)
        external
        onlyOrders
        returns (address operator)
    {
        Allocation storage a = _allocations[serviceId];
        uint256 reserved = a.reserved - amount;
        a.reserved = uint96(reserved);
        uint256 total = _totalReserved - amount;
        _totalReserved = uint96(total);
        uint256 score = _score(a);
        if (result == OrderResult.Succeeded) {
            score = ReputationLib.afterSuccess(score, amount, feePaid, a.amount);
            ++a.successes;
        } else if (result == OrderResult.Failed) {
            score = ReputationLib.afterFailure(score);
            ++a.failures;
        }
        a.score = uint16(score);
        a.scoredAt = uint40(block.timestamp);
        a.slashesSeen = a.slashCount;
        emit CollateralReleased(serviceId, amount, result, score);
        return OPERATOR;
    }

    /* TERMS */

    /// @inheritdoc IOperatorVault
    function setTerms(uint16 commissionBps_, uint32 restakingCapBps_) external onlyOperator {
        _checkTerms(commissionBps_, restakingCapBps_);
        if (commissionBps_ <= _commissionBps && restakingCapBps_ <= _restakingCapBps) {
            // lower commission or less restaking only helps stakers: apply now
            _commissionBps = commissionBps_;
            _restakingCapBps = restakingCapBps_;
            delete pendingTerms;
            emit TermsChanged(commissionBps_, restakingCapBps_);
        } else {
            uint256 readyAt = block.timestamp + EXPOSURE_DELAY;
            pendingTerms = PendingTerms(commissionBps_, restakingCapBps_, uint40(readyAt));
            emit TermsQueued(commissionBps_, restakingCapBps_, readyAt);
        }
    }

    /// @inheritdoc IOperatorVault
    function applyTerms() external {
        PendingTerms memory terms = pendingTerms;
        if (terms.readyAt == 0) revert NoPendingTerms();
        if (block.timestamp < terms.readyAt) revert TermsNotReady(terms.readyAt);
        if (block.timestamp > terms.readyAt + APPLY_WINDOW) revert ExposureIncreaseExpired(terms.readyAt + APPLY_WINDOW);
        _commissionBps = terms.commissionBps;
        _restakingCapBps = terms.restakingCapBps;
        delete pendingTerms;
        emit TermsChanged(terms.commissionBps, terms.restakingCapBps);
    }

    /* COURT */

    /// @inheritdoc IOperatorVault
    function reserveSlash(uint64 serviceId, SlashSizing calldata sizing) external onlyCourt returns (uint256 amount) {
        // no reentrancy guard on the court's hooks: only the court calls them, and every court entry is guarded
        Allocation storage a = _allocations[serviceId];
        if (!a.live) revert NotAllocated(serviceId);
        uint256 epoch = block.timestamp / sizing.window;
        uint256 windowSlashed = a.windowEpoch == epoch ? a.windowSlashed : 0;
        uint256 counted; // what counts toward the allocation's window cap
        if (sizing.fixedAmount != 0) {
            (amount, counted) = _sizeFixedSlash(a, sizing, windowSlashed);
            if (amount == 0) return 0;
            // an order's slash stays reserved until it settles: senior to report slashes, which wait for it
            a.reserved += uint96(amount);
            _totalReserved += uint96(amount);
        } else {
            if (a.banned) revert OperatorBanned(serviceId);
            // sized on the stake whatever orders reserve: a reservation cannot shrink a report (a self-dealt order
            // released by consent would otherwise shield the operator); its seniority holds at execution instead
            uint256 stake = totalStake();
            uint256 pendingNow = _pendingLiabilities;
            amount = SlashMathLib.slashAmount(
                _effective(a, stake),
                a.pending,
                windowSlashed,
                stake > pendingNow ? stake - pendingNow : 0,
                sizing.penaltyBps,
                sizing.incidentCapBps,
                sizing.windowCapBps
            );
            if (amount == 0) revert NothingToSlash(serviceId);
            counted = amount;
        }
        a.pending += uint96(amount);
        a.windowEpoch = uint40(epoch);
        a.windowSlashed = uint96(windowSlashed + counted);
        uint256 pending = _pendingLiabilities + amount;
        _pendingLiabilities = pending.toUint96();
        emit SlashReserved(serviceId, amount, pending);
    }

    /// @inheritdoc IOperatorVault
    function releaseSlash(uint64 serviceId, uint256 amount, uint256 requestEpoch) external onlyCourt {
        Allocation storage a = _allocations[serviceId];
        a.pending -= uint96(amount);
        // an order's slash (the court marks it with an epoch no window has) was also held as reserved collateral
        if (requestEpoch == type(uint256).max) _unreserve(a, amount);
        // what was not taken does not count against the operator's window cap (if that window is still open)
        if (a.windowEpoch == requestEpoch) a.windowSlashed = uint96(a.windowSlashed > amount ? a.windowSlashed - amount : 0);
        uint256 pending = _pendingLiabilities - amount;
        _pendingLiabilities = uint96(pending);
        emit SlashReleased(serviceId, amount, pending);
    }

    /// @inheritdoc IOperatorVault
    function executeSlash(uint64 serviceId, uint256 amount, SlashPayees calldata payees)
        external
        onlyCourt
        returns (SlashOutcome memory o)
    {
        Allocation storage a = _allocations[serviceId];
        uint256 bond = _bondAssets;
        uint256 pool = _poolAssets;
        if (payees.order) {
            _unreserve(a, amount);
        } else if (payees.waitForOrders) {
            // orders' collateral (and orders' slashes) are senior: a report slash that would leave them unbacked
            // waits until they settle
            uint256 held = _totalReserved;
            if (held != 0 && bond + pool < amount + held) revert SlashWaitsForOrders(bond + pool, amount + held);
        }
        a.pending -= uint96(amount);
        if (payees.ban) a.banned = true; // same word as `pending`: no extra write (the weight is synced below)
        unchecked {
            ++a.slashCount; // same word again; resets the reputation on this service
        }
        if (!payees.ban && payees.jailDuration > 0) {
            // only jailing classes pay for the orders word: the steady-state execution does not touch it
            uint256 until = Math.max(a.jailedUntil, block.timestamp + payees.jailDuration);
            a.jailedUntil = uint32(until);
            o.jailedUntil = until;
        }
        _pendingLiabilities -= uint96(amount);
        // first loss: the operator's bond, then the delegated pool (one write, whatever the number of stakers)
        o.fromBond = Math.min(bond, amount);
        o.fromPool = Math.min(pool, amount - o.fromBond);
        o.taken = o.fromBond + o.fromPool;
        _bondAssets = uint96(bond - o.fromBond);
        _poolAssets = uint96(pool - o.fromPool);
        (o.toClient, o.toReporter, o.toSink) = SlashMathLib.split(
            o.taken, payees.clientShareBps, payees.reporterShareBps, payees.client != address(0)
        );
        // a payee the token refuses (blacklisted, paused) is credited instead: it can never block this slash, nor
        // every later slash of the vault queued behind it
        _payOrCredit(payees.client, o.toClient);
        _payOrCredit(payees.reporter, o.toReporter);
        _payOrCredit(payees.sink, o.toSink);
        // a banned operator earns nothing more on the service and no longer counts in its correlation base
        if (payees.ban) _syncWeight(serviceId, a);
        // the court's SlashExecuted event carries this execution's amounts (one event, less gas)
    }

    /* VIEWS */

    function ASSET() external view returns (address) {
        return address(_asset);
    }

    function totals()
        external
        view
        returns (uint256 bondAssets, uint256 poolAssets, uint256 pendingLiabilities, uint256 queuedShares)
    {
        return (_bondAssets, _poolAssets, _pendingLiabilities, balanceOf(address(this)) - DEAD_SHARES);
    }

    function netPoolAssets() public view returns (uint256) {
        return SharesMathLib.netPoolAssets(_poolAssets, _bondAssets, _pendingLiabilities);
    }

    function totalStake() public view returns (uint256) {
        return uint256(_bondAssets) + _poolAssets;
    }

    function allocation(uint64 serviceId)
        external
        view
        returns (uint256 amount, uint256 pending, uint256 decrease, uint256 decreaseReadyAt)
    {
        Allocation storage a = _allocations[serviceId];
        return (a.amount, a.pending, a.decrease, a.decreaseReadyAt);
    }

    /// @inheritdoc IOperatorVault
    function exposure(uint64 serviceId) external view returns (uint256 increase, uint256 readyAt, uint256 weight) {
        Allocation storage a = _allocations[serviceId];
        return (a.increase, a.increaseReadyAt, a.weight);
    }

    function minimumBond() external view returns (uint256) {
        return _minimumBond(_totalAllocated);
    }

    function slashableStake(uint64 serviceId) external view returns (uint256) {
        Allocation storage a = _allocations[serviceId];
        uint256 stake = totalStake();
        uint256 pending = _pendingLiabilities;
        uint256 allocated = _effective(a, stake);
        return Math.min(allocated > a.pending ? allocated - a.pending : 0, stake > pending ? stake - pending : 0);
    }

    /// @inheritdoc IOperatorVault
    function allocationTerms(uint64 serviceId) external view returns (uint256 allocationRoom, uint256 score) {
        Allocation storage a = _allocations[serviceId];
        uint256 held = uint256(a.pending) + a.reserved;
        bool barred = a.banned || a.jailedUntil > block.timestamp;
        // the limit, an upper bound of the effective allocation (one storage word less): a bid is only screened
        // here, acceptance reserves against the effective room (collateralTerms)
        if (!barred && a.amount > held) allocationRoom = a.amount - held;
        score = _score(a);
    }

    /// @inheritdoc IOperatorVault
    function collateralTerms(uint64 serviceId) external view returns (uint256 room, uint256 score) {
        Allocation storage a = _allocations[serviceId];
        // a banned or jailed operator can reserve nothing (reserveCollateral refuses it)
        if (!a.live || a.banned || a.jailedUntil > block.timestamp) return (0, _score(a));
        return (_collateralRoom(a), _score(a));
    }

    function reputation(uint64 serviceId)
        external
        view
        returns (uint256 score, uint256 successes, uint256 failures, uint256 reserved)
    {
        Allocation storage a = _allocations[serviceId];
        return (_score(a), a.successes, a.failures, a.reserved);
    }

    function totalReserved() external view returns (uint256) {
        return _totalReserved;
    }

    function queuedAssets() external view returns (uint256) {
        return _queuedAssets;
    }

    function jailedUntil(uint64 serviceId) external view returns (uint256) {
        return _allocations[serviceId].jailedUntil;
    }

    function isBanned(uint64 serviceId) external view returns (bool) {
        return _allocations[serviceId].banned;
    }

    function previewDeposit(uint256 assets) external view returns (uint256) {
        return SharesMathLib.toSharesDown(assets, netPoolAssets(), totalSupply());
    }

    function previewRedeem(uint256 shares) external view returns (uint256) {
        return SharesMathLib.toAssetsDown(shares, netPoolAssets(), totalSupply());
    }

    function withdrawal(address owner, uint64 id) external view returns (uint256 shares, uint256 assets, uint256 readyAt) {
        Withdrawal memory w = _withdrawals[_withdrawalKey(owner, id)];
        return (w.shares, w.assets, w.readyAt);
    }

    function commissionBps() external view returns (uint16) {
        return _commissionBps;
    }

    function restakingCapBps() external view returns (uint32) {
        return _restakingCapBps;
    }

    function totalAllocated() external view returns (uint256) {
        return _totalAllocated;
    }

    /* INTERNAL */

    function _unreserve(Allocation storage a, uint256 amount) internal {
        a.reserved -= uint96(amount);
        _totalReserved -= uint96(amount);
    }

    /// @dev An order's collateral slash: the reserved amount, held to the effective allocation and the stake other
    /// orders do not hold (their collateral and their slashes), whatever report slashes are pending: those are junior
    /// and wait at execution. What the bond (beyond earlier pending slashes) covers is the operator's forfeit; what
    /// falls on the pool counts toward and is held to the allocation's window cap like any other slash, so no order
    /// (self-dealt or not) takes more of the delegated pool per window than a slash could. A ban does not stop it
    /// (the client is owed it). Returns 0 when nothing is left to take, so a failure always settles.
    function _sizeFixedSlash(Allocation storage a, SlashSizing calldata sizing, uint256 windowSlashed)
        internal
        view
        returns (uint256 amount, uint256 fromPool)
    {
        uint256 stake = totalStake();
        uint256 allocated = _effective(a, stake);
        uint256 heldHere = a.reserved;
        uint256 heldByVault = _totalReserved;
        amount = Math.min(sizing.fixedAmount, allocated > heldHere ? allocated - heldHere : 0);
        amount = Math.min(amount, stake > heldByVault ? stake - heldByVault : 0);
        uint256 bond = _bondAssets;
        uint256 pending = _pendingLiabilities;
        uint256 fromBond = Math.min(amount, bond > pending ? bond - pending : 0);
        uint256 windowCap = allocated * sizing.windowCapBps / BPS; // rounded down: the cap protects stakers
        // report slashes still pending count in this window too, whichever window they were requested in: a report
        // waiting for orders cannot be outrun by order slashes sized in a later window's fresh cap
        uint256 counted = Math.max(windowSlashed, a.pending);
        fromPool = Math.min(amount - fromBond, windowCap > counted ? windowCap - counted : 0);
        amount = fromBond + fromPool;
    }

    /// @dev Reports the allocation's weight — the effective allocation, 0 once banned — to the court (correlation base) and
    /// the rewards (reward weight) when it changed: exposure and rewards follow real stake, not a stale limit.
    function _syncWeight(uint64 serviceId, Allocation storage a) internal {
        uint256 weight = a.banned ? 0 : _effective(a, totalStake());
        uint256 old = a.weight;
        if (weight == old) return;
        a.weight = uint96(weight);
        COURT.onAllocationChanged(serviceId, old, weight);
    }

    /// @dev The allocation checks of an increase: the service, the pipeline, ban and jail, the restaking cap, the
    /// stake, and the operator's minimum bond for the exposure that results. Returns the new total allocated.
    function _checkIncrease(uint64 serviceId, Allocation storage a, uint256 increase) internal view returns (uint256 total) {
        uint256 pipeline = REGISTRY.pipelineLength(serviceId);
        if (pipeline == 0) revert ServiceNotAllocatable(serviceId);
        // a withdrawal must not outrun the slashing pipeline of any service the stake backs
        if (WITHDRAWAL_DELAY < pipeline) revert DelayShorterThanPipeline(WITHDRAWAL_DELAY, pipeline);
        if (a.banned) revert OperatorBanned(serviceId);
        uint256 jailedUntil_ = a.jailedUntil;
        if (jailedUntil_ > block.timestamp) revert OperatorJailed(serviceId, jailedUntil_);
        total = _totalAllocated + increase;
        uint256 stake = totalStake();
        // the cap rounds down: it protects stakers from more restaking than they signed up for
        uint256 cap = stake * _restakingCapBps / BPS;
        if (total > cap) revert RestakingCapExceeded(total, cap);
        // restaking spreads stake over services, but no one service may count more than the vault holds: it
        // would inflate the service's allocated stake and dilute everyone's correlation penalty there
        uint256 newAmount = a.amount + increase;
        if (newAmount > stake) revert AllocationAboveStake(newAmount, stake);
        uint256 minimum = _minimumBond(total);
        if (_bondAssets < minimum) revert BondBelowMinimum(_bondAssets, minimum);
    }

    /// @dev The effective allocation: the limit, held to the share of the stake it was given (rounded down: it
    /// protects stakers). While the stake is what it was, this is the limit itself (the share rounds up).
    function _effective(Allocation storage a, uint256 stake) internal view returns (uint256) {
        return Math.min(a.amount, stake * a.shareBps / BPS);
    }

    /// @dev `amount`'s share of `stake` in bps, rounded up (amount <= stake, stake > 0, so at most 10,000).
    function _shareOf(uint256 amount, uint256 stake) internal pure returns (uint256) {
        return Math.mulDiv(amount, BPS, stake, Math.Rounding.Ceil);
    }

    /// @dev The least bond the operator keeps while `allocated` is allocated: MIN_BOND_BPS of the exposure
    /// min(allocated, stake), rounded up (it protects stakers).
    function _minimumBond(uint256 allocated) internal view returns (uint256) {
        return Math.mulDiv(Math.min(allocated, totalStake()), MIN_BOND_BPS, BPS, Math.Rounding.Ceil);
    }

    function _creditToken() internal view override returns (IERC20) {
        return _asset;
    }

    /// @dev Collateral a new order may still reserve on the service: stake leaving by queued withdrawals (what they
    /// were promised at request, at least what they will take) backs nothing new; pending slashes and other orders'
    /// collateral come off both the allocation and the vault, so restaking never lets two services' orders count
    /// the same stake.
    function _collateralRoom(Allocation storage a) internal view returns (uint256) {
        uint256 pool = _poolAssets;
        uint256 backing = _bondAssets + pool - Math.min(_queuedAssets, pool);
        uint256 heldByVault = uint256(_pendingLiabilities) + _totalReserved;
        uint256 vaultRoom = backing > heldByVault ? backing - heldByVault : 0;
        uint256 allocated = Math.min(_effective(a, _bondAssets + pool), backing);
        uint256 heldHere = uint256(a.pending) + a.reserved;
        return Math.min(vaultRoom, allocated > heldHere ? allocated - heldHere : 0);
    }

    /// @dev The reputation now: the stored score decayed since it was written, or 0 if a slash executed since.
    function _score(Allocation storage a) internal view returns (uint256) {
        if (a.slashCount != a.slashesSeen) return 0;
        return ReputationLib.decay(a.score, block.timestamp - a.scoredAt);
    }

    function _withdrawalKey(address owner, uint64 id) internal pure returns (bytes32 key) {
        assembly ("memory-safe") {
            mstore(0x00, owner)
            mstore(0x20, id)
            key := keccak256(0x00, 0x40)
        }
    }

    function _checkTerms(uint16 commissionBps_, uint32 restakingCapBps_) internal pure {
        if (commissionBps_ > MAX_COMMISSION_BPS) revert InvalidTerms("commissionBps");
        if (restakingCapBps_ < BPS || restakingCapBps_ > MAX_RESTAKING_CAP_BPS) revert InvalidTerms("restakingCapBps");
    }
}
