/**
 * Debian's chromium (/usr/bin/chromium, installed by .ci/run) driven by playwright-core: headless, no sandbox
 * (CI runs as root), nothing reaching out to the network, a fresh profile per launch. Screenshots go under
 * test-results/dashboard/ (gitignored) for a person to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.SURETY_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-results/dashboard')

export const VIEWPORTS = {
  laptop: { width: 1366, height: 860 },
  phone: { width: 390, height: 844 },
} as const

export type Chromium = { context: BrowserContext; close: () => Promise<void> }

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `no chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium), as .ci/run does`,
    )
  const profile = mkdtempSync(join(tmpdir(), 'surety-chromium-'))
  // launchPersistentContext is how playwright takes a --user-data-dir: a fresh one per run, removed after
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: VIEWPORTS.laptop,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Saves a full-page screenshot as test-results/dashboard/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Collects the page's console errors and failed requests, so a test can assert a page loaded cleanly. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    // a failed request is reported below with its URL; the console's copy has none
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      errors.push(`console: ${m.text()}`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`)
  })
  page.on('requestfailed', (r) => {
    // the stream is closed when the page is: that is not a failure of the page
    if (!r.url().endsWith('/v1/stream'))
      errors.push(`request failed: ${new URL(r.url()).pathname} ${r.failure()?.errorText ?? ''}`)
  })
  return errors
}
