/**
 * The dashboard in a real browser (Debian's chromium) against a real devnet, its index and the API serving the
 * built dashboard: each page renders, the devnet actions work end to end, and screenshots of every page at laptop
 * and phone size are saved under test-results/dashboard/.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { type Address, keccak256, parseEther, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { orderKey } from '../src/node/orders/fold.ts'
import { signReading } from '../src/node/telemetry/reading.ts'
import { operatorVaultAbi } from '../src/sdk/abis.ts'
import { createSuretyClient } from '../src/sdk/createSuretyClient.ts'
import {
  acceptOrder,
  createVault,
  deposit,
  openOrder,
  orderBookAbi,
  orderParams,
  orderTerms,
  SlashStatus,
  slashingCourtAbi,
} from '../src/sdk/index.ts'
import { type Chromium, launchChromium, screenshot, VIEWPORTS, watchErrors } from './support/browser.ts'
import {
  type DashboardWorld,
  executeDevnetSlash,
  requestDevnetSlash,
  rpc,
  startDashboardWorld,
  travel,
} from './support/dashboardWorld.ts'

let world: DashboardWorld
let browser: Chromium

before(async () => {
  world = await startDashboardWorld()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await world?.stop()
})

async function open(
  path: string,
  viewport: keyof typeof VIEWPORTS = 'laptop',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage()
  await page.setViewportSize(VIEWPORTS[viewport])
  const errors = watchErrors(page)
  await page.goto(`${world.url}${path}`)
  return { page, errors }
}

/** Waits until the API answers `path` with 200 (the indexer has reached what it names). */
async function served(path: string) {
  const deadline = Date.now() + 30_000
  while ((await fetch(`${world.url}${path}`)).status !== 200) {
    assert.ok(Date.now() < deadline, `the API never served ${path}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Waits until the page's live stream is open. On a timeout it says what the indicator showed and what the API
 * saw of the stream (open connections, messages sent), so a failure names which side stalled.
 */
async function waitLive(page: Page) {
  try {
    await page.waitForSelector('[data-live="live"]', { timeout: 30_000 })
  } catch (error) {
    const shown = await page
      .locator('[data-live]')
      .getAttribute('data-live')
      .catch(() => 'no indicator')
    const metrics = await fetch(`${world.url}/metrics`)
      .then((r) => r.text())
      .catch((e: Error) => e.message)
    const stream = metrics.split('\n').filter((l) => l.startsWith('surety_api_stream'))
    throw new Error(
      `the live stream never opened: the indicator shows ${shown}; the API: ${stream.join('; ')}`,
      {
        cause: error,
      },
    )
  }
}

/** Screenshots at laptop size, then at phone size (the page re-lays itself out). */
async function shoot(page: Page, name: string) {
  await page.setViewportSize(VIEWPORTS.laptop)
  await screenshot(page, `${name}-laptop`)
  await page.setViewportSize(VIEWPORTS.phone)
  await screenshot(page, `${name}-phone`)
  await page.setViewportSize(VIEWPORTS.laptop)
}

const sharesOf = (vault: Address, owner: Address) =>
  world.chain.readContract({
    address: vault,
    abi: operatorVaultAbi,
    functionName: 'balanceOf',
    args: [owner],
  })

describe('dashboard in chromium', () => {
  test('the overview shows the indexed world: stake, operators, services, open orders and the verdict', async () => {
    const { page, errors } = await open('/')
    const stats = page.locator('[data-testid="overview-stats"]')
    await stats.waitFor({ timeout: 60_000 })
    // two operators: a 10,000 bond and 200,000 delegated each
    await page.waitForFunction(() =>
      document.querySelector('[data-stat="Stake secured"] .stat-value')?.textContent?.includes('420'),
    )
    assert.match((await stats.locator('[data-stat="Operators"] .stat-value').textContent()) ?? '', /^2$/)
    assert.match((await stats.locator('[data-stat="Services"] .stat-value').textContent()) ?? '', /^1$/)
    // the demo job (accepted) and the demo intent (taking bids)
    assert.match((await stats.locator('[data-stat="Open orders"] .stat-value').textContent()) ?? '', /^2$/)
    await page.waitForSelector('[data-verdict]', { timeout: 60_000 })
    assert.equal(await page.locator('[data-testid="orders"] tbody tr').count(), 2)
    await shoot(page, 'overview')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('the service page shows its SLA, stake by operator and its committee', async () => {
    const id = world.devnet.world!.serviceId.toString()
    const { page, errors } = await open(`/services/${id}`)
    await page.waitForSelector('[data-testid="allocations"] tbody tr', { timeout: 30_000 })
    assert.equal(await page.locator('[data-testid="allocations"] tbody tr').count(), 2)
    // each operator by its vault token's name, the address beside it
    await page.waitForSelector('[data-testid="allocations"] [data-vault-name]', { timeout: 30_000 })
    const names = await page.locator('[data-testid="allocations"] [data-vault-name]').allTextContents()
    assert.deepEqual(names.map((n) => n.replace(/ 0x.*/, '')).sort(), [
      'Surety Staked Operator 1',
      'Surety Staked Operator 2',
    ])
    for (const n of names) assert.match(n, /0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}$/, n)
    const text = (await page.locator('main').textContent()) ?? ''
    assert.match(text, /permanent ban/)
    assert.match(text, /60% of the committee/)
    await shoot(page, 'service')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('the vault page shows both tranches and the position page the staker in both vaults', async () => {
    const vault = world.devnet.world!.vaults[0]!.toLowerCase()
    const v = await open(`/vaults/${vault}`)
    await v.page.waitForSelector('[data-testid="vault-stats"]', { timeout: 30_000 })
    assert.match(
      (await v.page.locator('[data-stat="Bond (first loss)"] .stat-value').textContent()) ?? '',
      /10,000/,
    )
    assert.match(
      (await v.page.locator('[data-stat="Delegated pool"] .stat-value').textContent()) ?? '',
      /200,000/,
    )
    await shoot(v.page, 'vault')
    assert.deepEqual(v.errors, [])
    await v.page.close()
    const staker = world.devnet.accounts[6]!.address.toLowerCase()
    const p = await open(`/position/${staker}`)
    await p.page.waitForSelector('[data-testid="positions"] tbody tr', { timeout: 30_000 })
    assert.equal(
      await p.page.locator('[data-testid="positions"] tbody tr').count(),
      2,
      'staker 1 delegated to both vaults',
    )
    await shoot(p.page, 'position')
    assert.deepEqual(p.errors, [])
    await p.page.close()
  })

  test('a live event appears without a reload, and the figures it changes follow', async () => {
    const { page, errors } = await open('/')
    await waitLive(page)
    await page.waitForSelector('[data-stat="Stake secured"]')
    const staker = createSuretyClient({
      rpcUrl: world.devnet.anvil.rpcUrl,
      chainId: world.devnet.deployment.chainId,
      account: world.devnet.accounts[9]!,
      addresses: world.devnet.deployment.addresses,
    })
    await deposit(staker, { vault: world.devnet.world!.vaults[0]!, assets: parseEther('5000') })
    // the feed shows the deposit without a reload
    await page
      .locator('[data-testid="event-feed"] [data-event="Deposited"]', { hasText: 'deposited 5,000 STK' })
      .waitFor({ timeout: 30_000 })
    await page.waitForFunction(
      () => document.querySelector('[data-stat="Stake secured"] .stat-value')?.textContent?.includes('425'),
      null,
      { timeout: 30_000 },
    )
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('a slash executed on chain appears on the slashes page without a reload, with its payouts', async () => {
    const vault = world.devnet.world!.vaults[1]!
    const { page, errors } = await open('/slashes')
    await waitLive(page)
    const slash = await requestDevnetSlash(world, vault, 'dashboard: downtime 14:00–14:20')
    const row = `[data-testid="pending-slashes"] [data-slash="${slash.result.slashId}"]`
    await page.waitForSelector(row, { timeout: 30_000 })
    await shoot(page, 'slashes')
    await travel(world, 2 * 3600 + 60)
    await executeDevnetSlash(world, slash.result.details)
    await page.waitForSelector(
      `[data-testid="slashes"] [data-slash="${slash.result.slashId}"] .badge:text("Executed")`,
      { timeout: 30_000 },
    )
    await page.waitForSelector(row, { state: 'detached', timeout: 30_000 })
    await page.locator(`[data-testid="slashes"] [data-slash="${slash.result.slashId}"] a`).first().click()
    await page.waitForSelector('[data-testid="payouts"]', { timeout: 30_000 })
    assert.match((await page.locator('[data-testid="payouts"]').textContent()) ?? '', /Paid to the client/)
    await shoot(page, 'slash-executed')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('an operator disputes a pending slash from its page; the dispute shows live', async () => {
    const vault = world.devnet.world!.vaults[0]!
    const slash = await requestDevnetSlash(world, vault, 'dashboard: wrong output on job 7', 1)
    // the operator follows a link to a slash the index already holds (the page's own request for one the indexer
    // has not reached yet answers 404, which the error watcher would count)
    await served(`/v1/slashes/${slash.result.slashId}`)
    const { page, errors } = await open(`/slashes/${slash.result.slashId}`)
    const form = page.locator('[data-testid="dispute-form"]')
    await form.waitFor({ timeout: 30_000 })
    // the class and the service by the names the deployment gives them, beside their ids
    await page.waitForFunction(() => document.body.textContent?.includes('#1 wrong output'), null, {
      timeout: 10_000,
    })
    assert.match((await page.locator('main').textContent()) ?? '', /Service #\d+ · gpu-render/)
    await shoot(page, 'slash-pending')
    await form.locator('button[type="submit"]').click()
    await page.waitForSelector('[data-run="done"], [data-run="failed"]', { timeout: 60_000 })
    assert.equal(
      await page.locator('[data-run]').getAttribute('data-run'),
      'done',
      (await page.locator('[data-run]').textContent()) ?? '',
    )
    await page.waitForFunction(
      () => document.querySelector('[data-testid="dispute-state"]')?.textContent?.startsWith('Disputed by'),
      null,
      { timeout: 30_000 },
    )
    const status = await world.chain.readContract({
      address: world.devnet.deployment.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'slashStatus',
      args: [slash.result.slashId],
    })
    assert.equal(SlashStatus[status[0]], 'Disputed')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('a client opens an order from the orders page and lands on it', async () => {
    const { page, errors } = await open('/orders')
    const form = page.locator('[data-testid="order-form"]')
    await form.waitFor({ timeout: 30_000 })
    await page.waitForSelector('[data-testid="order-form"] select[name="service"] option', {
      state: 'attached',
    })
    await form.locator('input[name="budget"]').fill('42')
    await form.locator('input[name="note"]').fill('browser test: 2 GPU-hours')
    await form.locator('button[type="submit"]').click()
    await page.waitForSelector('[data-run="done"]', { timeout: 60_000 })
    const text = (await page.locator('[data-run="done"]').textContent()) ?? ''
    const id = /Order #(\d+) opened/.exec(text)?.[1]
    assert.ok(id, text)
    await page.waitForURL(`**/orders/${id}`, { timeout: 30_000 })
    await page.waitForSelector('[data-testid="timeline"]', { timeout: 30_000 })
    assert.match((await page.locator('[data-testid="order-stats"]').textContent()) ?? '', /42 STK/)
    const order = await world.chain.readContract({
      address: world.devnet.deployment.addresses.orders,
      abi: orderBookAbi,
      functionName: 'order',
      args: [BigInt(id!)],
    })
    assert.ok(order, 'the order exists on chain')
    await shoot(page, 'order')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('a reorg that removes an event takes it off the live feed', async () => {
    const { page, errors } = await open('/')
    await waitLive(page)
    const snapshot = await rpc(world, 'evm_snapshot', [])
    const staker = createSuretyClient({
      rpcUrl: world.devnet.anvil.rpcUrl,
      chainId: world.devnet.deployment.chainId,
      account: world.devnet.accounts[7]!,
      addresses: world.devnet.deployment.addresses,
    })
    await deposit(staker, { vault: world.devnet.world!.vaults[1]!, assets: parseEther('777') })
    const item = page.locator('[data-event="Deposited"]', { hasText: '777 STK' })
    await item.waitFor({ timeout: 30_000 })
    // the block with the deposit is replaced by two empty ones: the indexer rolls back, the stream retracts
    await rpc(world, 'evm_revert', [snapshot])
    await rpc(world, 'evm_mine', [])
    await rpc(world, 'evm_mine', [])
    await item.waitFor({ state: 'detached', timeout: 30_000 })
    assert.match(
      (await page.locator('[data-testid="event-feed"]').textContent()) ?? '',
      /removed by chain reorganisations/,
    )
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('the risk page shows the verdict, the graph with the attack in red, and the charts', async () => {
    const risk = (await (await fetch(`${world.url}/v1/dashboard/risk`)).json()) as {
      analysis: { attack: { operators: string[]; services: string[]; netProfit: string } | null }
      graph: { operators: unknown[]; services: unknown[]; edges: unknown[] }
    }
    const { page, errors } = await open('/risk')
    await page.waitForSelector('[data-testid="risk-graph"]', { timeout: 60_000 })
    const verdict = (await page.locator('.verdict').first().textContent()) ?? ''
    // the seeded devnet: either operator alone holds half the service's stake, which is worth more than it
    const attack = risk.analysis.attack
    assert.ok(attack, 'the devnet world has a profitable attack')
    assert.match(verdict, /Not secure/)
    const netProfit = Number(attack.netProfit).toLocaleString('en-US', { maximumFractionDigits: 2 })
    assert.ok(verdict.includes(`net profit of ${netProfit} STK`), verdict)
    const graph = page.locator('[data-testid="risk-graph"]')
    assert.equal(
      await graph.locator('.node').count(),
      risk.graph.operators.length + risk.graph.services.length,
    )
    assert.equal(await graph.locator('.edge').count(), risk.graph.edges.length)
    assert.equal(
      await graph.locator('.node[data-hot="true"]').count(),
      attack.operators.length + attack.services.length,
    )
    assert.ok((await graph.locator('.edge.hot').count()) >= 1)
    // operators are named as on the overview (their vault's name), not by a bare address
    const names = (await (await fetch(`${world.url}/v1/dashboard/vault-names`)).json()) as {
      vaults: Record<string, string>
    }
    const someName = Object.values(names.vaults)[0]
    assert.ok(someName, 'the devnet names its vaults')
    await graph.locator('.node.operator text', { hasText: someName }).first().waitFor({ timeout: 30_000 })
    assert.ok((await page.locator('.chart canvas').count()) >= 3, 'cascade and simulation charts are drawn')
    await shoot(page, 'risk')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('a staker deposits into a vault from its page, signed by a devnet account in the browser', async () => {
    const vault = world.devnet.world!.vaults[1]!
    const staker = world.devnet.accounts[8]!.address
    const before = await sharesOf(vault, staker)
    const preview = await world.chain.readContract({
      address: vault,
      abi: operatorVaultAbi,
      functionName: 'previewDeposit',
      args: [parseEther('1234.5')],
    })
    const { page, errors } = await open(`/vaults/${vault.toLowerCase()}`)
    const form = page.locator('[data-testid="deposit-form"]')
    await form.locator('input[name="amount"]').fill('1,234.5')
    await form.locator('select[name="signer"]').selectOption('8')
    await form.locator('button[type="submit"]').click()
    await page.waitForSelector('[data-run="done"]', { timeout: 60_000 })
    assert.match((await page.locator('[data-run="done"]').textContent()) ?? '', /Deposited 1,234.5 STK/)
    const after = await sharesOf(vault, staker)
    // exactly the shares the vault previewed for 1,234.5 STK went to the staker the page signed for
    assert.ok(preview > 0n)
    assert.equal(after - before, preview)
    assert.deepEqual(errors, [])
    await page.close()
  })
  test('a shipment’s order page charts the readings its device signed, as the attester node received them', async () => {
    const { devnet } = world
    const { chainId, addresses } = devnet.deployment
    const as = (i: number) =>
      createSuretyClient({ rpcUrl: devnet.anvil.rpcUrl, chainId, account: devnet.accounts[i]!, addresses })
    const device = privateKeyToAccount(keccak256(toHex('dashboard test shipment sensor')))
    const now = Number((await world.chain.getBlock()).timestamp)
    const params = orderParams({
      client: devnet.accounts[15]!.address,
      serviceId: devnet.world!.serviceId,
      paymentToken: addresses.stakeToken,
      vault: devnet.world!.vaults[0]!,
      budget: parseEther('40'),
      biddingWindow: 60,
      duration: 1_800,
      now,
    })
    const terms = orderTerms({
      device: device.address,
      minTempCentiC: 200,
      maxTempCentiC: 800,
      pickupBy: now + 600,
    })
    const opened = (await openOrder(as(15), { params, terms })).result
    await acceptOrder(as(4), opened)
    const plan: [number, 'pickup' | 'reading' | 'delivery', number][] = [
      [30, 'pickup', 450],
      [300, 'reading', 500],
      [600, 'reading', 1_150],
      [900, 'reading', 600],
      [1_200, 'delivery', 520],
    ]
    // the device's gateway posts each signed reading to the attester node, which checks and keeps it; the node
    // learns of the order from the chain, so the first post may come before it has (404) and is sent again
    for (const [i, [at, kind, temperatureCentiC]] of plan.entries()) {
      const reading = await signReading(
        device,
        { chainId },
        { orderId: orderKey(opened.orderId), seq: i + 1, timestamp: now + at, kind, temperatureCentiC },
      )
      const deadline = Date.now() + 30_000
      for (;;) {
        const r = await fetch(`${world.nodeUrl}/v1/telemetry`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(reading),
        })
        if (r.status === 202) break
        assert.equal(r.status, 404, `the node refused reading ${i + 1}: ${await r.text()}`)
        assert.ok(Date.now() < deadline, 'the node learnt of the order within 30 s')
        await new Promise((res) => setTimeout(res, 250))
      }
    }
    const { page, errors } = await open(`/orders/${opened.orderId}`)
    const section = page.locator('[data-testid="readings"]')
    await section.waitFor({ timeout: 30_000 })
    await section.locator('.chart canvas').first().waitFor()
    assert.equal(await section.locator('[data-testid="readings-table"] tbody tr').count(), 5)
    const text = (await section.textContent()) ?? ''
    assert.ok(
      text.toLowerCase().includes(device.address.slice(0, 6).toLowerCase()),
      'names the device that signed',
    )
    assert.match(text, /1 reading outside 2 °C – 8 °C/)
    assert.match(text, /11\.5 °C/)
    assert.match(text, /1 of 5 attesters/)
    assert.match(text, /pickup by .*deliver by/)
    assert.match(
      (await page.locator('[data-testid="readings-nodes"]').textContent()) ?? '',
      /1 of 5 attester nodes answered/,
    )
    await shoot(page, 'order-shipment')
    assert.deepEqual(errors, [])
    await page.close()
  })

  test('the vault page charts the uptime the attester node measured, per epoch, against the requirement', async () => {
    const vault = world.devnet.world!.vaults[0]!.toLowerCase()
    const serviceId = String(world.devnet.world!.serviceId)
    // a few epochs of probes (the node probes every second in epochs of a few seconds)
    await new Promise((r) => setTimeout(r, world.epochSeconds * 2_000))
    const { page, errors } = await open(`/vaults/${vault}`)
    const uptime = page.locator(`[data-testid="uptime-${serviceId}"]`)
    await uptime.waitFor({ timeout: 30_000 })
    await uptime.locator('.chart canvas').first().waitFor()
    // the endpoint (the API's /health) answered every probe
    assert.match((await uptime.textContent()) ?? '', /Latest epoch: median 100% over 1 attester/)
    await uptime.scrollIntoViewIfNeeded()
    await shoot(page, 'vault-uptime')
    assert.deepEqual(errors, [])
    await page.close()
  })

  // last: it adds a third vault, which the tests above would count
  test("a vault named to imitate another shows its own address, and the name's hidden characters are dropped", async () => {
    const impostor = createSuretyClient({
      rpcUrl: world.devnet.anvil.rpcUrl,
      chainId: world.devnet.deployment.chainId,
      account: world.devnet.accounts[16]!,
      addresses: world.devnet.deployment.addresses,
    })
    // a right-to-left override and a zero-width space inside a copy of operator 1's name, then padding
    const { result: vault } = await createVault(impostor, {
      withdrawalDelay: 24 * 3600,
      commissionBps: 0,
      restakingCapBps: 10_000,
      name: `Surety Staked \u202eOperator\u200b 1${'!'.repeat(100)}`,
      symbol: 'sFAKE',
    })
    // once indexed (the API's answers, this one too, are cached per indexed block)
    await served(`/v1/vaults/${vault.toLowerCase()}`)
    const names = (await (await fetch(`${world.url}/v1/dashboard/vault-names`)).json()) as {
      vaults: Record<string, string>
    }
    const shown = names.vaults[vault.toLowerCase()]!
    assert.ok(shown.startsWith('Surety Staked Operator 1!'), shown)
    assert.equal([...shown].length, 64)
    assert.ok(shown.endsWith('…'))
    const { page, errors } = await open(`/vaults/${vault.toLowerCase()}`)
    const title = page.locator('[data-testid="vault-title"]')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="vault-title"]')?.textContent?.startsWith('Surety Staked'),
      null,
      { timeout: 30_000 },
    )
    assert.ok(
      ((await title.textContent()) ?? '').toLowerCase().includes(vault.toLowerCase().slice(0, 6)),
      'the address is beside the name',
    )
    assert.deepEqual(errors, [])
    await page.close()
  })
})
