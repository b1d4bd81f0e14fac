/**
 * The dashboard in a real browser (Debian's chromium) against a real devnet: each page renders the indexed
 * world, live events appear without a reload, and the devnet actions work end to end. Screenshots of every page
 * at laptop and phone size are saved under test-results/dashboard/.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
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

describe('dashboard in chromium', () => {
  test('the risk page shows the verdict, the graph and the charts for the devnet', async () => {
    const { page, errors } = await open('/risk')
    await page.waitForSelector('[data-testid="risk-graph"]', { timeout: 60_000 })
    const verdict = await page.locator('.verdict').first().textContent()
    assert.match(verdict ?? '', /Secure|Not secure/)
    // two operators and one service: three nodes, two allocations
    assert.equal(await page.locator('[data-testid="risk-graph"] .node').count(), 3)
    assert.equal(await page.locator('[data-testid="risk-graph"] .edge').count(), 2)
    assert.ok((await page.locator('.chart canvas').count()) >= 3, 'cascade and simulation charts are drawn')
    await screenshot(page, 'risk-laptop')
    await page.setViewportSize(VIEWPORTS.phone)
    await screenshot(page, 'risk-phone')
    assert.deepEqual(errors, [])
    await page.close()
  })
})
