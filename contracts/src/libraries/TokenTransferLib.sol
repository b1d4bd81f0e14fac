// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title TokenTransferLib
/// @notice Pulls tokens and proves they arrived in full, so a fee-on-transfer token cannot credit more than it paid.
library TokenTransferLib {
    using SafeERC20 for IERC20;

    error ReceivedLessThanSent(uint256 expected, uint256 received);

    function pullExact(IERC20 token, address from, uint256 amount) internal {
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(from, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert ReceivedLessThanSent(amount, received);
    }
}
