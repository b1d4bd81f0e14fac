// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A payment token that calls back into a target (e.g. the order book) in the middle of every transfer,
/// the way a hostile token or an ERC-777 hook would. The callback's failure is swallowed and recorded, so a test
/// can see both that the reentry was refused and that the outer call still settled exactly once.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public payload;
    uint256 public attempts;
    uint256 public successes;
    bytes public lastError;
    bool internal _inside;

    constructor() ERC20("Reentrant", "REE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: every later transfer calls `target` with `data` once (not recursively).
    function arm(address target_, bytes calldata data) external {
        target = target_;
        payload = data;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target == address(0) || _inside || from == address(0)) return;
        _inside = true;
        ++attempts;
        (bool ok, bytes memory ret) = target.call(payload);
        if (ok) ++successes;
        else lastError = ret;
        _inside = false;
    }
}
