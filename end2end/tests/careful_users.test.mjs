// Issue 13: what careful users found. A long link in a comment, note or status comment wraps
// on a 360 px phone on every page that shows it; every page carries its own title on every
// load; a Connect comment too large for the form comes back as the form; a malformed date
// filter comes back as the filter form with the field marked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, mailTo, linkIn, uniqueEmail, PHONE, seedWorld } from './helpers.mjs';

const world = await seedWorld('careful');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const LONG_LINK = 'https://clinic.example.org/appointments/new-patient-intake-form?ref=navigators';

async function noSidewaysScroll(page, where) {
  // Folded history is part of the page too: open it before measuring.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `${where}: the page is ${scroll} px wide at ${width} px`);
}

// A new account of its own, confirmed, signed in on a new page: tests that change what they
// touch leave the world's shared accounts as they found them.
async function confirmedAccount(name, { javaScript, viewport }) {
  const email = uniqueEmail(name.split(' ')[0].toLowerCase());
  const { context, page } = await newPage(browser, { javaScript, viewport });
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const confirm = await mailTo(email, /^Confirm your email for Handoff$/);
  await page.goto(linkIn(confirm, '/verify/'));
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Log in and confirm' }).click();
  await page.getByRole('heading', { name: 'Referrals For Me' }).waitFor();
  return { context, page, email };
}

function card(page, text) {
  return page.locator('article.referral').filter({ hasText: text });
}

