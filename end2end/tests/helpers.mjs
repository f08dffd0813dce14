// Shared browser-test helpers: launch Debian's chromium, make contexts, wait for hydration.
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.HANDOFF_E2E_URL ?? 'http://127.0.0.1:3000';

// Flags from this machine's notes: without the background-networking ones Chromium keeps
// dialling Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

export async function newPage(browser, { javaScript = true, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled: javaScript, viewport });
  const page = await context.newPage();
  return { context, page };
}

/// Resolves once the WASM has hydrated the page (the app sets this marker).
export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 15000 });
}

export function uniqueEmail(tag) {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}
