// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISlashingCourt} from "./interfaces/ISlashingCourt.sol";
import {IServiceRegistry} from "./interfaces/IServiceRegistry.sol";
import {IOperatorVault} from "./interfaces/IOperatorVault.sol";
import {IVaultFactory} from "./interfaces/IVaultFactory.sol";
import {IRewardsDistributor} from "./interfaces/IRewardsDistributor.sol";
import {SlashMathLib} from "./libraries/SlashMathLib.sol";
import {SlashRecordLib} from "./libraries/SlashRecordLib.sol";
import {TokenTransferLib} from "./libraries/TokenTransferLib.sol";
import {StakeCredits} from "./base/StakeCredits.sol";
import {
    SlashReport,
    Signature,
    SlashDetails,
    SlashStatus,
    ReportTerms,
    SlashSizing,
    SlashPayees,
    SlashOutcome,
    ServiceParams,
    ViolationClass,
    OrderSlashRequest,
    NO_CLASS
} from "./types/Types.sol";

/// @title SlashingCourt
/// @notice Reports → pending slashes fixed at request → dispute / resolution → execution: reports in per-vault
/// request order, orders' collateral slashes as soon as their own window allows (they are senior).
contract SlashingCourt is EIP712, ReentrancyGuardTransient, StakeCredits, ISlashingCourt {
    using SafeERC20 for IERC20;
    using SlashRecordLib for uint256;


    uint256 internal constant BPS = 10_000;
    /// @notice Incident ids with the top bit set are the order book's (order id | flag): attesters cannot use them,
    /// so no report can take an order's slash id before the order fails.
    uint256 public constant ORDER_INCIDENT_FLAG = 1 << 255;
    /// @notice The class id of an order that failed by its deadline, without an attester report.
    uint8 public constant ORDER_NO_CLASS = NO_CLASS;
    /// @notice A report waits for open orders' collateral (SlashWaitsForOrders) at most this long after its dispute
    /// window: orders are senior, but no reservation can hold a report (and its jail) for the life of an order.
    uint256 public constant MAX_ORDER_WAIT = 7 days;
    bytes32 public constant REPORT_TYPEHASH =
        keccak256("SlashReport(uint64 serviceId,address vault,uint8 classId,bytes32 incidentId,address client)");

    IERC20 public immutable STAKE_TOKEN;
    IServiceRegistry public immutable REGISTRY;
    IVaultFactory public immutable FACTORY;
    IRewardsDistributor public immutable REWARDS;
    address public immutable ORDERS;

    /// @dev Per-vault request order. Sequence numbers start at 1 (the word is set at first allocation, so a slash
    /// request never writes it from zero). Slashes settled out of order are marked in `_settled`.
    struct Queue {
        uint64 head; // every slash of this vault with a lower sequence number is settled
        uint64 tail; // next sequence number
    }

    /// @dev Word 1 is read and written by every request; `previous` only when the epoch rolls.
    struct ServiceState {
        uint96 allocated; // sum of allocation limits reported by vaults
        uint96 current; // requested in `epoch`
        uint40 epoch; // correlation window epoch of `current`
        uint96 previous; // requested in `epoch - 1`
    }

    /// @dev Jail and ban live in the vault's allocation (set by its executeSlash), where allocate and order
    /// acceptance read them without a call.
    struct OperatorState {
        bool known; // the vault has allocated to the service at least once
    }

    mapping(bytes32 => uint256) internal _records;
    mapping(address => Queue) internal _queues;
    mapping(address => mapping(uint256 => uint256)) internal _settled; // seq >> 8 => bitmap of seq & 255
    mapping(uint64 => ServiceState) internal _services;
    mapping(uint64 => mapping(address => OperatorState)) internal _operators;

    constructor(
        IERC20 stakeToken,
        IServiceRegistry registry,
        IVaultFactory factory,
        IRewardsDistributor rewards,
        address orders
    ) EIP712("Surety", "1") {
        STAKE_TOKEN = stakeToken;
        REGISTRY = registry;
        FACTORY = factory;
        REWARDS = rewards;
        ORDERS = orders;
    }

    /* REPORTS */

    /// @inheritdoc ISlashingCourt
    function requestSlash(SlashReport calldata report, Signature[] calldata signatures)
        external
        returns (bytes32 slashId)
    {
        // No reentrancy guard needed: the only calls are a view on the registry and reserveSlash on a vault the
        // factory made (its queue word proves it), which calls nothing outside.
        if (uint256(report.incidentId) & ORDER_INCIDENT_FLAG != 0) revert ReservedIncidentId(report.incidentId);
        slashId = _slashId(report.serviceId, report.vault, report.incidentId);
        // one slash per (service, vault, incident), whatever its fate: no replay, ever
        if (_records[slashId] != 0) revert ReportAlreadyUsed(slashId);
        // the queue word is set when a factory-made vault first allocates: it proves the vault is genuine
        Queue storage q = _queues[report.vault];
        uint64 seq = q.tail;
        if (seq == 0) revert NotAllocated(report.serviceId, report.vault);

        ReportTerms memory t = REGISTRY.reportTerms(report.serviceId, report.classId, _recoverSigners(report, signatures));
        uint256 amount = _reserve(report, t);

        q.tail = seq + 1;

        SlashDetails memory d = SlashDetails({
            serviceId: report.serviceId,
            vault: report.vault,
            classId: report.classId,
            incidentId: report.incidentId,
            client: report.client,
            reporter: msg.sender,
            sink: t.sink,
            amount: uint96(amount),
            disputeBond: t.disputeBond,
            clientShareBps: t.clientShareBps,
            reporterShareBps: t.reporterShareBps,
            jailDuration: t.jailDuration,
            permanentBan: t.permanentBan,
            resolutionDeadline: t.resolutionDeadline,
            seq: seq,
            signers: t.signers,
            requestedAt: uint40(block.timestamp)
        });
        uint256 disputeEnd = block.timestamp + t.disputeWindow;
        _records[slashId] = SlashRecordLib.pack(SlashRecordLib.hashDetails(d), SlashStatus.Pending, disputeEnd, 0);
        emit SlashRequested(slashId, report.vault, report.serviceId, d, disputeEnd);
    }

    /// @inheritdoc ISlashingCourt
    function requestOrderSlash(OrderSlashRequest calldata r) external returns (bytes32 slashId, uint256 amount) {
        // the order book checked the quorum (if any) and fails each order once; it calls nothing back
        if (msg.sender != ORDERS) revert NotOrderBook(msg.sender);
        bytes32 incidentId = bytes32(r.orderId | ORDER_INCIDENT_FLAG);
        slashId = _slashId(r.serviceId, r.vault, incidentId);
        ServiceParams memory p = REGISTRY.serviceParams(r.serviceId);
        // the collateral itself; what falls on the pool beyond the bond is held to the allocation's window cap
        amount = IOperatorVault(r.vault).reserveSlash(
            r.serviceId,
            SlashSizing({
                penaltyBps: 0,
                incidentCapBps: 0,
                windowCapBps: p.windowCapBps,
                window: p.correlationWindow,
                fixedAmount: uint96(r.collateral)
            })
        );
        // nothing left to take (earlier slashes emptied the allocation): the order still fails, with no slash
        if (amount == 0) return (bytes32(0), 0);
        Queue storage q = _queues[r.vault];
        uint64 seq = q.tail;
        q.tail = seq + 1;
        (SlashDetails memory d, uint256 disputeEnd) = _orderSlashDetails(r, p, incidentId, amount, seq);
        _records[slashId] = SlashRecordLib.pack(SlashRecordLib.hashDetails(d), SlashStatus.Pending, disputeEnd, 0);
        emit SlashRequested(slashId, r.vault, r.serviceId, d, disputeEnd);
    }

    /* DISPUTES */

    /// @inheritdoc ISlashingCourt
    function dispute(SlashDetails calldata details) external nonReentrant {
        (bytes32 slashId, uint256 record) = _load(details);
        if (record.status() != SlashStatus.Pending) revert WrongStatus(slashId, record.status());
        if (block.timestamp > record.disputeEnd()) revert DisputeWindowClosed(slashId, record.disputeEnd());
        if (msg.sender != IOperatorVault(details.vault).OPERATOR()) revert NotOperator(msg.sender);
        if (details.disputeBond > 0) TokenTransferLib.pullExact(STAKE_TOKEN, msg.sender, details.disputeBond);
        // the deadline fixed at request: dispute window + deadline never exceed PARAM_CHANGE_DELAY, so attester
        // bonds (locked that long after an exit) are still there for an overturn
        uint256 resolveBy = block.timestamp + details.resolutionDeadline;
        _records[slashId] = SlashRecordLib.pack(record.detailsHash(), SlashStatus.Disputed, record.disputeEnd(), resolveBy);
        emit SlashDisputed(slashId, msg.sender, details.disputeBond, resolveBy);
    }

    /// @inheritdoc ISlashingCourt
    function resolve(SlashDetails calldata details, uint256 upheldAmount) external nonReentrant {
        (bytes32 slashId, uint256 record) = _load(details);
        if (msg.sender != REGISTRY.resolverOf(details.serviceId)) revert NotResolver(msg.sender);
        if (record.status() != SlashStatus.Disputed) revert WrongStatus(slashId, record.status());
        if (block.timestamp > record.resolveBy()) revert ResolutionDeadlinePassed(slashId, record.resolveBy());
        // the resolver's power is bounded: it may lower the slash, never raise it
        if (upheldAmount > details.amount) revert ResolutionExceedsSlash(upheldAmount, details.amount);

        if (upheldAmount == 0) {
            _release(details, details.amount);
            _records[slashId] = SlashRecordLib.pack(
                record.detailsHash(), SlashStatus.Overturned, record.disputeEnd(), record.resolveBy()
            );
            _markSettled(details.vault, details.seq);
            address operator = _refundDisputeBond(details);
            // a report the resolver overturns costs the attesters who signed it, paid to the operator it wronged
            uint256 attestersSlashed = REGISTRY.slashAttesters(
                details.serviceId,
                details.signers,
                REGISTRY.serviceParams(details.serviceId).attesterPenaltyBps,
                operator
            );
            // the registry sent the penalties here: pay them to the operator the report wronged (or credit it)
            _payOrCredit(operator, attestersSlashed);
            emit SlashOverturned(slashId, attestersSlashed);
            return;
        }

        if (upheldAmount < details.amount) _release(details, details.amount - upheldAmount);
        SlashDetails memory upheld = details;
        upheld.amount = uint96(upheldAmount);
        _records[slashId] = SlashRecordLib.pack(
            SlashRecordLib.hashDetails(upheld), SlashStatus.Upheld, record.disputeEnd(), record.resolveBy()
        );
        // a dispute that fails pays its bond to the reporter who had to defend the report, in proportion to how much
        // of the slash was upheld (rounded down); the operator gets the rest back. A token-refused payee is credited.
        uint256 toReporter = uint256(details.disputeBond) * upheldAmount / details.amount;
        _payOrCredit(details.reporter, toReporter);
        _payOrCredit(IOperatorVault(details.vault).OPERATOR(), details.disputeBond - toReporter);
        emit SlashUpheld(slashId, upheld);
    }

    /// @inheritdoc ISlashingCourt
    function lapse(SlashDetails calldata details) external nonReentrant {
        (bytes32 slashId, uint256 record) = _load(details);
        if (record.status() != SlashStatus.Disputed) revert WrongStatus(slashId, record.status());
        if (block.timestamp <= record.resolveBy()) revert ResolutionDeadlineNotPassed(slashId, record.resolveBy());
        // a resolver that never rules cannot freeze stake: the slash is cancelled, the bond goes back
        _release(details, details.amount);
        _records[slashId] =
            SlashRecordLib.pack(record.detailsHash(), SlashStatus.Lapsed, record.disputeEnd(), record.resolveBy());
        _markSettled(details.vault, details.seq);
        _refundDisputeBond(details);
        emit SlashLapsed(slashId);
    }

    /* EXECUTION */

    /// @inheritdoc ISlashingCourt
    function executeSlash(SlashDetails calldata details) external nonReentrant {
        (bytes32 slashId, uint256 record) = _load(details);
        SlashStatus status = record.status();
        if (status == SlashStatus.Pending) {
            if (block.timestamp <= record.disputeEnd()) revert DisputeWindowOpen(slashId, record.disputeEnd());
        } else if (status != SlashStatus.Upheld) {
            revert WrongStatus(slashId, status);
        }
        // an order's collateral slash is senior: it executes when its own window allows, ahead of report slashes
        // queued before it (which wait while orders' collateral would be left unbacked); reports keep request order
        bool order = uint256(details.incidentId) & ORDER_INCIDENT_FLAG != 0;
        if (order) _markSettled(details.vault, details.seq);
        else _advanceQueue(details.vault, slashId, details.seq);
        _records[slashId] =
            SlashRecordLib.pack(record.detailsHash(), SlashStatus.Executed, record.disputeEnd(), record.resolveBy());

        SlashOutcome memory o = IOperatorVault(details.vault).executeSlash(
            details.serviceId,
            details.amount,
            SlashPayees({
                client: details.client,
                reporter: details.reporter,
                sink: details.sink,
                clientShareBps: details.clientShareBps,
                reporterShareBps: details.reporterShareBps,
                ban: details.permanentBan,
                jailDuration: details.jailDuration,
                order: order,
                waitForOrders: !order && block.timestamp <= record.disputeEnd() + MAX_ORDER_WAIT
            })
        );
        _punish(details, o.jailedUntil);
        emit SlashExecuted(
            slashId, details.vault, details.serviceId, o.fromBond, o.fromPool, o.toClient, o.toReporter, o.toSink
        );
    }

    /// @inheritdoc ISlashingCourt
    function onAllocationChanged(uint64 serviceId, uint256 oldAmount, uint256 newAmount) external {
        if (!FACTORY.isVault(msg.sender)) revert NotVault(msg.sender);
        ServiceState storage s = _services[serviceId];
        uint256 allocated = s.allocated + newAmount - oldAmount;
        s.allocated = SafeCast.toUint96(allocated);
        OperatorState storage op = _operators[serviceId][msg.sender];
        if (!op.known) {
            op.known = true;
            // set the vault's queue word now so that no slash request pays for writing it from zero
            Queue storage q = _queues[msg.sender];
            if (q.tail == 0) (q.head, q.tail) = (1, 1);
        }
        // rewards are weighted by allocation: checkpoint the vault before its weight changes
        REWARDS.onAllocationChanged(serviceId, msg.sender, newAmount);
        emit ServiceAllocationChanged(serviceId, msg.sender, allocated);
    }

    /* VIEWS */

    function reportDigest(SlashReport calldata report) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REPORT_TYPEHASH, report.serviceId, report.vault, report.classId, report.incidentId, report.client
                )
            )
        );
    }

    function slashStatus(bytes32 slashId) external view returns (SlashStatus status, uint256 disputeEnd, uint256 resolveBy) {
        uint256 record = _records[slashId];
        return (record.status(), record.disputeEnd(), record.resolveBy());
    }

    function serviceAllocated(uint64 serviceId) external view returns (uint256) {
        return _services[serviceId].allocated;
    }

    function slashedInWindow(uint64 serviceId) external view returns (uint256) {
        ServiceState storage s = _services[serviceId];
        uint256 window = REGISTRY.serviceParams(serviceId).correlationWindow;
        return SlashMathLib.slashedInWindow(s.epoch, s.current, s.previous, block.timestamp, window);
    }

    function jailedUntil(uint64 serviceId, address vault) external view returns (uint256) {
        return IOperatorVault(vault).jailedUntil(serviceId);
    }

    function isBanned(uint64 serviceId, address vault) external view returns (bool) {
        return IOperatorVault(vault).isBanned(serviceId);
    }

    /// @notice The sequence number of the vault's oldest unsettled slash (equal to the tail when none is open).
    function nextToExecute(address vault) external view returns (uint64 seq) {
        Queue memory q = _queues[vault];
        for (seq = q.head; seq < q.tail && _isSettled(vault, seq); ++seq) {}
    }

    function queueLength(address vault) external view returns (uint64 head, uint64 tail) {
        Queue memory q = _queues[vault];
        return (q.head, q.tail);
    }

    /* INTERNAL */

    function _slashId(uint64 serviceId, address vault, bytes32 incidentId) internal pure returns (bytes32) {
        return keccak256(abi.encode(serviceId, vault, incidentId));
    }

    function _recoverSigners(SlashReport calldata report, Signature[] calldata signatures)
        internal
        view
        returns (address[] memory signers)
    {
        bytes32 digest = reportDigest(report);
        signers = new address[](signatures.length);
        for (uint256 i; i < signatures.length; ++i) {
            // OpenZeppelin's recover rejects malleable (high-s) signatures and the zero address
            signers[i] = ECDSA.recover(digest, signatures[i].r, signatures[i].vs);
        }
    }

    /// @dev Correlation term from the service's window, then the vault fixes and reserves the capped amount.
    function _reserve(SlashReport calldata report, ReportTerms memory t) internal returns (uint256 amount) {
        ServiceState storage s = _services[report.serviceId];
        uint256 window = t.correlationWindow;
        uint256 stateEpoch = s.epoch;
        // `previous` is read only when it still counts: while `current` is this epoch's
        uint256 inWindow = SlashMathLib.slashedInWindow(
            stateEpoch, s.current, stateEpoch == block.timestamp / window ? s.previous : 0, block.timestamp, window
        );
        uint256 penaltyBps = Math.min(
            BPS,
            t.basePenaltyBps + SlashMathLib.correlationPenaltyBps(inWindow, s.allocated, t.correlationMultiplierBps)
        );
        amount = IOperatorVault(report.vault).reserveSlash(
            report.serviceId,
            SlashSizing({
                penaltyBps: uint16(penaltyBps),
                incidentCapBps: t.incidentCapBps,
                windowCapBps: t.windowCapBps,
                window: t.correlationWindow,
                fixedAmount: 0
            })
        );
        uint256 epoch = block.timestamp / window;
        if (s.epoch == epoch) {
            s.current += uint96(amount);
        } else {
            s.previous = s.epoch + 1 == epoch ? s.current : 0;
            s.current = uint96(amount);
            s.epoch = uint40(epoch);
        }
    }

    /// @dev An order's collateral slash: all of it to the client, who also defends it (an upheld dispute's bond is
    /// paid to it); the reported class's jail or ban applies, none for a deadline failure.
    function _orderSlashDetails(
        OrderSlashRequest calldata r,
        ServiceParams memory p,
        bytes32 incidentId,
        uint256 amount,
        uint64 seq
    ) internal view returns (SlashDetails memory d, uint256 disputeEnd) {
        ViolationClass memory vc;
        if (r.classId != NO_CLASS) vc = REGISTRY.violationClasses(r.serviceId)[r.classId];
        d = SlashDetails({
            serviceId: r.serviceId,
            vault: r.vault,
            classId: r.classId,
            incidentId: incidentId,
            client: r.client,
            reporter: r.client,
            sink: p.sink,
            amount: uint96(amount),
            disputeBond: p.disputeBond,
            clientShareBps: uint16(BPS),
            reporterShareBps: 0,
            jailDuration: vc.jailDuration,
            permanentBan: vc.permanentBan,
            resolutionDeadline: p.resolutionDeadline,
            seq: seq,
            signers: r.signers,
            requestedAt: uint40(block.timestamp)
        });
        disputeEnd = block.timestamp + p.disputeWindow;
    }

    /// @dev Releases a reservation and takes it out of the service's and the operator's windows if still in its epoch.
    function _release(SlashDetails calldata details, uint256 amount) internal {
        uint256 window = REGISTRY.serviceParams(details.serviceId).correlationWindow;
        // an order's collateral slash never entered the correlation windows: an epoch no window has
        uint256 requestEpoch =
            uint256(details.incidentId) & ORDER_INCIDENT_FLAG != 0 ? type(uint256).max : details.requestedAt / window;
        IOperatorVault(details.vault).releaseSlash(details.serviceId, amount, requestEpoch);
        ServiceState storage s = _services[details.serviceId];
        if (s.epoch == requestEpoch) {
            s.current = s.current > amount ? s.current - uint96(amount) : 0;
        }
    }

    function _refundDisputeBond(SlashDetails calldata details) internal returns (address operator) {
        operator = IOperatorVault(details.vault).OPERATOR();
        _payOrCredit(operator, details.disputeBond);
    }

    function _creditToken() internal view override returns (IERC20) {
        return STAKE_TOKEN;
    }

    function _load(SlashDetails calldata details) internal view returns (bytes32 slashId, uint256 record) {
        slashId = _slashId(details.serviceId, details.vault, details.incidentId);
        record = _records[slashId];
        if (record == 0) revert SlashNotFound(slashId);
        if (record.detailsHash() != SlashRecordLib.hashDetailsCalldata(details)) revert DetailsMismatch(slashId);
    }

    /// @dev Reports of one vault execute in request order: every slash before `seq` must be settled. Executions
    /// move the head; overturned and lapsed slashes are marked in a bitmap and skipped here, each at most once,
    /// so the loop is O(1) amortised.
    function _advanceQueue(address vault, bytes32 slashId, uint64 seq) internal {
        Queue storage q = _queues[vault];
        uint64 head = q.head;
        while (head < seq) {
            if (!_isSettled(vault, head)) revert SlashNotNextInQueue(slashId, head);
            ++head;
        }
        q.head = seq + 1;
    }

    function _markSettled(address vault, uint64 seq) internal {
        // only needed when the head is behind: the head itself is never re-checked
        if (seq >= _queues[vault].head) _settled[vault][seq >> 8] |= uint256(1) << (seq & 255);
    }

    function _isSettled(address vault, uint64 seq) internal view returns (bool) {
        return (_settled[vault][seq >> 8] >> (seq & 255)) & 1 == 1;
    }

    /// @dev The ban or jail itself is stored in the vault's allocation by executeSlash; the court records it.
    function _punish(SlashDetails calldata details, uint256 jailedUntil_) internal {
        if (details.permanentBan) {
            emit OperatorBannedForever(details.serviceId, details.vault);
        } else if (details.jailDuration > 0) {
            emit OperatorJailed(details.serviceId, details.vault, jailedUntil_);
        }
    }
}
