// Live dashboards: a change made on one dashboard appears on the others within a second,
// without a reload: program staff and the referring helper side by side on desktops, and the
// seeker on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('live');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openAs(email, path, viewport) {
  const p = await newPage(browser, { viewport });
  await logIn(p.page, email);
  await p.page.goto(path);
  await hydrated(p.page);
  await p.page.waitForSelector('html[data-live="open"]', { timeout: 5000 });
  return p;
}

const WITHIN_A_SECOND = { timeout: 1000 };

test('a status change and a note reach the other dashboards within a second, without a reload', async () => {
  const staff = await openAs(world.users.carla, '/inbound', DESKTOP);
  const helper = await openAs(world.users.ana, '/people', DESKTOP);
  await helper.page.getByRole('link', { name: 'Dana Lee' }).click();
  await helper.page.getByRole('heading', { name: 'Dana Lee' }).waitFor();
  const seeker = await openAs(world.users.dana, '/referrals', PHONE);

  const inbound = staff.page.locator('article.referral').filter({ has: staff.page.getByRole('heading', { name: 'Dana Lee' }) });
  // The world's groceries referral for Dana is Pending.
  assert.equal((await inbound.locator('.badge').first().innerText()).trim(), 'Pending');
  const [code, label] = ['eligible', 'Eligible'];
  let navigations = 0;
  for (const p of [helper, seeker]) p.page.on('framenavigated', () => { navigations += 1; });

  await inbound.getByLabel('Status').selectOption(code);
  await inbound.getByRole('button', { name: 'Update status' }).click();
  await inbound.locator('.badge', { hasText: label }).waitFor();
  const groceries = (page) => page.locator('article.referral').filter({ hasText: 'Weekly Groceries' });
  await groceries(helper.page).locator('.badge', { hasText: label }).waitFor(WITHIN_A_SECOND);
  await groceries(seeker.page).locator('.badge', { hasText: label }).waitFor(WITHIN_A_SECOND);
  // Screen readers hear it, politely, and focus stays where it was.
  await seeker.page.locator('#live-announcement', { hasText: `Weekly Groceries: the status is now “${label}”.` })
    .waitFor({ ...WITHIN_A_SECOND, state: 'attached' });
  assert.equal(await seeker.page.locator('#live-announcement').getAttribute('aria-live'), 'polite');

  const note = `Live note ${Date.now()}`;
  await inbound.getByLabel('Note').fill(note);
  await inbound.getByRole('button', { name: 'Add note' }).click();
  await groceries(helper.page).locator('.history-list', { hasText: note }).waitFor({ ...WITHIN_A_SECOND, state: 'attached' });
  // The other way: the helper sets it back to "Not updated"; the program's card and its
  // "Not updated" count follow.
  const countBefore = Number((await staff.page.locator('#not-updated').innerText()).match(/\d+/)[0]);
  await groceries(helper.page).getByLabel('Status').selectOption('not_updated');
  await groceries(helper.page).getByRole('button', { name: 'Update status' }).click();
  await inbound.locator('.badge', { hasText: 'Not updated' }).first().waitFor(WITHIN_A_SECOND);
  await staff.page.locator('#not-updated', { hasText: `Not updated: ${countBefore + 1}` }).waitFor(WITHIN_A_SECOND);
  for (const p of [staff]) p.page.on('framenavigated', () => { navigations += 1; });
  assert.equal(navigations, 0, 'no page reloaded');
  // Notes are between helpers and the program: the seeker's page never shows them.
  await seeker.page.waitForTimeout(500);
  assert.doesNotMatch(await seeker.page.locator('main').innerText(), new RegExp(note));

  for (const p of [staff, helper, seeker]) await p.context.close();
});
