// Accounts in a real browser, with JavaScript (the WASM loaded) and without: plain forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, uniqueEmail, logIn, mailTo, linkIn, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('accounts');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const viewport of [DESKTOP, PHONE]) {
  const size = `${viewport.width}x${viewport.height}`;

  // The account forms are plain server-rendered forms (no island): with JavaScript on they
  // behave as without it, and the WASM on the page must not get in their way.
  test(`with JavaScript on, sign-up shows field errors next to the fields, then signs in and out (${size})`, async () => {
    const { context, page } = await newPage(browser, { viewport });
    await page.goto('/signup');
    await hydrated(page);

    await page.getByLabel('Name').fill('Rosa Diaz');
    await page.getByLabel('Email').fill('rosa-at-nowhere');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();

    const emailError = page.locator('#field-email-error');
    await emailError.filter({ hasText: 'name@example.com' }).waitFor();
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByLabel('Email').getAttribute('aria-describedby'), /field-email-error/);
    assert.match(await page.locator('#field-password-error').innerText(), /at least 10/);
    assert.equal(await page.getByLabel('Name').inputValue(), 'Rosa Diaz', 'what was typed is kept');

    const email = uniqueEmail('rosa');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    // Sign-up signs nobody in: the same answer whether or not the address has an account.
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/signup/sent');

    // Log in; a wrong password first gets the one generic message.
    await page.goto('/login');
    await hydrated(page);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: "don't match an account" }).waitFor();
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Rosa Diaz' }).waitFor();
    await context.close();
  });

  test(`sign-up and log-in work with JavaScript off (${size})`, async () => {
    const { context, page } = await newPage(browser, { javaScript: false, viewport });
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Sam Noscript');
    await page.getByLabel('Email').fill('sam@nowhere');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.locator('#field-email-error').filter({ hasText: 'name@example.com' }).waitFor();
    // What was typed is kept (except the password).
    assert.equal(await page.getByLabel('Name').inputValue(), 'Sam Noscript');
    assert.equal(await page.getByLabel('Password').inputValue(), '');

    const email = uniqueEmail('sam');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Sam Noscript' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Get connected to help' }).waitFor();

    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: "don't match an account" }).waitFor();
    await context.close();
  });
}

test('a demo login works and sees its roles', async () => {
  const { context, page } = await newPage(browser);
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(world.users.ana);
  await page.getByLabel('Password').fill('handoff-demo-2026');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Welcome, Ana Pérez' }).waitFor();
  assert.match(await page.locator('.roles').innerText(), /helper/);
  await context.close();
});

// Issue 12: a confirmation link confirms only the account that proves it holds it. Signed in
// to that account, the page names it and confirms it; signed in to another, it refuses.
for (const javaScript of [true, false]) {
  test(`the confirmation link works while signed in to its own account only (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const email = uniqueEmail('rosa-confirm');
    const rosa = await newPage(browser, { javaScript, viewport: PHONE });
    await rosa.page.goto('/signup');
    await rosa.page.getByLabel('Name').fill('Rosa Confirm');
    await rosa.page.getByLabel('Email').fill(email);
    await rosa.page.getByLabel('Password').fill('a long enough password');
    await rosa.page.getByRole('button', { name: 'Sign up' }).click();
    await rosa.page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const confirm = await mailTo(email, /^Confirm your email for Handoff$/);
    assert.match(confirm.text, /account named Rosa C\./);
    assert.match(confirm.text, /This wasn't me/);
    const link = linkIn(confirm, '/verify/');

    // Someone else, signed in, opening the forwarded link cannot use it.
    const ana = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(ana.page, world.users.ana, { javaScript });
    await ana.page.goto(link);
    await ana.page.getByText(`You are logged in as ${world.users.ana}, and this link is for another account`).waitFor();
    assert.equal(await ana.page.getByRole('button', { name: 'Confirm my email' }).count(), 0);

    // Rosa logs in first (unconfirmed accounts may), then opens the link.
    await rosa.page.goto('/login');
    await rosa.page.getByLabel('Email').fill(email);
    await rosa.page.getByLabel('Password').fill('a long enough password');
    await rosa.page.getByRole('button', { name: 'Log in' }).click();
    await rosa.page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
    await rosa.page.goto(link);
    if (javaScript) await hydrated(rosa.page);
    await rosa.page.getByText(`This link confirms ${email} for the account named Rosa Confirm.`).waitFor();
    assert.equal(await rosa.page.getByLabel('Password').count(), 0, 'signed in: no password asked');
    await rosa.page.getByRole('button', { name: 'Confirm my email' }).click();
    await rosa.page.getByRole('heading', { name: 'Referrals For Me' }).waitFor();
    await rosa.page.goto('/');
    await rosa.page.getByRole('heading', { name: 'Welcome, Rosa Confirm' }).waitFor();
    assert.equal(await rosa.page.getByRole('heading', { name: 'Confirm your email' }).count(), 0);
    for (const p of [rosa, ana]) await p.context.close();
  });
}

test('a forgotten password is reset from the emailed link, once', async () => {
  const { context, page } = await newPage(browser, { javaScript: false, viewport: PHONE });
  const email = uniqueEmail('reset');
  await page.goto('/signup');
  await page.getByLabel('Name').fill('Remy Reset');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('the first password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByText('If that address has an account, we sent it a link.').waitFor();
  const mail = await mailTo(email, /^Set a new Handoff password$/);
  const link = linkIn(mail, '/reset/');
  await page.goto(link);
  await page.getByLabel('Password').fill('a brand new password');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await page.getByRole('heading', { name: 'Welcome, Remy Reset' }).waitFor();

  // Used once: the same link now says so.
  await page.goto(link);
  await page.getByText('This link has expired or was already used.').waitFor();
  await context.close();
});

// The account page: name, phone and language; a new password asks for the current one.
for (const javaScript of [true, false]) {
  test(`the account page changes the details and the password (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const email = uniqueEmail('acct');
    const { context, page } = await newPage(browser, { javaScript, viewport: PHONE });
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Ari Account');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ari Account' }).waitFor();

    await page.getByRole('link', { name: 'Ari Account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    if (javaScript) await hydrated(page);
    await page.getByLabel('Name').fill('Ari Renamed');
    await page.getByLabel('Phone (optional)').fill('555-400-1234');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.goto('/account');
    assert.equal(await page.getByLabel('Name').inputValue(), 'Ari Renamed');

    // The wrong current password is refused next to its field; the right one works.
    const passwordForm = page.locator('section[aria-labelledby="password"]');
    await passwordForm.getByLabel('Current password').fill('not my password');
    await passwordForm.getByLabel('New password').fill('a brand new password');
    await passwordForm.getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('That is not your current password.').waitFor();
    await page.locator('section[aria-labelledby="password"]').getByLabel('Current password').fill('a long enough password');
    await page.locator('section[aria-labelledby="password"]').getByLabel('New password').fill('a brand new password');
    await page.locator('section[aria-labelledby="password"]').getByRole('button', { name: 'Change the password' }).click();
    await page.getByText('Password changed.').waitFor();
    await mailTo(email, /^Your Handoff account was changed$/);
    await context.close();
  });
}
