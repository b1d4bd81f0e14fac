// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SlashDetails, SlashStatus} from "../types/Types.sol";

/// @title SlashRecordLib
/// @notice One storage word per slash: a 160-bit hash of its details, its status and its two deadlines.
/// Storing the hash instead of the details keeps requesting a slash to a single new slot.
library SlashRecordLib {
    uint256 internal constant HASH_MASK = (uint256(1) << 160) - 1;

    /// @dev SlashDetails has only static fields: its ABI encoding is 17 words.
    uint256 internal constant DETAILS_SIZE = 17 * 32;

    function hashDetails(SlashDetails memory details) internal pure returns (uint160) {
        return uint160(uint256(keccak256(abi.encode(details))));
    }

    /// @notice Same hash as hashDetails, straight from calldata (its bytes already are the ABI encoding).
    function hashDetailsCalldata(SlashDetails calldata details) internal pure returns (uint160) {
        bytes32 h;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, details, DETAILS_SIZE)
            h := keccak256(ptr, DETAILS_SIZE)
        }
        return uint160(uint256(h));
    }

    function pack(uint160 hash_, SlashStatus status_, uint256 disputeEnd_, uint256 resolveBy_)
        internal
        pure
        returns (uint256)
    {
        return uint256(hash_) | (uint256(status_) << 160) | (disputeEnd_ << 168) | (resolveBy_ << 208);
    }

    function detailsHash(uint256 record) internal pure returns (uint160) {
        return uint160(record & HASH_MASK);
    }

    function status(uint256 record) internal pure returns (SlashStatus) {
        return SlashStatus(uint8(record >> 160));
    }

    function disputeEnd(uint256 record) internal pure returns (uint256) {
        return uint40(record >> 168);
    }

    function resolveBy(uint256 record) internal pure returns (uint256) {
        return uint40(record >> 208);
    }
}
