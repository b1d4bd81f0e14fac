// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IVaultFactory
/// @notice Makes one operator vault per operator; the court and registry trust only vaults it made.
interface IVaultFactory {
    error VaultExists(address operator, address vault);
    error InvalidDelay(uint256 delay, uint256 min, uint256 max);
    error InvalidTerms(string field);
    error InvalidBlueprint(address blueprint);

    event VaultCreated(address indexed operator, address indexed vault, uint32 withdrawalDelay, uint16 commissionBps, uint32 restakingCapBps);

    /// @notice Creates the caller's vault. `withdrawalDelay` must lie in [MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY].
    function createVault(uint32 withdrawalDelay, uint16 commissionBps, uint32 restakingCapBps, string calldata name, string calldata symbol)
        external
        returns (address vault);

    function isVault(address vault) external view returns (bool);
    function vaultOf(address operator) external view returns (address);
    function allVaults() external view returns (address[] memory);
    function VAULT_BLUEPRINT() external view returns (address);
    function MIN_BOND_BPS() external view returns (uint16);
}
