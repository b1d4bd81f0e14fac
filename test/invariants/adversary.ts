/**
 * The malicious operator of the invariant suite (issue 9). It runs vault X and owns everything around it: its own
 * service C (it is the owner and the resolver; two attesters it controls are the whole committee; its sybil is the
 * sink), and a second address, the sybil, that is its client, reporter and depositor. It picks its moves from the
 * state to hurt the one honest staker of X: queue the whole restaking room onto C, self-report 100% slashes, dispute
 * and overturn or uphold them as it likes, open self-dealt intents with a huge stated value that its own bid wins and
 * then lets expire (an order collateral slash paid to the sybil), deposit from the sybil while slashes are pending,
 * take its bond out, execute what pays it. Every call runs on chain and in the model, which must agree as everywhere.
 *
 * What is checked after every step (assertAdversaryBounded), precisely:
 * 1. Exit before exposure. For every withdrawal the honest staker has queued and not yet claimed, while `now` is not
 *    past its readyAt (a staker who claims when it can): for every service, X's allocation is at most what was
 *    applied when the withdrawal was requested plus the increase queued then if that increase was due by the
 *    withdrawal's readyAt; likewise X's total allocated. So no exposure queued after the request (nor one due after
 *    the claim) can apply while the staker waits, and every slash sized in that time is sized on exposure that
 *    existed, announced, at its request. When such a withdrawal is claimed at its readyAt the payment is at least
 *    what it was promised at request less its pro-rata share of the pool losses (executed from the pool, or pending
 *    beyond the bond) of slashes requested before the claim: checked as paid ≥ min(w.assets, value now), which the
 *    model already equals, plus the exposure bound above for every slash in between.
 * 2. Bounded gain. The operator side's wealth — the stake-token balances of the operator, the sybil and its two
 *    attesters, the attesters' bonds in the registry, X's bond, the dispute bonds X's operator has in the court, the
 *    value now of the sybil's shares and queued withdrawals (net of pending slashes), and the sybil's escrow and
 *    credits in the order book — never exceeds what it was at the start by more than the pool exposure the stakers
 *    accepted: Σ over (service, correlation epoch) in which a slash of X was requested of windowCapBps × the largest
 *    effective allocation (the applied amount held to its share of the stake) at such a request, / 10 000 (rounded down). Fees, subsidy and
 *    rewards of C only come from the operator side itself, so they cannot mask a gain.
 */
import assert from 'node:assert/strict'
import {
  type Account,
  type Address,
  encodeAbiParameters,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
} from 'viem'
import type { ModelOrderParams } from '../../src/model/ordersModel.ts'
import type { ModelSlash, ProtocolModel } from '../../src/model/protocolModel.ts'
import { BPS, min, netPoolAssets, toAssetsDown } from '../../src/model/sharesMath.ts'
import {
  approveStake,
  operatorVaultAbi,
  orderBookAbi,
  orderSignatures,
  orderTerms,
  signReport,
  slashingCourtAbi,
} from '../../src/sdk/index.ts'
import type { ServiceParams, SlashDetails } from '../../src/sdk/types.ts'
import {
  DAY,
  DOWNTIME,
  defaultServiceParams,
  incident,
  setupService,
  setupVault,
} from '../support/fixtures.ts'
import type { World } from '../support/world.ts'
import type { Call, Executed, Reader } from './orderActions.ts'
import type { Prng } from './prng.ts'

const TOTAL_LOSS = { basePenaltyBps: 10_000, jailDuration: 0, permanentBan: false }

export type AdversaryFixture = {
  vault: Address
  operator: Account
  sybil: Account
  attesters: Account[]
  honest: Account
  delay: bigint
  capBps: bigint
  service: { id: bigint; params: ServiceParams; classes: (typeof DOWNTIME)[] }
  attesterBond: bigint
}

