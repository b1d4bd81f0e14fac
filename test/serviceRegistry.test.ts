import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Account, type Address, keccak256, maxUint256, parseEther, toHex, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEFAULT_PARAM_CHANGE_DELAY } from '../src/chain/deploy.ts'
import { mulDivUp } from '../src/model/sharesMath.ts'
import {
  addAttesterBond,
  applyServiceChange,
  approveAttester,
  approveStake,
  cancelServiceChange,
  createService,
  disputeSlash,
  enforceAttesterRemoval,
  joinCommittee,
  queueServiceChange,
  removeAttester,
  requestAttesterExit,
  resolveSlash,
  type ServiceParams,
  sendTransaction,
  serviceRegistryAbi,
  stakeTokenAbi,
  type ViolationClass,
  withdrawAttesterBond,
} from '../src/sdk/index.ts'
import { eventsOf, expectRevert, readOrRevert } from './support/expectRevert.ts'
import {
  DAY,
  DEFAULT_CLASSES,
  defaultServiceParams,
  incident,
  reportSlash,
  type ServiceFixture,
  setupService,
  setupVault,
} from './support/fixtures.ts'
import { useWorld, type World } from './support/world.ts'

const { world } = useWorld()

const DELAY = BigInt(DEFAULT_PARAM_CHANGE_DELAY)
/** An exited attester's bond stays one second past the change delay: a pipeline of exactly the delay can still
 * overturn a report it signed the moment it left. */
const EXIT_DELAY = DELAY + 1n
const MIN_BOND = parseEther('1000')

const reg = <T>(w: World, functionName: string, args: readonly unknown[] = []) =>
  readOrRevert<T>(w, { address: w.addresses.registry, abi: serviceRegistryAbi, functionName, args })

type AttesterInfo = readonly [
  active: boolean,
  index: number,
  bond: bigint,
  exitReadyAt: bigint | number,
  approvedAt: bigint | number,
]
const info = (w: World, serviceId: bigint, who: Address) =>
  reg<AttesterInfo>(w, 'attesterInfo', [serviceId, who])
const weight = (w: World, serviceId: bigint) => reg<bigint>(w, 'totalAttesterWeight', [serviceId])
const committee = async (w: World, serviceId: bigint) => {
  const [members, bonds] = await reg<readonly [readonly Address[], readonly bigint[]]>(w, 'committee', [
    serviceId,
  ])
  return { members: members.map((m) => m.toLowerCase()), bonds: [...bonds] }
}
const sorted = (accounts: Account[]) =>
  accounts.map((a) => a.address).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))
const reportTerms = (w: World, serviceId: bigint, classId: number, signers: readonly Address[]) =>
  reg<any>(w, 'reportTerms', [serviceId, classId, signers])

/** Timestamp of the block that included a transaction. */
const txTime = async (w: World, tx: { blockNumber: bigint }) =>
  (await w.public.getBlock({ blockNumber: tx.blockNumber })).timestamp
/** Mines a block stamped exactly `timestamp`: later calls (and their simulations) see that time. */
const travelTo = async (w: World, timestamp: bigint) => {
  await w.test.setNextBlockTimestamp({ timestamp })
  await w.test.mine({ blocks: 1 })
}

const newService = (
  w: World,
  overrides: Partial<ServiceParams> = {},
  classes: ViolationClass[] = DEFAULT_CLASSES,
  attesters: Address[] = [],
) =>
  createService(w.clientFor(w.accounts[1]!), {
    params: defaultServiceParams(w.accounts[2]!.address, overrides),
    classes,
    attesters,
  })

