// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReputationLib
/// @notice A decaying score in [0, 10,000] per operator and service; mirrored by src/model/reputation.ts.
/// Every step rounds down: a lower score means more collateral, which favours the clients and the protocol.
library ReputationLib {
    uint256 internal constant MAX_SCORE = 10_000;
    /// @notice The score halves every HALF_LIFE without news (linear between halvings).
    uint256 internal constant HALF_LIFE = 30 days;
    /// @notice A success closes this share (bps) of the gap to the maximum...
    uint256 internal constant SUCCESS_STEP_BPS = 1_000;
    /// @notice ...in full when its collateral is at least this share (bps) of the allocation, in proportion below:
    /// dust orders cannot farm a reputation.
    uint256 internal constant FULL_STEP_COLLATERAL_BPS = 100;
    /// @notice ...and only when the stake-token fee it paid the service's stakers is at least this share (bps) of
    /// the allocation, in proportion below: collateral pledged for a few seconds costs nothing, a fee does.
    uint256 internal constant FULL_STEP_FEE_BPS = 1;
    /// @notice A failure keeps this share (bps) of the score.
    uint256 internal constant FAILURE_KEEP_BPS = 5_000;

    /// @notice The score `elapsed` seconds after it was `score`.
    function decay(uint256 score, uint256 elapsed) internal pure returns (uint256) {
        uint256 halvings = elapsed / HALF_LIFE;
        if (halvings >= 14) return 0; // 10,000 >> 14 == 0
        score >>= halvings;
        uint256 rest = elapsed % HALF_LIFE;
        // within a half-life the curve is approximated by its chord: score × (1 − rest / (2·HALF_LIFE))
        return score * (2 * HALF_LIFE - rest) / (2 * HALF_LIFE);
    }

    function afterSuccess(uint256 score, uint256 collateral, uint256 fee, uint256 allocation)
        internal
        pure
        returns (uint256)
    {
        uint256 weightBps = successWeightBps(collateral, fee, allocation);
        return score + (MAX_SCORE - score) * SUCCESS_STEP_BPS * weightBps / (MAX_SCORE * MAX_SCORE);
    }

    /// @notice How much of a full success step an order earns, the lesser of collateral / (1% of the allocation) and
    /// fee / (0.01% of the allocation), at most 100% (rounded down).
    function successWeightBps(uint256 collateral, uint256 fee, uint256 allocation) internal pure returns (uint256) {
        if (allocation == 0) return 0;
        uint256 byCollateral = _share(collateral, allocation, FULL_STEP_COLLATERAL_BPS);
        uint256 byFee = _share(fee, allocation, FULL_STEP_FEE_BPS);
        return byCollateral < byFee ? byCollateral : byFee;
    }

    function _share(uint256 amount, uint256 allocation, uint256 fullStepBps) private pure returns (uint256) {
        // amount < 2^96 and allocation < 2^96: the products stay far below 2^256
        uint256 weight = amount * MAX_SCORE * MAX_SCORE / (allocation * fullStepBps);
        return weight > MAX_SCORE ? MAX_SCORE : weight;
    }

    function afterFailure(uint256 score) internal pure returns (uint256) {
        return score * FAILURE_KEEP_BPS / MAX_SCORE;
    }

    /// @notice Collateral an order needs: base × factor, discounted by the score down to the service's floor
    /// (floorBps of the undiscounted requirement at a perfect score). Rounded up.
    function requiredCollateral(uint256 base, uint256 factorBps, uint256 floorBps, uint256 score)
        internal
        pure
        returns (uint256)
    {
        uint256 keepBps = MAX_SCORE - score * (MAX_SCORE - floorBps) / MAX_SCORE;
        uint256 denominator = MAX_SCORE * MAX_SCORE;
        // base < 2^96, factor < 2^16, keep <= 10^4: the product stays far below 2^256
        return (base * factorBps * keepBps + denominator - 1) / denominator;
    }
}