/** Vault X, service C and the accounts 15..19: operator, sybil, two attesters, the honest staker. */
export async function setupAdversary(world: World): Promise<AdversaryFixture> {
  const [operator, sybil, a1, a2, honest] = world.accounts.slice(15, 20) as Account[]
  const attesters = [a1!, a2!].sort((x, y) => (BigInt(x.address) < BigInt(y.address) ? -1 : 1))
  const attesterBond = parseEther('1000')
  const params = {
    // the sybil is the sink: everything a slash of X pays goes to the operator's side
    sink: sybil!.address,
    disputeWindow: 60,
    resolutionDeadline: DAY,
    disputeBond: parseEther('1'),
    correlationWindow: 3 * DAY,
    // the stakers' accepted exposure: a fifth of the allocation per three-day window (an incident may take all of it)
    incidentCapBps: 2_000,
    windowCapBps: 2_000,
    clientShareBps: 5_000,
  }
  const classes = [TOTAL_LOSS, DOWNTIME]
  const c = await setupService(world, {
    owner: operator!,
    resolver: operator!,
    attesters,
    attesterBond,
    classes,
    params,
  })
  const delay = 7n * BigInt(DAY)
  const { vault } = await setupVault(world, operator!, {
    withdrawalDelay: Number(delay),
    restakingCapBps: 10_000,
  })
  await approveStake(world.clientFor(operator!), { spender: world.addresses.court, amount: maxUint256 })
  for (const who of [sybil!, honest!])
    await approveStake(world.clientFor(who), { spender: vault, amount: maxUint256 })
  await approveStake(world.clientFor(sybil!), { spender: world.addresses.orders, amount: maxUint256 })
  return {
    vault,
    operator: operator!,
    sybil: sybil!,
    attesters,
    honest: honest!,
    delay,
    capBps: 10_000n,
    service: { id: c.serviceId, params: defaultServiceParams(operator!.address, params), classes },
    attesterBond,
  }
}

type Both = (account: Account, call: Call, apply: () => unknown) => Promise<Executed | undefined>

export type AdversaryContext = {
  world: World
  model: ProtocolModel
  rng: Prng
  now: () => bigint
  advance: (seconds: bigint) => bigint
  both: Both
  note: (what: string) => void
  where: string
}

type HonestWithdrawal = {
  id: bigint
  readyAt: bigint
  /** Per service: applied amount and the queued increase due by readyAt, at request. */
  exposure: Map<bigint, bigint>
  totalExposure: bigint
}

/** The adversary's running state: its slashes, its orders, the honest staker's withdrawals, the accepted caps. */
export class Adversary {
  readonly slashes: { slash: ModelSlash; details: SlashDetails }[] = []
  readonly honestWithdrawals: HonestWithdrawal[] = []
  readonly sybilWithdrawals: bigint[] = []
  /** Per `${serviceId}:${epoch}`: the largest window cap of X's allocation at a slash request in that epoch. */
  readonly caps = new Map<string, bigint>()
  readonly stats = { gainSteps: 0, gainAboveHalfBound: 0 }
  private incidents = 0
  private wealthAtStart = 0n

  constructor(readonly fx: AdversaryFixture) {}

  get side(): Address[] {
    return [this.fx.operator.address, this.fx.sybil.address, ...this.fx.attesters.map((a) => a.address)]
  }

  start(model: ProtocolModel) {
    this.wealthAtStart = this.wealth(model)
  }

  /** The operator side's wealth (see the header, check 2). */
  wealth(model: ProtocolModel): bigint {
    const fx = this.fx
    let w = 0n
    for (const who of this.side) w += model.balance(who)
    for (const a of fx.attesters)
      w += model.service(fx.service.id).attesters.get(a.address.toLowerCase())?.bond ?? 0n
    const v = model.vault(fx.vault)
    w += v.bond
    for (const s of model.slashes.values())
      if (s.vault === v.address && s.status === 'Disputed') w += s.disputeBond
    const net = netPoolAssets(v.pool, v.bond, v.pending)
    w += toAssetsDown(model.sharesOf(fx.vault, fx.sybil.address), net, v.totalSupply)
    for (const [key, q] of v.withdrawals)
      if (key.startsWith(`${fx.sybil.address.toLowerCase()}:`))
        w += min(q.assets, toAssetsDown(q.shares, net, v.totalSupply))
    const book = model.orders
    for (const o of book.orders.values())
      if (o.params.client.toLowerCase() === fx.sybil.address.toLowerCase()) w += book.escrowLeft(o)
    for (const who of this.side) w += book.owedTo(model.stakeToken, who)
    return w
  }