describe('ServiceRegistry.createService', () => {
  test('creates services with ids from 1, owned by the caller, with their terms, classes and pipeline', async () => {
    const w = world()
    const params = defaultServiceParams(w.accounts[2]!.address, {
      disputeWindow: 3 * DAY,
      resolutionDeadline: 4 * DAY + 7,
    })
    const { result: first } = await createService(w.clientFor(w.accounts[1]!), {
      params,
      classes: DEFAULT_CLASSES,
      attesters: [],
    })
    const { result: second } = await newService(w)
    assert.equal(first, 1n)
    assert.equal(second, 2n)
    assert.equal(await reg<bigint>(w, 'serviceCount'), 2n)
    assert.equal(
      (await reg<Address>(w, 'serviceOwner', [first])).toLowerCase(),
      w.accounts[1]!.address.toLowerCase(),
    )
    assert.equal(
      (await reg<Address>(w, 'resolverOf', [first])).toLowerCase(),
      w.accounts[2]!.address.toLowerCase(),
    )
    const stored = await reg<ServiceParams>(w, 'serviceParams', [first])
    assert.deepEqual(
      { ...stored, resolver: stored.resolver.toLowerCase(), sink: stored.sink.toLowerCase() },
      {
        ...params,
        resolver: params.resolver.toLowerCase(),
        sink: params.sink.toLowerCase(),
      },
    )
    assert.deepEqual(await reg<ViolationClass[]>(w, 'violationClasses', [first]), DEFAULT_CLASSES)
    assert.equal(await reg<bigint>(w, 'pipelineLength', [first]), BigInt(7 * DAY + 7))
  })

  test('emits ServiceCreated and approves the founding committee at once', async () => {
    const w = world()
    const founders = [w.accounts[10]!.address, w.accounts[11]!.address]
    const tx = await newService(w, {}, DEFAULT_CLASSES, founders)
    const now = await txTime(w, tx)
    const [created] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'ServiceCreated')
    assert.equal(created!.args.serviceId, tx.result)
    assert.equal(created!.args.owner.toLowerCase(), w.accounts[1]!.address.toLowerCase())
    assert.deepEqual(created!.args.classes, DEFAULT_CLASSES)
    const approvals = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterApprovalQueued')
    assert.deepEqual(
      approvals.map((e) => [e.args.attester.toLowerCase(), e.args.readyAt]),
      founders.map((f) => [f.toLowerCase(), now]),
    )
    const [, , , , approvedAt] = await info(w, tx.result, founders[0]!)
    assert.equal(BigInt(approvedAt), now)
  })

  const outOfBounds: [string, Partial<ServiceParams>, string][] = [
    ['a zero resolver', { resolver: zeroAddress }, 'resolver'],
    ['a zero sink', { sink: zeroAddress }, 'sink'],
    ['a quorum of exactly half', { quorumBps: 5000 }, 'quorumBps'],
    ['a quorum above 100%', { quorumBps: 10_001 }, 'quorumBps'],
    ['a dispute window under a minute', { disputeWindow: 59 }, 'disputeWindow'],
    ['a dispute window over 30 days', { disputeWindow: 30 * DAY + 1 }, 'disputeWindow'],
    ['a resolution deadline under a minute', { resolutionDeadline: 59 }, 'resolutionDeadline'],
    ['a resolution deadline over 30 days', { resolutionDeadline: 30 * DAY + 1 }, 'resolutionDeadline'],
    [
      'a pipeline one second longer than PARAM_CHANGE_DELAY',
      { disputeWindow: 10 * DAY, resolutionDeadline: 4 * DAY + 1 },
      'pipeline',
    ],
    ['a correlation window under a minute', { correlationWindow: 59 }, 'correlationWindow'],
    ['a correlation window over a year', { correlationWindow: 365 * DAY + 1 }, 'correlationWindow'],
    ['a correlation multiplier above 10x', { correlationMultiplierBps: 100_001 }, 'correlationMultiplierBps'],
    ['a zero incident cap', { incidentCapBps: 0 }, 'incidentCapBps'],
    ['an incident cap above 100%', { incidentCapBps: 10_001, windowCapBps: 10_000 }, 'incidentCapBps'],
    ['a window cap below the incident cap', { incidentCapBps: 5000, windowCapBps: 4999 }, 'windowCapBps'],
    ['a window cap above 100%', { windowCapBps: 10_001 }, 'windowCapBps'],
    [
      'client and reporter shares summing above 100%',
      { clientShareBps: 9501, reporterShareBps: 500 },
      'clientShareBps',
    ],
    ['an attester penalty above 100%', { attesterPenaltyBps: 10_001 }, 'attesterPenaltyBps'],
    ['a zero minimum attester bond', { minAttesterBond: 0n }, 'minAttesterBond'],
    ['a non-zero minAllocationDelay (reserved)', { minAllocationDelay: 1 }, 'minAllocationDelay'],
    ['an order fee above 50%', { orderFeeBps: 5001 }, 'orderFeeBps'],
    ['a collateral factor above 5x', { collateralFactorBps: 50_001 }, 'collateralFactorBps'],
    ['a collateral floor above 100%', { collateralFloorBps: 10_001 }, 'collateralFloorBps'],
  ]
  for (const [what, overrides, field] of outOfBounds) {
    test(`reverts with InvalidParam(${field}) for ${what}`, async () => {
      await expectRevert(newService(world(), overrides), 'InvalidParam', [field])
    })
  }

  test('reverts with InvalidParam(basePenaltyBps) for a class penalty above 100%', async () => {
    const classes = [DEFAULT_CLASSES[0]!, { basePenaltyBps: 10_001, jailDuration: 0, permanentBan: false }]
    await expectRevert(newService(world(), {}, classes), 'InvalidParam', ['basePenaltyBps'])
  })

  test('reverts with InvalidParam(jailDuration) for a class that jails for over a year', async () => {
    const classes = [{ basePenaltyBps: 100, jailDuration: 365 * DAY + 1, permanentBan: false }]
    await expectRevert(newService(world(), {}, classes), 'InvalidParam', ['jailDuration'])
  })

  test('reverts with TooManyClasses for no class and for 17 classes', async () => {
    const w = world()
    await expectRevert(newService(w, {}, []), 'TooManyClasses', [0n])
    await expectRevert(newService(w, {}, Array(17).fill(DEFAULT_CLASSES[0]!)), 'TooManyClasses', [17n])
  })

  test('reverts with CommitteeFull for a founding committee of 65', async () => {
    const w = world()
    const founders = Array.from(
      { length: 65 },
      (_, i) => privateKeyToAccount(keccak256(toHex(`founder-${i}`))).address,
    )
    await expectRevert(newService(w, {}, DEFAULT_CLASSES, founders), 'CommitteeFull', [0n])
  })

  test('accepts every parameter exactly at its lower bounds, and 16 classes at their upper bounds', async () => {
    const w = world()
    const lower: Partial<ServiceParams> = {
      quorumBps: 5001,
      disputeWindow: 60,
      resolutionDeadline: 60,
      correlationWindow: 60,
      correlationMultiplierBps: 0,
      incidentCapBps: 1,
      windowCapBps: 1,
      clientShareBps: 0,
      reporterShareBps: 0,
      attesterPenaltyBps: 0,
      minAttesterBond: 1n,
      orderFeeBps: 0,
      collateralFactorBps: 0,
      collateralFloorBps: 0,
    }
    const classes = Array(16).fill({ basePenaltyBps: 10_000, jailDuration: 365 * DAY, permanentBan: true })
    const { result: id } = await newService(w, lower, classes)
    const stored = await reg<ServiceParams>(w, 'serviceParams', [id])
    for (const [k, v] of Object.entries(lower)) assert.equal((stored as any)[k], v, k)
    assert.equal((await reg<ViolationClass[]>(w, 'violationClasses', [id])).length, 16)
    assert.equal(await reg<bigint>(w, 'pipelineLength', [id]), 120n)
  })

  test('accepts every parameter exactly at its upper bounds, with a pipeline of exactly PARAM_CHANGE_DELAY', async () => {
    const w = world()
    const upper: Partial<ServiceParams> = {
      quorumBps: 10_000,
      disputeWindow: DEFAULT_PARAM_CHANGE_DELAY - 60,
      resolutionDeadline: 60,
      correlationWindow: 365 * DAY,
      correlationMultiplierBps: 100_000,
      incidentCapBps: 10_000,
      windowCapBps: 10_000,
      clientShareBps: 9_000,
      reporterShareBps: 1_000,
      attesterPenaltyBps: 10_000,
      orderFeeBps: 5000,
      collateralFactorBps: 50_000,
      collateralFloorBps: 10_000,
    }
    const { result: id } = await newService(w, upper)
    const stored = await reg<ServiceParams>(w, 'serviceParams', [id])
    for (const [k, v] of Object.entries(upper)) assert.equal((stored as any)[k], v, k)
    assert.equal(await reg<bigint>(w, 'pipelineLength', [id]), DELAY)
  })
})

