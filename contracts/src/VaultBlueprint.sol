// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {OperatorVault} from "./OperatorVault.sol";

/// @title VaultBlueprint
/// @notice Holds the vault's creation code as its own code, behind a STOP byte so it can never run as a contract.
/// The factory copies it (EXTCODECOPY) to create vaults: the factory then stays small, and the vault may use up to
/// EIP-170's limit for its creation code instead of sharing it with the factory's own code.
contract VaultBlueprint {
    constructor() {
        bytes memory code = abi.encodePacked(hex"00", type(OperatorVault).creationCode);
        assembly ("memory-safe") {
            return(add(code, 0x20), mload(code))
        }
    }
}
