/**
 * Invariant suite: seeded random sequences of bounded actions (deposit, withdraw, bond, allocate, deallocate,
 * report, dispute, resolve, lapse, execute, replay, rewards, time travel, and the order actions of
 * orderActions.ts) run against the contracts on anvil and against the reference model (src/model/protocolModel.ts
 * and ordersModel.ts). After every step the chain must equal the model to the wei and DESIGN.md's invariants must
 * hold. A failure prints the seed and step so the run can be replayed:
 *   INVARIANT_SEED=<seed> npx tsx scripts/runTests.ts invariants
 */
import assert from 'node:assert/strict'
import {
  type Account,
  type Address,
  createPublicClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  zeroAddress,
} from 'viem'
import { mockERC20Abi, mockERC20Bytecode } from '../../src/generated/contracts.ts'
import { addVault, emptyState, reduceLog } from '../../src/indexer/reduceEvents.ts'
import { ModelRevert, type ModelSlash, ProtocolModel } from '../../src/model/protocolModel.ts'
import { BPS, min, netPoolAssets, toAssetsDown } from '../../src/model/sharesMath.ts'
import {
  approveStake,
  operatorVaultAbi,
  orderBookAbi,
  orderIncidentId,
  orderSignatures,
  rewardsDistributorAbi,
  signReport,
  slashingCourtAbi,
  stakeTokenAbi,
} from '../../src/sdk/index.ts'
import type { ServiceParams, SlashDetails } from '../../src/sdk/types.ts'
import {
  DAY,
  DOWNTIME,
  defaultServiceParams,
  FRAUD,
  incident,
  SINK,
  setupService,
  setupVault,
  WRONG_OUTPUT,
} from '../support/fixtures.ts'
import type { World } from '../support/world.ts'
import { Adversary, type AdversaryFixture, setupAdversary } from './adversary.ts'
import { execAt } from './chainExec.ts'
import {
  assertOrdersMatchModel,
  assertOrdersRebuilt,
  isOrderAction,
  nextOrderMoment,
  ORDER_ACTION_WEIGHTS,
  orderActionApplies,
  type Reader,
  runOrderAction,
  type SuiteContext,
} from './orderActions.ts'
import { Prng } from './prng.ts'

const TOTAL_LOSS = { basePenaltyBps: 10_000, jailDuration: 0, permanentBan: false }

export type InvariantFixture = {
  services: {
    id: bigint
    params: ServiceParams
    classes: (typeof DOWNTIME)[]
    resolver: Account
    owner: Account
  }[]
  vaults: { address: Address; operator: Account; delay: bigint; capBps: bigint }[]
  stakers: Account[]
  attesters: Account[]
  reporter: Account
  client: Account
  attesterBond: bigint
  /** A second ERC-20 that orders may pay in (fees then go to the service owner). */
  foreignToken: Address
  /** The malicious operator, its vault X, its service C and the honest staker of X (adversary.ts). */
  adversary: AdversaryFixture
}

/** Deployed once per file (inside the snapshot): two services, two vaults, approvals. No stake yet. */
export async function setupInvariantWorld(world: World): Promise<InvariantFixture> {
  const attesters = world.accounts.slice(10, 15)
  const attesterBond = parseEther('10000')
  const resolver = world.accounts[2]!
  const classes = [DOWNTIME, WRONG_OUTPUT, FRAUD, TOTAL_LOSS]
  const a = await setupService(world, { attesters, attesterBond, classes, resolver })
  // service B: other order terms (an odd fee for rounding, a low factor and no floor)
  const bParams = {
    incidentCapBps: 10_000,
    windowCapBps: 10_000,
    correlationWindow: 3 * DAY,
    orderFeeBps: 333,
    collateralFactorBps: 8_000,
    collateralFloorBps: 0,
  }
  const b = await setupService(world, { attesters, attesterBond, classes, resolver, params: bParams })
  const vaults = []
  for (const [i, operator] of [world.accounts[4]!, world.accounts[5]!].entries()) {
    const delay = 7 * DAY
    const capBps = i === 0 ? 20_000 : 10_000
    const { vault } = await setupVault(world, operator, { withdrawalDelay: delay, restakingCapBps: capBps })
    await approveStake(world.clientFor(operator), { spender: world.addresses.court, amount: maxUint256 })
    vaults.push({ address: vault, operator, delay: BigInt(delay), capBps: BigInt(capBps) })
  }
  // the client pays fees and the service owner funds subsidies, both to the rewards contract
  for (const payer of [world.accounts[9]!, a.owner]) {
    await approveStake(world.clientFor(payer), { spender: world.addresses.rewards, amount: maxUint256 })
  }
  const stakers = world.accounts.slice(6, 9)
  for (const staker of stakers) {
    for (const v of vaults)
      await approveStake(world.clientFor(staker), { spender: v.address, amount: maxUint256 })
  }
  // the client escrows orders in the stake token and in a foreign token
  const client = world.accounts[9]!
  const deployer = world.clientFor(world.deployer).wallet
  const deployHash = await deployer.deployContract({
    abi: mockERC20Abi,
    bytecode: mockERC20Bytecode,
    args: ['Foreign', 'FRN'],
    chain: null,
  } as any)
  const foreignToken = (await world.public.waitForTransactionReceipt({ hash: deployHash })).contractAddress!
  const send = async (account: Account, address: Address, functionName: string, args: unknown[]) => {
    const hash = await world
      .clientFor(account)
      .wallet.writeContract({ address, abi: mockERC20Abi, functionName, args, chain: null } as any)
    await world.public.waitForTransactionReceipt({ hash })
  }
  await send(world.deployer, foreignToken, 'mint', [client.address, parseEther('1000000')])
  for (const token of [world.addresses.stakeToken, foreignToken])
    await send(client, token, 'approve', [world.addresses.orders, maxUint256])
  const adversary = await setupAdversary(world)
  return {
    adversary,
    services: [
      { id: a.serviceId, params: defaultServiceParams(resolver.address), classes, resolver, owner: a.owner },
      {
        id: b.serviceId,
        params: defaultServiceParams(resolver.address, bParams),
        classes,
        resolver,
        owner: b.owner,
      },
    ],
    vaults,
    stakers,
    attesters,
    reporter: world.accounts[3]!,
    client,
    attesterBond,
    foreignToken,
  }
}