describe('ServiceRegistry service changes', () => {
  const changed = (w: World) =>
    defaultServiceParams(w.accounts[7]!.address, { disputeWindow: 4 * DAY, quorumBps: 7500 })
  // an id's terms may only soften (a held report must never become harsher): class 0 softer, a new class appended
  const changedClasses: ViolationClass[] = [
    { ...DEFAULT_CLASSES[0]!, basePenaltyBps: DEFAULT_CLASSES[0]!.basePenaltyBps - 1 },
    ...DEFAULT_CLASSES.slice(1),
    { basePenaltyBps: 4321, jailDuration: DAY, permanentBan: false },
  ]

  test('a class id never becomes harsher: a higher penalty, a longer jail, a new ban or a removed class reverts ClassTermsHarsher', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const owner = w.clientFor(w.accounts[1]!)
    const harsher = (i: number, change: Partial<ViolationClass>) =>
      DEFAULT_CLASSES.map((c, j) => (j === i ? { ...c, ...change } : c))
    const cases: [ViolationClass[], number][] = [
      [harsher(0, { basePenaltyBps: DEFAULT_CLASSES[0]!.basePenaltyBps + 1 }), 0],
      [harsher(1, { jailDuration: DEFAULT_CLASSES[1]!.jailDuration + 1 }), 1],
      [harsher(0, { permanentBan: true }), 0],
      [DEFAULT_CLASSES.slice(0, 2), 2],
    ]
    for (const [classes, at] of cases) {
      await expectRevert(
        queueServiceChange(owner, { serviceId: id, params: changed(w), classes }),
        'ClassTermsHarsher',
        [at],
      )
    }
    // softer terms and a new, harsher class under a new id are fine
    await queueServiceChange(owner, { serviceId: id, params: changed(w), classes: changedClasses })
  })

  test('queues a change that applies only once PARAM_CHANGE_DELAY has passed, and anyone may apply it', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const tx = await queueServiceChange(w.clientFor(w.accounts[1]!), {
      serviceId: id,
      params: changed(w),
      classes: changedClasses,
    })
    const readyAt = (await txTime(w, tx)) + DELAY
    const [queued] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'ServiceChangeQueued')
    assert.equal(queued!.args.readyAt, readyAt)
    assert.deepEqual(queued!.args.classes, changedClasses)
    // nothing changes while queued
    assert.equal((await reg<ServiceParams>(w, 'serviceParams', [id])).quorumBps, 6000)

    await travelTo(w, readyAt - 1n)
    const stranger = w.clientFor(w.accounts[9]!)
    await expectRevert(applyServiceChange(stranger, { serviceId: id }), 'ChangeNotReady', [id, readyAt])
    await travelTo(w, readyAt)
    const applied = await applyServiceChange(stranger, { serviceId: id })
    const [event] = await eventsOf(w, applied.hash, serviceRegistryAbi, 'ServiceChangeApplied')
    assert.equal(event!.args.serviceId, id)
    assert.deepEqual(event!.args.classes, changedClasses)
    const stored = await reg<ServiceParams>(w, 'serviceParams', [id])
    assert.equal(stored.quorumBps, 7500)
    assert.equal(stored.resolver.toLowerCase(), w.accounts[7]!.address.toLowerCase())
    assert.deepEqual(await reg<ViolationClass[]>(w, 'violationClasses', [id]), changedClasses)
    assert.equal(await reg<bigint>(w, 'pipelineLength', [id]), BigInt(7 * DAY))
    await expectRevert(applyServiceChange(stranger, { serviceId: id }), 'NoPendingChange', [id])
  })

  test('a second queued change replaces the first and restarts the delay', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const owner = w.clientFor(w.accounts[1]!)
    await queueServiceChange(owner, { serviceId: id, params: changed(w), classes: changedClasses })
    await w.travel(DAY)
    const second = await queueServiceChange(owner, {
      serviceId: id,
      params: defaultServiceParams(w.accounts[2]!.address, { quorumBps: 9000 }),
      classes: DEFAULT_CLASSES,
    })
    const readyAt = (await txTime(w, second)) + DELAY
    await travelTo(w, readyAt - 1n)
    await expectRevert(applyServiceChange(owner, { serviceId: id }), 'ChangeNotReady', [id, readyAt])
    await travelTo(w, readyAt)
    await applyServiceChange(owner, { serviceId: id })
    assert.equal((await reg<ServiceParams>(w, 'serviceParams', [id])).quorumBps, 9000)
    assert.deepEqual(await reg<ViolationClass[]>(w, 'violationClasses', [id]), DEFAULT_CLASSES)
  })

  test('reverts with NotServiceOwner when someone else queues or cancels a change, and ServiceNotFound for an unknown service', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const stranger = w.clientFor(w.accounts[9]!)
    await expectRevert(
      queueServiceChange(stranger, { serviceId: id, params: changed(w), classes: changedClasses }),
      'NotServiceOwner',
      [id, w.accounts[9]!.address],
    )
    await queueServiceChange(w.clientFor(w.accounts[1]!), {
      serviceId: id,
      params: changed(w),
      classes: changedClasses,
    })
    await expectRevert(cancelServiceChange(stranger, { serviceId: id }), 'NotServiceOwner', [
      id,
      w.accounts[9]!.address,
    ])
    await expectRevert(
      queueServiceChange(w.clientFor(w.accounts[1]!), {
        serviceId: 99n,
        params: changed(w),
        classes: changedClasses,
      }),
      'ServiceNotFound',
      [99n],
    )
  })

  test('validates a queued change like a new service', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const owner = w.clientFor(w.accounts[1]!)
    await expectRevert(
      queueServiceChange(owner, {
        serviceId: id,
        params: defaultServiceParams(w.accounts[2]!.address, { windowCapBps: 100 }),
        classes: DEFAULT_CLASSES,
      }),
      'InvalidParam',
      ['windowCapBps'],
    )
    await expectRevert(
      queueServiceChange(owner, { serviceId: id, params: changed(w), classes: [] }),
      'TooManyClasses',
      [0n],
    )
  })

  test('the owner cancels a queued change, which then can never apply', async () => {
    const w = world()
    const { result: id } = await newService(w)
    const owner = w.clientFor(w.accounts[1]!)
    await expectRevert(cancelServiceChange(owner, { serviceId: id }), 'NoPendingChange', [id])
    await queueServiceChange(owner, { serviceId: id, params: changed(w), classes: changedClasses })
    const tx = await cancelServiceChange(owner, { serviceId: id })
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'ServiceChangeCancelled')
    assert.equal(event!.args.serviceId, id)
    await w.travel(DEFAULT_PARAM_CHANGE_DELAY + 1)
    await expectRevert(applyServiceChange(owner, { serviceId: id }), 'NoPendingChange', [id])
    assert.equal((await reg<ServiceParams>(w, 'serviceParams', [id])).quorumBps, 6000)
  })
})