  private readonly noted = new Set<string>()

  /**
   * Records, for every slash of X requested in this step, the window cap its request could use: the stakers'
   * accepted exposure. A request changes neither the allocation nor the stake, so the state at the end of the step
   * that requested it is the state it was sized on (no action makes a call after a slash request in its step).
   */
  noteCaps(model: ProtocolModel) {
    const v = model.vault(this.fx.vault)
    for (const s of model.slashes.values()) {
      if (s.vault !== v.address || this.noted.has(s.id)) continue
      this.noted.add(s.id)
      const a = model.allocationOf(v, s.serviceId)
      const p = model.service(s.serviceId).params
      const key = `${s.serviceId}:${s.requestedAt / p.correlationWindow}`
      const cap = (model.effective(a, v.bond + v.pool) * p.windowCapBps) / BPS
      if (cap > (this.caps.get(key) ?? 0n)) this.caps.set(key, cap)
    }
  }

  /** The warm-up, before the suite travels past the exposure delay: stake, bond and the whole room queued on C. */
  async warmUp(ctx: AdversaryContext) {
    const { model, both, rng } = ctx
    const fx = this.fx
    const deposit = parseEther('10000') + rng.amount(parseEther('10000'))
    await both(fx.honest, this.vaultCall('deposit', [deposit, fx.honest.address]), () =>
      model.deposit(fx.vault, fx.honest.address, fx.honest.address, deposit),
    )
    const bond = parseEther('300') + rng.amount(parseEther('700'))
    await both(fx.operator, this.vaultCall('depositBond', [bond]), () =>
      model.depositBond(fx.vault, fx.operator.address, bond, ctx.now()),
    )
    await this.queueWholeRoom(ctx)
  }

  /** After the warm-up's travel: the queued exposure applies (anyone may apply it; the sybil does). */
  async applyDue(ctx: AdversaryContext) {
    const id = this.fx.service.id
    await ctx.both(this.fx.sybil, this.vaultCall('applyAllocation', [id]), () =>
      ctx.model.applyAllocation(this.fx.vault, id, ctx.now()),
    )
  }

  private vaultCall(functionName: string, args: readonly unknown[]): Call {
    return { address: this.fx.vault, abi: operatorVaultAbi, functionName, args }
  }

  private async queueWholeRoom(ctx: AdversaryContext) {
    const { model } = ctx
    const v = model.vault(this.fx.vault)
    const stake = v.bond + v.pool
    const a = model.allocationOf(v, this.fx.service.id)
    const room = min((stake * v.restakingCapBps) / BPS - v.totalAllocated, stake - a.amount)
    const increase = room > 0n ? room : 1n
    await ctx.both(this.fx.operator, this.vaultCall('allocate', [this.fx.service.id, increase]), () =>
      model.allocate(this.fx.vault, this.fx.operator.address, this.fx.service.id, increase, ctx.now()),
    )
  }

