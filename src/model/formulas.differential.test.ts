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
})