describe('ServiceRegistry committee membership', () => {
  test('an approved attester can join only once PARAM_CHANGE_DELAY has passed', async () => {
    const w = world()
    const svc = await setupService(w)
    const newcomer = w.accounts[16]!
    const tx = await approveAttester(w.clientFor(svc.owner), {
      serviceId: svc.serviceId,
      attester: newcomer.address,
    })
    const readyAt = (await txTime(w, tx)) + DELAY
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterApprovalQueued')
    assert.equal(event!.args.attester.toLowerCase(), newcomer.address.toLowerCase())
    assert.equal(event!.args.readyAt, readyAt)
    const client = w.clientFor(newcomer)
    await approveStake(client, { spender: w.addresses.registry, amount: maxUint256 })
    await travelTo(w, readyAt - 1n)
    await expectRevert(
      joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND }),
      'AttesterNotApproved',
      [svc.serviceId, newcomer.address],
    )
    await travelTo(w, readyAt)
    const joined = await joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND })
    const [j] = await eventsOf(w, joined.hash, serviceRegistryAbi, 'AttesterJoined')
    assert.equal(j!.args.index, 5)
    assert.equal(j!.args.bond, MIN_BOND)
    assert.equal(await weight(w, svc.serviceId), 6n * MIN_BOND)
  })

  test('reverts with NotServiceOwner when someone else approves an attester', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(
      approveAttester(w.clientFor(w.accounts[9]!), {
        serviceId: svc.serviceId,
        attester: w.accounts[9]!.address,
      }),
      'NotServiceOwner',
      [svc.serviceId, w.accounts[9]!.address],
    )
  })

  test('joining pulls the bond, takes the lowest free index and adds the bond to the weight', async () => {
    const w = world()
    const { result: id } = await newService(w, {}, DEFAULT_CLASSES, [
      w.accounts[10]!.address,
      w.accounts[11]!.address,
    ])
    const bonds = [MIN_BOND + 7n, parseEther('2500')]
    for (const [i, attester] of [w.accounts[10]!, w.accounts[11]!].entries()) {
      const client = w.clientFor(attester)
      await approveStake(client, { spender: w.addresses.registry, amount: maxUint256 })
      const before = await w.balanceOf(attester.address)
      await joinCommittee(client, { serviceId: id, bond: bonds[i]! })
      assert.equal(before - (await w.balanceOf(attester.address)), bonds[i])
      const [active, index, bond, exitReadyAt] = await info(w, id, attester.address)
      assert.deepEqual([active, index, bond, BigInt(exitReadyAt)], [true, i, bonds[i], 0n])
    }
    assert.equal(await weight(w, id), bonds[0]! + bonds[1]!)
    assert.equal(await w.balanceOf(w.addresses.registry), bonds[0]! + bonds[1]!)
  })

  test('reverts with BondBelowMinimum one wei under the minimum bond, and accepts exactly the minimum', async () => {
    const w = world()
    const { result: id } = await newService(w, {}, DEFAULT_CLASSES, [w.accounts[10]!.address])
    const client = w.clientFor(w.accounts[10]!)
    await approveStake(client, { spender: w.addresses.registry, amount: maxUint256 })
    await expectRevert(joinCommittee(client, { serviceId: id, bond: MIN_BOND - 1n }), 'BondBelowMinimum', [
      MIN_BOND - 1n,
      MIN_BOND,
    ])
    await joinCommittee(client, { serviceId: id, bond: MIN_BOND })
    assert.equal(await weight(w, id), MIN_BOND)
  })

  test('reverts with AttesterNotApproved for an attester the owner never approved', async () => {
    const w = world()
    const svc = await setupService(w)
    const client = w.clientFor(w.accounts[16]!)
    await approveStake(client, { spender: w.addresses.registry, amount: maxUint256 })
    await expectRevert(
      joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND }),
      'AttesterNotApproved',
      [svc.serviceId, w.accounts[16]!.address],
    )
  })

  test('reverts with AttesterAlreadyActive for a member, and for an exiting member whose bond is still held', async () => {
    const w = world()
    const svc = await setupService(w)
    const client = w.clientFor(svc.attesters[0]!)
    await expectRevert(
      joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND }),
      'AttesterAlreadyActive',
      [svc.serviceId, svc.attesters[0]!.address],
    )
    await requestAttesterExit(client, { serviceId: svc.serviceId })
    await expectRevert(
      joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND }),
      'AttesterAlreadyActive',
      [svc.serviceId, svc.attesters[0]!.address],
    )
  })

  test('a committee of 64 is full until an exited member withdraws its bond and frees its index', async () => {
    const w = world()
    const members = Array.from({ length: 65 }, (_, i) =>
      privateKeyToAccount(keccak256(toHex(`attester-${i}`))),
    )
    const minBond = 5n
    const { result: id } = await newService(
      w,
      { minAttesterBond: minBond },
      DEFAULT_CLASSES,
      members.slice(0, 64).map((m) => m.address),
    )
    const latecomer = members[64]!
    await approveAttester(w.clientFor(w.accounts[1]!), { serviceId: id, attester: latecomer.address })
    await Promise.all(
      members.map(async (m) => {
        await w.test.setBalance({ address: m.address, value: parseEther('10') })
        const client = w.clientFor(m)
        await sendTransaction(client, {
          address: w.addresses.stakeToken,
          abi: stakeTokenAbi,
          functionName: 'mint',
          args: [m.address, 100n],
        })
        await approveStake(client, { spender: w.addresses.registry, amount: maxUint256 })
      }),
    )
    await Promise.all(
      members
        .slice(0, 64)
        .map((m, i) => joinCommittee(w.clientFor(m), { serviceId: id, bond: minBond + BigInt(i) })),
    )
    const full = await committee(w, id)
    assert.equal(full.members.length, 64)
    assert.equal(await weight(w, id), 64n * minBond + (63n * 64n) / 2n)

    await w.travel(DEFAULT_PARAM_CHANGE_DELAY)
    const late = w.clientFor(latecomer)
    await expectRevert(joinCommittee(late, { serviceId: id, bond: minBond }), 'CommitteeFull', [id])

    const leaver = members[17]!
    const [, leaverIndex] = await info(w, id, leaver.address)
    await requestAttesterExit(w.clientFor(leaver), { serviceId: id })
    assert.equal((await committee(w, id)).members.length, 63)
    // the leaver's index stays held while its bond can still be slashed
    await expectRevert(joinCommittee(late, { serviceId: id, bond: minBond }), 'CommitteeFull', [id])
    await w.travel(EXIT_DELAY)
    await withdrawAttesterBond(w.clientFor(leaver), { serviceId: id })
    await joinCommittee(late, { serviceId: id, bond: minBond })
    const [active, index] = await info(w, id, latecomer.address)
    assert.equal(active, true)
    assert.equal(index, leaverIndex)
    assert.equal((await committee(w, id)).members.length, 64)
  })
})