type Tracked = { slash: ModelSlash; details: SlashDetails }

/** A service's parameters as the model keeps them (every number a bigint). */
function modelParams(p: ServiceParams) {
  return {
    disputeWindow: BigInt(p.disputeWindow),
    resolutionDeadline: BigInt(p.resolutionDeadline),
    quorumBps: BigInt(p.quorumBps),
    reporterShareBps: BigInt(p.reporterShareBps),
    clientShareBps: BigInt(p.clientShareBps),
    sink: p.sink,
    disputeBond: p.disputeBond,
    correlationWindow: BigInt(p.correlationWindow),
    correlationMultiplierBps: BigInt(p.correlationMultiplierBps),
    incidentCapBps: BigInt(p.incidentCapBps),
    windowCapBps: BigInt(p.windowCapBps),
    attesterPenaltyBps: BigInt(p.attesterPenaltyBps),
    minAttesterBond: p.minAttesterBond,
    orderFeeBps: BigInt(p.orderFeeBps),
    collateralFactorBps: BigInt(p.collateralFactorBps),
    collateralFloorBps: BigInt(p.collateralFloorBps),
  }
}

/** The vault, court and rewards actions and their step weights; the order actions are in orderActions.ts. */
const CORE_ACTION_WEIGHTS = {
  deposit: 9,
  requestWithdrawal: 6,
  claimWithdrawal: 6,
  depositBond: 4,
  allocate: 7,
  applyAllocation: 6,
  syncAllocation: 2,
  requestDeallocation: 3,
  completeDeallocation: 3,
  report: 9,
  replay: 2,
  dispute: 5,
  resolve: 5,
  lapse: 3,
  execute: 8,
  travel: 10,
  addFee: 3,
  fundSubsidy: 2,
  setSubsidyRate: 2,
  claimRewards: 4,
  /** The malicious operator's move (adversary.ts). */
  adversary: 30,
} as const
const ACTION_WEIGHTS = { ...CORE_ACTION_WEIGHTS, ...ORDER_ACTION_WEIGHTS }

