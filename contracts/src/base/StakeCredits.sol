// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title StakeCredits
/// @notice Payouts that a recipient's standing with the token could block (a USDC-like blacklist, a paused token)
/// are tried once and, if the transfer fails, credited here and withdrawn by the recipient later. A slash, a
/// resolution or an order payment therefore never depends on a third party being able to receive.
abstract contract StakeCredits {
    using SafeERC20 for IERC20;

    /// @notice Stake-token payouts that could not be pushed, per recipient.
    mapping(address account => uint256) public credits;

    event Credited(address indexed account, uint256 amount);
    event CreditWithdrawn(address indexed account, address indexed receiver, uint256 amount);

    /// @notice Withdraws the caller's credited payouts to `receiver`.
    function withdrawCredit(address receiver) external returns (uint256 amount) {
        amount = credits[msg.sender];
        if (amount == 0) return 0;
        credits[msg.sender] = 0;
        _creditToken().safeTransfer(receiver, amount);
        emit CreditWithdrawn(msg.sender, receiver, amount);
    }

    /// @dev Pushes `amount` to `to`, or credits it when the token refuses the transfer.
    function _payOrCredit(address to, uint256 amount) internal {
        if (amount == 0) return;
        if (!_creditToken().trySafeTransfer(to, amount)) {
            credits[to] += amount;
            emit Credited(to, amount);
        }
    }

    function _creditToken() internal view virtual returns (IERC20);
}