describe('ServiceRegistry attester bonds and exits', () => {
  test('addAttesterBond raises the attester bond and the committee weight by exactly the amount', async () => {
    const w = world()
    const svc = await setupService(w)
    const attester = svc.attesters[2]!
    const amount = parseEther('123') + 45n
    const before = await w.balanceOf(attester.address)
    const tx = await addAttesterBond(w.clientFor(attester), { serviceId: svc.serviceId, amount })
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterBondAdded')
    assert.equal(event!.args.amount, amount)
    assert.equal(event!.args.bond, MIN_BOND + amount)
    assert.equal(before - (await w.balanceOf(attester.address)), amount)
    assert.equal((await info(w, svc.serviceId, attester.address))[2], MIN_BOND + amount)
    assert.equal(await weight(w, svc.serviceId), 5n * MIN_BOND + amount)
    assert.equal((await committee(w, svc.serviceId)).bonds[2], MIN_BOND + amount)
  })

  test('addAttesterBond reverts with AttesterNotActive for a non-member and an exited member, and BondBelowMinimum for zero', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(
      addAttesterBond(w.clientFor(w.accounts[16]!), { serviceId: svc.serviceId, amount: 1n }),
      'AttesterNotActive',
      [svc.serviceId, w.accounts[16]!.address],
    )
    const client = w.clientFor(svc.attesters[0]!)
    await expectRevert(
      addAttesterBond(client, { serviceId: svc.serviceId, amount: 0n }),
      'BondBelowMinimum',
      [0n, 1n],
    )
    await requestAttesterExit(client, { serviceId: svc.serviceId })
    await expectRevert(
      addAttesterBond(client, { serviceId: svc.serviceId, amount: 1n }),
      'AttesterNotActive',
      [svc.serviceId, svc.attesters[0]!.address],
    )
  })

  test('an exiting attester stops counting toward quorum at once', async () => {
    const w = world()
    const svc = await setupService(w)
    const [a, b, c, d] = svc.attesters
    const pair = sorted([a!, b!])
    // 2 of 5 equal bonds is 40% < 60%
    await expectRevert(reportTerms(w, svc.serviceId, 0, pair), 'QuorumNotReached', [
      2n * MIN_BOND,
      5n * MIN_BOND,
      6000,
    ])
    const tx = await requestAttesterExit(w.clientFor(c!), { serviceId: svc.serviceId })
    await requestAttesterExit(w.clientFor(d!), { serviceId: svc.serviceId })
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterExitRequested')
    assert.equal(event!.args.readyAt, (await txTime(w, tx)) + EXIT_DELAY)
    assert.equal(await weight(w, svc.serviceId), 3n * MIN_BOND)
    assert.deepEqual(
      (await committee(w, svc.serviceId)).members,
      [a!, b!, svc.attesters[4]!].map((x) => x.address.toLowerCase()),
    )
    // 2 of the 3 remaining is 66.7% >= 60%
    const terms = await reportTerms(w, svc.serviceId, 0, pair)
    assert.equal(terms.signers, 0b11n)
    await expectRevert(reportTerms(w, svc.serviceId, 0, sorted([a!, c!])), 'AttesterNotActive', [
      svc.serviceId,
      c!.address,
    ])
    await expectRevert(
      requestAttesterExit(w.clientFor(c!), { serviceId: svc.serviceId }),
      'AttesterNotActive',
      [svc.serviceId, c!.address],
    )
  })

  test('an exited attester withdraws its whole bond only once PARAM_CHANGE_DELAY has passed, and only once', async () => {
    const w = world()
    const svc = await setupService(w)
    const attester = svc.attesters[1]!
    const client = w.clientFor(attester)
    await addAttesterBond(client, { serviceId: svc.serviceId, amount: 333n })
    const exit = await requestAttesterExit(client, { serviceId: svc.serviceId })
    const readyAt = (await txTime(w, exit)) + EXIT_DELAY
    assert.equal(BigInt((await info(w, svc.serviceId, attester.address))[3]), readyAt)
    await travelTo(w, readyAt - 1n)
    await expectRevert(withdrawAttesterBond(client, { serviceId: svc.serviceId }), 'AttesterExitNotReady', [
      svc.serviceId,
      attester.address,
      readyAt,
    ])
    await travelTo(w, readyAt)
    const before = await w.balanceOf(attester.address)
    const tx = await withdrawAttesterBond(client, { serviceId: svc.serviceId })
    assert.equal(tx.result, MIN_BOND + 333n)
    assert.equal((await w.balanceOf(attester.address)) - before, MIN_BOND + 333n)
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterBondWithdrawn')
    assert.equal(event!.args.amount, MIN_BOND + 333n)
    assert.deepEqual((await info(w, svc.serviceId, attester.address)).slice(0, 4).map(String), [
      'false',
      '1',
      '0',
      '0',
    ])
    await expectRevert(withdrawAttesterBond(client, { serviceId: svc.serviceId }), 'AttesterNotActive', [
      svc.serviceId,
      attester.address,
    ])
  })

  test('withdrawAttesterBond reverts with AttesterNotActive for an active member and for a stranger', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(
      withdrawAttesterBond(w.clientFor(svc.attesters[0]!), { serviceId: svc.serviceId }),
      'AttesterNotActive',
      [svc.serviceId, svc.attesters[0]!.address],
    )
    await expectRevert(
      withdrawAttesterBond(w.clientFor(w.accounts[16]!), { serviceId: svc.serviceId }),
      'AttesterNotActive',
      [svc.serviceId, w.accounts[16]!.address],
    )
  })

  test('an exited attester that withdrew its bond may rejoin with a new bond', async () => {
    const w = world()
    const svc = await setupService(w)
    const client = w.clientFor(svc.attesters[0]!)
    await requestAttesterExit(client, { serviceId: svc.serviceId })
    await w.travel(EXIT_DELAY)
    await withdrawAttesterBond(client, { serviceId: svc.serviceId })
    await joinCommittee(client, { serviceId: svc.serviceId, bond: 2n * MIN_BOND })
    assert.equal(await weight(w, svc.serviceId), 6n * MIN_BOND)
    assert.deepEqual((await info(w, svc.serviceId, svc.attesters[0]!.address)).slice(0, 3), [
      true,
      0,
      2n * MIN_BOND,
    ])
  })
})

