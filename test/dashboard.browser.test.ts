/**
 * The dashboard in a real browser (Debian's chromium) against a real devnet, its index and the API serving the
 * built dashboard: each page renders, the devnet actions work end to end, and screenshots of every page at laptop
 * and phone size are saved under test-results/dashboard/.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { type Address, parseEther } from 'viem'
import { operatorVaultAbi } from '../src/sdk/abis.ts'
import { type Chromium, launchChromium, screenshot, VIEWPORTS, watchErrors } from './support/browser.ts'
import { type DashboardWorld, startDashboardWorld } from './support/dashboardWorld.ts'

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

const sharesOf = (vault: Address, owner: Address) =>
  world.chain.readContract({
    address: vault,
    abi: operatorVaultAbi,
    functionName: 'balanceOf',
    args: [owner],
  })

describe('dashboard in chromium', () => {
  test('the risk page shows the verdict, the graph and the charts for the devnet', async () => {
    const { page, errors } = await open('/risk')
    await page.waitForSelector('[data-testid="risk-graph"]', { timeout: 60_000 })
    const verdict = await page.locator('.verdict').first().textContent()
    // the seeded devnet: either operator alone holds half the service's stake, worth less than its value
    assert.match(verdict ?? '', /Not secure/)
    assert.match(verdict ?? '', /net profit of 150,800 STK/)
    // two operators and one service: three nodes, two allocations; the attacker and the service in red
    assert.equal(await page.locator('[data-testid="risk-graph"] .node').count(), 3)
    assert.equal(await page.locator('[data-testid="risk-graph"] .edge').count(), 2)
    assert.equal(await page.locator('[data-testid="risk-graph"] .node[data-hot="true"]').count(), 2)
    assert.equal(await page.locator('[data-testid="risk-graph"] .edge.hot').count(), 1)
    assert.ok((await page.locator('.chart canvas').count()) >= 3, 'cascade and simulation charts are drawn')
    await screenshot(page, 'risk-laptop')
    await page.setViewportSize(VIEWPORTS.phone)
    await screenshot(page, 'risk-phone')
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
    // the index is not filled by an indexer in this world yet: the API's sections answer 503 NOT_READY
    assert.deepEqual(
      errors.filter((e) => !e.startsWith('503 /v1/')),
      [],
    )
    await page.close()
  })
})
