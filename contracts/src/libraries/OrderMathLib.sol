// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OrderMathLib
/// @notice Milestone shares and service fees of orders; mirrored by src/model/orderMath.ts.
/// Milestones are up to four 16-bit shares (bps) packed from the lowest bits; 0 means one milestone of 100%.
library OrderMathLib {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant MAX_MILESTONES = 4;

    /// @notice Shares are contiguous from the lowest bits, each non-zero, at most four, summing to 10,000.
    function validMilestones(uint64 milestones) internal pure returns (bool) {
        if (milestones == 0) return true;
        uint256 sum;
        uint256 m = milestones;
        bool ended;
        for (uint256 i; i < MAX_MILESTONES; ++i) {
            uint256 share = m & 0xffff;
            if (share == 0) ended = true;
            else if (ended) return false; // a gap before a later share
            sum += share;
            m >>= 16;
        }
        return sum == BPS;
    }

    function milestoneCount(uint64 milestones) internal pure returns (uint256 count) {
        if (milestones == 0) return 1;
        uint256 m = milestones;
        while (m & 0xffff != 0) {
            ++count;
            m >>= 16;
        }
    }

    /// @notice Milestone `index`'s part of the price, rounded down (the last milestone is paid the remainder).
    function milestoneAmount(uint256 price, uint64 milestones, uint256 index) internal pure returns (uint256) {
        if (milestones == 0) return price;
        return price * ((uint256(milestones) >> (16 * index)) & 0xffff) / BPS;
    }

    /// @notice The service fee on a payment, rounded up: it goes to the service's stakers.
    function fee(uint256 amount, uint256 feeBps) internal pure returns (uint256) {
        return (amount * feeBps + BPS - 1) / BPS;
    }
}
