// Accounts in a real browser, with JavaScript (the WASM loaded) and without: plain forms.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, uniqueEmail, PHONE, DESKTOP } from './helpers.mjs';

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
    await page.getByRole('heading', { name: 'Welcome, Rosa Diaz' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).first().waitFor();

    // Log back in; a wrong password first gets the one generic message.
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
  await page.getByLabel('Email').fill('ana@navigators.test');
  await page.getByLabel('Password').fill('handoff-demo-2026');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Welcome, Ana Pérez' }).waitFor();
  assert.match(await page.locator('.roles').innerText(), /helper/);
  await context.close();
});
