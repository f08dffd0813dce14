// The site's own files as the real build leaves them and the real server sends them: names
// that carry a hash of the content, compressed, and cached by the browser for a year, so a
// second page loads no WASM or JavaScript over the network at all. Visitors who are not
// signed in get no JavaScript or WASM (every island acts only for someone signed in), and
// the stylesheet comes inside each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, loadsWasm, logIn, PHONE, seedWorld } from './helpers.mjs';

const world = await seedWorld('static');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('hashed, compressed, cached for good; no WASM for visitors; a second visit fetches no site file', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  const client = await context.newCDPSession(page);
  await client.send('Network.enable');
  // Every site file the page used (`all`), and those that came over the network: memory-cache
  // hits are reported as served from the cache, disk-cache hits carry fromDiskCache.
  const all = [];
  const fromNetwork = [];
  const seen = new Map();
  const cached = new Set();
  client.on('Network.requestServedFromCache', ({ requestId }) => cached.add(requestId));
  client.on('Network.responseReceived', ({ requestId, response }) => {
    if (!new URL(response.url).pathname.startsWith('/pkg/')) return;
    all.push(response);
    if (!response.fromDiskCache && !response.fromMemoryCache) seen.set(requestId, response);
  });
  client.on('Network.loadingFinished', ({ requestId }) => {
    if (seen.has(requestId) && !cached.has(requestId)) fromNetwork.push(seen.get(requestId));
  });
  const kinds = (list) => [...new Set(list.map((r) => new URL(r.url).pathname.split('.').pop()))].sort();
  const checkHeaders = (list) => {
    for (const r of list) {
      const path = new URL(r.url).pathname;
      assert.match(path, /^\/pkg\/handoff\.[A-Za-z0-9_-]{8,}\.(css|js|wasm)$/, `${path} carries a content hash`);
      const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
      assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', path);
      assert.match(headers['content-encoding'] ?? '', /^(br|gzip)$/, `${path} is compressed`);
    }
  };

  // A visitor who is not signed in: one HTML document with its styles inside, nothing to run.
  await page.goto('/programs');
  await hydrated(page);
  assert.deepEqual(all.map((r) => r.url), [], 'a visitor loads no site file');
  assert.equal(await loadsWasm(page), false);
  assert.match(await page.locator('style#leptos').innerHTML(), /\.referral/, 'the stylesheet is inline');
  assert.equal(await page.locator('.skip-link').evaluate((a) => getComputedStyle(a).position), 'absolute', 'and applied');

  // Signed in, the islands need the JavaScript and the WASM.
  all.length = 0;
  await logIn(page, world.users.dana);
  await page.goto('/referrals');
  await hydrated(page);
  assert.deepEqual(kinds(all), ['js', 'wasm'], 'signed in: the JavaScript and the WASM');
  checkHeaders(all);

  // (Chromium writes its disk cache just after a load; a person takes longer than this.)
  await page.waitForTimeout(1000);
  fromNetwork.length = 0;
  await page.goto(groceries);
  await hydrated(page);
  assert.equal(await loadsWasm(page), true);
  assert.deepEqual(fromNetwork.map((r) => r.url), [], 'next page: every site file came from the cache');
  await context.close();
});