export async function runSequence(world: World, fx: InvariantFixture, seed: number, steps: number) {
  const rng = new Prng(seed)
  const { court, registry } = world.addresses
  const minBondBps = (await world.public.readContract({
    address: fx.vaults[0]!.address,
    abi: operatorVaultAbi,
    functionName: 'MIN_BOND_BPS',
  })) as bigint
  const model = new ProtocolModel(court, registry, {
    rewards: world.addresses.rewards,
    orders: world.addresses.orders,
    stakeToken: world.addresses.stakeToken,
    minBondBps,
  })
  const everyone: Address[] = [
    world.addresses.orders,
    ...fx.stakers.map((s) => s.address),
    ...fx.vaults.map((v) => v.operator.address),
    fx.reporter.address,
    fx.client.address,
    fx.services[0]!.resolver.address,
    SINK,
    court,
    registry,
    world.addresses.rewards,
    fx.services[0]!.owner.address,
    ...fx.vaults.map((v) => v.address),
    fx.adversary.vault,
    fx.adversary.operator.address,
    fx.adversary.sybil.address,
    ...fx.adversary.attesters.map((a) => a.address),
    fx.adversary.honest.address,
  ]
  const balances = await Promise.all(everyone.map((who) => world.balanceOf(who)))
  for (const [i, who] of everyone.entries()) model.setBalance(who, balances[i]!)
  // who may ever hold the foreign token: the client, the order book, the operators, the service owner
  const foreignHolders: Address[] = [
    fx.client.address,
    world.addresses.orders,
    ...fx.vaults.map((v) => v.operator.address),
    fx.services[0]!.owner.address,
  ]
  // the checks' reads go out as JSON-RPC batches (one HTTP request per round)
  const reader = createPublicClient({
    chain: world.public.chain,
    transport: http(world.anvil.rpcUrl, { batch: { batchSize: 1_000, wait: 0 } }),
  })
  const foreignBalances = await Promise.all(
    foreignHolders.map((who) =>
      reader.readContract({
        address: fx.foreignToken,
        abi: mockERC20Abi,
        functionName: 'balanceOf',
        args: [who],
      }),
    ),
  )
  for (const [i, who] of foreignHolders.entries()) model.setBalance(who, foreignBalances[i]!, fx.foreignToken)
  const supply = {
    stake: balances.reduce((a, b) => a + b, 0n),
    foreign: foreignBalances.reduce((a, b) => a + b, 0n),
  }
  for (const s of fx.services) {
    model.addService({
      id: s.id,
      owner: s.owner.address,
      resolver: s.resolver.address,
      classes: s.classes.map((c) => ({
        ...c,
        basePenaltyBps: BigInt(c.basePenaltyBps),
        jailDuration: BigInt(c.jailDuration),
      })),
      params: modelParams(s.params),
      attesters: new Map(
        fx.attesters.map((a) => [a.address.toLowerCase(), { bond: fx.attesterBond, active: true }]),
      ),
    })
  }
  for (const v of fx.vaults) model.addVault(v.address, v.operator.address, v.delay, v.capBps, 1000n)
  const adv = fx.adversary
  model.addService({
    id: adv.service.id,
    owner: adv.operator.address,
    resolver: adv.operator.address,
    classes: adv.service.classes.map((c) => ({
      ...c,
      basePenaltyBps: BigInt(c.basePenaltyBps),
      jailDuration: BigInt(c.jailDuration),
    })),
    params: modelParams(adv.service.params),
    attesters: new Map(
      adv.attesters.map((a) => [a.address.toLowerCase(), { bond: adv.attesterBond, active: true }]),
    ),
  })
  model.addVault(adv.vault, adv.operator.address, adv.delay, adv.capBps, 1000n)
  const adversary = new Adversary(adv)
  adversary.start(model)

  let now = await world.now()
  /** The time of the last mined block: views that decay (reputation) are read there. */
  let chainTime = now
  // (not cached: viem keeps a block number for its polling interval, 4 s, and the chain was just reverted to the
  // set-up snapshot, so a cached number from the last sequence skipped its first blocks: "order 1 not rebuilt")
  const firstBlock = (await world.public.getBlockNumber({ cacheTime: 0 })) + 1n
  const frozen = new Map<bigint, string>()
  const tracked: Tracked[] = []
  const withdrawals: { vault: Address; owner: Account; id: bigint }[] = []
  const submitted: SuiteContext['submitted'] = []
  let incidents = 0
  const counts: Record<string, number> = {}
  const outcomes: Record<string, number> = {}

  /** Mostly a subject in the state the action needs (so the happy paths run), sometimes any (so reverts do). */
  const choose = <T>(all: T[], fits: (t: T) => boolean): T | undefined => {
    const fitting = all.filter(fits)
    if (fitting.length > 0 && rng.next() < 0.85) return rng.pick(fitting)
    return all.length > 0 ? rng.pick(all) : undefined
  }
  const live = (v: { address: Address }, serviceId: bigint) =>
    model.vault(v.address).allocations.get(serviceId)?.live === true

  for (let step = 0; step < steps; step++) {
    // warm-up: stake and bond both vaults and queue an allocation of each to both services, travel past the
    // exposure delay and apply them, so the rest of the sequence has something to slash and to reserve collateral
    // from; then one job done (a reputation) and an intent with two bids at one price (the tie rule: the higher
    // reputation now, else the incumbent)
    const warmUp = [
      'deposit',
      'deposit',
      'depositBond',
      'depositBond',
      'allocate',
      'allocate',
      'allocate',
      'allocate',
      'adversaryWarmUp',
      'travel',
      'applyAllocation',
      'applyAllocation',
      'applyAllocation',
      'applyAllocation',
      'adversaryApply',
      'openOrder',
      'accept',
      'confirm',
      'openOrder',
      'bid',
      'bid',
    ] as const
    const stepTime = now + 1n + BigInt(rng.int(60))
    let action: string = warmUp[step] ?? rng.weighted(ACTION_WEIGHTS)
    // an order action with nothing to act on mostly gives its turn to another draw
    for (let tries = 0; step >= warmUp.length && tries < 4; tries++) {
      if (!isOrderAction(action) || orderActionApplies(model, action, stepTime) || rng.next() < 0.15) break
      action = rng.weighted(ACTION_WEIGHTS)
    }
    const where = `seed ${seed} step ${step} (${action})`
    counts[action] = (counts[action] ?? 0) + 1
    now = stepTime
    let vault = rng.pick(fx.vaults)
    let service = rng.pick(fx.services)
    if (step < warmUp.length) {
      // the deposits and bonds go to both vaults, the allocations (queued, then applied) to every pair
      vault = fx.vaults[step % 2]!
      if (action === 'allocate') service = fx.services[(step - 4) >> 1]!
      if (action === 'applyAllocation') service = fx.services[(step - 10) >> 1]!
    }
    const pairActions = [
      'report',
      'requestDeallocation',
      'completeDeallocation',
      'applyAllocation',
      'syncAllocation',
    ]
    if (pairActions.includes(action) && step >= warmUp.length) {
      const pairs = fx.vaults.flatMap((v) => fx.services.map((s) => ({ v, s })))
      const pair = choose(pairs, ({ v, s }) => {
        const a = model.vault(v.address).allocations.get(s.id)
        // an application mostly for an increase that is due (the checks run again then)
        if (action === 'applyAllocation')
          return a !== undefined && a.increase > 0n && a.increaseReadyAt <= now
        // a sync mostly where the weight is stale (the stake moved, or a ban)
        if (action === 'syncAllocation') {
          const m = model.vault(v.address)
          return a !== undefined && a.weight !== (a.banned ? 0n : min(a.amount, m.bond + m.pool))
        }
        if (action !== 'completeDeallocation') return live(v, s.id)
        // a completion mostly for a decrease that is due (it may still be held by slashes or orders)
        return a !== undefined && a.decrease > 0n && a.decreaseReadyAt <= now
      })!
      vault = pair.v
      service = pair.s
    }

    /** Runs the action on chain and in the model; both must agree on success or on the error's name. */
    const both = async (
      account: Account,
      call: { address: Address; abi: any; functionName: string; args: readonly unknown[] },
      apply: () => unknown,
    ) => {
      let expected: unknown
      let expectedError: string | undefined
      try {
        expected = apply()
      } catch (error) {
        if (!(error instanceof ModelRevert)) throw error
        expectedError = error.errorName
      }
      const actual = await execAt(world, now, account, call)
      const outcome = `${action}:${actual.ok ? 'ok' : actual.errorName}`
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1
      if (expectedError !== undefined) {
        assert.equal(actual.ok ? 'success' : actual.errorName, expectedError, `${where}: expected revert`)
        return undefined
      }
      assert.ok(actual.ok, `${where}: chain reverted with ${!actual.ok && actual.errorName}, model succeeded`)
      chainTime = now
      if (typeof expected === 'bigint') assert.equal(actual.result, expected, `${where}: return value`)
      return actual
    }

    if (isOrderAction(action)) {
      const ctx: SuiteContext = {
        world,
        fx,
        model,
        rng,
        now,
        where,
        warmUp: step < warmUp.length,
        both,
        choose,
        // a slash of the adversary's vault (an honest party expired its order) is followed with the adversary's
        track: (slash, details) =>
          slash.vault === adv.vault.toLowerCase()
            ? adversary.slashes.push({ slash, details })
            : tracked.push({ slash, details }),
        note: (what) => {
          outcomes[what] = (outcomes[what] ?? 0) + 1
        },
        advance: (seconds) => {
          now += seconds
          return now
        },
        withdrawals,
        submitted,
      }
      if (!(await runOrderAction(ctx, action))) continue
    }

    if (action === 'adversary' || action === 'adversaryWarmUp' || action === 'adversaryApply') {
      const actx = {
        world,
        model,
        rng,
        now: () => now,
        advance: (seconds: bigint) => {
          now += seconds
          return now
        },
        both,
        note: (what: string) => {
          outcomes[what] = (outcomes[what] ?? 0) + 1
        },
        where,
      }
      if (action === 'adversaryWarmUp') await adversary.warmUp(actx)
      else if (action === 'adversaryApply') await adversary.applyDue(actx)
      else await adversary.move(actx)
    }

    switch (action) {
      case 'addFee': {
        const amount = rng.amount(parseEther('300'))
        await both(
          fx.client,
          {
            address: world.addresses.rewards,
            abi: rewardsDistributorAbi,
            functionName: 'addFee',
            args: [service.id, amount],
          },
          () => model.addFee(fx.client.address, service.id, amount, now),
        )
        break
      }
      case 'fundSubsidy': {
        const amount = rng.amount(parseEther('1000'))
        await both(
          service.owner,
          {
            address: world.addresses.rewards,
            abi: rewardsDistributorAbi,
            functionName: 'fundSubsidy',
            args: [service.id, amount],
          },
          () => model.fundSubsidy(service.owner.address, service.id, amount, now),
        )
        break
      }
      case 'setSubsidyRate': {
        const rate = rng.next() < 0.2 ? 0n : rng.amount(parseEther('0.01'))
        const sender = rng.next() < 0.85 ? service.owner : fx.client
        await both(
          sender,
          {
            address: world.addresses.rewards,
            abi: rewardsDistributorAbi,
            functionName: 'setSubsidyRate',
            args: [service.id, rate],
          },
          () => model.setSubsidyRate(sender.address, service.id, rate, service.owner.address, now),
        )
        break
      }
      case 'claimRewards': {
        await both(
          fx.reporter,
          { address: vault.address, abi: operatorVaultAbi, functionName: 'claimRewards', args: [service.id] },
          () => {
            model.claimRewards(vault.address, service.id, now)
          },
        )
        break
      }
      case 'travel': {
        // the warm-up travels past the exposure delay (its allocations apply next)
        if (step < warmUp.length) {
          now += 2n * vault.delay + 1n
          continue
        }
        // now and then straight to the next moment an order changes hands (a window ends, a deadline passes) or a
        // queued allocation increase becomes due
        const next = nextOrderMoment(model, now)
        let due: bigint | undefined
        for (const v of model.vaults.values())
          for (const a of v.allocations.values())
            if (a.increase > 0n && a.increaseReadyAt > now && (due === undefined || a.increaseReadyAt < due))
              due = a.increaseReadyAt
        const r = rng.next()
        if (next !== undefined && r < 0.3) now = next
        else if (due !== undefined && r < 0.45) now = due
        else
          now += BigInt(
            rng.pick([600, 3600, 6 * 3600, DAY, 2 * DAY + 1, 3 * DAY + 1, 7 * DAY + 1, 14 * DAY + 1]),
          )
        continue
      }
      case 'deposit': {
        const staker = rng.pick(fx.stakers)
        const assets = rng.amount(parseEther('20000'))
        await both(
          staker,
          {
            address: vault.address,
            abi: operatorVaultAbi,
            functionName: 'deposit',
            args: [assets, staker.address],
          },
          () => model.deposit(vault.address, staker.address, staker.address, assets),
        )
        break
      }
      case 'depositBond': {
        // the warm-up's bond covers the minimum bond of what the vault allocates next
        const amount =
          step < warmUp.length
            ? parseEther('1000') + rng.amount(parseEther('4000'))
            : rng.amount(parseEther('5000'))
        await both(
          vault.operator,
          { address: vault.address, abi: operatorVaultAbi, functionName: 'depositBond', args: [amount] },
          () => model.depositBond(vault.address, vault.operator.address, amount, now),
        )
        break
      }
      case 'requestWithdrawal': {
        const staker = rng.pick(fx.stakers)
        const held = model.sharesOf(vault.address, staker.address)
        const shares = rng.next() < 0.9 ? 1n + rng.amount(held > 0n ? held - 1n : 0n) : rng.amount(held)
        const r = await both(
          staker,
          {
            address: vault.address,
            abi: operatorVaultAbi,
            functionName: 'requestWithdrawal',
            args: [shares],
          },
          () => model.requestWithdrawal(vault.address, staker.address, shares, now),
        )
        if (r) withdrawals.push({ vault: vault.address, owner: staker, id: r.result as bigint })
        break
      }
      case 'claimWithdrawal': {
        const w = choose(withdrawals, (x) => {
          const m = model.vault(x.vault).withdrawals.get(`${x.owner.address.toLowerCase()}:${x.id}`)
          return m !== undefined && m.readyAt <= now
        })
        if (!w) continue
        await both(
          w.owner,
          {
            address: w.vault,
            abi: operatorVaultAbi,
            functionName: 'claimWithdrawal',
            args: [w.id, w.owner.address],
          },
          () => model.claimWithdrawal(w.vault, w.owner.address, w.id, w.owner.address, now),
        )
        break
      }
      case 'allocate': {
        // mostly within the cap left after what is allocated and what other services have queued (so that the
        // increases can all apply), sometimes above it
        const v = model.vault(vault.address)
        let queued = 0n
        for (const [id, a] of v.allocations) if (id !== service.id) queued += a.increase
        const capLeft = ((v.bond + v.pool) * vault.capBps) / BPS - v.totalAllocated - queued
        const room = capLeft > 0n ? capLeft / (step < warmUp.length ? 2n : 1n) : 0n
        const amount =
          rng.next() < 0.8 && room > 0n ? 1n + rng.amount(room - 1n) : rng.amount(room + parseEther('100'))
        await both(
          vault.operator,
          {
            address: vault.address,
            abi: operatorVaultAbi,
            functionName: 'allocate',
            args: [service.id, amount],
          },
          () => model.allocate(vault.address, vault.operator.address, service.id, amount, now),
        )
        break
      }
      // anyone applies a matured increase or syncs a weight
      case 'applyAllocation':
      case 'syncAllocation': {
        await both(
          fx.reporter,
          { address: vault.address, abi: operatorVaultAbi, functionName: action, args: [service.id] },
          () => model[action](vault.address, service.id, now),
        )
        break
      }
      case 'requestDeallocation': {
        const a = model.vault(vault.address).allocations.get(service.id)
        const decrease = 1n + rng.amount(a?.amount ?? 0n)
        await both(
          vault.operator,
          {
            address: vault.address,
            abi: operatorVaultAbi,
            functionName: 'requestDeallocation',
            args: [service.id, decrease],
          },
          () => model.requestDeallocation(vault.address, vault.operator.address, service.id, decrease, now),
        )
        break
      }
      case 'completeDeallocation': {
        await both(
          fx.reporter,
          {
            address: vault.address,
            abi: operatorVaultAbi,
            functionName: 'completeDeallocation',
            args: [service.id],
          },
          () => model.completeDeallocation(vault.address, service.id, now),
        )
        break
      }
      case 'report': {
        const classId = rng.int(4)
        // now and then an id in the order book's range, which the court must refuse
        const label = `seed-${seed}-${incidents++}`
        const incidentId = rng.next() < 0.05 ? orderIncidentId(BigInt(incidents)) : incident(label)
        const active = fx.attesters.filter(
          (a) => model.service(service.id).attesters.get(a.address.toLowerCase())?.active,
        )
        const signerCount =
          rng.next() < 0.8 ? Math.max(3, active.length - rng.int(3)) : 1 + rng.int(active.length)
        const signers = [...active].sort(() => rng.next() - 0.5).slice(0, signerCount)
        if (signers.length === 0) continue
        const client = rng.next() < 0.7 ? fx.client.address : zeroAddress
        const report = { serviceId: service.id, vault: vault.address, classId, incidentId, client }
        const domain = { chainId: world.chainId, court }
        const signed = await Promise.all(signers.map((a) => signReport(a, domain, report)))
        const id = idOf(service.id, vault.address, incidentId)
        let modelSlash: ModelSlash | undefined
        const r = await both(
          fx.reporter,
          {
            address: court,
            abi: slashingCourtAbi,
            functionName: 'requestSlash',
            args: [report, orderSignatures(signed)],
          },
          () => {
            modelSlash = model.requestSlash(
              { id, serviceId: service.id, vault: vault.address, classId, client, incidentId },
              signers.map((s) => s.address),
              fx.reporter.address,
              now,
            )
          },
        )
        if (r && modelSlash) {
          const [event] = parseEventLogs({
            abi: slashingCourtAbi,
            eventName: 'SlashRequested',
            logs: r.receipt.logs,
          })
          const details = event!.args.details as SlashDetails
          assert.equal(event!.args.slashId, id, `${where}: slash id`)
          assert.equal(details.amount, modelSlash.amount, `${where}: slash amount fixed at request`)
          assertSlashWithinCaps(model, modelSlash, where)
          tracked.push({ slash: modelSlash, details })
        }
        break
      }
      case 'replay': {
        if (tracked.length === 0) continue
        const t = rng.pick(tracked)
        const report = {
          serviceId: t.details.serviceId,
          vault: t.details.vault,
          classId: t.details.classId,
          incidentId: t.details.incidentId,
          client: t.details.client,
        }
        const signed = await Promise.all(
          fx.attesters.map((a) => signReport(a, { chainId: world.chainId, court }, report)),
        )
        const r = await execAt(world, now, fx.reporter, {
          address: court,
          abi: slashingCourtAbi,
          functionName: 'requestSlash',
          args: [report, orderSignatures(signed)],
        })
        // an order's collateral slash has an order incident id, which no report may use
        const expected = t.slash.orderId === undefined ? 'ReportAlreadyUsed' : 'ReservedIncidentId'
        assert.equal(r.ok ? 'success' : r.errorName, expected, `${where}: replay not refused`)
        break
      }
      case 'dispute':
      case 'resolve':
      case 'lapse':
      case 'execute': {
        const wanted: Record<string, (t: Tracked) => boolean> = {
          dispute: (t) => t.slash.status === 'Pending' && now <= t.slash.disputeEnd,
          resolve: (t) => t.slash.status === 'Disputed' && now <= t.slash.resolveBy,
          lapse: (t) => t.slash.status === 'Disputed' && now > t.slash.resolveBy,
          execute: (t) =>
            (t.slash.status === 'Pending' && now > t.slash.disputeEnd) || t.slash.status === 'Upheld',
        }
        const t = choose(tracked, wanted[action]!)
        if (!t) continue
        const id = t.slash.id
        if (action === 'dispute') {
          const operator = fx.vaults.find((v) => v.address.toLowerCase() === t.slash.vault)!.operator
          await both(
            operator,
            { address: court, abi: slashingCourtAbi, functionName: 'dispute', args: [t.details] },
            () => model.dispute(id, operator.address, now),
          )
        } else if (action === 'resolve') {
          const choice = rng.int(3)
          const upheld = choice === 0 ? 0n : choice === 1 ? t.slash.amount : rng.amount(t.slash.amount)
          const r = await both(
            fx.services[0]!.resolver,
            { address: court, abi: slashingCourtAbi, functionName: 'resolve', args: [t.details, upheld] },
            () => model.resolve(id, fx.services[0]!.resolver.address, upheld, now),
          )
          if (r && upheld > 0n) t.details = { ...t.details, amount: upheld }
        } else if (action === 'lapse') {
          await both(
            fx.reporter,
            { address: court, abi: slashingCourtAbi, functionName: 'lapse', args: [t.details] },
            () => model.lapse(id, now),
          )
        } else {
          await both(
            fx.reporter,
            { address: court, abi: slashingCourtAbi, functionName: 'executeSlash', args: [t.details] },
            () => model.executeSlash(id, now),
          )
        }
        break
      }
    }
    const read: Reader = (address, abi, functionName, args = []) =>
      reader.readContract({ address, abi, functionName, args } as any) as Promise<any>
    await Promise.all([
      assertMatchesModel(world, fx, model, tracked, everyone, read, where),
      assertOrdersMatchModel(world, fx, model, read, chainTime, frozen, where),
      adversary.assertMatches(model, read, court, where),
    ])
    adversary.noteCaps(model)
    adversary.assertBounded(model, now, where)
    // rewards solvency: the distributor always holds at least everything it owes
    assert.ok(
      model.balance(world.addresses.rewards) >= model.rewardsOwed(now),
      `${where}: rewards owed exceed what is held`,
    )
    // conservation: tokens only move between the accounts and contracts the suite watches
    let stake = 0n
    for (const who of everyone) stake += model.balance(who)
    let foreign = 0n
    for (const who of foreignHolders) foreign += model.balance(who, fx.foreignToken)
    assert.deepEqual([stake, foreign], [supply.stake, supply.foreign], `${where}: tokens created or lost`)
    for (const v of [...fx.vaults.map((x) => x.address), adv.vault]) assertReservationsFit(model, v, where)
  }
  outcomes['adversary:stepsAheadOfStart'] = adversary.stats.gainSteps
  outcomes['adversary:stepsAboveHalfTheBound'] = adversary.stats.gainAboveHalfBound
  await assertRebuiltFromEvents(world, fx, model, firstBlock, chainTime, `seed ${seed} (events)`)
  return outcomes
}

