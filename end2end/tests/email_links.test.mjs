// Email closes the loop: a seeker who never logged in updates a referral from the link in
// their email, then signs up, confirms their email and finds the referral on Referrals For
// Me with the status they set. The mail goes through a real SMTP server on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, mailTo, linkIn, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('links');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

function card(page, title) {
  return page.locator('article.referral').filter({ has: page.getByRole('heading', { name: title }) });
}

for (const javaScript of [true, false]) {
  test(`a seeker acts on the emailed link, signs up and sees the referral (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const tag = `${Date.now() % 1000000}${javaScript ? 'j' : 'n'}`;
    const first = `Sky${tag}`;
    const address = `sky-${tag}@example.org`;

    // A helper refers someone new who prefers email.
    const helper = await newPage(browser, { viewport: DESKTOP });
    await logIn(helper.page, world.users.ben);
    await helper.page.goto(`${groceries}/connect`);
    await hydrated(helper.page);
    await helper.page.getByLabel('Who is this referral for?').selectOption('new');
    await helper.page.getByLabel('First name').fill(first);
    await helper.page.getByLabel('Last name').fill('Example');
    await helper.page.getByLabel('Email').fill(address);
    await helper.page.getByLabel('Best way to reach').selectOption('email');
    await helper.page.getByLabel('The person agrees').check();
    await helper.page.getByRole('button', { name: 'Send referral' }).click();
    await helper.page.getByRole('heading', { name: `${first} Example` }).waitFor();
    const referred = await mailTo(address, /referred you to Weekly Groceries/);
    assert.match(referred.text, /The program will get in touch with you/);

    // The program asks something of the seeker: the seeker is emailed a status link.
    const staff = await newPage(browser, { viewport: DESKTOP });
    await logIn(staff.page, world.users.carla);
    await staff.page.goto('/inbound');
    const inbound = card(staff.page, `${first} Example`);
    await inbound.getByLabel('Status').selectOption('needs_client_action');
    await inbound.getByRole('button', { name: 'Update status' }).click();
    await card(staff.page, `${first} Example`).locator('.badge', { hasText: 'Needs client action' }).waitFor();
    const update = await mailTo(address, /Weekly Groceries: Needs client action/);
    assert.match(update.text, /needs something from you/);

    // On a phone, with no account and no session, the seeker opens the link and answers.
    const seeker = await newPage(browser, { javaScript, viewport: PHONE });
    await seeker.page.goto(linkIn(update, '/r/'));
    if (javaScript) await hydrated(seeker.page);
    await seeker.page.getByRole('heading', { name: 'Referral to Weekly Groceries' }).waitFor();
    assert.match(await seeker.page.locator('.facts').innerText(), /Needs client action/);
    // Choosing nothing is an error next to the field, and changes nothing.
    await seeker.page.getByRole('button', { name: 'Save the new status' }).click();
    if (javaScript) {
      await seeker.page.locator('#link-status-error', { hasText: 'Choose a status' }).waitFor();
    }
    await seeker.page.getByLabel('New status').selectOption('got_help');
    await seeker.page.getByLabel('Comment (optional)').fill('Brought my ID on Tuesday.');
    await seeker.page.getByRole('button', { name: 'Save the new status' }).click();
    await seeker.page.locator('.facts .badge', { hasText: 'Got help' }).waitFor();

    // The helper is told the seeker changed it.
    await mailTo(world.users.ben, new RegExp(`Weekly Groceries: Got help`));

    // The seeker signs up with the same email and confirms it from the email.
    await seeker.page.goto('/signup');
    if (javaScript) await hydrated(seeker.page);
    await seeker.page.getByLabel('Name').fill(`${first} Example`);
    await seeker.page.getByLabel('Email').fill(address);
    await seeker.page.getByLabel('Password').fill('a long enough password');
    await seeker.page.getByRole('button', { name: 'Sign up' }).click();
    await seeker.page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const confirm = await mailTo(address, /Confirm your email/);
    await seeker.page.goto(linkIn(confirm, '/verify/'));
    // The page names the account it confirms; without a session it asks for its password.
    await seeker.page.getByText(`for the account named ${first} Example`).waitFor();
    await seeker.page.getByLabel('Password').fill('a long enough password');
    await seeker.page.getByRole('button', { name: 'Log in and confirm' }).click();
    await seeker.page.getByRole('heading', { name: 'Referrals For Me' }).waitFor();
    const mine = seeker.page.locator('article.referral').filter({ hasText: 'Weekly Groceries' });
    await mine.locator('.badge', { hasText: 'Got help' }).waitFor();
    // The history (folded away on the card) records the change as the seeker's, with the comment.
    assert.match(await mine.locator('.history-list').textContent(), /Brought my ID on Tuesday/);

    for (const p of [helper, staff, seeker]) await p.context.close();
  });
}

test('a tampered status link shows a clear page and changes nothing', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  await page.goto('/r/1.s.99999999999999.00');
  await page.getByRole('heading', { name: "This link can't be used" }).waitFor();
  assert.match(await page.locator('[role=alert]').innerText(), /not valid/);
  await context.close();
});
