// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {ServiceParams, ViolationClass, ReportTerms} from "./types/Types.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";

/// @title ServiceRegistry
/// @notice Services, their SLA terms and their bonded attester committees (up to 64 members, weighted by bond).
contract ServiceRegistry is IServiceRegistry {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    uint256 public constant MAX_CLASSES = 16;
    uint256 public constant MAX_COMMITTEE = 64;
    uint256 public constant MAX_CORRELATION_MULTIPLIER_BPS = 100_000;

    IERC20 public immutable STAKE_TOKEN;
    address public immutable COURT;
    /// @notice Delay before any change that could hurt stakers applies; twice the longest vault withdrawal delay
    /// (the factory's MAX_WITHDRAWAL_DELAY is half of it), so every staker has a withdrawal delay to react.
    uint32 public immutable PARAM_CHANGE_DELAY;

    struct Attester {
        uint96 bond;
        uint40 approvedAt; // when it may join; 0 = not approved
        uint40 exitReadyAt; // 0 while active or never joined
        uint40 removalReadyAt; // owner's queued removal
        uint8 index;
        bool active;
    }

    struct Committee {
        uint128 totalWeight; // sum of active members' bonds
        uint64 usedIndexes; // bit i = index i is held by a member (active or exiting)
        uint8 activeCount; // members counting toward quorum
        address[64] members;
    }

    struct PendingChange {
        uint40 readyAt;
        ServiceParams params;
        ViolationClass[] classes;
    }

    uint64 public serviceCount;
    mapping(uint64 => address) internal _owners;
    mapping(uint64 => ServiceParams) internal _params;
    mapping(uint64 => ViolationClass[]) internal _classes;
    mapping(uint64 => PendingChange) internal _pending;
    mapping(uint64 => Committee) internal _committees;
    mapping(uint64 => mapping(address => Attester)) internal _attesters;

    constructor(IERC20 stakeToken, address court, uint32 paramChangeDelay) {
        STAKE_TOKEN = stakeToken;
        COURT = court;
        PARAM_CHANGE_DELAY = paramChangeDelay;
    }

    modifier onlyOwner(uint64 serviceId) {
        if (_owners[serviceId] == address(0)) revert ServiceNotFound(serviceId);
        if (msg.sender != _owners[serviceId]) revert NotServiceOwner(serviceId, msg.sender);
        _;
    }

    /* SERVICES */

    /// @inheritdoc IServiceRegistry
    function createService(ServiceParams calldata params, ViolationClass[] calldata classes, address[] calldata attesters)
        external
        returns (uint64 serviceId)
    {
        _validate(params, classes);
        if (attesters.length > MAX_COMMITTEE) revert CommitteeFull(0);
        serviceId = ++serviceCount;
        _owners[serviceId] = msg.sender;
        _params[serviceId] = params;
        _storeClasses(serviceId, classes);
        emit ServiceCreated(serviceId, msg.sender, params, classes);
        for (uint256 i; i < attesters.length; ++i) {
            _attesters[serviceId][attesters[i]].approvedAt = uint40(block.timestamp);
            emit AttesterApprovalQueued(serviceId, attesters[i], block.timestamp);
        }
    }

    /// @inheritdoc IServiceRegistry
    function queueServiceChange(uint64 serviceId, ServiceParams calldata params, ViolationClass[] calldata classes)
        external
        onlyOwner(serviceId)
    {
        _validate(params, classes);
        _checkClassesOnlySoften(serviceId, classes);
        PendingChange storage change = _pending[serviceId];
        uint256 readyAt = block.timestamp + PARAM_CHANGE_DELAY;
        change.readyAt = uint40(readyAt);
        change.params = params;
        delete change.classes;
        for (uint256 i; i < classes.length; ++i) change.classes.push(classes[i]);
        emit ServiceChangeQueued(serviceId, params, classes, readyAt);
    }

    /// @inheritdoc IServiceRegistry
    function applyServiceChange(uint64 serviceId) external {
        PendingChange storage change = _pending[serviceId];
        if (change.readyAt == 0) revert NoPendingChange(serviceId);
        if (block.timestamp < change.readyAt) revert ChangeNotReady(serviceId, change.readyAt);
        _params[serviceId] = change.params;
        ViolationClass[] memory classes = change.classes;
        _storeClasses(serviceId, classes);
        delete _pending[serviceId];
        emit ServiceChangeApplied(serviceId, _params[serviceId], classes);
    }

    /// @inheritdoc IServiceRegistry
    function cancelServiceChange(uint64 serviceId) external onlyOwner(serviceId) {
        if (_pending[serviceId].readyAt == 0) revert NoPendingChange(serviceId);
        delete _pending[serviceId];
        emit ServiceChangeCancelled(serviceId);
    }

    /* COMMITTEE */

    /// @inheritdoc IServiceRegistry
    function approveAttester(uint64 serviceId, address attester) external onlyOwner(serviceId) {
        uint256 readyAt = block.timestamp + PARAM_CHANGE_DELAY;
        _attesters[serviceId][attester].approvedAt = uint40(readyAt);
        emit AttesterApprovalQueued(serviceId, attester, readyAt);
    }

    /// @inheritdoc IServiceRegistry
    function removeAttester(uint64 serviceId, address attester) external onlyOwner(serviceId) {
        Attester storage a = _attesters[serviceId][attester];
        if (!a.active) revert AttesterNotActive(serviceId, attester);
        uint256 readyAt = block.timestamp + PARAM_CHANGE_DELAY;
        a.removalReadyAt = uint40(readyAt);
        emit AttesterRemovalQueued(serviceId, attester, readyAt);
    }

    /// @inheritdoc IServiceRegistry
    function enforceAttesterRemoval(uint64 serviceId, address attester) external {
        Attester storage a = _attesters[serviceId][attester];
        if (a.removalReadyAt == 0) revert NoRemovalQueued(serviceId, attester);
        if (block.timestamp < a.removalReadyAt) revert ChangeNotReady(serviceId, a.removalReadyAt);
        a.approvedAt = 0;
        _deactivate(serviceId, attester, a);
    }

    /// @inheritdoc IServiceRegistry
    function joinCommittee(uint64 serviceId, uint256 bond) external {
        Attester storage a = _attesters[serviceId][msg.sender];
        if (a.approvedAt == 0 || block.timestamp < a.approvedAt) revert AttesterNotApproved(serviceId, msg.sender);
        if (a.active || a.exitReadyAt != 0) revert AttesterAlreadyActive(serviceId, msg.sender);
        uint256 minimum = _params[serviceId].minAttesterBond;
        if (bond < minimum || bond == 0) revert BondBelowMinimum(bond, minimum);
        Committee storage c = _committees[serviceId];
        uint64 used = c.usedIndexes;
        if (used == type(uint64).max) revert CommitteeFull(serviceId);
        // lowest free index: isolate the lowest zero bit of `used`
        uint64 freeBit = ~used & (used + 1);
        uint8 index = uint8(Math.log2(freeBit));
        _pull(bond);
        c.usedIndexes = used | freeBit;
        c.members[index] = msg.sender;
        c.totalWeight += bond.toUint128();
        c.activeCount += 1;
        a.bond = bond.toUint96();
        a.index = index;
        a.active = true;
        a.removalReadyAt = 0;
        emit AttesterJoined(serviceId, msg.sender, index, bond);
    }

    /// @inheritdoc IServiceRegistry
    function addAttesterBond(uint64 serviceId, uint256 amount) external {
        Attester storage a = _attesters[serviceId][msg.sender];
        if (!a.active) revert AttesterNotActive(serviceId, msg.sender);
        _pull(amount);
        a.bond = (a.bond + amount).toUint96();
        _committees[serviceId].totalWeight += amount.toUint128();
        emit AttesterBondAdded(serviceId, msg.sender, amount, a.bond);
    }

    /// @inheritdoc IServiceRegistry
    function requestAttesterExit(uint64 serviceId) external {
        Attester storage a = _attesters[serviceId][msg.sender];
        if (!a.active) revert AttesterNotActive(serviceId, msg.sender);
        _deactivate(serviceId, msg.sender, a);
    }

    /// @inheritdoc IServiceRegistry
    function withdrawAttesterBond(uint64 serviceId) external returns (uint256 amount) {
        Attester storage a = _attesters[serviceId][msg.sender];
        if (a.active || a.exitReadyAt == 0) revert AttesterNotActive(serviceId, msg.sender);
        if (block.timestamp < a.exitReadyAt) revert AttesterExitNotReady(serviceId, msg.sender, a.exitReadyAt);
        amount = a.bond;
        Committee storage c = _committees[serviceId];
        // The index is freed only now: every report this attester signed is resolved by this time, so an
        // overturn can never hit a newcomer holding the same index.
        c.usedIndexes &= ~(uint64(1) << a.index);
        c.members[a.index] = address(0);
        a.bond = 0;
        a.exitReadyAt = 0;
        STAKE_TOKEN.safeTransfer(msg.sender, amount);
        emit AttesterBondWithdrawn(serviceId, msg.sender, amount);
    }

    /* COURT */

    /// @inheritdoc IServiceRegistry
    function reportTerms(uint64 serviceId, uint8 classId, address[] calldata signers)
        external
        view
        returns (ReportTerms memory terms)
    {
        ViolationClass[] storage classes = _classes[serviceId];
        if (classes.length == 0) revert ServiceNotFound(serviceId);
        if (classId >= classes.length) revert UnknownClass(serviceId, classId);
        ServiceParams storage p = _params[serviceId];

        uint256 signedWeight;
        uint64 bitmap;
        address previous;
        mapping(address => Attester) storage attesters = _attesters[serviceId];
        for (uint256 i; i < signers.length; ++i) {
            address signer = signers[i];
            // strictly ascending order makes every signer distinct without a second loop
            if (signer <= previous) revert SignersNotSorted(i);
            previous = signer;
            Attester storage a = attesters[signer];
            if (!a.active) revert AttesterNotActive(serviceId, signer);
            signedWeight += a.bond;
            bitmap |= uint64(1) << a.index;
        }
        Committee storage c = _committees[serviceId];
        uint256 totalWeight = c.totalWeight;
        uint16 quorumBps = p.quorumBps;
        if (signedWeight == 0 || signedWeight * BPS < totalWeight * quorumBps) {
            revert QuorumNotReached(signedWeight, totalWeight, quorumBps);
        }
        // k of n as well as weighted: a member that tops up its bond still cannot report alone
        if (signers.length * BPS < uint256(c.activeCount) * quorumBps) {
            revert QuorumCountNotReached(signers.length, c.activeCount, quorumBps);
        }

        ViolationClass storage vc = classes[classId];
        terms.basePenaltyBps = vc.basePenaltyBps;
        terms.jailDuration = vc.jailDuration;
        terms.permanentBan = vc.permanentBan;
        terms.disputeWindow = p.disputeWindow;
        terms.resolutionDeadline = p.resolutionDeadline;
        terms.disputeBond = p.disputeBond;
        terms.sink = p.sink;
        terms.clientShareBps = p.clientShareBps;
        terms.reporterShareBps = p.reporterShareBps;
        terms.attesterPenaltyBps = p.attesterPenaltyBps;
        terms.correlationWindow = p.correlationWindow;
        terms.correlationMultiplierBps = p.correlationMultiplierBps;
        terms.incidentCapBps = p.incidentCapBps;
        terms.windowCapBps = p.windowCapBps;
        terms.signers = bitmap;
    }

    /// @inheritdoc IServiceRegistry
    function slashAttesters(uint64 serviceId, uint64 signers, uint16 penaltyBps, address recipient)
        external
        returns (uint256 total)
    {
        if (msg.sender != COURT) revert OnlyCourt(msg.sender);
        Committee storage c = _committees[serviceId];
        uint96 minimum = _params[serviceId].minAttesterBond;
        for (uint256 i; signers != 0; ++i) {
            if (signers & 1 == 1) {
                address member = c.members[i];
                Attester storage a = _attesters[serviceId][member];
                // a slash rounds up: the false reporter pays the rounding
                uint256 penalty = Math.mulDiv(a.bond, penaltyBps, BPS, Math.Rounding.Ceil);
                if (penalty > 0) {
                    a.bond -= uint96(penalty);
                    if (a.active) c.totalWeight -= uint128(penalty);
                    total += penalty;
                    emit AttesterSlashed(serviceId, member, penalty, recipient);
                }
                if (a.active && (a.bond < minimum || a.bond == 0)) _deactivate(serviceId, member, a);
            }
            signers >>= 1;
        }
        // to the court, which pays the recipient or credits it if the token refuses: an operator the token blacklists
        // cannot make the overturn that clears it revert
        if (total > 0) STAKE_TOKEN.safeTransfer(msg.sender, total);
    }

    /* VIEWS */

    function pipelineLength(uint64 serviceId) public view returns (uint256) {
        ServiceParams storage p = _params[serviceId];
        return uint256(p.disputeWindow) + p.resolutionDeadline;
    }

    function serviceParams(uint64 serviceId) external view returns (ServiceParams memory) {
        if (_owners[serviceId] == address(0)) revert ServiceNotFound(serviceId);
        return _params[serviceId];
    }

    function violationClasses(uint64 serviceId) external view returns (ViolationClass[] memory) {
        return _classes[serviceId];
    }

    /// @inheritdoc IServiceRegistry
    function orderTerms(uint64 serviceId)
        external
        view
        returns (uint16 feeBps, uint16 collateralFactorBps, uint16 collateralFloorBps)
    {
        if (_owners[serviceId] == address(0)) revert ServiceNotFound(serviceId);
        ServiceParams storage p = _params[serviceId];
        return (p.orderFeeBps, p.collateralFactorBps, p.collateralFloorBps);
    }

    function serviceOwner(uint64 serviceId) external view returns (address) {
        return _owners[serviceId];
    }

    function resolverOf(uint64 serviceId) external view returns (address) {
        return _params[serviceId].resolver;
    }

    function committee(uint64 serviceId) external view returns (address[] memory members, uint256[] memory bonds) {
        Committee storage c = _committees[serviceId];
        uint256 count;
        for (uint256 i; i < MAX_COMMITTEE; ++i) {
            if (_attesters[serviceId][c.members[i]].active && c.members[i] != address(0)) ++count;
        }
        members = new address[](count);
        bonds = new uint256[](count);
        uint256 j;
        for (uint256 i; i < MAX_COMMITTEE; ++i) {
            address m = c.members[i];
            if (m != address(0) && _attesters[serviceId][m].active) {
                members[j] = m;
                bonds[j++] = _attesters[serviceId][m].bond;
            }
        }
    }

    function attesterInfo(uint64 serviceId, address attester)
        external
        view
        returns (bool active, uint8 index, uint96 bond, uint40 exitReadyAt, uint40 approvedAt)
    {
        Attester storage a = _attesters[serviceId][attester];
        return (a.active, a.index, a.bond, a.exitReadyAt, a.approvedAt);
    }

    function totalAttesterWeight(uint64 serviceId) external view returns (uint256) {
        return _committees[serviceId].totalWeight;
    }

    /* INTERNAL */

    function _deactivate(uint64 serviceId, address attester, Attester storage a) internal {
        if (a.active) {
            Committee storage c = _committees[serviceId];
            c.totalWeight -= a.bond;
            c.activeCount -= 1;
            a.active = false;
        }
        // one second past the change delay: a report requested the moment the attester left can be resolved up to
        // PARAM_CHANGE_DELAY later (a pipeline may equal it), and an overturn must still find the bond then
        uint256 readyAt = block.timestamp + PARAM_CHANGE_DELAY + 1;
        a.exitReadyAt = uint40(readyAt);
        a.removalReadyAt = 0;
        emit AttesterExitRequested(serviceId, attester, readyAt);
    }

    function _pull(uint256 amount) internal {
        if (amount == 0) revert BondBelowMinimum(0, 1);
        TokenTransferLib.pullExact(STAKE_TOKEN, msg.sender, amount);
    }

    /// @dev A report names its class by id and is signed before it is submitted, so an id's terms may only soften:
    /// a report signed for a 1% class can never be held until a change makes it 100% and a ban. Harsher terms need
    /// a new id (classes can be added, never removed, so an id is never reused).
    function _checkClassesOnlySoften(uint64 serviceId, ViolationClass[] calldata classes) internal view {
        ViolationClass[] storage current = _classes[serviceId];
        if (classes.length < current.length) revert ClassTermsHarsher(uint8(classes.length));
        for (uint256 i; i < current.length; ++i) {
            ViolationClass storage was = current[i];
            ViolationClass calldata next = classes[i];
            if (
                next.basePenaltyBps > was.basePenaltyBps || next.jailDuration > was.jailDuration
                    || (next.permanentBan && !was.permanentBan)
            ) revert ClassTermsHarsher(uint8(i));
        }
    }

    function _storeClasses(uint64 serviceId, ViolationClass[] memory classes) internal {
        delete _classes[serviceId];
        for (uint256 i; i < classes.length; ++i) _classes[serviceId].push(classes[i]);
    }

    function _validate(ServiceParams calldata p, ViolationClass[] calldata classes) internal view {
        if (p.resolver == address(0)) revert InvalidParam("resolver");
        if (p.sink == address(0)) revert InvalidParam("sink");
        if (p.quorumBps <= BPS / 2 || p.quorumBps > BPS) revert InvalidParam("quorumBps");
        if (p.disputeWindow < 60 || p.disputeWindow > 30 days) revert InvalidParam("disputeWindow");
        if (p.resolutionDeadline < 60 || p.resolutionDeadline > 30 days) revert InvalidParam("resolutionDeadline");
        // attester bonds and index reuse rely on every report being resolved within the change delay
        if (uint256(p.disputeWindow) + p.resolutionDeadline > PARAM_CHANGE_DELAY) revert InvalidParam("pipeline");
        if (p.correlationWindow < 60 || p.correlationWindow > 365 days) revert InvalidParam("correlationWindow");
        if (p.correlationMultiplierBps > MAX_CORRELATION_MULTIPLIER_BPS) revert InvalidParam("correlationMultiplierBps");
        if (p.incidentCapBps == 0 || p.incidentCapBps > BPS) revert InvalidParam("incidentCapBps");
        if (p.windowCapBps < p.incidentCapBps || p.windowCapBps > BPS) revert InvalidParam("windowCapBps");
        if (uint256(p.clientShareBps) + p.reporterShareBps > BPS) revert InvalidParam("clientShareBps");
        if (p.attesterPenaltyBps > BPS) revert InvalidParam("attesterPenaltyBps");
        if (p.minAttesterBond == 0) revert InvalidParam("minAttesterBond");
        if (p.minAllocationDelay != 0) revert InvalidParam("minAllocationDelay");
        if (p.orderFeeBps > 5_000) revert InvalidParam("orderFeeBps");
        if (p.collateralFactorBps > 100_00 * 5) revert InvalidParam("collateralFactorBps");
        if (p.collateralFloorBps > BPS) revert InvalidParam("collateralFloorBps");
        if (classes.length == 0 || classes.length > MAX_CLASSES) revert TooManyClasses(classes.length);
        for (uint256 i; i < classes.length; ++i) {
            if (classes[i].basePenaltyBps > BPS) revert InvalidParam("basePenaltyBps");
            if (classes[i].jailDuration > 365 days) revert InvalidParam("jailDuration");
        }
    }
}