/**
 * Orders' collateral (open orders and their unsettled slashes) is senior: it fits the stake, vault-wide, except
 * for what withdrawals claimed after it was reserved and reports executed past MAX_ORDER_WAIT took (the model
 * counts exactly that, `leftUncovered`: docs §14). A reservation must fit the room (stake less what queued
 * withdrawals were promised, pending slashes and other reservations), an order's slash fits the stake other orders
 * leave, and a report executes within its wait only if what orders reserve stays covered. Per allocation,
 * reservations never exceed the limit. Report slashes are sized whatever orders reserve, so pending + reserved may
 * exceed the stake: the reports wait.
 */
function assertReservationsFit(model: ProtocolModel, vault: string, where: string) {
  const v = model.vault(vault)
  const stake = v.bond + v.pool
  assert.ok(
    v.totalReserved <= stake + v.leftUncovered,
    `${where}: vault ${vault} reserved ${v.totalReserved} > stake ${stake} + left uncovered ${v.leftUncovered}`,
  )
  for (const [serviceId, a] of v.allocations) {
    assert.ok(
      a.reserved <= a.amount,
      `${where}: allocation ${serviceId} of ${vault}: reserved ${a.reserved} > allocation ${a.amount}`,
    )
  }
}

/** Invariant 6: folding this sequence's events over the set-up state gives back exactly what the chain holds. */
async function assertRebuiltFromEvents(
  world: World,
  fx: InvariantFixture,
  model: ProtocolModel,
  fromBlock: bigint,
  chainTime: bigint,
  where: string,
) {
  const state = emptyState(world.addresses.orders)
  for (const v of fx.vaults) addVault(state, v.address)
  addVault(state, fx.adversary.vault)
  const logs = await world.public.getLogs({
    address: [
      ...fx.vaults.map((v) => v.address),
      fx.adversary.vault,
      world.addresses.court,
      world.addresses.orders,
    ],
    fromBlock,
  })
  const decoded = parseEventLogs({ abi: [...operatorVaultAbi, ...slashingCourtAbi, ...orderBookAbi], logs })
  for (const log of decoded) reduceLog(state, log as any)
  assertOrdersRebuilt(state, fx, model, chainTime, where)
  for (const v of fx.vaults) {
    const m = model.vault(v.address)
    const rebuilt = state.vaults.get(v.address.toLowerCase())!
    assert.deepEqual(
      [rebuilt.bond, rebuilt.pool, rebuilt.pending, rebuilt.totalSupply, rebuilt.totalAllocated],
      [m.bond, m.pool, m.pending, m.totalSupply, m.totalAllocated],
      `${where}: vault rebuilt from events`,
    )
    for (const s of fx.stakers) {
      assert.equal(
        rebuilt.shares.get(s.address.toLowerCase()) ?? 0n,
        model.sharesOf(v.address, s.address),
        `${where}: shares`,
      )
    }
    for (const [serviceId, a] of m.allocations) {
      const r = rebuilt.allocations.get(serviceId) ?? { amount: 0n, pending: 0n }
      assert.deepEqual(
        [r.amount, r.pending],
        [a.amount, a.pending],
        `${where}: allocation rebuilt from events`,
      )
    }
  }
  for (const s of model.slashes.values()) {
    assert.equal(
      state.slashes.get(s.id as Hex)?.status,
      s.status,
      `${where}: slash status rebuilt from events`,
    )
    assert.equal(
      state.slashes.get(s.id as Hex)?.details.amount,
      s.amount,
      `${where}: slash amount rebuilt from events`,
    )
  }
  for (const svc of fx.services) {
    assert.equal(
      state.serviceAllocated.get(svc.id) ?? 0n,
      model.service(svc.id).allocated,
      `${where}: service total`,
    )
  }
}

