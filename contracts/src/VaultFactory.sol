// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVaultFactory} from "./interfaces/IVaultFactory.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {ISlashingCourt} from "./interfaces/ISlashingCourt.sol";

/// @title VaultFactory
/// @notice One vault per operator; only vaults made here can be allocated, reported and slashed.
contract VaultFactory is IVaultFactory {
    IERC20 public immutable STAKE_TOKEN;
    IServiceRegistry public immutable REGISTRY;
    ISlashingCourt public immutable COURT;
    uint32 public immutable MIN_WITHDRAWAL_DELAY;
    /// @notice Half the registry's PARAM_CHANGE_DELAY: a staker who asks to leave within a withdrawal delay of a
    /// service change being queued is paid before it applies (as with a vault's exposure delay, 2 × its delay).
    uint32 public immutable MAX_WITHDRAWAL_DELAY;
    /// @notice The least share of a vault's exposure its operator's first-loss bond must be (see OperatorVault).
    uint16 public immutable MIN_BOND_BPS;
    /// @notice Holds the vault's creation code (see VaultBlueprint).
    address public immutable VAULT_BLUEPRINT;

    mapping(address => bool) public isVault;
    mapping(address => address) public vaultOf;
    address[] internal _vaults;

    constructor(
        IERC20 stakeToken,
        IServiceRegistry registry,
        ISlashingCourt court,
        uint32 minDelay,
        address blueprint,
        uint16 minBondBps
    ) {
        if (blueprint.code.length < 2) revert InvalidBlueprint(blueprint);
        // at least 1%: a deployment cannot make the operator's first loss optional
        if (minBondBps < 100 || minBondBps > 10_000) revert InvalidTerms("minBondBps");
        MIN_BOND_BPS = minBondBps;
        VAULT_BLUEPRINT = blueprint;
        STAKE_TOKEN = stakeToken;
        REGISTRY = registry;
        COURT = court;
        // read, not passed: a withdrawal can never be slower than the notice stakers get of a service change
        uint32 maxDelay = registry.PARAM_CHANGE_DELAY() / 2;
        if (minDelay > maxDelay) revert InvalidDelay(minDelay, 0, maxDelay);
        MIN_WITHDRAWAL_DELAY = minDelay;
        MAX_WITHDRAWAL_DELAY = maxDelay;
    }

    /// @inheritdoc IVaultFactory
    function createVault(
        uint32 withdrawalDelay,
        uint16 commissionBps,
        uint32 restakingCapBps,
        string calldata name,
        string calldata symbol
    ) external returns (address vault) {
        if (vaultOf[msg.sender] != address(0)) revert VaultExists(msg.sender, vaultOf[msg.sender]);
        if (withdrawalDelay < MIN_WITHDRAWAL_DELAY || withdrawalDelay > MAX_WITHDRAWAL_DELAY) {
            revert InvalidDelay(withdrawalDelay, MIN_WITHDRAWAL_DELAY, MAX_WITHDRAWAL_DELAY);
        }
        bytes memory args = abi.encode(
            STAKE_TOKEN, msg.sender, COURT, REGISTRY, withdrawalDelay, commissionBps, restakingCapBps, name, symbol
        );
        address blueprint = VAULT_BLUEPRINT;
        assembly ("memory-safe") {
            // creation code (the blueprint's code after its STOP byte) followed by the constructor's arguments
            let codeSize := sub(extcodesize(blueprint), 1)
            let argsSize := mload(args)
            let ptr := mload(0x40)
            extcodecopy(blueprint, ptr, 1, codeSize)
            mcopy(add(ptr, codeSize), add(args, 0x20), argsSize)
            vault := create(0, ptr, add(codeSize, argsSize))
            if iszero(vault) {
                // bubble the constructor's revert (e.g. InvalidTerms) up unchanged
                returndatacopy(ptr, 0, returndatasize())
                revert(ptr, returndatasize())
            }
        }
        isVault[vault] = true;
        vaultOf[msg.sender] = vault;
        _vaults.push(vault);
        emit VaultCreated(msg.sender, vault, withdrawalDelay, commissionBps, restakingCapBps);
    }

    function allVaults() external view returns (address[] memory) {
        return _vaults;
    }
}
