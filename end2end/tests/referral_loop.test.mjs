// The referral loop in a real browser: a helper refers someone new, the program triages it,
// the helper sees the new status; a seeker refers themselves. JavaScript on and off, phone
// and desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('loop');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function card(page, title) {
  return page.locator('article.referral').filter({ has: page.getByRole('heading', { name: title }) });
}

for (const javaScript of [true, false]) {
  for (const viewport of [DESKTOP, PHONE]) {
    const label = `JavaScript ${javaScript ? 'on' : 'off'}, ${viewport.width}x${viewport.height}`;

    test(`helper refers someone new, program updates, helper sees it (${label})`, async () => {
      const seeker = `Tess${Date.now() % 100000}`;
      const helper = await newPage(browser, { javaScript, viewport });
      await logIn(helper.page, world.users.ben, { javaScript });
      await helper.page.goto('/programs?q=groceries');
      // Every test file's world has its own Weekly Groceries: this one is ours.
      await helper.page.locator(`a[href="${groceries}"]`, { hasText: 'Weekly Groceries' }).click();
      await helper.page.getByRole('link', { name: 'Connect' }).click();
      if (javaScript) await hydrated(helper.page);

      // Bad input first: every problem is reported, next to its field.
      await helper.page.getByLabel('Who is this referral for?').selectOption('new');
      await helper.page.getByLabel('Email').fill('not-an-email');
      await helper.page.getByRole('button', { name: 'Send referral' }).click();
      await helper.page.locator('#field-first_name-error').filter({ hasText: 'Enter a name.' }).waitFor();
      assert.match(await helper.page.locator('#field-email-error').innerText(), /name@example.com/);
      assert.match(await helper.page.locator('#consent-error').innerText(), /Tick the box/);

      await helper.page.getByLabel('First name').fill(seeker);
      await helper.page.getByLabel('Last name').fill('Example');
      await helper.page.getByLabel('Email').fill(`${seeker.toLowerCase()}@example.org`);
      await helper.page.getByLabel('Phone').fill('555-300-4000');
      await helper.page.getByLabel('Best way to reach').selectOption('phone');
      await helper.page.getByLabel('Comments').fill('Evenings are best.');
      await helper.page.getByLabel('The person agrees').check();
      await helper.page.getByRole('button', { name: 'Send referral' }).click();
      await helper.page.getByRole('heading', { name: `${seeker} Example` }).waitFor();

      // The program's intake worker sees it, with contact details, and triages it.
      const staff = await newPage(browser, { javaScript, viewport });
      await logIn(staff.page, world.users.carla, { javaScript });
      await staff.page.goto('/inbound');
      await staff.page.getByRole('heading', { name: 'Inbound Referrals' }).waitFor();
      const inbound = card(staff.page, `${seeker} Example`);
      await inbound.waitFor();
      assert.match(await inbound.innerText(), /555-300-4000/);
      assert.match(await inbound.innerText(), /Evenings are best/);
      if (javaScript) await hydrated(staff.page);
      await inbound.getByLabel('Status').selectOption('pending');
      await inbound.getByRole('button', { name: 'Update status' }).click();
      await card(staff.page, `${seeker} Example`).locator('.badge', { hasText: 'Pending' }).waitFor();
      await card(staff.page, `${seeker} Example`).getByLabel('Note').fill('Called, left a message.');
      await card(staff.page, `${seeker} Example`).getByRole('button', { name: 'Add note' }).click();
      await card(staff.page, `${seeker} Example`).locator('.history-list', { hasText: 'Called, left a message.' }).waitFor({ state: 'attached' });

      // The helper sees the new status, and the note, with who made them.
      await helper.page.reload();
      const mine = card(helper.page, 'Weekly Groceries, Eastside Food Bank');
      await mine.locator('.badge', { hasText: 'Pending' }).waitFor();
      const history = await mine.locator('.history-list').textContent();
      assert.match(history, /Not updated → Pending/);
      assert.match(history, /Carla D\., Eastside Food Bank/);
      assert.match(history, /Called, left a message/);
      await helper.context.close();
      await staff.context.close();
    });

    test(`a seeker refers themselves without an account (${label})`, async () => {
      const { context, page } = await newPage(browser, { javaScript, viewport });
      await page.goto('/programs');
      await page.getByLabel('ZIP or city').fill('Shelbyville');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.locator(`a[href="/programs/${world.programs.clinic}"]`, { hasText: 'Walk-in Health Clinic' }).click();
      await page.getByRole('link', { name: 'Connect' }).click();
      if (javaScript) await hydrated(page);
      await page.getByLabel('First name').fill('Lou');
      await page.getByLabel('Last name').fill('Walker');
      await page.getByLabel('Email').fill('lou@example.org');
      await page.getByLabel('Best way to reach').selectOption('email');
      await page.getByLabel('The person agrees').check();
      await page.getByRole('button', { name: 'Send referral' }).click();
      await page.getByRole('heading', { name: 'Referral sent' }).waitFor();
      await context.close();
    });
  }
}

test('a team-mate updates a referral another helper made', async () => {
  const { context, page } = await newPage(browser);
  await logIn(page, world.users.ben);
  await page.goto('/people?name=Eli');
  await page.getByRole('link', { name: 'Eli Moreno' }).click();
  const eli = card(page, 'Weekly Groceries, Eastside Food Bank');
  await eli.waitFor();
  assert.match(await eli.innerText(), /Ana Pérez/);
  await hydrated(page);
  // Ana referred Eli to the groceries; nobody has touched it yet.
  assert.equal((await eli.locator('.badge').innerText()).trim(), 'Not updated');
  await eli.getByLabel('Status').selectOption('eligible');
  await eli.getByRole('button', { name: 'Update status' }).click();
  await card(page, 'Weekly Groceries, Eastside Food Bank').locator('.badge', { hasText: 'Eligible' }).waitFor();
  // The history names the team-mate who made the change.
  assert.match(await card(page, 'Weekly Groceries, Eastside Food Bank').locator('.history-list').textContent(), /Ben O\./);
  await context.close();
});

test("don't reach out: program staff see the name only", async () => {
  const { context, page } = await newPage(browser);
  await logIn(page, world.users.carla);
  const html = await (await page.request.get('/inbound')).text();
  assert.match(html, /Eli Moreno/);
  assert.doesNotMatch(html, /eli\.moreno/);
  assert.doesNotMatch(html, /555-787-1200/);
  await context.close();
});
