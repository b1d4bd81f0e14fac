/**
 * The read commands through the HTTP API, on a real chain indexed into SQLite and served by the real API: `status`,
 * orders, positions, slashes (pending, executed, disputed), services, vaults, rewards and credits print the same
 * lines (and the same JSON) from the API as from the chain for the same state, plus a line naming the source; the devnet's manifest `apiUrl` and $SURETY_API_URL select the API with no
 * flag; an unreachable API, or one further behind than its finality depth, falls back to the chain with a notice.
 * The SDK's API client is exercised on the same server: typed errors, every page, the block of each answer.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type Address, type Hex, maxUint256, parseEther } from 'viem'
import { type ApiWorld, seedApiWorld } from '../../../test/support/apiWorld.ts'
import { travelTo } from '../../../test/support/court.ts'
import { incident, reportSlash } from '../../../test/support/fixtures.ts'
import { installToken } from '../../../test/support/tokens.ts'
import { createWorld, type World } from '../../../test/support/world.ts'
import { type IndexedWorld, indexWorld } from '../../api/testing/indexedWorld.ts'
import { freePort } from '../../chain/anvil.ts'
import { type Deployment, writeDeployment } from '../../chain/deployment.ts'
import { blacklistTokenAbi, blacklistTokenBytecode } from '../../generated/contracts.ts'
import type { Indexer } from '../../indexer/engine/runIndexer.ts'
import { serviceRegistryAbi } from '../../sdk/abis.ts'
import { ApiError, ApiUnreachableError, collect, createApiClient } from '../../sdk/api/index.ts'
import {
  approveStake,
  disputeSlash,
  executeSlash,
  fundSubsidy,
  queueServiceChange,
  requestBondWithdrawal,
  setSubsidyRate,
  setVaultTerms,
} from '../../sdk/index.ts'
import { readVault } from '../../sdk/readVault.ts'
import { sendTransaction } from '../../sdk/sendTransaction.ts'
import { runCli } from '../testing.ts'

const FINALITY = 2
const SOURCE =
  /^read from the API at http:\/\/127\.0\.0\.1:\d+ at block (\d+); indexed 0 blocks behind the chain$/m

let w: World
let fx: ApiWorld
let served: IndexedWorld
let indexer: Indexer
let apiUrl: string
let manifest: string
let manifestWithApi: string

before(async () => {
  w = await createWorld()
  fx = await seedApiWorld(w)
  await moreToRead()
  // the chain's clock ahead of the wall clock: the CLI counts down from max(latest block, wall clock), so both runs
  // of a comparison count from the same instant
  const latest = Number((await w.public.getBlock()).timestamp)
  await w.test.setNextBlockTimestamp({
    timestamp: BigInt(Math.max(latest, Math.floor(Date.now() / 1000)) + 3600),
  })
  await w.test.mine({ blocks: 1 })
  served = await indexWorld(w, { store: 'sqlite', finalityDepth: FINALITY, listen: true })
  indexer = served.indexer
  apiUrl = served.url!
  const deployment: Deployment = {
    chainId: w.chainId,
    rpcUrl: w.anvil.rpcUrl,
    deployedAt: new Date().toISOString(),
    blockNumber: '0',
    paramChangeDelay: 0,
    addresses: w.addresses,
  }
  const dir = mkdtempSync(join(tmpdir(), 'surety-readapi-'))
  manifest = writeDeployment(join(dir, 'plain'), deployment)
  manifestWithApi = writeDeployment(join(dir, 'devnet'), { ...deployment, apiUrl })
})

/** A client the stake token refuses (its slash payout is credited in the vault), and the slashes it was given. */
let refused: Address
let executedSlash: Hex
let disputedSlash: Hex

/**
 * What the seeded world lacks and the read commands print: a queued change of a service's terms, a subsidy that
 * streams (claimable rewards grow by the second), queued vault terms, a requested bond withdrawal, an executed
 * slash whose client the token refuses (a credit in the vault) and a disputed slash.
 */
