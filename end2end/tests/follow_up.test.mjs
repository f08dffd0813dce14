// The loop closes on time: program staff see what is overdue, and a seeker answers an
// emailed check-in on a phone without logging in, while the helper watches it arrive.
// The demo world has a referral nobody answered for five days and one open for two weeks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { launch, newPage, hydrated, logIn, mailTo, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('followup');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// What the server's scheduler does on its own within minutes, now (`handoff run-jobs`).
async function runJobs() {
  await promisify(execFile)(process.env.HANDOFF_E2E_SERVER_BIN, ['run-jobs'], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.HANDOFF_E2E_DATABASE_URL,
      HANDOFF_DATA_DIR: process.env.HANDOFF_E2E_DATA_DIR,
      RUST_LOG: 'warn',
    },
  });
}

function referralCard(page, id) {
  return page.locator(`article.referral[data-referral="${id}"]`);
}

test('program staff see the overdue badge, the count beside Not updated, and the filter', async () => {
  const { page, context } = await newPage(browser, { viewport: DESKTOP });
  await logIn(page, world.users.carla);
  await page.goto('/inbound');
  await hydrated(page);
  const eli = referralCard(page, world.referrals.eli_groceries);
  await eli.locator('.overdue-badge', { hasText: 'Overdue' }).waitFor();
  // Dana's is being worked on (Pending): not overdue, whatever its age.
  const dana = referralCard(page, world.referrals.dana_groceries);
  await dana.waitFor();
  assert.equal(await dana.locator('.overdue-badge').count(), 0);
  assert.match(await page.locator('#not-updated').innerText(), /1 overdue/);

  await page.locator('#status-filter').selectOption('overdue');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(/status=overdue/);
  await referralCard(page, world.referrals.eli_groceries).waitFor();
  assert.equal(await page.locator('article.referral').count(), 1, 'only the overdue referral');
  await context.close();
});

test('a seeker answers a check-in email on a phone, without logging in, and the helper sees it live', async () => {
  const helper = await newPage(browser, { viewport: DESKTOP });
  await logIn(helper.page, world.users.ana);
  await helper.page.goto(`/people/${world.persons.dana}`);
  await hydrated(helper.page);
  const watched = referralCard(helper.page, world.referrals.dana_groceries);
  await watched.locator('.badge', { hasText: 'Pending' }).waitFor();

  await runJobs();
  const checkIn = await mailTo(world.users.dana, /Did you get help from Weekly Groceries/, { timeout: 30000 });
  assert.match(checkIn.text, /You do not need to log in/);
  const gotHelp = checkIn.text.split(/\s+/).find((w) => w.includes('answer=got_help'));
  assert.ok(gotHelp, checkIn.text);
  const url = new URL(gotHelp);

  const seeker = await newPage(browser, { viewport: PHONE });
  await seeker.page.goto(url.pathname + url.search);
  await hydrated(seeker.page);
  await seeker.page.getByRole('heading', { name: 'Did you get help from Weekly Groceries?' }).waitFor();
  await seeker.page.getByText('Your answer: Yes, I got help').waitFor();
  // Opening the link answered nothing: the helper still sees Pending.
  await watched.locator('.badge', { hasText: 'Pending' }).waitFor();
  await seeker.page.getByRole('button', { name: 'Send my answer' }).click();
  await seeker.page.getByText('Thank you. Your answer was saved.').waitFor();
  assert.ok(
    await seeker.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    'nothing wider than the phone',
  );

  // Live on the helper's open dashboard, without a reload.
  await watched.locator('.badge', { hasText: 'Got help' }).waitFor({ timeout: 5000 });
  await helper.context.close();
  await seeker.context.close();
});
