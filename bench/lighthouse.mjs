// Lighthouse mobile (its defaults: simulated Slow 4G and 4x CPU slowdown) on the seeker's
// pages, next to the floor: a near-empty page served by the same server in the same run.
//
// Usage: node lighthouse.mjs <base url>. Prints markdown rows: | workload | figure | floor | ratio |.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { PAGES } from './pages-list.mjs';

const BASE = process.argv[2];
const PASSWORD = 'handoff-demo-2026';

async function sessionCookie(email) {
  if (!email) return null;
  const res = await fetch(`${BASE}/api/log_in`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ email, password: PASSWORD }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('handoff_session='));
  if (!cookie) throw new Error(`log in as ${email}: ${res.status}`);
  return cookie.split(';')[0];
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// `simulate` (Lighthouse's default) models Slow 4G from an unthrottled load; `devtools`
// really throttles the network and CPU. They disagree about pages that load WASM, so both.
async function audit(path, cookie, throttlingMethod) {
  const result = await lighthouse(`${BASE}${path}`, {
    port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'],
    extraHeaders: cookie ? { Cookie: cookie } : undefined, throttlingMethod,
  });
  const a = result.lhr.audits;
  return {
    score: Math.round(result.lhr.categories.performance.score * 100),
    lcp: a['largest-contentful-paint'].numericValue,
    tbt: a['total-blocking-time'].numericValue,
    cls: a['cumulative-layout-shift'].numericValue,
  };
}
try {
  const signed = (x) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(2)}`;
  const line = (r) => `score ${r.score}, LCP ${(r.lcp / 1000).toFixed(2)} s, TBT ${Math.round(r.tbt)} ms, CLS ${r.cls.toFixed(3)}`;
  for (const method of ['simulate', 'devtools']) {
    const floor = await audit('/bench-floor.html', null, method);
    console.log(`| Lighthouse mobile (${method}), blank page (the floor) | ${line(floor)} | — | — |`);
    for (const page of PAGES.filter((p) => p.seeker)) {
      const r = await audit(page.path, await sessionCookie(page.as), method);
      console.log(`| Lighthouse mobile (${method}), ${page.name} | ${line(r)} | floor LCP ${(floor.lcp / 1000).toFixed(2)} s | LCP ${signed((r.lcp - floor.lcp) / 1000)} s |`);
    }
  }
} finally {
  await chrome.kill();
}