  /** One adversarial move, chosen from the state. */
  async move(ctx: AdversaryContext) {
    const { model, rng } = ctx
    const fx = this.fx
    const now = ctx.now()
    const v = model.vault(fx.vault)
    const a = model.allocationOf(v, fx.service.id)
    const matured = this.slashes.filter(
      (t) => (t.slash.status === 'Pending' && now > t.slash.disputeEnd) || t.slash.status === 'Upheld',
    )
    const disputable = this.slashes.filter((t) => t.slash.status === 'Pending' && now <= t.slash.disputeEnd)
    const resolvable = this.slashes.filter((t) => t.slash.status === 'Disputed' && now <= t.slash.resolveBy)
    const moves: [string, number][] = [
      ['queueExposure', 2],
      ['applyExposure', a.increase > 0n && a.increaseReadyAt <= now ? 6 : 0.3],
      ['selfReport', a.amount > 0n ? 6 : 0.5],
      ['selfOrder', a.amount > 0n ? 5 : 0.5],
      ['dispute', disputable.length > 0 ? 3 : 0],
      ['resolve', resolvable.length > 0 ? 4 : 0],
      ['execute', matured.length > 0 ? 6 : 0],
      ['sybilDeposit', v.pending > 0n ? 4 : 1],
      ['sybilWithdraw', 2],
      ['bondOut', 2],
      ['honestWithdraw', model.sharesOf(fx.vault, fx.honest.address) > 0n ? 3 : 0],
      ['honestClaim', this.honestWithdrawals.length > 0 ? 4 : 0],
      ['honestDeposit', 1],
    ]
    const total = moves.reduce((s, [, w]) => s + w, 0)
    let r = rng.next() * total
    let move = moves[0]![0]
    for (const [name, w] of moves) {
      r -= w
      if (r < 0) {
        move = name
        break
      }
    }
    ctx.note(`adversary:${move}`)
    await this.run(ctx, move, { matured, disputable, resolvable })
  }

