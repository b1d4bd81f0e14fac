// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharesMathLib
/// @notice Vault share conversions with virtual shares and assets; mirrored by src/model/sharesMath.ts.
library SharesMathLib {
    uint256 internal constant VIRTUAL_SHARES = 1_000;
    uint256 internal constant VIRTUAL_ASSETS = 1;

    function toSharesDown(uint256 assets, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
    }

    function toAssetsDown(uint256 shares, uint256 totalAssets, uint256 totalShares) internal pure returns (uint256) {
        return Math.mulDiv(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
    }

    /// @notice Pool assets net of the part of pending slashes the bond cannot absorb.
    function netPoolAssets(uint256 poolAssets, uint256 bondAssets, uint256 pending) internal pure returns (uint256) {
        uint256 poolLoss = pending > bondAssets ? pending - bondAssets : 0;
        return poolAssets > poolLoss ? poolAssets - poolLoss : 0;
    }
}
