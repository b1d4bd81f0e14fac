// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";

/// @title RewardsDistributor
/// @notice Per-service reward-per-stake accumulators for fees and subsidy streams, paid to vaults in the stake token.
contract RewardsDistributor is IRewardsDistributor {
    using SafeERC20 for IERC20;

    /// @dev Accumulator scale: rewards per wei of stake × 1e36 keeps precision for any amount below 2^96.
    uint256 internal constant ACC_SCALE = 1e36;
    /// @notice A subsidy cannot stream faster than this per second (keeps rate × elapsed far from overflow).
    uint256 public constant MAX_RATE = type(uint96).max / 365 days;

    IERC20 public immutable STAKE_TOKEN;
    IServiceRegistry public immutable REGISTRY;
    address public immutable COURT;

    struct ServiceRewards {
        uint256 accPerStake;
        uint96 totalStake;
        uint40 lastUpdate;
        uint96 ratePerSecond;
        uint96 subsidyBalance; // funded, not yet streamed
        uint96 held; // arrived while no stake was allocated
    }

    struct VaultRewards {
        uint256 accCheckpoint;
        uint96 stake;
        uint96 accrued;
    }

    mapping(uint64 => ServiceRewards) internal _services;
    mapping(uint64 => mapping(address => VaultRewards)) internal _vaults;

    constructor(IERC20 stakeToken, IServiceRegistry registry, address court) {
        STAKE_TOKEN = stakeToken;
        REGISTRY = registry;
        COURT = court;
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
    function fundSubsidy(uint64 serviceId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        TokenTransferLib.pullExact(STAKE_TOKEN, msg.sender, amount);
        ServiceRewards storage s = _update(serviceId);
        uint256 balance = s.subsidyBalance + amount;
        s.subsidyBalance = uint96(balance);
        emit SubsidyFunded(serviceId, msg.sender, amount, balance);
    }

    /// @inheritdoc IRewardsDistributor
    function setSubsidyRate(uint64 serviceId, uint256 ratePerSecond) external {
        if (msg.sender != REGISTRY.serviceOwner(serviceId)) revert NotServiceOwner(serviceId, msg.sender);
        if (ratePerSecond > MAX_RATE) revert RateTooHigh(ratePerSecond);
        ServiceRewards storage s = _update(serviceId); // what streamed so far streamed at the old rate
        s.ratePerSecond = uint96(ratePerSecond);
        emit SubsidyRateSet(serviceId, ratePerSecond);
    }

    /// @inheritdoc IRewardsDistributor
    function onAllocationChanged(uint64 serviceId, address vault, uint256 newStake) external {
        if (msg.sender != COURT) revert OnlyCourt(msg.sender);
        ServiceRewards storage s = _update(serviceId);
        VaultRewards storage v = _accrue(s, _vaults[serviceId][vault]);
        uint256 total = s.totalStake - v.stake + newStake;
        s.totalStake = uint96(total);
        v.stake = uint96(newStake);
        // rewards that arrived while nothing was allocated go to the first stake that is
        if (total > 0 && s.held > 0) {
            uint256 held = s.held;
            s.held = 0;
            _distribute(serviceId, s, held);
            _accrue(s, v);
        }
        emit VaultStakeChanged(serviceId, vault, newStake, total);
    }

    /// @inheritdoc IRewardsDistributor
    function claim(uint64 serviceId) external returns (uint256 amount) {
        ServiceRewards storage s = _update(serviceId);
        VaultRewards storage v = _accrue(s, _vaults[serviceId][msg.sender]);
        amount = v.accrued;
        if (amount > 0) {
            v.accrued = 0;
            STAKE_TOKEN.safeTransfer(msg.sender, amount);
        }
        emit RewardsClaimed(serviceId, msg.sender, amount);
    }

    /* VIEWS */

    function claimable(uint64 serviceId, address vault) external view returns (uint256) {
        ServiceRewards memory s = _services[serviceId];
        VaultRewards memory v = _vaults[serviceId][vault];
        uint256 acc = s.accPerStake;
        if (s.totalStake > 0) acc += _streamed(s) * ACC_SCALE / s.totalStake;
        return v.accrued + uint256(v.stake) * (acc - v.accCheckpoint) / ACC_SCALE;
    }

    function serviceRewards(uint64 serviceId)
        external
        view
        returns (uint256 accPerStake, uint256 totalStake, uint256 ratePerSecond, uint256 subsidyBalance, uint256 held)
    {
        ServiceRewards memory s = _services[serviceId];
        return (s.accPerStake, s.totalStake, s.ratePerSecond, s.subsidyBalance, s.held);
    }

    /* INTERNAL */

    function _streamed(ServiceRewards memory s) internal view returns (uint256) {
        if (s.lastUpdate == 0) return 0;
        return Math.min(uint256(s.ratePerSecond) * (block.timestamp - s.lastUpdate), s.subsidyBalance);
    }

    /// @dev Streams the subsidy accrued since the last update into the accumulator.
    function _update(uint64 serviceId) internal returns (ServiceRewards storage s) {
        s = _services[serviceId];
        uint256 streamed = _streamed(s);
        s.lastUpdate = uint40(block.timestamp);
        if (streamed > 0) {
            s.subsidyBalance -= uint96(streamed);
            _distribute(serviceId, s, streamed);
        }
    }

    function _distribute(uint64 serviceId, ServiceRewards storage s, uint256 amount) internal {
        uint256 total = s.totalStake;
        if (total == 0) {
            s.held += uint96(amount);
            return;
        }
        // rounded down: the remainder stays in the contract, never owed to anyone (rewards round down)
        uint256 acc = s.accPerStake + amount * ACC_SCALE / total;
        s.accPerStake = acc;
        emit RewardsDistributed(serviceId, amount, acc);
    }

    function _accrue(ServiceRewards storage s, VaultRewards storage v) internal returns (VaultRewards storage) {
        uint256 acc = s.accPerStake;
        uint256 checkpoint = v.accCheckpoint;
        if (acc != checkpoint) {
            // rounded down: a vault is never paid more than its share
            v.accrued += uint96(uint256(v.stake) * (acc - checkpoint) / ACC_SCALE);
            v.accCheckpoint = acc;
        }
        return v;
    }
}
