/**
 * Differential test: the TypeScript formulas (what the model and the simulator use) against the Solidity
 * libraries (what the contracts use), by eth_call on a real chain, on random inputs from a fixed seed.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createPublicClient, createWalletClient, http, type PublicClient } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { Prng } from '../../test/invariants/prng.ts'
import { type Anvil, startAnvil } from '../chain/anvil.ts'
import { mathHarnessAbi, mathHarnessBytecode } from '../generated/contracts.ts'
import { chainFor } from '../sdk/createSuretyClient.ts'
import { milestoneAmount, milestoneCount, orderFee, packMilestones, validMilestones } from './orderMath.ts'
import { afterFailure, afterSuccess, decay, HALF_LIFE, requiredCollateral } from './reputation.ts'
import { netPoolAssets, toAssetsDown, toSharesDown } from './sharesMath.ts'
import { correlationPenaltyBps, slashAmount, slashedInWindow, splitSlash } from './slashMath.ts'

const CASES = 300
let anvil: Anvil
let client: PublicClient
let harness: `0x${string}`

before(async () => {
  anvil = await startAnvil()
  const chain = chainFor(anvil.rpcUrl, 31337)
  client = createPublicClient({ chain, transport: http(anvil.rpcUrl) }) as PublicClient
  const wallet = createWalletClient({
    chain,
    transport: http(anvil.rpcUrl),
    account: mnemonicToAccount('test test test test test test test test test test test junk'),
  })
  const hash = await wallet.deployContract({ abi: mathHarnessAbi, bytecode: mathHarnessBytecode })
  harness = (await client.waitForTransactionReceipt({ hash })).contractAddress!
})
after(() => anvil.stop())

const call = (functionName: string, args: unknown[]) =>
  client.readContract({ address: harness, abi: mathHarnessAbi, functionName, args } as any) as Promise<any>

/** Amounts across every scale, from 0 and 1 wei up to 2^96 (the protocol's largest amount). */
function amount(rng: Prng): bigint {
  const bits = BigInt(rng.int(97))
  const top = 1n << bits
  const jitter = BigInt(rng.int(1000))
  return top > jitter ? top - jitter : jitter
}
const bps = (rng: Prng, max = 10_000) => BigInt(rng.int(max + 1))

/** The call's result, or 'revert' when the contract reverts (checked arithmetic), as the model's RangeError. */
async function callOrRevert(functionName: string, args: unknown[]): Promise<unknown> {
  try {
    return await call(functionName, args)
  } catch {
    return 'revert'
  }
}
function modelOrRevert(f: () => unknown): unknown {
  try {
    return f()
  } catch (error) {
    if (error instanceof RangeError) return 'revert'
    throw error
  }
}

/** A score: mostly in [0, 10 000] with its edges, now and then above the maximum (a uint16 the contract never stores). */
function score(rng: Prng): bigint {
  const r = rng.next()
  if (r < 0.1) return 0n
  if (r < 0.2) return 10_000n
  if (r < 0.3) return BigInt(9_985 + rng.int(16)) // where successes stop moving the score
  if (r < 0.35) return BigInt(rng.int(65_536))
  return bps(rng)
}

/** Elapsed time: 0, exact half-lives and their neighbours, up to and past 14 half-lives, and huge gaps. */
function elapsed(rng: Prng): bigint {
  const r = rng.next()
  if (r < 0.05) return 0n
  const halvings = BigInt(rng.int(17))
  if (r < 0.35) return halvings * HALF_LIFE + BigInt(rng.int(3)) - 1n + (halvings === 0n ? 1n : 0n)
  if (r < 0.45) return BigInt(rng.int(2 ** 31)) * BigInt(rng.int(2 ** 20))
  return halvings * HALF_LIFE + BigInt(rng.int(Number(HALF_LIFE)))
}