describe('ServiceRegistry attester removal', () => {
  test('a removed attester keeps counting until the removal is enforced after PARAM_CHANGE_DELAY, by anyone', async () => {
    const w = world()
    const svc = await setupService(w)
    const target = svc.attesters[4]!
    const tx = await removeAttester(w.clientFor(svc.owner), {
      serviceId: svc.serviceId,
      attester: target.address,
    })
    const readyAt = (await txTime(w, tx)) + DELAY
    const [event] = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterRemovalQueued')
    assert.equal(event!.args.attester.toLowerCase(), target.address.toLowerCase())
    assert.equal(event!.args.readyAt, readyAt)
    const stranger = w.clientFor(w.accounts[9]!)
    await travelTo(w, readyAt - 1n)
    assert.equal(await weight(w, svc.serviceId), 5n * MIN_BOND)
    await reportTerms(w, svc.serviceId, 0, sorted(svc.attesters.slice(2)))
    await expectRevert(
      enforceAttesterRemoval(stranger, { serviceId: svc.serviceId, attester: target.address }),
      'ChangeNotReady',
      [svc.serviceId, readyAt],
    )
    await travelTo(w, readyAt)
    const enforced = await enforceAttesterRemoval(stranger, {
      serviceId: svc.serviceId,
      attester: target.address,
    })
    const now = await txTime(w, enforced)
    assert.equal(await weight(w, svc.serviceId), 4n * MIN_BOND)
    const [active, , bond, exitReadyAt, approvedAt] = await info(w, svc.serviceId, target.address)
    assert.deepEqual(
      [active, bond, BigInt(exitReadyAt), BigInt(approvedAt)],
      [false, MIN_BOND, now + EXIT_DELAY, 0n],
    )
    await expectRevert(
      reportTerms(w, svc.serviceId, 0, sorted(svc.attesters.slice(2))),
      'AttesterNotActive',
      [svc.serviceId, target.address],
    )
    await expectRevert(
      enforceAttesterRemoval(stranger, { serviceId: svc.serviceId, attester: target.address }),
      'NoRemovalQueued',
      [svc.serviceId, target.address],
    )
  })

  test('a removed attester gets its bond back after the delay but cannot rejoin without a new approval', async () => {
    const w = world()
    const svc = await setupService(w)
    const target = svc.attesters[0]!
    await removeAttester(w.clientFor(svc.owner), { serviceId: svc.serviceId, attester: target.address })
    await w.travel(DEFAULT_PARAM_CHANGE_DELAY)
    await enforceAttesterRemoval(w.clientFor(w.accounts[9]!), {
      serviceId: svc.serviceId,
      attester: target.address,
    })
    const client = w.clientFor(target)
    await expectRevert(withdrawAttesterBond(client, { serviceId: svc.serviceId }), 'AttesterExitNotReady')
    await w.travel(EXIT_DELAY)
    const before = await w.balanceOf(target.address)
    await withdrawAttesterBond(client, { serviceId: svc.serviceId })
    assert.equal((await w.balanceOf(target.address)) - before, MIN_BOND)
    await expectRevert(
      joinCommittee(client, { serviceId: svc.serviceId, bond: MIN_BOND }),
      'AttesterNotApproved',
      [svc.serviceId, target.address],
    )
  })

  test('removeAttester reverts with NotServiceOwner for a stranger and AttesterNotActive for a non-member', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(
      removeAttester(w.clientFor(w.accounts[9]!), {
        serviceId: svc.serviceId,
        attester: svc.attesters[0]!.address,
      }),
      'NotServiceOwner',
      [svc.serviceId, w.accounts[9]!.address],
    )
    await expectRevert(
      removeAttester(w.clientFor(svc.owner), { serviceId: svc.serviceId, attester: w.accounts[16]!.address }),
      'AttesterNotActive',
      [svc.serviceId, w.accounts[16]!.address],
    )
  })

  test('enforceAttesterRemoval reverts with NoRemovalQueued when none was queued', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(
      enforceAttesterRemoval(w.clientFor(w.accounts[9]!), {
        serviceId: svc.serviceId,
        attester: svc.attesters[0]!.address,
      }),
      'NoRemovalQueued',
      [svc.serviceId, svc.attesters[0]!.address],
    )
  })
})

