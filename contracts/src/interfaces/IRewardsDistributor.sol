// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRewardsDistributor
/// @notice Streams each service's order fees and subsidy to the stake allocated to it, through a reward-per-stake
/// accumulator: O(1) per update and per claim, whatever the number of vaults or stakers.
/// Warning: rewards are weighted by allocation limits as reported by vaults; while a service has no allocated stake,
/// what arrives joins the subsidy balance and streams at the service's rate once stake is allocated.
interface IRewardsDistributor {
    error OnlyCourt(address caller);
    error OnlyOrderBook(address caller);
    error NotServiceOwner(uint64 serviceId, address caller);
    error ZeroAmount();
    error RateTooHigh(uint256 ratePerSecond);

    event FeeAdded(uint64 indexed serviceId, address indexed from, uint256 amount);
    event SubsidyFunded(uint64 indexed serviceId, address indexed from, uint256 amount, uint256 balance);
    event SubsidyRateSet(uint64 indexed serviceId, uint256 ratePerSecond);
    event RewardsDistributed(uint64 indexed serviceId, uint256 amount, uint256 accPerStake);
    event VaultStakeChanged(uint64 indexed serviceId, address indexed vault, uint256 stake, uint256 totalStake);

    /// @notice Adds `amount` of the stake token (e.g. an order's service fee) to the service's stakers now.
    function addFee(uint64 serviceId, uint256 amount) external;

    /// @notice Distributes an order's service fee that the order book has just transferred here. Order book only.
    function addOrderFee(uint64 serviceId, uint256 amount) external;

    /// @notice Funds the service's subsidy stream. Anyone may fund; it streams at the owner's rate.
    function fundSubsidy(uint64 serviceId, uint256 amount) external;

    /// @notice The service owner sets the subsidy's rate per second (applies from now).
    function setSubsidyRate(uint64 serviceId, uint256 ratePerSecond) external;

    /// @notice Checkpoints a vault before its allocation to a service changes. Court only.
    function onAllocationChanged(uint64 serviceId, address vault, uint256 newStake) external;

    /// @notice Pays the calling vault what it earned on a service (rounded down). The vault splits the operator's
    /// commission from the pool's part and emits RewardsClaimed.
    function claim(uint64 serviceId) external returns (uint256 amount);

    function claimable(uint64 serviceId, address vault) external view returns (uint256);
    function serviceRewards(uint64 serviceId)
        external
        view
        returns (uint256 accPerStake, uint256 totalStake, uint256 ratePerSecond, uint256 subsidyBalance);
}
