// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SlashDetails, SlashStatus} from "../types/Types.sol";

/// @title SlashRecordLib
/// @notice One storage word per slash: a 160-bit hash of its details, its status and its two deadlines.
/// Storing the hash instead of the details keeps requesting a slash to a single new slot.
library SlashRecordLib {
    uint256 internal constant HASH_MASK = (uint256(1) << 160) - 1;

    function hashDetails(SlashDetails memory details) internal pure returns (uint160) {
        return uint160(uint256(keccak256(abi.encode(details))));
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

    /// @notice Settled slashes no longer block later ones in the vault's queue.
    function isSettled(uint256 record) internal pure returns (bool) {
        SlashStatus s = status(record);
        return s == SlashStatus.Executed || s == SlashStatus.Overturned || s == SlashStatus.Lapsed;
    }
}