  private async run(
    ctx: AdversaryContext,
    move: string,
    lists: Record<'matured' | 'disputable' | 'resolvable', { slash: ModelSlash; details: SlashDetails }[]>,
  ) {
    const { model, rng, both, world } = ctx
    const fx = this.fx
    const court = world.addresses.court
    const serviceId = fx.service.id
    switch (move) {
      case 'queueExposure':
        return this.queueWholeRoom(ctx)
      case 'applyExposure':
        return this.applyDue(ctx)
      case 'selfReport': {
        const label = `adversary-${this.incidents++}-${rng.int(1e9)}`
        const report = {
          serviceId,
          vault: fx.vault,
          classId: rng.next() < 0.85 ? 0 : 1,
          incidentId: incident(label),
          client: fx.sybil.address,
        }
        const signed = await Promise.all(
          fx.attesters.map((s) => signReport(s, { chainId: world.chainId, court }, report)),
        )
        let slash: ModelSlash | undefined
        const now = ctx.now()
        const id = keccak256(
          // keccak256(abi.encode(uint64, address, bytes32)), as SlashingCourt._slashId
          encodeAbiParameters(
            [{ type: 'uint64' }, { type: 'address' }, { type: 'bytes32' }],
            [serviceId, fx.vault, report.incidentId],
          ),
        )
        const r = await both(
          fx.sybil,
          {
            address: court,
            abi: slashingCourtAbi,
            functionName: 'requestSlash',
            args: [report, orderSignatures(signed)],
          },
          () => {
            slash = model.requestSlash(
              {
                id,
                serviceId,
                vault: fx.vault,
                classId: report.classId,
                client: fx.sybil.address,
                incidentId: report.incidentId,
              },
              fx.attesters.map((s) => s.address),
              fx.sybil.address,
              now,
            )
          },
        )
        if (r && slash) {
          const [event] = parseEventLogs({
            abi: slashingCourtAbi,
            eventName: 'SlashRequested',
            logs: r.receipt.logs,
          })
          const details = event!.args.details as SlashDetails
          assert.equal(details.amount, slash.amount, `${ctx.where}: adversary slash amount`)
          this.slashes.push({ slash, details })
        }
        return
      }
      case 'dispute': {
        const t = rng.pick(lists.disputable)
        await both(
          fx.operator,
          { address: court, abi: slashingCourtAbi, functionName: 'dispute', args: [t.details] },
          () => model.dispute(t.slash.id, fx.operator.address, ctx.now()),
        )
        return
      }
      case 'resolve': {
        // the operator is the resolver: overturn its own report (after the sybil bought in) or uphold part of it
        const t = rng.pick(lists.resolvable)
        const c = rng.next()
        const upheld = c < 0.5 ? 0n : c < 0.75 ? t.slash.amount : rng.amount(t.slash.amount)
        const r = await both(
          fx.operator,
          { address: court, abi: slashingCourtAbi, functionName: 'resolve', args: [t.details, upheld] },
          () => model.resolve(t.slash.id, fx.operator.address, upheld, ctx.now()),
        )
        if (r && upheld > 0n) t.details = { ...t.details, amount: upheld }
        return
      }
      case 'execute': {
        // the earliest first (the queue runs in request order)
        const t = [...lists.matured].sort((x, y) => (x.slash.seq < y.slash.seq ? -1 : 1))[0]!
        await both(
          fx.sybil,
          { address: court, abi: slashingCourtAbi, functionName: 'executeSlash', args: [t.details] },
          () => model.executeSlash(t.slash.id, ctx.now()),
        )
        return
      }
      case 'sybilDeposit': {
        const assets = 1n + rng.amount(parseEther('20000'))
        await both(fx.sybil, this.vaultCall('deposit', [assets, fx.sybil.address]), () =>
          model.deposit(fx.vault, fx.sybil.address, fx.sybil.address, assets),
        )
        return
      }
      case 'sybilWithdraw': {
        const v = model.vault(fx.vault)
        const due = this.sybilWithdrawals.filter(
          (id) =>
            (v.withdrawals.get(`${fx.sybil.address.toLowerCase()}:${id}`)?.readyAt ?? maxUint256) <=
            ctx.now(),
        )
        if (due.length > 0 && rng.next() < 0.7) {
          const id = rng.pick(due)
          await both(fx.sybil, this.vaultCall('claimWithdrawal', [id, fx.sybil.address]), () =>
            model.claimWithdrawal(fx.vault, fx.sybil.address, id, fx.sybil.address, ctx.now()),
          )
          return
        }
        const shares = model.sharesOf(fx.vault, fx.sybil.address)
        if (shares === 0n) return
        const r = await both(fx.sybil, this.vaultCall('requestWithdrawal', [shares]), () =>
          model.requestWithdrawal(fx.vault, fx.sybil.address, shares, ctx.now()),
        )
        if (r) this.sybilWithdrawals.push(r.result as bigint)
        return
      }
      case 'bondOut': {
        const v = model.vault(fx.vault)
        const w = v.bondWithdrawal
        if (w.amount > 0n && w.readyAt <= ctx.now() && rng.next() < 0.8) {
          await both(fx.operator, this.vaultCall('claimBondWithdrawal', []), () =>
            model.claimBondWithdrawal(fx.vault, fx.operator.address, ctx.now()),
          )
          return
        }
        const amount = v.bond > 0n ? v.bond : 1n
        await both(fx.operator, this.vaultCall('requestBondWithdrawal', [amount]), () =>
          model.requestBondWithdrawal(fx.vault, fx.operator.address, amount, ctx.now()),
        )
        return
      }
      case 'honestDeposit': {
        const assets = 1n + rng.amount(parseEther('5000'))
        await both(fx.honest, this.vaultCall('deposit', [assets, fx.honest.address]), () =>
          model.deposit(fx.vault, fx.honest.address, fx.honest.address, assets),
        )
        return
      }
      case 'honestWithdraw': {
        const held = model.sharesOf(fx.vault, fx.honest.address)
        const shares = rng.next() < 0.5 ? held : 1n + rng.amount(held - 1n)
        const v = model.vault(fx.vault)
        const now = ctx.now()
        const exposure = new Map<bigint, bigint>()
        let totalExposure = v.totalAllocated
        for (const [id, a] of v.allocations) {
          const due = a.increase > 0n && a.increaseReadyAt <= now + v.withdrawalDelay ? a.increase : 0n
          exposure.set(id, a.amount + due)
          totalExposure += due
        }
        const r = await both(fx.honest, this.vaultCall('requestWithdrawal', [shares]), () =>
          model.requestWithdrawal(fx.vault, fx.honest.address, shares, now),
        )
        if (r)
          this.honestWithdrawals.push({
            id: r.result as bigint,
            readyAt: now + v.withdrawalDelay,
            exposure,
            totalExposure,
          })
        return
      }
      case 'honestClaim': {
        // the honest staker claims as soon as it may: at readyAt (travelling there if it is still ahead)
        const w = this.honestWithdrawals[0]!
        if (ctx.now() < w.readyAt) ctx.advance(w.readyAt - ctx.now())
        const key = `${fx.honest.address.toLowerCase()}:${w.id}`
        const q = model.vault(fx.vault).withdrawals.get(key)
        const r = await both(fx.honest, this.vaultCall('claimWithdrawal', [w.id, fx.honest.address]), () =>
          model.claimWithdrawal(fx.vault, fx.honest.address, w.id, fx.honest.address, ctx.now()),
        )
        assert.ok(r, `${ctx.where}: the honest staker's claim at its readyAt reverted`)
        assert.ok(q, `${ctx.where}: the honest withdrawal is known to the model`)
        this.honestWithdrawals.shift()
        return
      }
      case 'selfOrder':
        return this.selfOrder(ctx)
    }
  }

