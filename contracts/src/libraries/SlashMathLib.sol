// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SlashMathLib
/// @notice Slash sizing, correlation penalty and distribution; mirrored by src/model/slashMath.ts.
/// Slashes round up; caps and payouts round down; the sink takes the remainder.
library SlashMathLib {
    uint256 internal constant BPS = 10_000;

    /// @dev Plain checked arithmetic: every operand here is an amount (< 2^96) times a bps or a window (< 2^33),
    /// so the product never nears 2^256 (and would revert, not wrap, if it did).
    function mulDivUp(uint256 x, uint256 y, uint256 d) internal pure returns (uint256) {
        return (x * y + d - 1) / d;
    }

    /// @notice Stake slashed or pending in the trailing window (this epoch + the overlapping part of the last).
    function slashedInWindow(uint256 stateEpoch, uint256 current, uint256 previous, uint256 nowTs, uint256 window)
        internal
        pure
        returns (uint256)
    {
        uint256 epoch = nowTs / window;
        if (stateEpoch == epoch) {
            // rounded up: a larger correlation term favours the protocol
            return current + mulDivUp(previous, window - (nowTs % window), window);
        }
        if (stateEpoch + 1 == epoch) return mulDivUp(current, window - (nowTs % window), window);
        return 0;
    }

    function correlationPenaltyBps(uint256 windowSlashed, uint256 serviceAllocated, uint256 multiplierBps)
        internal
        pure
        returns (uint256)
    {
        if (serviceAllocated == 0 || windowSlashed == 0) return 0;
        uint256 fractionBps = mulDivUp(windowSlashed, BPS, serviceAllocated);
        return Math.min(BPS, mulDivUp(fractionBps, multiplierBps, BPS));
    }

    /// @notice Amount fixed at request: penalty rounded up, then held to both caps (rounded down) and to the
    /// stake that is actually slashable.
    function slashAmount(
        uint256 allocated,
        uint256 pendingOnService,
        uint256 operatorWindowSlashed,
        uint256 vaultAvailable,
        uint256 penaltyBps,
        uint256 incidentCapBps,
        uint256 windowCapBps
    ) internal pure returns (uint256 amount) {
        amount = mulDivUp(allocated, penaltyBps, BPS);
        amount = Math.min(amount, allocated * incidentCapBps / BPS);
        uint256 windowCap = allocated * windowCapBps / BPS;
        amount = Math.min(amount, windowCap > operatorWindowSlashed ? windowCap - operatorWindowSlashed : 0);
        amount = Math.min(amount, allocated > pendingOnService ? allocated - pendingOnService : 0);
        amount = Math.min(amount, vaultAvailable);
    }

    /// @notice Payouts: client and reporter round down, the sink takes the rest.
    function split(uint256 amount, uint256 clientBps, uint256 reporterBps, bool hasClient)
        internal
        pure
        returns (uint256 toClient, uint256 toReporter, uint256 toSink)
    {
        toReporter = amount * reporterBps / BPS;
        toClient = hasClient ? amount * clientBps / BPS : 0;
        toSink = amount - toReporter - toClient;
    }
}
