// The site's own files as the real build leaves them and the real server sends them: names
// that carry a hash of the content, compressed, and cached by the browser for a year; a
// second visit then loads no WASM, JavaScript or CSS over the network at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, PHONE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('hashed, compressed, cached for good: a second visit fetches no site file', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  const client = await context.newCDPSession(page);
  await client.send('Network.enable');
  const fromNetwork = [];
  client.on('Network.responseReceived', ({ response }) => {
    if (new URL(response.url).pathname.startsWith('/pkg/') && !response.fromDiskCache && !response.fromMemoryCache) {
      fromNetwork.push(response);
    }
  });

  await page.goto('/programs');
  await hydrated(page);
  const kinds = fromNetwork.map((r) => new URL(r.url).pathname.split('.').pop()).sort();
  assert.deepEqual(kinds, ['css', 'js', 'wasm'], 'first visit: the stylesheet, the JavaScript and the WASM');
  for (const r of fromNetwork) {
    const path = new URL(r.url).pathname;
    assert.match(path, /^\/pkg\/handoff\.[A-Za-z0-9_-]{8,}\.(css|js|wasm)$/, `${path} carries a content hash`);
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', path);
    assert.match(headers['content-encoding'] ?? '', /^(br|gzip)$/, `${path} is compressed`);
  }

  fromNetwork.length = 0;
  await page.goto('/programs/1');
  await hydrated(page);
  assert.deepEqual(fromNetwork.map((r) => r.url), [], 'second page: every site file came from the cache');
  await context.close();
});
