// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A service's SLA and economic terms. Packed into four storage slots.
/// @dev Every field is bounded by ServiceRegistry._validate; see docs/protocol.md for each one.
struct ServiceParams {
    // slot 1
    address resolver; // rules on disputed slashes
    uint32 disputeWindow; // seconds an operator has to dispute a requested slash
    uint32 resolutionDeadline; // seconds the resolver has to rule on a dispute before the slash lapses
    uint16 quorumBps; // share of the committee's bond that must sign a report
    uint16 reporterShareBps; // share of an executed slash paid to the reporter
    // slot 2
    address sink; // receives what is left of a slash (burn address, insurance fund, treasury)
    uint96 disputeBond; // posted by an operator to dispute
    // slot 3
    uint32 correlationWindow; // seconds; also the window of the per-operator cap
    uint32 correlationMultiplierBps; // 30_000 = 3x the fraction of stake slashed in the window
    uint16 incidentCapBps; // largest slash per incident, of the operator's allocation
    uint16 windowCapBps; // largest total per window and operator, of its allocation
    uint16 clientShareBps; // share of an executed slash paid to the harmed client
    uint16 attesterPenaltyBps; // share of each signer's bond taken when a report is overturned
    uint96 minAttesterBond; // an attester counts toward quorum only with at least this bond
    uint32 minAllocationDelay; // reserved: 0 today; keeps the slot layout stable for the orders issue
    // slot 4: orders (used by the orders issue) and the value the service declares it secures
    uint16 orderFeeBps;
    uint16 collateralFactorBps;
    uint16 collateralFloorBps;
    uint128 declaredValue;
}

/// @notice A kind of SLA breach and what it costs.
struct ViolationClass {
    uint16 basePenaltyBps; // of the operator's allocation to the service
    uint32 jailDuration; // seconds the operator may not raise its allocation after an executed slash
    bool permanentBan; // an executed slash of this class bans the operator from the service for good
}

/// @notice What an attester quorum signs (EIP-712), bound to chain id and court by the domain.
struct SlashReport {
    uint64 serviceId;
    address vault;
    uint8 classId;
    bytes32 incidentId;
    address client; // the harmed client, or zero
}

/// @notice EIP-2098 compact signature.
struct Signature {
    bytes32 r;
    bytes32 vs;
}

/// @notice What the registry tells the court about a report: the terms in force and the signers' bitmap.
struct ReportTerms {
    uint16 basePenaltyBps;
    uint32 jailDuration;
    bool permanentBan;
    uint32 disputeWindow;
    uint32 resolutionDeadline;
    uint96 disputeBond;
    address sink;
    uint16 clientShareBps;
    uint16 reporterShareBps;
    uint16 attesterPenaltyBps;
    uint32 correlationWindow;
    uint32 correlationMultiplierBps;
    uint16 incidentCapBps;
    uint16 windowCapBps;
    uint64 signers; // bit i set = attester at committee index i signed
}

/// @notice Everything fixed when a slash is requested. The court stores only a 160-bit hash of it; callers pass
/// it back (it is in the SlashRequested event) to dispute, resolve, lapse or execute.
struct SlashDetails {
    uint64 serviceId;
    address vault;
    uint8 classId;
    bytes32 incidentId;
    address client;
    address reporter;
    address sink;
    uint96 amount;
    uint96 disputeBond;
    uint16 clientShareBps;
    uint16 reporterShareBps;
    uint32 jailDuration;
    bool permanentBan;
    uint32 resolutionDeadline; // fixed here so the whole pipeline stays within PARAM_CHANGE_DELAY
    uint64 seq;
    uint64 signers;
    uint40 requestedAt;
}

/// @notice The caps and penalty the vault applies when it fixes a slash amount. An order's collateral slash sets
/// `fixedAmount` instead: the reserved collateral, held only to the stake that is actually slashable.
struct SlashSizing {
    uint16 penaltyBps;
    uint16 incidentCapBps;
    uint16 windowCapBps;
    uint32 window;
    uint96 fixedAmount;
}

/// @notice Life of a slash in the court.
enum SlashStatus {
    None,
    Pending,
    Disputed,
    Upheld,
    Executed,
    Overturned,
    Lapsed
}