async function moreToRead() {
  const serviceId = fx.svc.serviceId
  const owner = w.clientFor(fx.svc.owner)
  const registry = { address: w.addresses.registry, abi: serviceRegistryAbi } as const
  const [params, classes] = await Promise.all([
    w.public.readContract({ ...registry, functionName: 'serviceParams', args: [serviceId] }),
    w.public.readContract({ ...registry, functionName: 'violationClasses', args: [serviceId] }),
  ])
  await queueServiceChange(owner, {
    serviceId,
    params: { ...params, declaredValue: params.declaredValue + parseEther('1') },
    classes: [...classes],
  })
  await w.mint(fx.svc.owner.address, parseEther('1000'))
  await approveStake(owner, { spender: w.addresses.rewards, amount: maxUint256 })
  await fundSubsidy(owner, { serviceId, amount: parseEther('1000') })
  await setSubsidyRate(owner, { serviceId, ratePerSecond: parseEther('0.001') })
  const op = fx.ops[2]!
  const opClient = w.clientFor(op.operator)
  const terms = await readVault(opClient, op.vault)
  await setVaultTerms(opClient, {
    vault: op.vault,
    commissionBps: terms.commissionBps + 100,
    restakingCapBps: terms.restakingCapBps,
  })
  await requestBondWithdrawal(opClient, { vault: op.vault, amount: parseEther('1') })

  // the stake token gains a blacklist: BlacklistToken's code over MockERC20's keeps its storage (balances, name and
  // symbol in the same slots; the blocked set after them), so the world stays as seeded
  await installToken(w, w.addresses.stakeToken, blacklistTokenBytecode)
  const client = w.accounts[18]!
  refused = client.address
  await sendTransaction(w.clientFor(w.deployer), {
    address: w.addresses.stakeToken,
    abi: blacklistTokenAbi,
    functionName: 'setBlocked',
    args: [refused, true],
  })
  const report = (label: string, vault: Address) =>
    reportSlash(w, fx.svc.attesters.slice(0, 3), {
      serviceId,
      vault,
      classId: 0,
      incidentId: incident(label),
      client: refused,
    })
  const executed = (await report('api-executed', fx.ops[0]!.vault)).result
  const disputed = (await report('api-disputed', op.vault)).result
  await approveStake(opClient, { spender: w.addresses.court, amount: maxUint256 })
  await disputeSlash(opClient, { details: disputed.details })
  await travelTo(w, executed.disputeEnd + 1n)
  await executeSlash(w.clientFor(w.accounts[3]!), { details: executed.details })
  executedSlash = executed.slashId
  disputedSlash = disputed.slashId
}

after(async () => {
  await served?.close()
  await w?.anvil.stop()
})

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, undefined, env)
const withoutSource = (out: string) => out.replace(SOURCE, '').trimEnd()

