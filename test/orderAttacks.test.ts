/**
 * Attacks on orders: over-committing collateral (one service and across restaked services), acting on someone
 * else's order, late bids, a hostile payment token re-entering the order book, contradictory outcomes for one
 * milestone, tampered order parameters, and outcome signatures reused for an order a reorg renumbered or from
 * another order book or chain. Each test shows the attack fails and nothing moved.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  type Account,
  type Address,
  encodeFunctionData,
  getAddress,
  maxUint256,
  parseEther,
  zeroAddress,
} from 'viem'
import { ContractRevertedError, InvalidInputError } from '../src/errors.ts'
import { orderBookBytecode, reentrantTokenAbi, reentrantTokenBytecode } from '../src/generated/contracts.ts'
import {
  acceptOrder,
  agreeCancelOrder,
  bidOnOrder,
  cancelOrder,
  confirmMilestone,
  expireOrder,
  type OrderOutcomeDomain,
  type OrderRef,
  orderBookAbi,
  orderIncidentId,
  orderParamsHash,
  orderSignatures,
  pickBid,
  readOrder,
  readOwed,
  readReputation,
  reportOrderOutcome,
  requestSlash,
  requestWithdrawal,
  settleLease,
  signOrderOutcome,
  signReport,
  withdrawOwed,
} from '../src/sdk/index.ts'
import { sharesOf, travelTo } from './support/court.ts'
import { expectRevert } from './support/expectRevert.ts'
import { allocateNow, setupService, type VaultFixture } from './support/fixtures.ts'
import {
  attestOutcome,
  openAcceptedJob,
  openTestOrder,
  orderBookRaw,
  orderDomain,
  setupOrders,
  signOutcome,
} from './support/orders.ts'
import { useWorld, type World } from './support/world.ts'

const { world, fixture } = useWorld(setupOrders)

describe('attack: an operator accepting more orders than its collateral covers', () => {
  test('the allocation caps the collateral open orders hold on one service', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const [op] = ops
    // 150% collateral at a zero reputation: a 10,000 job holds 15,000 of the 20,000 allocated
    await openAcceptedJob(w, client, op!, { serviceId: svc.serviceId, budget: parseEther('10000') })
    await expectAcceptanceRefused(
      w,
      op!,
      svc.serviceId,
      parseEther('4000'),
      parseEther('6000'),
      parseEther('5000'),
    )
    const { reserved } = await readReputation(w, op!.vault, svc.serviceId)
    assert.equal(reserved, parseEther('15000'), 'only the first order holds collateral')
  })

  test('restaking cannot let two services count the same stake for their orders', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const [op] = ops
    // the vault holds 30,000 (10,000 bond + 20,000 delegated) and restakes 20,000 to a second service
    const other = await setupService(w, {
      params: { orderFeeBps: 100, collateralFactorBps: 15_000, collateralFloorBps: 5_000 },
    })
    await allocateNow(w, op!.operator, op!.vault, other.serviceId, parseEther('20000'))
    await openAcceptedJob(w, client, op!, { serviceId: svc.serviceId, budget: parseEther('12000') })
    // 18,000 held on the first service: only 12,000 of the vault is left, although 20,000 is allocated here
    await expectAcceptanceRefused(
      w,
      op!,
      other.serviceId,
      parseEther('10000'),
      parseEther('15000'),
      parseEther('12000'),
    )
  })

  test('stake queued for withdrawal backs no new order, so a bid that fit may not be accepted', async () => {
    const w = world()
    const { client, ops, svc, staker } = fixture()
    const [op] = ops
    const intent = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('10000') })
    await bidOnOrder(w.clientFor(op!.operator), {
      ...intent,
      price: parseEther('10000'),
      collateral: parseEther('15000'),
    })
    // the staker asks for all 20,000 of its delegation back: only the 10,000 bond is left to back orders
    const shares = await sharesOf(w, op!.vault, staker.address)
    await requestWithdrawal(w.clientFor(staker), { vault: op!.vault, shares })
    await travelTo(w, BigInt(intent.params.biddingEnds))
    await expectRevert(acceptOrder(w.clientFor(client), intent), 'CollateralUnavailable')
    assert.equal((await readOrder(w, intent.orderId)).status, 'Open', 'the order waits for another pick')
  })
})

describe('attack: acting on someone else’s order', () => {
  test('another client cannot confirm, cancel or pick a bid on the order', async () => {
    const w = world()
    const { client, otherClient, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
      milestones: [2000, 8000],
    })
    const intruder = w.clientFor(otherClient)
    await expectRevert(confirmMilestone(intruder, job), 'NotClient', [otherClient.address])
    const open = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('100') })
    await expectRevert(cancelOrder(intruder, open), 'NotClient', [otherClient.address])
    await bidOnOrder(w.clientFor(ops[1]!.operator), {
      ...open,
      price: parseEther('90'),
      collateral: parseEther('135'),
    })
    await expectRevert(pickBid(intruder, { ...open, vault: ops[1]!.vault }), 'NotClient', [
      otherClient.address,
    ])
    assert.equal((await readOrder(w, job.orderId)).settled, 0, 'no milestone was paid')
  })

  test('an operator who does not run the order cannot accept it or agree to cancel it', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const named = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      vault: ops[0]!.vault,
      budget: parseEther('100'),
    })
    const stranger = ops[1]!.operator
    await expectRevert(acceptOrder(w.clientFor(stranger), named), 'NotOrderOperator', [stranger.address])
    await acceptOrder(w.clientFor(ops[0]!.operator), named)
    await agreeCancelOrder(w.clientFor(client), named)
    await expectRevert(agreeCancelOrder(w.clientFor(stranger), named), 'NotOrderOperator', [stranger.address])
    assert.equal((await readOrder(w, named.orderId)).status, 'Active', 'one consent is not enough')
  })

  test('parameters that are not the order’s are refused (a smaller budget, another client)', async () => {
    const w = world()
    const { client, otherClient, svc } = fixture()
    const open = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('100') })
    await expectRevert(
      cancelOrder(w.clientFor(otherClient), {
        ...open,
        params: { ...open.params, client: otherClient.address },
      }),
      'ParamsMismatch',
      [open.orderId],
    )
    await expectRevert(
      cancelOrder(w.clientFor(client), { ...open, params: { ...open.params, budget: parseEther('1') } }),
      'ParamsMismatch',
      [open.orderId],
    )
  })
})

describe('attack: bidding after the window', () => {
  test('a bid at or after biddingEnds reverts, and a late bid cannot displace the winner', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const intent = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('100') })
    await bidOnOrder(w.clientFor(ops[0]!.operator), {
      ...intent,
      price: parseEther('100'),
      collateral: parseEther('150'),
    })
    await travelTo(w, BigInt(intent.params.biddingEnds))
    await expectRevert(
      bidOnOrder(w.clientFor(ops[1]!.operator), {
        ...intent,
        price: parseEther('1'),
        collateral: parseEther('150'),
      }),
      'BiddingClosed',
      [intent.orderId, BigInt(intent.params.biddingEnds)],
    )
    const { result } = await acceptOrder(w.clientFor(ops[1]!.operator), intent)
    assert.equal(getAddress(result.vault), getAddress(ops[0]!.vault), 'the bid inside the window wins')
  })

  test('a vault the factory did not make cannot bid', async () => {
    const w = world()
    const { client, svc, otherClient } = fixture()
    const intent = await openTestOrder(w, client, { serviceId: svc.serviceId, budget: parseEther('100') })
    await expectRevert(
      bidOnOrder(w.clientFor(otherClient), {
        ...intent,
        price: parseEther('1'),
        collateral: parseEther('150'),
      }),
      'NotAnOperator',
      [otherClient.address],
    )
  })
})

describe('attack: re-entering the order book through the payment token', () => {
  test('a token that calls back during a payment is refused by the guard and the lease pays once', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const token = await deployReentrantToken(w, client.address)
    // wait for the approval to be mined: the order is opened from the same account right after
    const approved = await w.clientFor(client).wallet.writeContract({
      address: token,
      abi: reentrantTokenAbi,
      functionName: 'approve',
      args: [w.addresses.orders, maxUint256],
      chain: null,
    })
    await w.public.waitForTransactionReceipt({ hash: approved })
    const rate = parseEther('1')
    const lease = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      paymentToken: token,
      budget: parseEther('3600'),
      value: parseEther('3600'),
      ratePerSecond: rate,
    })
    // arm the token: every transfer calls settleLease on the same lease again
    const again = encodeFunctionData({
      abi: orderBookAbi,
      functionName: 'settleLease',
      args: [lease.orderId, lease.params],
    })
    const armed = await w.clientFor(client).wallet.writeContract({
      address: token,
      abi: reentrantTokenAbi,
      functionName: 'arm',
      args: [w.addresses.orders, again],
      chain: null,
    })
    await w.public.waitForTransactionReceipt({ hash: armed })
    await w.travel(600)
    const { result } = await settleLease(w.clientFor(keeper), lease)
    const read = (functionName: 'attempts' | 'successes') =>
      w.public.readContract({ address: token, abi: reentrantTokenAbi, functionName })
    assert.ok((await read('attempts')) >= 1n, 'the token did call back')
    assert.equal(await read('successes'), 0n, 'no re-entrant call got through')
    const lastError = await w.public.readContract({
      address: token,
      abi: reentrantTokenAbi,
      functionName: 'lastError',
    })
    assert.equal(lastError, '0x3ee5aeb5', 'refused with ReentrancyGuardReentrantCall()')
    const order = await readOrder(w, lease.orderId)
    assert.equal(order.paid, result.streamed, 'paid once, exactly what streamed')
    const operatorBalance = await w.public.readContract({
      address: token,
      abi: reentrantTokenAbi,
      functionName: 'balanceOf',
      args: [ops[0]!.operator.address],
    })
    assert.equal(operatorBalance, result.amount - result.fee)
  })
})

describe('attack: success and failure for the same milestone', () => {
  test('after a success the failure report for that milestone cannot land, nor can the success be replayed', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
      milestones: [2000, 8000],
    })
    const quorum = svc.attesters.slice(0, 3)
    await attestOutcome(w, quorum, job, { success: true, milestone: 0 })
    await expectRevert(attestOutcome(w, quorum, job, { success: false, milestone: 0 }), 'MilestoneMismatch', [
      job.orderId,
      0n,
      1n,
    ])
    await expectRevert(attestOutcome(w, quorum, job, { success: true, milestone: 0 }), 'MilestoneMismatch', [
      job.orderId,
      0n,
      1n,
    ])
    const order = await readOrder(w, job.orderId)
    assert.equal(order.status, 'Active')
    assert.equal(order.paid, parseEther('20'), 'the first milestone was paid once')
  })

  test('after a failure no success can land, and the failure opened exactly one slash', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
    })
    const quorum = svc.attesters.slice(0, 3)
    await attestOutcome(w, quorum, job, { success: false, milestone: 0, classId: 0 })
    await expectRevert(attestOutcome(w, quorum, job, { success: true, milestone: 0 }), 'WrongOrderStatus', [
      job.orderId,
      4,
    ])
    await expectRevert(attestOutcome(w, quorum, job, { success: false, milestone: 0 }), 'WrongOrderStatus', [
      job.orderId,
      4,
    ])
    const [head, tail] = await w.public.readContract({
      address: w.addresses.court,
      abi: [
        {
          type: 'function',
          name: 'queueLength',
          stateMutability: 'view',
          inputs: [{ type: 'address' }],
          outputs: [{ type: 'uint64' }, { type: 'uint64' }],
        },
      ],
      functionName: 'queueLength',
      args: [ops[0]!.vault],
    })
    assert.equal(tail - head, 1n, 'one pending slash for the failed order')
  })

  test('attesters cannot take the order’s slash id first with a report in the order range', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
    })
    const report = {
      serviceId: svc.serviceId,
      vault: ops[0]!.vault,
      classId: 0,
      incidentId: orderIncidentId(job.orderId),
      client: zeroAddress as Address,
    }
    const domain = { chainId: w.chainId, court: w.addresses.court }
    const signatures = await Promise.all(svc.attesters.slice(0, 3).map((a) => signReport(a, domain, report)))
    await expectRevert(requestSlash(w.clientFor(keeper), { report, signatures }), 'ReservedIncidentId', [
      report.incidentId,
    ])
  })
})

describe('attack: locking collateral or paying after the deadline', () => {
  test('a lease intent cannot be won at a rate so low that its funds would stream past MAX_DURATION', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const budget = parseEther('10')
    const lease = await openTestOrder(w, client, {
      serviceId: svc.serviceId,
      budget,
      ratePerSecond: parseEther('0.001'),
    })
    const maxDuration = 365n * 86_400n
    const tooLow = budget / (2n * maxDuration) // twice as slow as allowed
    await expectRevert(
      bidOnOrder(w.clientFor(ops[0]!.operator), { ...lease, price: tooLow, collateral: parseEther('15') }),
      'LeaseTooLong',
      [budget / tooLow],
    )
    // the slowest admissible rate streams within the limit
    const slowest = budget / maxDuration + 1n
    await bidOnOrder(w.clientFor(ops[0]!.operator), {
      ...lease,
      price: slowest,
      collateral: parseEther('15'),
    })
  })

  test('after the deadline an attested success cannot race expire; the client may still confirm', async () => {
    const w = world()
    const { client, ops, svc } = fixture()
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
      milestones: [2000, 8000],
    })
    await travelTo(w, BigInt(job.params.deadline) + 1n)
    await expectRevert(
      attestOutcome(w, svc.attesters.slice(0, 3), job, { success: true }),
      'DeadlinePassed',
      [job.orderId, BigInt(job.params.deadline)],
    )
    const { result } = await confirmMilestone(w.clientFor(client), job)
    assert.equal(result.amount, parseEther('20'), 'the client chose to pay the first milestone')
  })
})

describe('attack: an order that nothing can slash must still fail', () => {
  test('a job of a service that asks no collateral expires: the client is credited its refund, no slash is opened', async () => {
    const w = world()
    const { client, ops, keeper } = fixture()
    const free = await setupService(w, {
      params: { orderFeeBps: 0, collateralFactorBps: 0, collateralFloorBps: 0 },
    })
    await allocateNow(w, ops[0]!.operator, ops[0]!.vault, free.serviceId, parseEther('1000'))
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: free.serviceId,
      budget: parseEther('100'),
    })
    assert.equal(job.acceptance.collateral, 0n)
    const before = await w.balanceOf(client.address)
    await travelTo(w, BigInt(job.params.deadline) + 1n)
    const { result } = await expireOrder(w.clientFor(keeper), job)
    assert.equal(result.refund, parseEther('100'))
    assert.equal(result.slashAmount, 0n)
    assert.equal(result.slash, undefined)
    assert.equal((await readOrder(w, job.orderId)).status, 'Failed')
    // the refund is credited (OrderBook.owed), not sent: the client withdraws it
    assert.equal(await w.balanceOf(client.address), before)
    assert.equal(await readOwed(w, w.addresses.stakeToken, client.address), parseEther('100'))
    await withdrawOwed(w.clientFor(client), { token: w.addresses.stakeToken })
    assert.equal(await w.balanceOf(client.address), before + parseEther('100'))
    assert.equal(await readOwed(w, w.addresses.stakeToken, client.address), 0n)
  })
})

/** Opens a named job for `op` and shows its operator cannot accept it: `needed` collateral, only `room` left. */
async function expectAcceptanceRefused(
  w: World,
  op: VaultFixture,
  serviceId: bigint,
  budget: bigint,
  needed: bigint,
  room: bigint,
) {
  const order = await openTestOrder(w, fixture().client, { serviceId, vault: op.vault, budget })
  await expectRevert(acceptOrder(w.clientFor(op.operator), order), 'CollateralUnavailable', [
    serviceId,
    needed,
    room,
  ])
}

