// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SlashReport, Signature, SlashDetails, SlashStatus, OrderSlashRequest} from "../types/Types.sol";
import {IRewardsDistributor} from "./IRewardsDistributor.sol";

/// @title ISlashingCourt
/// @notice Turns an attester quorum's signed report into a pending slash fixed at request, lets the operator
/// dispute it before a resolver, and executes it by anyone: reports in request order per vault (waiting up to
/// MAX_ORDER_WAIT for open orders' collateral), orders' collateral slashes as soon as their window allows.
/// Warning: the court stores a 160-bit hash of each slash's details; pass the details from SlashRequested
/// (or the latest SlashUpheld) back to act on a slash.
interface ISlashingCourt {
    /* ERRORS */
    error ReportAlreadyUsed(bytes32 slashId);
    error UnknownVault(address vault);
    error NotAllocated(uint64 serviceId, address vault);
    error OperatorBanned(uint64 serviceId, address vault);
    error SlashNotFound(bytes32 slashId);
    error DetailsMismatch(bytes32 slashId);
    error WrongStatus(bytes32 slashId, SlashStatus status);
    error DisputeWindowClosed(bytes32 slashId, uint256 closedAt);
    error DisputeWindowOpen(bytes32 slashId, uint256 closesAt);
    error NotOperator(address caller);
    error NotResolver(address caller);
    error ResolutionDeadlinePassed(bytes32 slashId, uint256 deadline);
    error ResolutionDeadlineNotPassed(bytes32 slashId, uint256 deadline);
    error ResolutionExceedsSlash(uint256 upheld, uint256 amount);
    error SlashNotNextInQueue(bytes32 slashId, uint64 blockedBy);
    error NotVault(address caller);
    error ReceivedLessThanSent(uint256 expected, uint256 received);
    error ReservedIncidentId(bytes32 incidentId);
    error NotOrderBook(address caller);

    /* EVENTS */
    event SlashRequested(bytes32 indexed slashId, address indexed vault, uint64 indexed serviceId, SlashDetails details, uint256 disputeEnd);
    event SlashDisputed(bytes32 indexed slashId, address indexed operator, uint256 bond, uint256 resolveBy);
    event SlashUpheld(bytes32 indexed slashId, SlashDetails details);
    event SlashOverturned(bytes32 indexed slashId, uint256 attestersSlashed);
    event SlashLapsed(bytes32 indexed slashId);
    event SlashExecuted(
        bytes32 indexed slashId,
        address indexed vault,
        uint64 indexed serviceId,
        uint256 fromBond,
        uint256 fromPool,
        uint256 toClient,
        uint256 toReporter,
        uint256 toSink
    );
    event OperatorJailed(uint64 indexed serviceId, address indexed vault, uint256 until);
    event OperatorBannedForever(uint64 indexed serviceId, address indexed vault);
    event ServiceAllocationChanged(uint64 indexed serviceId, address indexed vault, uint256 totalAllocated);

    /// @notice Opens a pending slash from a report signed by a quorum of the service's current attesters.
    /// @param signatures One per signer, in strictly ascending order of signer address.
    /// @return slashId keccak256(serviceId, vault, incidentId): one slash per incident, ever.
    function requestSlash(SlashReport calldata report, Signature[] calldata signatures) external returns (bytes32 slashId);

    /// @notice Opens a pending slash of a failed order's collateral, paid wholly to its client when it executes;
    /// disputable like any other. `classId` is the violation class the attesters reported (its jail or ban
    /// applies), or ORDER_NO_CLASS (255) when the order failed by its deadline. Order book only.
    /// @return slashId Zero, with amount 0, when nothing is left to slash.
    function requestOrderSlash(OrderSlashRequest calldata request) external returns (bytes32 slashId, uint256 amount);

    /// @notice The operator disputes within the window by posting the dispute bond fixed at request.
    function dispute(SlashDetails calldata details) external;

    /// @notice The resolver upholds `upheldAmount` (at most the fixed amount) or overturns with 0.
    function resolve(SlashDetails calldata details, uint256 upheldAmount) external;

    /// @notice Cancels a disputed slash the resolver left unresolved past its deadline. Anyone may call.
    function lapse(SlashDetails calldata details) external;

    /// @notice Executes an undisputed slash after its window, or an upheld one, if every earlier slash of the same
    /// vault is settled. Anyone may call.
    function executeSlash(SlashDetails calldata details) external;

    /// @notice Vaults report allocation changes so the court knows each service's allocated stake.
    function onAllocationChanged(uint64 serviceId, uint256 oldAmount, uint256 newAmount) external;

    /* VIEWS */
    function reportDigest(SlashReport calldata report) external view returns (bytes32);
    function REWARDS() external view returns (IRewardsDistributor);
    function ORDERS() external view returns (address);
    function slashStatus(bytes32 slashId) external view returns (SlashStatus status, uint256 disputeEnd, uint256 resolveBy);
    function serviceAllocated(uint64 serviceId) external view returns (uint256);
    function slashedInWindow(uint64 serviceId) external view returns (uint256);
    function jailedUntil(uint64 serviceId, address vault) external view returns (uint256);
    function isBanned(uint64 serviceId, address vault) external view returns (bool);
    function nextToExecute(address vault) external view returns (uint64 seq);
    function queueLength(address vault) external view returns (uint64 head, uint64 tail);
}