function idOf(serviceId: bigint, vault: Address, incidentId: Hex): Hex {
  // keccak256(abi.encode(uint64, address, bytes32)), as SlashingCourt._slashId
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint64' }, { type: 'address' }, { type: 'bytes32' }],
      [serviceId, vault, incidentId],
    ),
  )
}

/** Invariant 3: a slash never exceeds its cap nor the slashable stake, fixed at request. */
function assertSlashWithinCaps(model: ProtocolModel, slash: ModelSlash, where: string) {
  const v = model.vault(slash.vault)
  const a = v.allocations.get(slash.serviceId)!
  const params = model.service(slash.serviceId).params
  const stake = v.bond + v.pool
  const allocated = min(a.amount, stake)
  assert.ok(
    slash.amount <= (allocated * params.incidentCapBps) / BPS,
    `${where}: slash above the incident cap`,
  )
  assert.ok(a.pending <= allocated, `${where}: pending slashes above the allocation`)
  assert.ok(v.pending <= stake, `${where}: pending slashes above the vault's stake`)
}

async function assertMatchesModel(
  world: World,
  fx: InvariantFixture,
  model: ProtocolModel,
  tracked: Tracked[],
  everyone: Address[],
  read: Reader,
  where: string,
) {
  const foreign = [
    fx.client.address,
    world.addresses.orders,
    ...fx.vaults.map((v) => v.operator.address),
    fx.services[0]!.owner.address,
  ]
  const balanceOf = (token: Address, who: Address) => read(token, stakeTokenAbi, 'balanceOf', [who])
  // every read at once: one round trip
  const [foreignBalances, tokenBalances, vaults, statuses, allocated, rewards] = await Promise.all([
    Promise.all(foreign.map((who) => balanceOf(fx.foreignToken, who))),
    Promise.all(everyone.map((who) => balanceOf(world.addresses.stakeToken, who))),
    Promise.all(
      fx.vaults.map((v) =>
        Promise.all([
          read(v.address, operatorVaultAbi, 'totals'),
          read(v.address, operatorVaultAbi, 'totalSupply'),
          Promise.all(fx.stakers.map((s) => read(v.address, operatorVaultAbi, 'balanceOf', [s.address]))),
          Promise.all(fx.services.map((s) => read(v.address, operatorVaultAbi, 'allocation', [s.id]))),
          Promise.all(fx.services.map((s) => read(v.address, operatorVaultAbi, 'exposure', [s.id]))),
        ]),
      ),
    ),
    Promise.all(
      tracked.map((t) => read(world.addresses.court, slashingCourtAbi, 'slashStatus', [t.slash.id])),
    ),
    Promise.all(
      fx.services.map((s) => read(world.addresses.court, slashingCourtAbi, 'serviceAllocated', [s.id])),
    ),
    Promise.all(
      fx.services.map((s) => read(world.addresses.rewards, rewardsDistributorAbi, 'serviceRewards', [s.id])),
    ),
  ])
  for (const [i, who] of foreign.entries()) {
    assert.equal(
      foreignBalances[i],
      model.balance(who, fx.foreignToken),
      `${where}: foreign balance of ${who}`,
    )
  }
  for (const [i, who] of everyone.entries()) {
    assert.equal(tokenBalances[i], model.balance(who), `${where}: token balance of ${who}`)
  }

  for (const [vi, v] of fx.vaults.entries()) {
    const m = model.vault(v.address)
    const [totals, supply, shares, allocations, exposures] = vaults[vi]!
    assert.deepEqual(
      totals,
      [m.bond, m.pool, m.pending, model.queuedShares(v.address)],
      `${where}: vault totals (bond, pool, pending, queued)`,
    )
    assert.equal(supply, m.totalSupply, `${where}: share supply`)
    for (const [i, s] of fx.stakers.entries()) {
      assert.equal(shares[i], model.sharesOf(v.address, s.address), `${where}: shares`)
    }
    // Invariant 1 (conservation): the vault holds exactly its two tranches, to the wei
    assert.equal(model.balance(v.address), m.bond + m.pool, `${where}: vault tokens ≠ bond + pool`)
    // Invariant 4 (rounding favours the protocol): everything holders could redeem fits in the net pool
    const net = netPoolAssets(m.pool, m.bond, m.pending)
    let owed = 0n
    for (const [holder, balance] of m.shares)
      if (holder !== m.address) owed += toAssetsDown(balance, net, m.totalSupply)
    for (const w of m.withdrawals.values()) owed += min(w.assets, toAssetsDown(w.shares, net, m.totalSupply))
    assert.ok(owed <= net, `${where}: holders are owed more than the pool holds`)
    for (const [si, s] of fx.services.entries()) {
      const [amount, pending] = allocations[si]
      const a = m.allocations.get(s.id)
      assert.equal(amount, a?.amount ?? 0n, `${where}: allocation`)
      assert.equal(pending, a?.pending ?? 0n, `${where}: allocation pending`)
      assert.deepEqual(
        [...exposures[si]],
        [a?.increase ?? 0n, a?.increaseReadyAt ?? 0n, a?.weight ?? 0n],
        `${where}: queued increase, its time and the synced weight`,
      )
    }
  }
  // the court holds exactly the open dispute bonds; the registry exactly the attester bonds
  let openBonds = 0n
  for (const s of model.slashes.values()) if (s.status === 'Disputed') openBonds += s.disputeBond
  assert.equal(model.balance(world.addresses.court), openBonds, `${where}: court holds ≠ open dispute bonds`)
  let attesterBonds = 0n
  for (const s of model.services.values()) for (const a of s.attesters.values()) attesterBonds += a.bond
  assert.equal(model.balance(world.addresses.registry), attesterBonds, `${where}: registry ≠ attester bonds`)

  const names = ['None', 'Pending', 'Disputed', 'Upheld', 'Executed', 'Overturned', 'Lapsed']
  for (const [i, t] of tracked.entries()) {
    assert.equal(names[Number(statuses[i][0])], t.slash.status, `${where}: slash status`)
  }
  for (const [i, s] of fx.services.entries()) {
    assert.equal(allocated[i], model.service(s.id).allocated, `${where}: service allocated`)
    // the rewards count the synced weights; income without stake waits in the subsidy
    const r = model.serviceRewards.get(s.id)
    const [, totalStake, rate, subsidyBalance] = rewards[i]
    assert.deepEqual(
      [totalStake, rate, subsidyBalance],
      [r?.totalStake ?? 0n, r?.rate ?? 0n, r?.subsidyBalance ?? 0n],
      `${where}: service rewards (total stake, rate, subsidy balance)`,
    )
  }
}