describe('ServiceRegistry.reportTerms', () => {
  /** Five attesters: four with the minimum bond and one with `heavyBonds` times it. */
  async function weighted(w: World, heavyBonds = 2n): Promise<ServiceFixture> {
    const svc = await setupService(w, { attesters: w.accounts.slice(10, 15) })
    await addAttesterBond(w.clientFor(svc.attesters[4]!), {
      serviceId: svc.serviceId,
      amount: (heavyBonds - 1n) * MIN_BOND,
    })
    return svc
  }

  test('returns the terms in force and the signers bitmap when the signed weight and count reach exactly the quorum', async () => {
    const w = world()
    const svc = await setupService(w)
    // 3 of 5 equal members: exactly 60% by weight and by count
    const terms = await reportTerms(w, svc.serviceId, 1, sorted(svc.attesters.slice(2, 5)))
    const p = defaultServiceParams(svc.resolver.address)
    assert.equal(terms.signers, (1n << 2n) | (1n << 3n) | (1n << 4n))
    assert.deepEqual(
      [terms.basePenaltyBps, terms.jailDuration, terms.permanentBan],
      [
        DEFAULT_CLASSES[1]!.basePenaltyBps,
        DEFAULT_CLASSES[1]!.jailDuration,
        DEFAULT_CLASSES[1]!.permanentBan,
      ],
    )
    assert.deepEqual(
      [
        terms.disputeWindow,
        terms.resolutionDeadline,
        terms.disputeBond,
        terms.sink.toLowerCase(),
        terms.clientShareBps,
        terms.reporterShareBps,
      ],
      [
        p.disputeWindow,
        p.resolutionDeadline,
        p.disputeBond,
        p.sink.toLowerCase(),
        p.clientShareBps,
        p.reporterShareBps,
      ],
    )
    assert.deepEqual(
      [
        terms.attesterPenaltyBps,
        terms.correlationWindow,
        terms.correlationMultiplierBps,
        terms.incidentCapBps,
        terms.windowCapBps,
      ],
      [
        p.attesterPenaltyBps,
        p.correlationWindow,
        p.correlationMultiplierBps,
        p.incidentCapBps,
        p.windowCapBps,
      ],
    )
    assert.equal((await reportTerms(w, svc.serviceId, 0, sorted(svc.attesters.slice(0, 3)))).signers, 0b111n)
  })

  test('weighs signers by bond: three members holding the heavy bond reach the quorum', async () => {
    const w = world()
    const svc = await weighted(w)
    const [a, b, , , heavy] = svc.attesters
    // 2x + 1x + 1x = 4x of 6x = 66.7%, 3 of 5 members
    assert.equal((await reportTerms(w, svc.serviceId, 2, sorted([a!, b!, heavy!]))).signers, 0b10011n)
  })

  test('reverts with QuorumNotReached, naming the weights, when the signed weight is below the quorum', async () => {
    const w = world()
    const svc = await weighted(w)
    const [a, b, c] = svc.attesters
    // 3 of 5 members, but 3x of 6x = 50% by weight
    await expectRevert(reportTerms(w, svc.serviceId, 0, sorted([a!, b!, c!])), 'QuorumNotReached', [
      3n * MIN_BOND,
      6n * MIN_BOND,
      6000,
    ])
    await expectRevert(reportTerms(w, svc.serviceId, 0, []), 'QuorumNotReached', [0n, 6n * MIN_BOND, 6000])
  })

  test('reverts with QuorumCountNotReached when a heavy minority holds the weight but not the count', async () => {
    const w = world()
    const svc = await weighted(w, 6n)
    const [a, , , , heavy] = svc.attesters
    // 6x of 10x = 60% by weight, yet 1 of 5 members
    await expectRevert(reportTerms(w, svc.serviceId, 0, [heavy!.address]), 'QuorumCountNotReached', [
      1n,
      5n,
      6000,
    ])
    await expectRevert(reportTerms(w, svc.serviceId, 0, sorted([a!, heavy!])), 'QuorumCountNotReached', [
      2n,
      5n,
      6000,
    ])
  })

  test('counts the weight added by addAttesterBond toward quorum', async () => {
    const w = world()
    const svc = await weighted(w)
    const [a, b, c] = svc.attesters
    // bonds 1,1,1,1,2: a+b+c = 3x of 6x = 50%; a tops up 1x: 4x of 7x = 57%; b tops up 1x: 5x of 8x = 62.5%
    await addAttesterBond(w.clientFor(a!), { serviceId: svc.serviceId, amount: MIN_BOND })
    await expectRevert(reportTerms(w, svc.serviceId, 0, sorted([a!, b!, c!])), 'QuorumNotReached', [
      4n * MIN_BOND,
      7n * MIN_BOND,
      6000,
    ])
    await addAttesterBond(w.clientFor(b!), { serviceId: svc.serviceId, amount: MIN_BOND })
    assert.equal((await reportTerms(w, svc.serviceId, 0, sorted([a!, b!, c!]))).signers, 0b111n)
  })

  test('reverts with SignersNotSorted for unsorted signers, a duplicate signer and the zero address', async () => {
    const w = world()
    const svc = await setupService(w)
    const asc = sorted(svc.attesters)
    await expectRevert(reportTerms(w, svc.serviceId, 0, [asc[1]!, asc[0]!, asc[2]!]), 'SignersNotSorted', [
      1n,
    ])
    await expectRevert(
      reportTerms(w, svc.serviceId, 0, [asc[0]!, asc[1]!, asc[3]!, asc[2]!]),
      'SignersNotSorted',
      [3n],
    )
    await expectRevert(
      reportTerms(w, svc.serviceId, 0, [asc[0]!, asc[1]!, asc[1]!, asc[2]!]),
      'SignersNotSorted',
      [2n],
    )
    await expectRevert(reportTerms(w, svc.serviceId, 0, [zeroAddress, ...asc]), 'SignersNotSorted', [0n])
  })

  test('reverts with AttesterNotActive for a signer outside the committee', async () => {
    const w = world()
    const svc = await setupService(w)
    const signers = [...svc.attesters, w.accounts[16]!]
    await expectRevert(reportTerms(w, svc.serviceId, 0, sorted(signers)), 'AttesterNotActive', [
      svc.serviceId,
      w.accounts[16]!.address,
    ])
  })

  test('reverts with UnknownClass for a class id past the last class, and ServiceNotFound for an unknown service', async () => {
    const w = world()
    const svc = await setupService(w)
    await expectRevert(reportTerms(w, svc.serviceId, 3, sorted(svc.attesters)), 'UnknownClass', [
      svc.serviceId,
      3,
    ])
    await expectRevert(reportTerms(w, 42n, 0, sorted(svc.attesters)), 'ServiceNotFound', [42n])
  })
})

