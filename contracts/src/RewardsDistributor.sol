// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {IOrderBook} from "./interfaces/IOrderBook.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title RewardsDistributor
/// @notice Per-service reward-per-stake accumulators for fees and subsidy streams, paid to vaults in the stake token.
contract RewardsDistributor is IRewardsDistributor {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// @dev Accumulator scale: rewards per wei of stake × 1e24. A distribution loses at most totalStake / 1e24 wei
    /// to rounding (stays here); a vault's checkpoint keeps 128 bits, exact while what it earns between two
    /// checkpoints stays below 2^128 / 1e24 ≈ 3.4e14 times its stake (beyond that it is under-, never over-paid).
    uint256 internal constant ACC_SCALE = 1e24;
    /// @notice A subsidy cannot stream faster than this per second (keeps rate × elapsed far from overflow).
    uint256 public constant MAX_RATE = type(uint96).max / 365 days;

    IERC20 public immutable STAKE_TOKEN;
    IServiceRegistry public immutable REGISTRY;
    address public immutable COURT;
    address public immutable ORDERS;

    struct ServiceRewards {
        // word 1: read by every update and claim. The accumulator grows forever; differences are taken modulo
        // 2^128 below (as Uniswap does for fee growth)
        uint160 accPerStake;
        uint96 ratePerSecond;
        // word 2: read while a subsidy streams and by every distribution
        uint96 totalStake;
        uint40 lastUpdate;
        uint96 subsidyBalance; // funded (or arrived while nothing was allocated), not yet streamed
    }

    struct VaultRewards {
        // word 1: read and written by every claim
        uint128 accCheckpoint; // accPerStake at the last checkpoint, modulo 2^128
        uint96 stake;
        bool hasAccrued; // word 2 holds something: a claim reads it only then
        // word 2
        uint96 accrued; // earned before the last allocation change, not yet claimed
    }

    mapping(uint64 => ServiceRewards) internal _services;
    mapping(uint64 => mapping(address => VaultRewards)) internal _vaults;

    constructor(IERC20 stakeToken, IServiceRegistry registry, address court, address orders) {
        STAKE_TOKEN = stakeToken;
        REGISTRY = registry;
        COURT = court;
        ORDERS = orders;
    }

    /// @inheritdoc IRewardsDistributor
    function addFee(uint64 serviceId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        TokenTransferLib.pullExact(STAKE_TOKEN, msg.sender, amount);
        ServiceRewards storage s = _update(serviceId);
        _distribute(serviceId, s, amount);
        emit FeeAdded(serviceId, msg.sender, amount);
    }

    /// @inheritdoc IRewardsDistributor
    function addOrderFee(uint64 serviceId, uint256 amount) external {
        // the order book has already transferred the fee: no pull, no allowance
        if (msg.sender != ORDERS) revert OnlyOrderBook(msg.sender);
        _distribute(serviceId, _update(serviceId), amount);
        emit FeeAdded(serviceId, msg.sender, amount);
    }

    /// @inheritdoc IRewardsDistributor
    function fundSubsidy(uint64 serviceId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        TokenTransferLib.pullExact(STAKE_TOKEN, msg.sender, amount);
        ServiceRewards storage s = _update(serviceId);
        uint256 balance = s.subsidyBalance + amount;
        s.subsidyBalance = balance.toUint96(); // reverts rather than truncate a funding above 2^96
        emit SubsidyFunded(serviceId, msg.sender, amount, balance);
    }

    /// @inheritdoc IRewardsDistributor
    function setSubsidyRate(uint64 serviceId, uint256 ratePerSecond) external {
        if (msg.sender != REGISTRY.serviceOwner(serviceId)) revert NotServiceOwner(serviceId, msg.sender);
        if (ratePerSecond > MAX_RATE) revert RateTooHigh(ratePerSecond);
        ServiceRewards storage s = _update(serviceId); // what streamed so far streamed at the old rate
        s.ratePerSecond = uint96(ratePerSecond);
        s.lastUpdate = uint40(block.timestamp);
        emit SubsidyRateSet(serviceId, ratePerSecond);
    }

    /// @inheritdoc IRewardsDistributor
    function onAllocationChanged(uint64 serviceId, address vault, uint256 newStake) external {
        if (msg.sender != COURT) revert OnlyCourt(msg.sender);
        // order fees earned before this change go to the stake that was there: an allocation made just before a
        // sweep must not take a share of them
        if (IOrderBook(ORDERS).unsweptFees(serviceId) > 0) IOrderBook(ORDERS).sweepFees(serviceId);
        ServiceRewards storage s = _update(serviceId);
        VaultRewards storage v = _vaults[serviceId][vault];
        uint256 earned = _earned(s, v);
        uint256 total = s.totalStake - v.stake + newStake;
        s.totalStake = uint96(total);
        v.stake = uint96(newStake);
        if (earned > 0) {
            v.accrued = (v.accrued + earned).toUint96();
            v.hasAccrued = true;
        }
        emit VaultStakeChanged(serviceId, vault, newStake, total);
    }

    /// @inheritdoc IRewardsDistributor
    function claim(uint64 serviceId) external returns (uint256 amount) {
        ServiceRewards storage s = _update(serviceId);
        VaultRewards storage v = _vaults[serviceId][msg.sender];
        amount = _earned(s, v);
        if (v.hasAccrued) {
            amount += v.accrued;
            (v.accrued, v.hasAccrued) = (0, false);
        }
        // one transfer: the vault splits the operator's commission from the pool's part itself
        if (amount > 0) STAKE_TOKEN.safeTransfer(msg.sender, amount);
    }

    /* VIEWS */

    function claimable(uint64 serviceId, address vault) external view returns (uint256) {
        ServiceRewards memory s = _services[serviceId];
        VaultRewards memory v = _vaults[serviceId][vault];
        uint256 acc = s.accPerStake;
        if (s.totalStake > 0 && s.lastUpdate > 0) {
            uint256 streamed = uint256(s.ratePerSecond) * (block.timestamp - s.lastUpdate);
            if (streamed > s.subsidyBalance) streamed = s.subsidyBalance;
            acc += streamed * ACC_SCALE / s.totalStake;
        }
        unchecked {
            return v.accrued + uint256(v.stake) * uint128(uint128(acc) - v.accCheckpoint) / ACC_SCALE;
        }
    }

    function serviceRewards(uint64 serviceId)
        external
        view
        returns (uint256 accPerStake, uint256 totalStake, uint256 ratePerSecond, uint256 subsidyBalance)
    {
        ServiceRewards memory s = _services[serviceId];
        return (s.accPerStake, s.totalStake, s.ratePerSecond, s.subsidyBalance);
    }

    /* INTERNAL */

    /// @dev Streams the subsidy accrued since the last update into the accumulator. Without a rate nothing streams
    /// and nothing is written (setSubsidyRate stamps the start of a stream).
    function _update(uint64 serviceId) internal returns (ServiceRewards storage s) {
        s = _services[serviceId];
        uint256 rate = s.ratePerSecond;
        if (rate == 0) return s; // a claim without a stream reads one word here
        if (s.totalStake == 0) {
            // nothing streams to no stake: the subsidy waits for the first allocation
            s.lastUpdate = uint40(block.timestamp);
            return s;
        }
        uint256 streamed = rate * (block.timestamp - s.lastUpdate);
        uint256 balance = s.subsidyBalance;
        if (streamed > balance) streamed = balance;
        s.lastUpdate = uint40(block.timestamp);
        if (streamed > 0) {
            s.subsidyBalance = uint96(balance - streamed);
            _distribute(serviceId, s, streamed);
        }
    }

    function _distribute(uint64 serviceId, ServiceRewards storage s, uint256 amount) internal {
        uint256 total = s.totalStake;
        if (total == 0) {
            // income that arrives while nothing is allocated joins the subsidy and streams at the service's rate:
            // a first allocator made just after it takes only what streams while it is there, not all of it
            s.subsidyBalance = (s.subsidyBalance + amount).toUint96();
            emit SubsidyFunded(serviceId, msg.sender, amount, s.subsidyBalance);
            return;
        }
        // rounded down: the remainder stays in the contract, never owed to anyone (rewards round down)
        uint160 acc;
        unchecked {
            acc = s.accPerStake + uint160(amount * ACC_SCALE / total); // wraps modulo 2^160, as intended
        }
        s.accPerStake = acc;
        emit RewardsDistributed(serviceId, amount, acc);
    }

    /// @dev What the vault earned since its checkpoint (rounded down), moving the checkpoint to now.
    function _earned(ServiceRewards storage s, VaultRewards storage v) internal returns (uint256 earned) {
        uint128 acc = uint128(s.accPerStake);
        uint128 checkpoint = v.accCheckpoint;
        if (acc == checkpoint) return 0;
        unchecked {
            // modular difference: exact while one vault's unclaimed growth stays below 2^128
            earned = uint256(v.stake) * uint128(acc - checkpoint) / ACC_SCALE;
        }
        v.accCheckpoint = acc;
    }
}
