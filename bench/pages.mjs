// Seeker pages on a cheap phone: bytes over the wire for a first visit (HTML, CSS, JS, WASM,
// as the server itself sends them), and time to hydrated on a throttled phone (150 ms RTT,
// 1.6 Mbps down, 4x CPU slowdown): from navigation until the WASM drives the page's islands,
// or, on a page that loads no WASM (plain HTML forms), until the page has loaded.
//
// Usage: node pages.mjs <base url> [weight|hydration ...]. Prints one markdown row per
// measurement: | workload | figure | limit | ratio |, the limit being the issue's budget.
import { chromium } from 'playwright-core';
import { PAGES } from './pages-list.mjs';

const BASE = process.argv[2];
const WHAT = process.argv.slice(3).length ? process.argv.slice(3) : ['weight', 'hydration'];
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'handoff-demo-2026';

async function sessionCookies(browser, email) {
  if (!email) return [];
  const context = await browser.newContext({ baseURL: BASE });
  const res = await context.request.post('/api/log_in', {
    form: { email, password: PASSWORD }, headers: { Accept: 'application/json' },
  });
  if (!res.ok()) throw new Error(`log in as ${email}: ${res.status()}`);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

function kind(url, type) {
  if (url.endsWith('.wasm')) return 'wasm';
  if (type === 'Document') return 'html';
  if (type === 'Stylesheet') return 'css';
  if (type === 'Script') return 'js';
  return 'other';
}

async function weigh(browser, page) {
  const context = await browser.newContext({ baseURL: BASE });
  await context.addCookies(await sessionCookies(browser, page.as));
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  const totals = { html: 0, css: 0, js: 0, wasm: 0, other: 0 };
  const encodings = new Set();
  cdp.on('Network.responseReceived', (e) => {
    requests.set(e.requestId, kind(e.response.url, e.type));
    const enc = e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'];
    if (enc) encodings.add(enc);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const k = requests.get(e.requestId);
    if (k) totals[k] += e.encodedDataLength;
  });
  await tab.goto(page.path, { waitUntil: 'networkidle' });
  await tab.waitForFunction(() => document.documentElement.dataset.hydrated === 'true'
    || !document.querySelector('script[type="module"]'), null, { timeout: 30000 });
  await tab.waitForLoadState('networkidle');
  await context.close();
  return { totals, encodings: [...encodings] };
}

async function timeToHydrated(browser, page) {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 360, height: 740 }, isMobile: true });
  await context.addCookies(await sessionCookies(browser, page.as));
  // Records the moment the app marks itself hydrated, on the page's own clock.
  // (The document has no <html> element yet when this runs: watch the document itself.)
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement?.dataset.hydrated === 'true') {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await tab.goto(page.path, { waitUntil: 'commit' });
  await tab.waitForLoadState('load', { timeout: 60000 });
  const wasm = await tab.evaluate(() => !!document.querySelector('script[type="module"]'));
  let ms;
  if (wasm) {
    await tab.waitForFunction(() => window.__hydratedAt !== undefined, null, { timeout: 60000, polling: 50 });
    ms = await tab.evaluate(() => window.__hydratedAt);
  } else {
    ms = await tab.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
  }
  await context.close();
  return { ms, wasm };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ARGS });
try {
  for (const page of PAGES) {
    if (WHAT.includes('weight')) {
      const { totals, encodings } = await weigh(browser, page);
      const all = Object.values(totals).reduce((a, b) => a + b, 0);
      const split = `HTML ${kb(totals.html)}, CSS ${kb(totals.css)}, JS ${kb(totals.js)}, WASM ${kb(totals.wasm)}` +
        (totals.other ? `, other ${kb(totals.other)}` : '');
      const budget = page.seeker ? 150_000 : null;
      console.log(`| first visit, ${page.name} (${split}; ${encodings.join('/') || 'uncompressed'}) | ${kb(all)} | ${budget ? `budget ${kb(budget)}` : '—'} | ${budget ? (all / budget).toFixed(2) : '—'} |`);
    }
    if (WHAT.includes('hydration') && page.seeker) {
      const runs = [];
      let wasm = false;
      for (let i = 0; i < 3; i += 1) {
        const run = await timeToHydrated(browser, page);
        runs.push(run.ms);
        wasm = run.wasm;
      }
      runs.sort((a, b) => a - b);
      const median = runs[1];
      const what = wasm ? 'time to hydrated' : 'time to loaded (no WASM: plain HTML forms)';
      console.log(`| ${what}, ${page.name}, throttled phone (median of 3: ${runs.map((r) => (r / 1000).toFixed(2)).join(', ')} s) | ${(median / 1000).toFixed(2)} s | budget 2.50 s | ${(median / 2500).toFixed(2)} |`);
    }
  }
} finally {
  await browser.close();
}
