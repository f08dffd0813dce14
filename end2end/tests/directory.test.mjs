// Issue 15: a directory loaded from Open Referral HSDS feeds. The server binary imports the
// HSDS 3.0 example package and the 1.1 sample (`handoff import-hsds`, as an operator would),
// and a visitor finds those programs, opens them and uses the Connect form, with and
// without JavaScript, at phone size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launch, newPage, hydrated, PHONE } from './helpers.mjs';

const FIXTURES = fileURLToPath(new URL('../../app/tests/fixtures/hsds/', import.meta.url));

async function importFeed(folder, source) {
  const bin = process.env.HANDOFF_E2E_SERVER_BIN;
  assert.ok(bin, 'HANDOFF_E2E_SERVER_BIN is not set: run the browser tests through ./scripts/test');
  const { stdout } = await promisify(execFile)(bin, ['import-hsds', `${FIXTURES}${folder}`, '--source', source], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.HANDOFF_E2E_DATABASE_URL,
      HANDOFF_DATA_DIR: process.env.HANDOFF_E2E_DATA_DIR,
      RUST_LOG: 'warn',
    },
  });
  return stdout.trim();
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const spec = await importFeed('spec-3.0-example', `e2e-spec-${process.pid}`);
const sample = await importFeed('sample-1.1-fictional', `e2e-sample-${process.pid}`);

test('the operator imports both feeds', () => {
  assert.equal(spec, '1 created, 0 updated, 0 unchanged, 0 archived, 0 skipped');
  assert.equal(sample, '13 created, 0 updated, 0 unchanged, 0 archived, 0 skipped');
});

for (const javaScript of [true, false]) {
  const label = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`a visitor finds an imported program, reads it and sends a referral (${label})`, async () => {
    const { context, page } = await newPage(browser, { javaScript, viewport: PHONE });
    await page.goto('/programs');
    if (javaScript) await hydrated(page);
    await page.getByRole('searchbox').fill('counselling');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Community Counselling' }).first().click();
    await page.getByRole('heading', { name: 'Community Counselling' }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /Example Organization Inc\./);
    assert.match(main, /1-30 Main Street, MyVillage, MyCity, MyState ABC 1234/);
    assert.match(main, /This service is intended for all people aged 12 and over/);
    assert.match(main, /\+44 1234 234567/);
    assert.match(main, /The service is available from 10 am to 6pm weekdays/);
    const website = page.getByRole('link', { name: 'http://example.com/counselling' });
    assert.equal(await website.getAttribute('href'), 'http://example.com/counselling');
    const noSideways = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noSideways, 'no sideways scrolling at 360 px');

    await page.getByRole('link', { name: 'Connect' }).click();
    if (javaScript) await hydrated(page);
    await page.getByLabel('First name').fill('Mina');
    await page.getByLabel('Last name').fill('Okafor');
    await page.getByLabel('Email').fill('mina@example.org');
    await page.getByLabel('Best way to reach').selectOption('email');
    await page.getByLabel('The person agrees').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.getByRole('heading', { name: 'Referral sent' }).waitFor();
    await context.close();
  });
}

test('the 1.1 sample is found by place, and its inactive services are not found', async () => {
  const { context, page } = await newPage(browser, { javaScript: false });
  await page.goto('/programs?q=helpline&place=10001');
  await page.getByRole('link', { name: 'Never Homeless Helpline' }).first().waitFor();
  await page.goto('/programs?q=food+safety');
  const cards = await page.locator('main .card').count();
  assert.equal(cards, 0, 'Food Safety Program is inactive');
  await page.goto('/programs?q=shop+assist');
  await page.getByRole('link', { name: 'Shop Assist' }).first().click();
  await page.getByRole('link', { name: 'Connect' }).waitFor();
  await context.close();
});
