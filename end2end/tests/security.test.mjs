// Issue 18: every page, for each kind of user, with JavaScript on, hydrates under its
// Content-Security-Policy without one refusal (`hydrated` checks), and carries the headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, seedWorld, cspViolations } from './helpers.mjs';

const world = await seedWorld('security');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const pages = {
  anonymous: ['/', '/login', '/signup', '/forgot', '/programs', `/programs/${world.programs.groceries}`, '/no-such-page'],
  dana: ['/', '/referrals', '/account', `/programs/${world.programs.groceries}/connect`],
  ana: ['/', '/referrals', '/people', '/groups', '/reports', `/programs/${world.programs.groceries}/connect`],
  carla: ['/', '/inbound', '/reports', `/programs/${world.programs.groceries}/edit`],
  admin: ['/admin', '/admin/exports', '/admin/audit', '/admin/groups', '/admin/organizations', '/admin/suggestions', '/reports'],
};

for (const [who, paths] of Object.entries(pages)) {
  test(`${who}: every page runs under its policy with no violation`, async () => {
    const { context, page } = await newPage(browser);
    if (who !== 'anonymous') await logIn(page, world.users[who]);
    for (const path of paths) {
      const response = await page.goto(path);
      const headers = response.headers();
      const policy = headers['content-security-policy'] ?? '';
      assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9_-]{16,}' 'wasm-unsafe-eval'/, `${path}: ${policy}`);
      assert.match(policy, /frame-ancestors 'none'/, path);
      assert.equal(headers['x-content-type-options'], 'nosniff', path);
      assert.equal(headers['referrer-policy'], 'same-origin', path);
      await hydrated(page);
      // Live updates connect and server functions answer after hydration: still nothing refused.
      await page.waitForTimeout(300);
      assert.deepEqual(await cspViolations(page), [], path);
    }
    await context.close();
  });
}

test('a page run in a frame elsewhere is refused', async () => {
  const { context, page } = await newPage(browser);
  const response = await page.goto('/login');
  assert.match(response.headers()['content-security-policy'], /frame-ancestors 'none'/);
  // A page of another origin (a data: URL) framing the site: the frame stays empty.
  await page.goto(`data:text/html,<iframe id="f" src="${new URL('/login', page.url()).href}"></iframe>`);
  await page.waitForTimeout(1000);
  const framed = page.frames().find((f) => f !== page.mainFrame());
  const text = framed ? await framed.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
  assert.ok(!/Log in/.test(text), `the login page rendered inside another site's frame: ${text}`);
  await context.close();
});

test('an inline script injected into a page does not run, and is reported', async () => {
  const { context, page } = await newPage(browser);
  await logIn(page, world.users.ana);
  await page.goto('/referrals');
  await hydrated(page);
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.appendChild(s);
    const handler = document.createElement('img');
    handler.setAttribute('src', 'data:,x');
    handler.setAttribute('onerror', 'window.__handler = true');
    document.body.appendChild(handler);
  });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__injected), undefined, 'the injected script ran');
  assert.equal(await page.evaluate(() => window.__handler), undefined, 'the event handler ran');
  const refused = await cspViolations(page);
  assert.ok(refused.some((v) => v.startsWith('script-src')), `reported: ${refused}`);
  await context.close();
});

for (const javaScript of [true, false]) {
  test(`the site administrator finds their own login in the audit log (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const { context, page } = await newPage(browser, { javaScript });
    await logIn(page, world.users.admin, { javaScript });
    await page.goto('/admin/audit');
    if (javaScript) await hydrated(page);
    await page.getByLabel('Event').selectOption('logged_in');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/event=logged_in/);
    const rows = page.locator('table.report-table tbody tr');
    await rows.first().waitFor();
    assert.match(await rows.first().innerText(), new RegExp(`logged_in[\\s\\S]*${world.users.admin.replace(/[.+]/g, '\\$&')}`));
    // A person given by name instead of number: the error is next to the field.
    await page.getByLabel(/^Account number/).fill('carla');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#audit-person-error', { hasText: 'Enter a number' }).waitFor();
    assert.equal(await page.getByLabel(/^Account number/).getAttribute('aria-invalid'), 'true');
    await context.close();
  });
}
