// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SharesMathLib} from "../../src/libraries/SharesMathLib.sol";
import {SlashMathLib} from "../../src/libraries/SlashMathLib.sol";
import {ReputationLib} from "../../src/libraries/ReputationLib.sol";
import {OrderMathLib} from "../../src/libraries/OrderMathLib.sol";

/// @notice Exposes the internal math libraries so tests can compare them with the TypeScript model by eth_call.
contract MathHarness {
    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toSharesDown(assets, totalAssets, totalShares);
    }

    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) external pure returns (uint256) {
        return SharesMathLib.toAssetsDown(shares, totalAssets, totalShares);
    }

    function netPoolAssets(uint256 pool, uint256 bond, uint256 pending) external pure returns (uint256) {
        return SharesMathLib.netPoolAssets(pool, bond, pending);
    }

    function slashedInWindow(uint256 epoch, uint256 current, uint256 previous, uint256 nowTs, uint256 window)
        external
        pure
        returns (uint256)
    {
        return SlashMathLib.slashedInWindow(epoch, current, previous, nowTs, window);
    }

    function correlationPenaltyBps(uint256 windowSlashed, uint256 allocated, uint256 multiplierBps)
        external
        pure
        returns (uint256)
    {
        return SlashMathLib.correlationPenaltyBps(windowSlashed, allocated, multiplierBps);
    }

    function slashAmount(
        uint256 allocated,
        uint256 pendingOnService,
        uint256 windowSlashed,
        uint256 vaultAvailable,
        uint256 penaltyBps,
        uint256 incidentCapBps,
        uint256 windowCapBps
    ) external pure returns (uint256) {
        return SlashMathLib.slashAmount(
            allocated, pendingOnService, windowSlashed, vaultAvailable, penaltyBps, incidentCapBps, windowCapBps
        );
    }

    function split(uint256 amount, uint256 clientBps, uint256 reporterBps, bool hasClient)
        external
        pure
        returns (uint256, uint256, uint256)
    {
        return SlashMathLib.split(amount, clientBps, reporterBps, hasClient);
    }

    function decay(uint256 score, uint256 elapsed) external pure returns (uint256) {
        return ReputationLib.decay(score, elapsed);
    }

    function afterSuccess(uint256 score, uint256 collateral, uint256 paidFee, uint256 allocation)
        external
        pure
        returns (uint256)
    {
        return ReputationLib.afterSuccess(score, collateral, paidFee, allocation);
    }

    function afterFailure(uint256 score) external pure returns (uint256) {
        return ReputationLib.afterFailure(score);
    }

    function requiredCollateral(uint256 base, uint256 factorBps, uint256 floorBps, uint256 score)
        external
        pure
        returns (uint256)
    {
        return ReputationLib.requiredCollateral(base, factorBps, floorBps, score);
    }

    function validMilestones(uint64 milestones) external pure returns (bool) {
        return OrderMathLib.validMilestones(milestones);
    }

    function milestoneCount(uint64 milestones) external pure returns (uint256) {
        return OrderMathLib.milestoneCount(milestones);
    }

    function milestoneAmount(uint256 price, uint64 milestones, uint256 index) external pure returns (uint256) {
        return OrderMathLib.milestoneAmount(price, milestones, index);
    }

    function fee(uint256 amount, uint256 feeBps) external pure returns (uint256) {
        return OrderMathLib.fee(amount, feeBps);
    }
}