/** Packed milestones: valid splits of 10 000 into 1–4 shares, and invalid ones (gaps, wrong sums, zero shares, noise). */
function milestones(rng: Prng): bigint {
  const r = rng.next()
  if (r < 0.1) return 0n
  if (r < 0.15) return BigInt(rng.int(2 ** 32)) * 2n ** 32n + BigInt(rng.int(2 ** 32))
  const count = 1 + rng.int(4)
  const cuts = Array.from({ length: count - 1 }, () => BigInt(1 + rng.int(9_999))).sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  const shares: bigint[] = []
  let last = 0n
  for (const cut of [...cuts, 10_000n]) {
    shares.push(cut - last)
    last = cut
  }
  if (r < 0.55) return packMilestones(shares) // valid unless two cuts coincide (a zero share)
  if (r < 0.7) {
    // a gap: a zero share before a later one
    const gapped = [...shares]
    gapped.splice(rng.int(Math.min(gapped.length, 3)), 0, 0n)
    return packMilestones(gapped.slice(0, 4))
  }
  if (r < 0.85) {
    // a sum off by a little
    const off = [...shares]
    off[rng.int(off.length)]! += BigInt(rng.int(3)) - 1n || 1n
    return packMilestones(off.map((x) => x & 0xffffn))
  }
  return packMilestones(shares.map(() => BigInt(rng.int(65_536))))
}

