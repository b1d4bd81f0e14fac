// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ServiceParams, ViolationClass, ReportTerms} from "../types/Types.sol";

/// @title IServiceRegistry
/// @notice Services (markets) with their SLA terms, their violation classes and their bonded attester committees.
/// Warning: every change that could hurt stakers — terms, classes, committee members — takes effect only after
/// PARAM_CHANGE_DELAY, which is at least the longest withdrawal delay a vault may have, so stakers can leave first.
interface IServiceRegistry {
    /* ERRORS */
    error ServiceNotFound(uint64 serviceId);
    error NotServiceOwner(uint64 serviceId, address caller);
    error InvalidParam(string field);
    error TooManyClasses(uint256 count);
    error UnknownClass(uint64 serviceId, uint8 classId);
    error NoPendingChange(uint64 serviceId);
    error ChangeNotReady(uint64 serviceId, uint256 readyAt);
    error AttesterNotApproved(uint64 serviceId, address attester);
    error AttesterAlreadyActive(uint64 serviceId, address attester);
    error CommitteeFull(uint64 serviceId);
    error BondBelowMinimum(uint256 bond, uint256 minimum);
    error AttesterNotActive(uint64 serviceId, address attester);
    error AttesterExitNotReady(uint64 serviceId, address attester, uint256 readyAt);
    error SignersNotSorted(uint256 index);
    error QuorumNotReached(uint256 signedWeight, uint256 totalWeight, uint16 quorumBps);
    error QuorumCountNotReached(uint256 signers, uint256 activeMembers, uint16 quorumBps);
    error OnlyCourt(address caller);
    error NoRemovalQueued(uint64 serviceId, address attester);
    error ReceivedLessThanSent(uint256 expected, uint256 received);
    error ClassTermsHarsher(uint8 classId);

    /* EVENTS */
    event ServiceCreated(uint64 indexed serviceId, address indexed owner, ServiceParams params, ViolationClass[] classes);
    event ServiceChangeQueued(uint64 indexed serviceId, ServiceParams params, ViolationClass[] classes, uint256 readyAt);
    event ServiceChangeApplied(uint64 indexed serviceId, ServiceParams params, ViolationClass[] classes);
    event ServiceChangeCancelled(uint64 indexed serviceId);
    event AttesterApprovalQueued(uint64 indexed serviceId, address indexed attester, uint256 readyAt);
    event AttesterJoined(uint64 indexed serviceId, address indexed attester, uint8 index, uint256 bond);
    event AttesterBondAdded(uint64 indexed serviceId, address indexed attester, uint256 amount, uint256 bond);
    event AttesterExitRequested(uint64 indexed serviceId, address indexed attester, uint256 readyAt);
    event AttesterRemovalQueued(uint64 indexed serviceId, address indexed attester, uint256 readyAt);
    event AttesterBondWithdrawn(uint64 indexed serviceId, address indexed attester, uint256 amount);
    event AttesterSlashed(uint64 indexed serviceId, address indexed attester, uint256 amount, address recipient);

    /// @notice Creates a service; the caller becomes its owner.
    /// @param params SLA terms, each bounded (see docs/protocol.md).
    /// @param classes Violation classes, 1 to 16; class ids are their indexes.
    /// @param attesters The founding committee, approved at once (nothing is allocated yet to protect).
    /// @return serviceId The new service's id, starting at 1.
    function createService(ServiceParams calldata params, ViolationClass[] calldata classes, address[] calldata attesters)
        external
        returns (uint64 serviceId);

    /// @notice Queues new terms and classes; they apply after PARAM_CHANGE_DELAY via applyServiceChange.
    function queueServiceChange(uint64 serviceId, ServiceParams calldata params, ViolationClass[] calldata classes)
        external;

    /// @notice Applies a queued change whose delay has passed. Anyone may call.
    function applyServiceChange(uint64 serviceId) external;

    /// @notice Drops a queued change. Owner only.
    function cancelServiceChange(uint64 serviceId) external;

    /// @notice Approves an attester for the committee; it may join after PARAM_CHANGE_DELAY. Owner only.
    function approveAttester(uint64 serviceId, address attester) external;

    /// @notice Queues an attester's removal from the committee; it stops counting after PARAM_CHANGE_DELAY.
    function removeAttester(uint64 serviceId, address attester) external;

    /// @notice Applies a queued removal whose delay has passed: the attester stops counting. Anyone may call.
    function enforceAttesterRemoval(uint64 serviceId, address attester) external;

    /// @notice An approved attester joins the committee by posting at least minAttesterBond of the stake token.
    function joinCommittee(uint64 serviceId, uint256 bond) external;

    /// @notice Adds to the caller's attester bond (raises its weight).
    function addAttesterBond(uint64 serviceId, uint256 amount) external;

    /// @notice Leaves the committee now (stops counting toward quorum); the bond stays slashable until
    /// PARAM_CHANGE_DELAY has passed, so a report it signed can still be overturned against it.
    function requestAttesterExit(uint64 serviceId) external;

    /// @notice Withdraws the bond of an attester that exited (or was removed) once the delay has passed.
    function withdrawAttesterBond(uint64 serviceId) external returns (uint256 amount);

    /// @notice Checks a report's signers (strictly ascending addresses, all current attesters, and at least the
    /// quorum both by bond weight and by count: k of n, weighted) and returns the terms the court fixes the slash with.
    function reportTerms(uint64 serviceId, uint8 classId, address[] calldata signers)
        external
        view
        returns (ReportTerms memory terms);

    /// @notice Takes `penaltyBps` of every signer's bond and pays it to `recipient`. Court only.
    function slashAttesters(uint64 serviceId, uint64 signers, uint16 penaltyBps, address recipient)
        external
        returns (uint256 total);

    /// @notice Seconds from a report to the last moment it can still be resolved: dispute window + resolution.
    function pipelineLength(uint64 serviceId) external view returns (uint256);

    /// @notice Delay before a change that could hurt stakers applies; also the longest vault withdrawal delay.
    function PARAM_CHANGE_DELAY() external view returns (uint32);

    function serviceParams(uint64 serviceId) external view returns (ServiceParams memory);
    function violationClasses(uint64 serviceId) external view returns (ViolationClass[] memory);
    /// @notice An order's terms (one storage slot): service fee, collateral factor and reputation floor, in bps.
    function orderTerms(uint64 serviceId)
        external
        view
        returns (uint16 feeBps, uint16 collateralFactorBps, uint16 collateralFloorBps);
    function serviceOwner(uint64 serviceId) external view returns (address);
    function resolverOf(uint64 serviceId) external view returns (address);
    function serviceCount() external view returns (uint64);
    function committee(uint64 serviceId) external view returns (address[] memory members, uint256[] memory bonds);
    function attesterInfo(uint64 serviceId, address attester)
        external
        view
        returns (bool active, uint8 index, uint96 bond, uint40 exitReadyAt, uint40 approvedAt);
    function totalAttesterWeight(uint64 serviceId) external view returns (uint256);
}