  /**
   * A self-dealt intent: the sybil states a value as large as the vault (the collateral floor), the operator bids 1
   * wei pledging everything the allocation has, the sybil picks the bid as soon as bidding ends, and after the
   * deadline anyone expires it: the collateral slash would pay the sybil. The contracts reserve only the
   * requirement and hold the pool's share to the window cap.
   */
  private async selfOrder(ctx: AdversaryContext) {
    const { model, both, rng, world } = ctx
    const fx = this.fx
    const book = model.orders
    const orders = world.addresses.orders
    const call = (functionName: string, args: readonly unknown[]): Call => ({
      address: orders,
      abi: orderBookAbi,
      functionName,
      args,
    })
    const v = model.vault(fx.vault)
    const now = ctx.now()
    // the stated value that makes the requirement the whole allocation room (mostly), or the whole vault
    const room = model.allocationTerms(fx.vault, fx.service.id, now).room
    const factor = model.service(fx.service.id).params.collateralFactorBps
    const value = rng.next() < 0.75 && factor > 0n ? (room * BPS) / factor : v.bond + v.pool
    const params: ModelOrderParams = {
      client: fx.sybil.address,
      serviceId: fx.service.id,
      paymentToken: world.addresses.stakeToken,
      vault: zeroAddress,
      budget: 1n + rng.amount(parseEther('1')),
      value,
      ratePerSecond: 0n,
      biddingEnds: now + 120n,
      deadline: now + 240n,
      milestones: 0n,
      feeBps: 0n,
      collateralFactorBps: 0n,
      collateralFloorBps: 0n,
    }
    const opened = await both(fx.sybil, call('open', [params, TERMS]), () =>
      book.open(fx.sybil.address, params, now),
    )
    if (!opened) return
    const orderId = opened.result as bigint
    const stored = book.order(orderId)!.params
    const terms = model.allocationTerms(fx.vault, fx.service.id, now)
    const pledge = terms.room > 0n ? terms.room : 1n
    const bidAt = ctx.advance(1n)
    const bid = await both(fx.operator, call('bid', [orderId, stored, 1n, pledge]), () =>
      book.bid(fx.operator.address, orderId, stored, 1n, pledge, bidAt),
    )
    if (!bid) return
    const pickAt = ctx.advance(stored.biddingEnds - bidAt)
    const picked = await both(fx.sybil, call('pickBid', [orderId, stored, fx.vault]), () =>
      book.pickBid(fx.sybil.address, orderId, stored, fx.vault, pickAt),
    )
    if (!picked) return
    const expireAt = ctx.advance(stored.deadline + 1n - pickAt)
    const r = await both(fx.sybil, call('expire', [orderId, stored]), () =>
      book.expire(orderId, stored, expireAt),
    )
    const o = book.order(orderId)!
    if (r && o.slash) {
      const [event] = parseEventLogs({
        abi: slashingCourtAbi,
        eventName: 'SlashRequested',
        logs: r.receipt.logs,
      })
      const details = event!.args.details as SlashDetails
      assert.equal(details.amount, o.slash.amount, `${ctx.where}: self-dealt order slash amount`)
      this.slashes.push({ slash: o.slash, details })
    }
  }