describe('the TypeScript formulas equal the Solidity libraries', () => {
  test('share conversions and net pool assets agree on random inputs', async () => {
    const rng = new Prng(7)
    for (let i = 0; i < CASES; i++) {
      const [a, ta, ts] = [amount(rng), amount(rng), amount(rng) * 1000n]
      assert.equal(
        await call('toSharesDown', [a, ta, ts]),
        toSharesDown(a, ta, ts),
        `toSharesDown(${a}, ${ta}, ${ts})`,
      )
      assert.equal(
        await call('toAssetsDown', [a, ta, ts]),
        toAssetsDown(a, ta, ts),
        `toAssetsDown(${a}, ${ta}, ${ts})`,
      )
      const [pool, bond, pending] = [amount(rng), amount(rng), amount(rng)]
      assert.equal(await call('netPoolAssets', [pool, bond, pending]), netPoolAssets(pool, bond, pending))
    }
  })

  test('the correlation window and penalty agree on random inputs', async () => {
    const rng = new Prng(11)
    for (let i = 0; i < CASES; i++) {
      const window = BigInt(60 + rng.int(365 * 86400))
      const now = BigInt(1_700_000_000 + rng.int(1_000_000_000))
      const epoch = now / window - BigInt(rng.int(3))
      const [current, previous] = [amount(rng), amount(rng)]
      const onChain = await call('slashedInWindow', [epoch, current, previous, now, window])
      assert.equal(onChain, slashedInWindow({ epoch, current, previous }, now, window), `window case ${i}`)
      const [slashed, allocated, multiplier] = [amount(rng), amount(rng), bps(rng, 100_000)]
      assert.equal(
        await call('correlationPenaltyBps', [slashed, allocated, multiplier]),
        correlationPenaltyBps(slashed, allocated, multiplier),
        `penalty(${slashed}, ${allocated}, ${multiplier})`,
      )
    }
  })

  test('slash amounts and their split agree on random inputs', async () => {
    const rng = new Prng(13)
    for (let i = 0; i < CASES; i++) {
      const input = {
        allocated: amount(rng),
        pendingOnService: amount(rng),
        operatorWindowSlashed: amount(rng),
        vaultAvailable: amount(rng),
        penaltyBps: bps(rng),
        incidentCapBps: bps(rng),
        windowCapBps: bps(rng),
      }
      const onChain = await call('slashAmount', Object.values(input))
      assert.equal(onChain, slashAmount(input), `slashAmount case ${i}`)
      const [clientBps, reporterBps] = [bps(rng, 5000), bps(rng, 5000)]
      const hasClient = rng.next() < 0.5
      const [c, r, s] = await call('split', [onChain, clientBps, reporterBps, hasClient])
      const expected = splitSlash(onChain, clientBps, reporterBps, hasClient)
      assert.deepEqual({ client: c, reporter: r, sink: s }, expected)
      assert.equal(c + r + s, onChain, 'the split pays out exactly the slash')
    }
  })

  test('reputation decay, success, failure and the collateral requirement agree on random inputs', async () => {
    const rng = new Prng(17)
    for (let i = 0; i < CASES; i++) {
      const [s, dt] = [score(rng), elapsed(rng)]
      assert.equal(await call('decay', [s, dt]), decay(s, dt), `decay(${s}, ${dt})`)
      // collateral from dust to above 1% of the allocation, allocations from 0 up
      const allocation = rng.next() < 0.05 ? 0n : amount(rng)
      const collateral =
        rng.next() < 0.2 ? 0n : (allocation * BigInt(rng.int(300))) / 10_000n + BigInt(rng.int(3))
      // fees from none through the 0.01% of the allocation that earns a full step, to above it
      const fee = rng.next() < 0.2 ? 0n : (allocation * BigInt(rng.int(3))) / 10_000n + BigInt(rng.int(3))
      assert.equal(
        await callOrRevert('afterSuccess', [s, collateral, fee, allocation]),
        modelOrRevert(() => afterSuccess(s, collateral, fee, allocation)),
        `afterSuccess(${s}, ${collateral}, ${fee}, ${allocation})`,
      )
      assert.equal(await call('afterFailure', [s]), afterFailure(s), `afterFailure(${s})`)
      const base = rng.next() < 0.1 ? BigInt(rng.int(3)) : amount(rng)
      const factor = rng.next() < 0.1 ? rng.pick([0n, 1n, 50_000n]) : bps(rng, 50_000)
      const floor = rng.next() < 0.3 ? rng.pick([0n, 10_000n]) : bps(rng)
      const sc = rng.next() < 0.3 ? rng.pick([0n, 10_000n]) : score(rng)
      assert.equal(
        await callOrRevert('requiredCollateral', [base, factor, floor, sc]),
        modelOrRevert(() => requiredCollateral(base, factor, floor, sc)),
        `requiredCollateral(${base}, ${factor}, ${floor}, ${sc})`,
      )
    }
  })

  test('a score walked through successes, failures and decay stays equal step by step', async () => {
    const rng = new Prng(19)
    let onChain = 0n
    let model = 0n
    for (let i = 0; i < CASES; i++) {
      const r = rng.next()
      if (r < 0.6) {
        // mostly full steps (collateral ≥ 1% and fee ≥ 0.01% of the allocation), now and then a dust order's or
        // a fee-less order's partial one
        const [collateral, fee, allocation] =
          rng.next() < 0.7 ? [1n, 1n, 100n] : [BigInt(rng.int(100)), BigInt(rng.int(2)), 10_000n]
        onChain = await call('afterSuccess', [onChain, collateral, fee, allocation])
        model = afterSuccess(model, collateral, fee, allocation)
      } else if (r < 0.75) {
        onChain = await call('afterFailure', [onChain])
        model = afterFailure(model)
      } else {
        const dt = BigInt(rng.int(Number(HALF_LIFE) * 2))
        onChain = await call('decay', [onChain, dt])
        model = decay(model, dt)
      }
      assert.equal(onChain, model, `walk step ${i}`)
      assert.ok(model <= 10_000n, 'the score stays within [0, 10 000]')
    }
  })

  test('milestone validity, count, amounts and order fees agree on random inputs', async () => {
    const rng = new Prng(23)
    let valid = 0
    for (let i = 0; i < CASES; i++) {
      const m = milestones(rng)
      const isValid = validMilestones(m)
      if (isValid) valid++
      assert.equal(await call('validMilestones', [m]), isValid, `validMilestones(${m})`)
      const count = milestoneCount(m)
      assert.equal(await call('milestoneCount', [m]), count, `milestoneCount(${m})`)
      const price = rng.next() < 0.2 ? BigInt(rng.int(10_000)) : amount(rng)
      const index = BigInt(rng.int(6))
      assert.equal(
        await call('milestoneAmount', [price, m, index]),
        milestoneAmount(price, m, index),
        `milestoneAmount(${price}, ${m}, ${index})`,
      )
      if (isValid) {
        // the order book pays the last milestone the remainder: the parts never exceed the price
        let parts = 0n
        for (let j = 0n; j + 1n < count; j++) parts += milestoneAmount(price, m, j)
        assert.ok(parts <= price, 'milestones before the last never exceed the price')
      }
      const paid = rng.next() < 0.2 ? BigInt(rng.int(3)) : amount(rng)
      const feeBps = rng.next() < 0.2 ? rng.pick([0n, 1n, 5_000n, 10_000n]) : bps(rng, 5_000)
      const fee = orderFee(paid, feeBps)
      assert.equal(await call('fee', [paid, feeBps]), fee, `fee(${paid}, ${feeBps})`)
      assert.ok(fee <= paid || feeBps > 10_000n, 'the fee never exceeds the payment')
    }
    assert.ok(valid > CASES / 4 && valid < CASES, `a mix of valid and invalid milestones (${valid} valid)`)
  })
})
