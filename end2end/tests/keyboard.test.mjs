// Keyboard only: a helper logs in, refers someone new and changes the referral's status
// without touching the mouse (Tab to move, typing, Space and Enter to act).
import { test, before, after } from 'node:test';
import { launch, newPage, hydrated, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('keys');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// Presses Tab until the focused control's label (or text) starts with `name`.
async function tabTo(page, name, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      const byLabel = el.labels && el.labels.length ? el.labels[0].innerText : '';
      return (el.getAttribute('aria-label') || byLabel || el.innerText || '').trim();
    });
    if (label.startsWith(name)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

test('a helper refers someone and changes a status with the keyboard alone', async () => {
  const { context, page } = await newPage(browser, { viewport: DESKTOP });
  const first = `Kay${Date.now() % 100000}`;
  await page.goto('/login');
  await hydrated(page);
  await tabTo(page, 'Email');
  await page.keyboard.type(world.users.ben);
  await tabTo(page, 'Password');
  await page.keyboard.type('handoff-demo-2026');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Log out' }).waitFor();

  await page.goto(`${groceries}/connect`);
  await hydrated(page);
  await tabTo(page, 'First name');
  await page.keyboard.type(first);
  await tabTo(page, 'Last name');
  await page.keyboard.type('Example');
  await tabTo(page, 'Email');
  await page.keyboard.type(`${first.toLowerCase()}@example.org`);
  await tabTo(page, 'Comments');
  await page.keyboard.type('Prefers mornings.');
  await tabTo(page, 'The person agrees');
  await page.keyboard.press('Space');
  await tabTo(page, 'Send referral');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: `${first} Example` }).waitFor();
  await hydrated(page);

  await tabTo(page, 'Status');
  await page.keyboard.type('Pending');
  await tabTo(page, 'Update status');
  await page.keyboard.press('Enter');
  await page.locator('article.referral .badge', { hasText: 'Pending' }).first().waitFor();
  await context.close();
});