describe('ServiceRegistry.slashAttesters', () => {
  test('reverts with OnlyCourt for any caller but the court', async () => {
    const w = world()
    const svc = await setupService(w)
    for (const caller of [svc.owner, svc.resolver, svc.attesters[0]!]) {
      await expectRevert(
        sendTransaction(w.clientFor(caller), {
          address: w.addresses.registry,
          abi: serviceRegistryAbi,
          functionName: 'slashAttesters',
          args: [svc.serviceId, 0b111n, 10_000, caller.address],
        }),
        'OnlyCourt',
        [caller.address],
      )
    }
    assert.equal(await weight(w, svc.serviceId), 5n * MIN_BOND)
  })

  test('an overturned report takes the penalty (rounded up) from each signer, pays the operator and drops signers below the minimum', async () => {
    const w = world()
    const heavyBond = parseEther('1500') + 3n
    const svc = await setupService(w)
    const [a, b, c] = svc.attesters
    await addAttesterBond(w.clientFor(a!), { serviceId: svc.serviceId, amount: heavyBond - MIN_BOND })
    const operator = w.accounts[4]!
    const { vault } = await setupVault(w, operator, {
      bond: parseEther('1000'),
      delegations: [{ staker: w.accounts[5]!, assets: parseEther('9000') }],
      allocations: [{ serviceId: svc.serviceId, amount: parseEther('10000') }],
    })
    const { result } = await reportSlash(w, [a!, b!, c!], {
      serviceId: svc.serviceId,
      vault,
      classId: 0,
      incidentId: incident('false-report'),
      client: w.accounts[6]!.address,
    })
    const opClient = w.clientFor(operator)
    await approveStake(opClient, { spender: w.addresses.court, amount: maxUint256 })
    await disputeSlash(opClient, { details: result.details })
    const before = await w.balanceOf(operator.address)
    const registryBefore = await w.balanceOf(w.addresses.registry)
    const tx = await resolveSlash(w.clientFor(svc.resolver), { details: result.details, upheldAmount: 0n })

    const penaltyBps = BigInt(defaultServiceParams(svc.resolver.address).attesterPenaltyBps)
    const heavyPenalty = mulDivUp(heavyBond, penaltyBps, 10_000n)
    const lightPenalty = mulDivUp(MIN_BOND, penaltyBps, 10_000n)
    assert.equal(heavyPenalty, parseEther('300') + 1n) // the fraction of a wei rounds against the signer
    const total = heavyPenalty + 2n * lightPenalty
    const slashed = await eventsOf(w, tx.hash, serviceRegistryAbi, 'AttesterSlashed')
    assert.deepEqual(
      slashed.map((e) => [e.args.attester.toLowerCase(), e.args.amount, e.args.recipient.toLowerCase()]),
      [
        [a!, heavyPenalty],
        [b!, lightPenalty],
        [c!, lightPenalty],
      ].map(([x, p]) => [(x as Account).address.toLowerCase(), p, operator.address.toLowerCase()]),
    )
    // the operator gets its dispute bond back plus the attesters' penalties
    assert.equal((await w.balanceOf(operator.address)) - before, total + result.details.disputeBond)
    assert.equal(registryBefore - (await w.balanceOf(w.addresses.registry)), total)
    assert.deepEqual((await info(w, svc.serviceId, a!.address)).slice(0, 3), [
      true,
      0,
      heavyBond - heavyPenalty,
    ])
    assert.deepEqual((await info(w, svc.serviceId, b!.address)).slice(0, 3), [
      false,
      1,
      MIN_BOND - lightPenalty,
    ])
    // the weight keeps the heavy signer's remaining bond and the two untouched members
    assert.equal(await weight(w, svc.serviceId), heavyBond - heavyPenalty + 2n * MIN_BOND)
    assert.deepEqual(
      (await committee(w, svc.serviceId)).members,
      [a!, svc.attesters[3]!, svc.attesters[4]!].map((x) => x.address.toLowerCase()),
    )
  })
})

describe('ServiceRegistry views', () => {
  test('committee lists active members in index order with their bonds, and attesterInfo describes each one', async () => {
    const w = world()
    const svc = await setupService(w)
    await addAttesterBond(w.clientFor(svc.attesters[3]!), { serviceId: svc.serviceId, amount: 9n })
    await requestAttesterExit(w.clientFor(svc.attesters[1]!), { serviceId: svc.serviceId })
    const view = await committee(w, svc.serviceId)
    assert.deepEqual(
      view.members,
      [0, 2, 3, 4].map((i) => svc.attesters[i]!.address.toLowerCase()),
    )
    assert.deepEqual(view.bonds, [MIN_BOND, MIN_BOND, MIN_BOND + 9n, MIN_BOND])
    const [active, index, bond, exitReadyAt] = await info(w, svc.serviceId, svc.attesters[1]!.address)
    assert.deepEqual([active, index, bond], [false, 1, MIN_BOND])
    assert.ok(BigInt(exitReadyAt) > 0n)
    assert.deepEqual((await info(w, svc.serviceId, w.accounts[16]!.address)).map(String), [
      'false',
      '0',
      '0',
      '0',
      '0',
    ])
    assert.deepEqual(await committee(w, 77n), { members: [], bonds: [] })
  })

  test('pipelineLength is the dispute window plus the resolution deadline, and zero for an unknown service', async () => {
    const w = world()
    const { result: id } = await newService(w, { disputeWindow: 12_345, resolutionDeadline: 67_890 })
    assert.equal(await reg<bigint>(w, 'pipelineLength', [id]), 12_345n + 67_890n)
    assert.equal(await reg<bigint>(w, 'pipelineLength', [id + 1n]), 0n)
    await expectRevert(reg(w, 'serviceParams', [id + 1n]), 'ServiceNotFound', [id + 1n])
  })
})
