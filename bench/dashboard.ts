/**
 * The dashboard's figures on a devnet, in Debian's chromium: first load to the largest contentful paint, the
 * JavaScript transferred (gzipped) on first load and for every page, and event-to-screen latency (a deposit sent
 * on chain until its event shows in the overview's live feed, through the indexer, the API's stream and a
 * render). Prints the figures; asserts nothing (targets: first load ≤ 1 s, JS ≤ 300 KB gzipped, event-to-screen
 * ≤ 2 s). Run with `npm run bench:dashboard`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { maxUint256, parseEther } from 'viem'
import { DEFAULT_DASHBOARD_DIR } from '../src/api/serveDashboard.ts'
import { createSuretyClient } from '../src/sdk/createSuretyClient.ts'
import { approveStake, deposit } from '../src/sdk/index.ts'
import { launchChromium } from '../test/support/browser.ts'
import { startDashboardWorld } from '../test/support/dashboardWorld.ts'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

const world = await startDashboardWorld()
const browser = await launchChromium()
try {
  // every JS file of the build, gzipped as the server sends it
  const assets = join(DEFAULT_DASHBOARD_DIR, 'assets')
  const allJs = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((a, f) => a + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0)

  const loads: number[] = []
  const lcps: number[] = []
  let firstJs = 0
  for (let i = 0; i < 5; i++) {
    const page = await browser.context.newPage()
    // a cold load each time: no HTTP cache between runs
    await page.route('**/*', (route) => route.continue())
    const started = Date.now()
    await page.goto(`${world.url}/`)
    await page.waitForSelector('[data-testid="overview-stats"]', { timeout: 60_000 })
    loads.push(Date.now() - started)
    const figures = await page.evaluate(
      () =>
        new Promise<{ lcp: number; js: number }>((resolve) => {
          new PerformanceObserver((list) => {
            const entries = list.getEntries()
            const js = performance
              .getEntriesByType('resource')
              .filter((r) => r.name.endsWith('.js'))
              .reduce((a, r) => a + (r as PerformanceResourceTiming).encodedBodySize, 0)
            resolve({ lcp: entries.at(-1)!.startTime, js })
          }).observe({ type: 'largest-contentful-paint', buffered: true })
        }),
    )
    lcps.push(figures.lcp)
    firstJs = figures.js
    await page.close()
  }

  // event-to-screen: the overview open, a deposit sent, the Deposited event in the feed
  const page = await browser.context.newPage()
  await page.goto(`${world.url}/`)
  await page.waitForSelector('[data-live="live"]', { timeout: 60_000 })
  const staker = createSuretyClient({
    rpcUrl: world.devnet.anvil.rpcUrl,
    chainId: world.devnet.deployment.chainId,
    account: world.devnet.accounts[9]!,
    addresses: world.devnet.deployment.addresses,
  })
  const vault = world.devnet.world!.vaults[0]!
  await approveStake(staker, { spender: vault, amount: maxUint256 })
  const latencies: number[] = []
  for (let i = 0; i < 5; i++) {
    // a unique amount, found in the feed by its text (the feed keeps the latest dozen events only)
    const amount = 10 + i
    const started = Date.now()
    await deposit(staker, { vault, assets: parseEther(String(amount)) })
    await page.waitForFunction(
      (text) =>
        [...document.querySelectorAll('[data-event="Deposited"]')].some((e) => e.textContent?.includes(text)),
      `deposited ${amount} STK`,
      { timeout: 30_000, polling: 'raf' },
    )
    latencies.push(Date.now() - started)
  }
  await page.close()

  console.log('Dashboard figures (devnet, Debian chromium headless, 5 runs each, median):')
  console.log(`  first load, largest contentful paint   ${median(lcps).toFixed(0)} ms   (target ≤ 1000 ms)`)
  console.log(`  first load until the data is on screen  ${median(loads)} ms`)
  console.log(`  JavaScript transferred on first load    ${kb(firstJs)} gzipped   (target ≤ 300 KB)`)
  console.log(`  JavaScript of every page and action     ${kb(allJs)} gzipped`)
  console.log(
    `  event-to-screen (tx sent → feed)        ${median(latencies)} ms   (target ≤ 2000 ms; runs: ${latencies.join(', ')})`,
  )
} finally {
  await browser.close()
  await world.stop()
}