for (const javaScript of [true, false]) {
  const label = `JavaScript ${javaScript ? 'on' : 'off'}`;

  test(`a long link in what people write wraps at 360 px on every page (${label})`, async () => {
    const tag = `${Date.now() % 100000}${javaScript ? 'j' : 'n'}`;
    const comment = `Book here: ${LONG_LINK}&t=${tag}`;
    const seeker = await confirmedAccount(`Wren${tag} Wrap`, { javaScript, viewport: PHONE });
    const helper = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(helper.page, world.users.ana, { javaScript });
    await helper.page.goto(`${groceries}/connect`);
    await helper.page.getByLabel('Who is this referral for?').selectOption('new');
    await helper.page.getByLabel('First name').fill(`Wren${tag}`);
    await helper.page.getByLabel('Last name').fill('Wrap');
    await helper.page.getByLabel('Email').fill(seeker.email);
    await helper.page.getByLabel('Best way to reach').selectOption('email');
    await helper.page.getByLabel('Comments').fill(comment);
    await helper.page.getByLabel('The person agrees').check();
    await helper.page.getByRole('button', { name: 'Send referral' }).click();
    await helper.page.getByRole('heading', { name: `Wren${tag} Wrap` }).waitFor();
    await card(helper.page, tag).waitFor();
    await noSidewaysScroll(helper.page, "the person's profile");

    // The program adds a note and a status comment, each with the long link.
    const staff = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(staff.page, world.users.carla, { javaScript });
    await staff.page.goto('/inbound');
    if (javaScript) await hydrated(staff.page);
    const inbound = card(staff.page, tag);
    await inbound.getByLabel('Note').fill(`See ${LONG_LINK}&note=${tag}`);
    await inbound.getByRole('button', { name: 'Add note' }).click();
    await card(staff.page, `note=${tag}`).waitFor();
    await card(staff.page, tag).getByLabel('Status').selectOption('needs_client_action');
    await card(staff.page, tag).getByLabel('Comment (optional)').fill(`Fill in ${LONG_LINK}&status=${tag}`);
    await card(staff.page, tag).getByRole('button', { name: 'Update status' }).click();
    await card(staff.page, `status=${tag}`).waitFor();
    await noSidewaysScroll(staff.page, 'Inbound Referrals');

    await seeker.page.goto('/referrals');
    await card(seeker.page, `status=${tag}`).waitFor();
    await noSidewaysScroll(seeker.page, 'Referrals For Me');
    await helper.page.reload();
    await noSidewaysScroll(helper.page, "the person's profile, with the history");
    for (const p of [helper, staff, seeker]) await p.context.close();
  });

  test(`every page carries its own title on every load (${label})`, async () => {
    const visitor = await newPage(browser, { javaScript, viewport: PHONE });
    const helper = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(helper.page, world.users.ana, { javaScript });
    await helper.page.goto('/people');
    const profile = await helper.page.getByRole('link', { name: 'Dana Lee' }).first().getAttribute('href');
    for (let load = 0; load < 5; load++) {
      for (const [page, path, title] of [
        [visitor.page, groceries, 'Weekly Groceries · Handoff'],
        [visitor.page, `${groceries}/connect`, 'Connect to Weekly Groceries · Handoff'],
        [helper.page, `${groceries}/connect`, 'Connect to Weekly Groceries · Handoff'],
        [helper.page, profile, 'Dana Lee · Handoff'],
        [visitor.page, '/', 'Get connected to help · Handoff'],
      ]) {
        await page.goto(path);
        assert.equal(await page.title(), title, `${path}, load ${load}`);
      }
    }
    for (const p of [visitor, helper]) await p.context.close();
  });

  test(`a malformed date filter comes back as the filter form, the field marked (${label})`, async () => {
    const staff = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(staff.page, world.users.carla, { javaScript });
    await staff.page.goto('/inbound?status=pending&from=yesterday');
    await staff.page.locator('#from-error').filter({ hasText: 'Enter a date like' }).waitFor();
    assert.equal(await staff.page.getByLabel('From', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await staff.page.getByLabel('Status filter').inputValue(), 'pending');
    // The form still works: fix the date, and the list comes back.
    await staff.page.getByLabel('From', { exact: true }).fill('2020-01-01');
    await staff.page.getByRole('button', { name: 'Show' }).click();
    await staff.page.waitForURL(/from=2020-01-01/);
    assert.equal(await staff.page.locator('#from-error').innerText(), '');
    await staff.context.close();
  });
}

for (const javaScript of [true, false]) {
  test(`the site administrator manages a group they are not in (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const name = `Outreach ${Date.now() % 100000}${javaScript ? 'j' : 'n'}`;
    const ana = await confirmedAccount('Greta Group', { javaScript });
    await ana.page.goto('/groups');
    await ana.page.getByLabel('Group name').fill(name);
    await ana.page.getByRole('button', { name: 'Create group' }).click();
    await ana.page.getByRole('heading', { name }).waitFor();

    const admin = await newPage(browser, { javaScript });
    await logIn(admin.page, world.users.admin, { javaScript });
    await admin.page.goto('/admin');
    await admin.page.getByRole('link', { name: 'Manage every group' }).click();
    await admin.page.getByRole('heading', { name: 'All groups' }).waitFor();
    if (javaScript) await hydrated(admin.page);
    const group = admin.page.locator('section.group').filter({ has: admin.page.getByRole('heading', { name }) });
    await group.getByRole('button', { name: `Turn Team Navigation on for ${name}` }).click();
    await admin.page.locator('section.group').filter({ has: admin.page.getByRole('heading', { name }) })
      .getByText('Team Navigation is on').waitFor();
    const renamed = `${name} (renamed)`;
    const again = admin.page.locator('section.group').filter({ has: admin.page.getByRole('heading', { name }) });
    await again.getByLabel('New name').fill(renamed);
    await again.getByRole('button', { name: 'Rename' }).click();
    await admin.page.getByRole('heading', { name: renamed }).waitFor();
    await admin.page.getByText(`turned Team Navigation on in ${renamed}`).waitFor();
    await admin.page.getByText(`renamed ${renamed} (${name} → ${renamed})`).waitFor();

    // The group's admin sees the change on their own page.
    await ana.page.goto('/groups');
    await ana.page.locator('section.group').filter({ has: ana.page.getByRole('heading', { name: renamed }) })
      .getByText('Team Navigation is on').waitFor();
    for (const p of [ana, admin]) await p.context.close();
  });
}

for (const javaScript of [true, false]) {
  test(`a Connect comment too large for the form comes back as the form (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const { context, page } = await newPage(browser, { javaScript, viewport: PHONE });
    if (javaScript) await logIn(page, world.users.ana, { javaScript });
    await page.goto(`${groceries}/connect`);
    if (javaScript) {
      await hydrated(page);
      await page.getByLabel('Who is this referral for?').selectOption('new');
    }
    await page.getByLabel('First name').fill('Paste');
    await page.getByLabel('Last name').fill('Tester');
    await page.getByLabel('Email').fill('paste.tester@example.org');
    await page.getByLabel('Best way to reach').selectOption('email');
    // 100 KB pasted into Comments: far over the form-size limit.
    await page.getByLabel('Comments').fill('x'.repeat(100 * 1024));
    await page.getByLabel('The person agrees').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await page.locator('#comments-error').filter({ hasText: 'Use at most 2000 characters.' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `${groceries}/connect`);
    assert.equal(await page.getByLabel('First name').inputValue(), 'Paste');
    assert.equal(await page.getByLabel('Last name').inputValue(), 'Tester');
    assert.equal(await page.getByLabel('Email').inputValue(), 'paste.tester@example.org');
    assert.equal(await page.getByLabel('Comments').getAttribute('aria-invalid'), 'true');
    await context.close();
  });
}