async function deployReentrantToken(w: World, mintTo: Address): Promise<Address> {
  const wallet = w.clientFor(w.deployer).wallet
  const hash = await wallet.deployContract({
    abi: reentrantTokenAbi,
    bytecode: reentrantTokenBytecode,
    chain: null,
  })
  const { contractAddress } = await w.public.waitForTransactionReceipt({ hash })
  const token = getAddress(contractAddress!)
  const mint = await wallet.writeContract({
    address: token,
    abi: reentrantTokenAbi,
    functionName: 'mint',
    args: [mintTo, parseEther('100000')],
    chain: null,
  })
  await w.public.waitForTransactionReceipt({ hash: mint })
  return token
}

describe('attack: reusing a quorum’s outcome signatures for another order', () => {
  /** The quorum's signatures of a success of milestone 0 of `job`, under `domain`. */
  const signSuccess = async (job: OrderRef, domain: OrderOutcomeDomain, signers: readonly Account[]) => {
    const outcome = {
      orderId: job.orderId,
      paramsHash: orderParamsHash(job.params),
      vault: (await readOrder(world(), job.orderId)).vault,
      milestone: 0,
      success: true,
      classId: 0,
    }
    return Promise.all(signers.map((a) => signOrderOutcome(a, domain, outcome))).then((signed) => ({
      outcome,
      signatures: orderSignatures(signed),
    }))
  }
  /** A refusal because the recovered signers are not the committee (the digest is another message's). */
  const refusedAsNotSigned = (promise: Promise<unknown>) =>
    assert.rejects(promise, (e: unknown) => {
      assert.ok(e instanceof ContractRevertedError, String(e))
      assert.ok(
        ['AttesterNotActive', 'SignersNotSorted'].includes(e.errorName ?? ''),
        `expected the signers to be refused, got ${e.message}`,
      )
      return true
    })

  test('after a reorg renumbers orders, signatures for order #N with params P are refused for #N with params P′', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const quorum = svc.attesters.slice(0, 3)
    // the branch that is later orphaned: order #N with params P, its milestone attested by a quorum
    const branch = await w.test.snapshot()
    const orphaned = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
    })
    const old = await signSuccess(orphaned, orderDomain(w), quorum)
    // the reorg: the chain goes back and the same id is given to an order with other terms
    await w.test.revert({ id: branch })
    const renumbered = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('101'),
    })
    assert.equal(renumbered.orderId, orphaned.orderId, 'the same id')
    const newHash = orderParamsHash(renumbered.params)
    assert.notEqual(newHash, old.outcome.paramsHash, 'other parameters')

    // the old outcome as signed: its parameters hash names the orphaned order
    await expectRevert(
      orderBookRaw(w, keeper, 'reportOutcome', [
        renumbered.orderId,
        renumbered.params,
        old.outcome,
        old.signatures,
      ]),
      'OutcomeForOtherParams',
      [renumbered.orderId, old.outcome.paramsHash],
    )
    // the old signatures with the new order's hash: they recover to strangers, not to the quorum
    await refusedAsNotSigned(
      orderBookRaw(w, keeper, 'reportOutcome', [
        renumbered.orderId,
        renumbered.params,
        { ...old.outcome, paramsHash: newHash },
        old.signatures,
      ]),
    )
    // the SDK refuses the mismatch before sending anything
    await assert.rejects(
      reportOrderOutcome(w.clientFor(keeper), {
        ...renumbered,
        outcome: old.outcome,
        signatures: await signOutcome(w, quorum, old.outcome),
      }),
      InvalidInputError,
    )
    const untouched = await readOrder(w, renumbered.orderId)
    assert.deepEqual(
      [untouched.status, untouched.settled, untouched.paid],
      ['Active', 0, 0n],
      'nothing moved',
    )

    // control: the quorum's signatures over the renumbered order's own terms land
    const fresh = await signSuccess(renumbered, orderDomain(w), quorum)
    await orderBookRaw(w, keeper, 'reportOutcome', [
      renumbered.orderId,
      renumbered.params,
      fresh.outcome,
      fresh.signatures,
    ])
    assert.equal((await readOrder(w, renumbered.orderId)).status, 'Completed')
  })

  test('an outcome signed for another order book or another chain is refused', async () => {
    const w = world()
    const { client, ops, svc, keeper } = fixture()
    const quorum = svc.attesters.slice(0, 3)
    const job = await openAcceptedJob(w, client, ops[0]!, {
      serviceId: svc.serviceId,
      budget: parseEther('100'),
    })
    // a second order book over the same registry, court and vaults: the same order id and parameters there
    // would be signed under its own domain
    const deployer = w.clientFor(w.deployer).wallet
    const deployed = await deployer.deployContract({
      abi: orderBookAbi,
      bytecode: orderBookBytecode,
      args: [
        w.addresses.stakeToken,
        w.addresses.registry,
        w.addresses.factory,
        w.addresses.court,
        w.addresses.rewards,
      ],
      chain: null,
    })
    const otherBook = getAddress(
      (await w.public.waitForTransactionReceipt({ hash: deployed })).contractAddress!,
    )
    const elsewhere = [
      { chainId: w.chainId, orders: otherBook },
      { chainId: w.chainId + 1, orders: w.addresses.orders },
    ]
    for (const domain of elsewhere) {
      const signed = await signSuccess(job, domain, quorum)
      await refusedAsNotSigned(
        orderBookRaw(w, keeper, 'reportOutcome', [
          job.orderId,
          job.params,
          signed.outcome,
          signed.signatures,
        ]),
      )
    }
    const untouched = await readOrder(w, job.orderId)
    assert.deepEqual(
      [untouched.status, untouched.settled, untouched.paid],
      ['Active', 0, 0n],
      'nothing moved',
    )
    // control: the same quorum under this order book's domain lands
    const here = await signSuccess(job, orderDomain(w), quorum)
    await orderBookRaw(w, keeper, 'reportOutcome', [job.orderId, job.params, here.outcome, here.signatures])
    assert.equal((await readOrder(w, job.orderId)).status, 'Completed')
  })
})