  /** The chain equals the model on X and C, and the two properties of the header hold. */
  async assertMatches(model: ProtocolModel, read: Reader, court: Address, where: string) {
    const fx = this.fx
    const m = model.vault(fx.vault)
    const [totals, supply, shares, allocation, exposure, reserved, bondWithdrawal, statuses] =
      await Promise.all([
        read(fx.vault, operatorVaultAbi, 'totals'),
        read(fx.vault, operatorVaultAbi, 'totalSupply'),
        Promise.all(
          [fx.honest, fx.sybil].map((s) => read(fx.vault, operatorVaultAbi, 'balanceOf', [s.address])),
        ),
        read(fx.vault, operatorVaultAbi, 'allocation', [fx.service.id]),
        read(fx.vault, operatorVaultAbi, 'exposure', [fx.service.id]),
        read(fx.vault, operatorVaultAbi, 'totalReserved'),
        read(fx.vault, operatorVaultAbi, 'bondWithdrawal'),
        Promise.all(this.slashes.map((t) => read(court, slashingCourtAbi, 'slashStatus', [t.slash.id]))),
      ])
    assert.deepEqual(
      [...totals],
      [m.bond, m.pool, m.pending, model.queuedShares(fx.vault)],
      `${where}: adversary vault totals`,
    )
    assert.equal(supply, m.totalSupply, `${where}: adversary vault supply`)
    assert.deepEqual(
      shares,
      [model.sharesOf(fx.vault, fx.honest.address), model.sharesOf(fx.vault, fx.sybil.address)],
      `${where}: adversary vault shares`,
    )
    const a = model.allocationOf(m, fx.service.id)
    assert.deepEqual([allocation[0], allocation[1]], [a.amount, a.pending], `${where}: adversary allocation`)
    assert.deepEqual([...exposure], [a.increase, a.increaseReadyAt, a.weight], `${where}: adversary exposure`)
    assert.equal(reserved, m.totalReserved, `${where}: adversary reservations`)
    assert.deepEqual(
      [bondWithdrawal[0], BigInt(bondWithdrawal[1])],
      [m.bondWithdrawal.amount, m.bondWithdrawal.readyAt],
      `${where}: adversary bond withdrawal`,
    )
    assert.equal(model.balance(fx.vault), m.bond + m.pool, `${where}: adversary vault tokens ≠ bond + pool`)
    const names = ['None', 'Pending', 'Disputed', 'Upheld', 'Executed', 'Overturned', 'Lapsed']
    for (const [i, t] of this.slashes.entries())
      assert.equal(names[Number(statuses[i][0])], t.slash.status, `${where}: adversary slash status`)
  }

  /** Checks 1 and 2 of the header. */
  assertBounded(model: ProtocolModel, now: bigint, where: string) {
    const fx = this.fx
    const v = model.vault(fx.vault)
    for (const w of this.honestWithdrawals) {
      if (now > w.readyAt) continue
      for (const [id, a] of v.allocations) {
        const accepted = w.exposure.get(id) ?? 0n
        assert.ok(
          a.amount <= accepted,
          `${where}: service ${id}: allocation ${a.amount} above the ${accepted} a waiting withdrawal accepted`,
        )
      }
      assert.ok(
        v.totalAllocated <= w.totalExposure,
        `${where}: total allocated above what a waiting withdrawal accepted`,
      )
    }
    let accepted = 0n
    for (const cap of this.caps.values()) accepted += cap
    const gain = this.wealth(model) - this.wealthAtStart
    // INVARIANT_STATS: how often the operator's side was ahead at all, and how close to the bound it came
    if (gain > 0n) this.stats.gainSteps++
    if (gain > 0n && gain * 2n >= accepted) this.stats.gainAboveHalfBound++
    assert.ok(
      gain <= accepted,
      `${where}: the operator's side gained ${gain} from the pool, above the ${accepted} exposure stakers accepted`,
    )
  }
}

const TERMS = orderTerms({ termsHash: keccak256(toHex('adversary self-dealt terms')) })