describe('read commands through the API', () => {
  const reads = () => [
    ['status'],
    ['order', 'list'],
    ['order', 'list', '--all'],
    ['order', 'list', '--client', fx.client.address],
    ['order', 'show', String(fx.job.orderId)],
    ['order', 'show', String(fx.intent.orderId)],
    ['position', '--staker', fx.staker.address],
    ['position', '--staker', fx.secondStaker],
    ['position', '--staker', fx.staker.address, '--vault', fx.withdrawalVault],
    ['position', '--staker', fx.client.address],
    ['slash', 'list'],
    ['slash', 'list', '--all'],
    ['slash', 'show', fx.slashId],
    ['slash', 'show', executedSlash],
    ['slash', 'show', disputedSlash],
    ['service', 'list'],
    ['service', 'show', String(fx.svc.serviceId)],
    ['attester', 'list', '--service', String(fx.svc.serviceId)],
    ['vault', 'list'],
    ['vault', 'show', fx.ops[0]!.vault],
    ['vault', 'show', fx.slashedVault],
    ['vault', 'show', fx.withdrawalVault],
    ['vault', 'show', fx.ops[2]!.vault],
    ['rewards', 'show'],
    ['rewards', 'show', '--service', String(fx.svc.serviceId), '--vault', fx.ops[0]!.vault],
    ['credit', 'show', '--account', fx.client.address],
    ['credit', 'show', '--account', refused],
  ]

  test('status, order list, order show, position, slashes and credits print the same lines from the API as from the chain, plus the source', async () => {
    for (const args of reads()) {
      const chain = await cli([...args, '--deployment', manifest, '--chain'])
      const api = await cli([...args, '--deployment', manifest, '--api', apiUrl])
      assert.equal(chain.code, 0, chain.err)
      assert.equal(api.code, 0, api.err)
      assert.equal(api.err, '', `${args.join(' ')}: no notice when the API answers`)
      const block = SOURCE.exec(api.out)
      assert.ok(block, `${args.join(' ')} names its source:\n${api.out}`)
      assert.equal(BigInt(block[1]!), await w.public.getBlockNumber({ cacheTime: 0 }))
      assert.doesNotMatch(chain.out, /read from the API/)
      assert.equal(withoutSource(api.out), chain.out, args.join(' '))
    }
    // what the comparison covered: open slashes (one pending, one disputed past its deadline), an executed one, a
    // credit, an intent's two bids, a job in progress
    const status = (await cli(['status', '--deployment', manifest, '--api', apiUrl])).out
    assert.match(status, /Open slashes \(2\)/)
    assert.match(status, /Disputed vault .* resolver missed its deadline: lapsable now$/m)
    assert.match(status, /Open orders \(2\)/)
    const intent = (
      await cli(['order', 'show', String(fx.intent.orderId), '--deployment', manifest, '--api', apiUrl])
    ).out
    assert.equal(intent.match(/^ {2}bid /gm)?.length, 2)
    const position = (
      await cli(['position', '--staker', fx.staker.address, '--deployment', manifest, '--api', apiUrl])
    ).out
    assert.match(position, /withdrawal #\d+ {5}1,000 /)
    assert.match(position, /yield from #/)
    const viaApi = async (...args: string[]) =>
      (await cli([...args, '--deployment', manifest, '--api', apiUrl])).out
    const id = String(fx.svc.serviceId)
    assert.match(await viaApi('slash', 'list', '--all'), /^Slashes \(3\)/)
    assert.match(await viaApi('slash', 'show', fx.slashId), /^ {2}next: .*execute it$/m)
    assert.match(await viaApi('slash', 'show', executedSlash), /^ {2}next: executed$/m)
    assert.match(await viaApi('slash', 'show', disputedSlash), /^ {2}next: the resolver missed its deadline/m)
    assert.match(await viaApi('service', 'show', id), /a change is queued: it may apply from/)
    assert.match(await viaApi('attester', 'list', '--service', id), /^Committee of service #\d+ \(5;/)
    const opVault = await viaApi('vault', 'show', fx.ops[2]!.vault)
    assert.match(opVault, /queued terms {6}commission/)
    assert.match(opVault, /bond withdrawal {3}1 /)
    const rewards = await viaApi('rewards', 'show')
    assert.match(rewards, /subsidy 0\.001 \w+\/s, [\d,.]+ \w+ funded, lasting /)
    assert.match(rewards, /^ {2}0x[0-9a-fA-F]{40} +[\d,.]+ \w+ +[\d,.]+ \w+$/m)
    assert.match(await viaApi('credit', 'show', '--account', fx.client.address), /^nothing credited to /)
    assert.match(
      await viaApi('credit', 'show', '--account', refused),
      new RegExp(`^[\\d,.]+ STK credited to ${refused} in the vault ${fx.ops[0]!.vault}$`, 'm'),
    )
  })

  test('--json keeps its shape: the same document from either source, and no source line', async () => {
    for (const args of reads()) {
      const chain = await cli([...args, '--deployment', manifest, '--chain', '--json'])
      const api = await cli([...args, '--deployment', manifest, '--api', apiUrl, '--json'])
      assert.deepEqual(JSON.parse(api.out), JSON.parse(chain.out), args.join(' '))
    }
  })

  test("the manifest's apiUrl (what the devnet writes) and $SURETY_API_URL select the API with no flag; --chain wins", async () => {
    const fromManifest = await cli(['status', '--deployment', manifestWithApi])
    assert.match(fromManifest.out, SOURCE)
    const fromEnv = await cli(['order', 'list', '--deployment', manifest], { SURETY_API_URL: apiUrl })
    assert.match(fromEnv.out, SOURCE)
    const forced = await cli(['status', '--deployment', manifestWithApi, '--chain'])
    assert.doesNotMatch(forced.out, /read from the API/)
    assert.equal(forced.err, '')
  })

  test('an unreachable API falls back to the chain with a one-line notice and the same lines', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`
    for (const args of reads()) {
      const chain = await cli([...args, '--deployment', manifest, '--chain'])
      const r = await cli([...args, '--deployment', manifest, '--api', nobody])
      assert.equal(r.code, 0, r.err)
      assert.equal(r.out, chain.out, args.join(' '))
      assert.match(
        r.err,
        new RegExp(
          `^note: cannot reach the Surety API at ${nobody} \\(.+\\); reading from the chain instead$`,
        ),
      )
    }
  })

  test('an API further behind than its finality depth falls back with a notice naming how far', async () => {
    await w.test.mine({ blocks: FINALITY + 2 })
    try {
      const r = await cli(['order', 'list', '--deployment', manifest, '--api', apiUrl])
      assert.equal(r.code, 0, r.err)
      assert.doesNotMatch(r.out, /read from the API/)
      assert.match(
        r.err,
        new RegExp(
          `^note: the API at ${apiUrl} is ${FINALITY + 2} blocks behind the chain \\(indexed block \\d+, head \\d+; more than its finality depth ${FINALITY}\\); reading from the chain instead$`,
        ),
      )
    } finally {
      await indexer.catchUp()
    }
  })
})

describe('the SDK API client', () => {
  test('every answer carries its block; a list iterates every page in order', async () => {
    const api = createApiClient({ url: `${apiUrl}/` })
    const head = Number(await w.public.getBlockNumber({ cacheTime: 0 }))
    const network = await api.network()
    assert.equal(network.block.number, head)
    assert.equal(network.data.chainId, w.chainId)
    const onePage = await api.orders({ sort: 'id', order: 'asc', limit: 500 })
    assert.equal(onePage.block.number, head)
    assert.equal(onePage.page.next, null)
    const paged = await collect(api.orders.all({ sort: 'id', order: 'asc', limit: 1 }))
    assert.ok(paged.length >= 2)
    assert.deepEqual(
      paged.map((o) => o.id),
      onePage.data.map((o) => o.id),
    )
    const detail = await api.orders.get(fx.intent.orderId)
    assert.equal(detail.data.bids.length, 2)
    const positions = await collect(api.stakers.positions.all(fx.secondStaker))
    assert.deepEqual(
      positions.map((p) => p.vault),
      [fx.ops[0]!.vault.toLowerCase()],
    )
    const withdrawals = await api.stakers.withdrawals(fx.staker.address)
    assert.equal(withdrawals.data[0]?.vault, fx.withdrawalVault.toLowerCase())
    const slash = await api.slashes.get(fx.slashId)
    assert.equal(slash.data.status, 'Pending')
  })

  test("errors are typed: ApiError names the status and the server's message, ApiUnreachableError the URL", async () => {
    const api = createApiClient({ url: apiUrl })
    await assert.rejects(api.orders.get(987654n), (e: unknown) => {
      assert.ok(e instanceof ApiError)
      assert.equal(e.status, 404)
      assert.equal(e.code, 'NOT_FOUND')
      assert.match(e.message, /^the API answered 404 NOT_FOUND to \/v1\/orders\/987654: .*987654/)
      return true
    })
    await assert.rejects(api.orders({ limit: 9999 }), (e: unknown) => {
      assert.ok(e instanceof ApiError)
      assert.equal(e.status, 400)
      assert.match(e.message, /limit/)
      return true
    })
    const nobody = `http://127.0.0.1:${await freePort()}`
    await assert.rejects(createApiClient({ url: nobody }).network(), (e: unknown) => {
      assert.ok(e instanceof ApiUnreachableError)
      assert.equal(e.url, nobody)
      assert.match(
        e.message,
        new RegExp(`^cannot reach the Surety API at ${nobody} \\(.+\\): is \`surety api\``),
      )
      return true
    })
    assert.throws(() => createApiClient({ url: 'not a url' }), /the API URL must be an http\(s\) URL/)
  })
})