/// @notice Who is paid when a slash executes, and the shares fixed at request.
struct SlashPayees {
    address client;
    address reporter;
    address sink;
    uint16 clientShareBps;
    uint16 reporterShareBps;
    bool ban; // the class bans the operator from the service for good
    uint32 jailDuration; // otherwise, seconds the operator may not raise its allocation nor take orders there
    bool order; // an order's collateral slash: senior (held as reserved until it settles), outside the queue
    bool waitForOrders; // a report still within MAX_ORDER_WAIT of its dispute window: waits for orders' collateral
}

/// @notice What a slash execution actually took and paid.
struct SlashOutcome {
    uint256 taken;
    uint256 fromBond;
    uint256 fromPool;
    uint256 toClient;
    uint256 toReporter;
    uint256 toSink;
    uint256 jailedUntil; // set when the slash jailed the operator
}

/// @notice What a client fixes when it opens an order. The order book stores a 160-bit hash of it; callers pass it
/// back (it is in the OrderOpened event). A job pays `budget` (or the winning bid's price) by milestones; a lease
/// streams `budget` at `ratePerSecond` (or the winning bid's rate) from acceptance until the funds run out.
struct OrderParams {
    address client;
    uint64 serviceId;
    address paymentToken; // the stake token (fees go to stakers) or another ERC-20 (fees go to the service owner)
    address vault; // the named operator's vault, or zero for an intent that operators bid on
    uint96 budget; // escrowed at open: a job's price (named) or most it pays (intent); a lease's whole funds
    uint96 value; // collateral base in stake-token units for a foreign payment token; 0 for the stake token
    uint96 ratePerSecond; // leases: the rate (named) or the highest rate accepted (intent); 0 for a job
    uint40 biddingEnds; // intents take bids until then; a named operator must accept by then
    uint40 deadline; // jobs: every milestone settled by then, else the order fails; 0 for a lease
    uint64 milestones; // up to 4 shares of the price in bps, 16 bits each from the lowest; 0 = one milestone
    uint16 feeBps; // the service's terms when the order opened
    uint16 collateralFactorBps;
    uint16 collateralFloorBps;
}

/// @notice Off-chain terms and the thresholds the attesters judge, fixed at open and published in OrderOpened.
struct OrderTerms {
    bytes32 termsHash; // hash of the off-chain agreement (geofence checkpoints, job spec, ...)
    uint32 maxLatencyMs; // compute: a probe slower than this counts as down
    uint16 minUptimeBps; // compute: uptime below this over an epoch is a violation
    int16 minTempCentiC; // cold chain: lowest admissible reading, in 1/100 degree Celsius
    int16 maxTempCentiC;
    uint40 pickupBy; // shipments: the pickup milestone must happen by then (0: none)
    address device; // the key that signs this order's telemetry (zero for compute)
}

/// @notice What the order book asks the court when an order fails.
struct OrderSlashRequest {
    uint64 serviceId;
    address vault;
    uint256 orderId;
    address client;
    uint256 collateral;
    uint8 classId; // the violation class the attesters reported, or NO_CLASS for a deadline failure
    uint64 signers; // the attesters' bitmap (overturning the slash costs them their bond), 0 for a deadline
}

// The class id of an order that failed by its deadline, without an attester report (no jail, no ban).
uint8 constant NO_CLASS = type(uint8).max;

/// @notice Life of an order.
enum OrderStatus {
    None,
    Open, // escrowed; awaiting the named operator or taking bids
    Active, // accepted: collateral reserved
    Completed,
    Failed,
    Cancelled
}

/// @notice How an order's collateral is released, and what it does to the operator's reputation.
enum OrderResult {
    Cancelled, // by mutual consent: no change
    Succeeded,
    Failed
}

/// @notice What an attester quorum signs about an order (EIP-712, bound to chain id and order book).
struct OrderOutcome {
    uint256 orderId;
    // the order's parameters hash as the order book stores it (order(orderId).paramsHash: keccak256(abi.encode(params))
    // in its low 160 bits): a reorg that renumbers orders cannot make a signature for one order valid for another
    bytes32 paramsHash;
    // the vault that holds the order (order(orderId).vault): an open-bid order's params carry vault 0 and the winner
    // is chosen after opening (pickBid / accept), so a reorg that re-orders the acceptance gives the same (id, params)
    // to another vault; naming the vault keeps a verdict on one operator's tenure off another's
    address vault;
    uint8 milestone; // the milestone judged (the next unsettled one)
    bool success;
    uint8 classId; // on failure: the service's violation class (jail/ban); ignored on success
}
