// Issue 15, item 3: a program's staff keep its listing current; a visitor suggests an edit
// that a site administrator accepts; the administrator reads the listing's history. With
// and without JavaScript, at phone size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, seedWorld, PHONE } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const world = await seedWorld('listings');
const groceries = `/programs/${world.programs.groceries}`;

for (const javaScript of [true, false]) {
  const label = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`staff edit their listing, and a bad value is shown by its field (${label})`, async () => {
    const { context, page } = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(page, world.users.carla, { javaScript });
    await page.goto(groceries);
    await page.getByRole('link', { name: 'Edit this listing' }).click();
    await page.getByRole('heading', { name: /Edit listing/ }).waitFor();
    if (javaScript) await hydrated(page);
    assert.equal(await page.getByLabel('Program name').count(), 0, 'staff do not rename');
    await page.getByLabel('Website').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const websiteError = page.locator('#field-url-error');
    await websiteError.getByText('starts with https://').waitFor();
    const hours = `Mon–Sat 8:00–18:00 (${label})`;
    await page.getByLabel('Website').fill('https://foodbank.example.org');
    await page.getByLabel('Hours').fill(hours);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. The listing is up to date.').waitFor();
    await page.goto(groceries);
    assert.match(await page.locator('main').innerText(), new RegExp(hours.replace(/[()]/g, '\\$&')));
    const noSideways = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noSideways, 'no sideways scrolling at 360 px');
    await context.close();
  });

  test(`a visitor suggests an edit and an administrator accepts it (${label})`, async () => {
    const phone = javaScript ? '555-201-3001' : '555-201-3002';
    const visitor = await newPage(browser, { javaScript, viewport: PHONE });
    await visitor.page.goto(groceries);
    await visitor.page.getByRole('link', { name: 'Suggest an edit' }).click();
    await visitor.page.getByRole('heading', { name: /Suggest an edit/ }).waitFor();
    if (javaScript) await hydrated(visitor.page);
    await visitor.page.getByRole('button', { name: 'Send suggestion' }).click();
    await visitor.page.getByText('Change at least one field').waitFor();
    await visitor.page.getByLabel('Phone').fill(phone);
    await visitor.page.getByLabel('What is wrong').fill('I called yesterday; this is the new number.');
    await visitor.page.getByRole('button', { name: 'Send suggestion' }).click();
    await visitor.page.getByText('A site administrator will review your suggestion.').waitFor();
    await visitor.context.close();

    const admin = await newPage(browser, { javaScript, viewport: PHONE });
    await logIn(admin.page, world.users.admin, { javaScript });
    await admin.page.goto('/admin/suggestions');
    if (javaScript) await hydrated(admin.page);
    const card = admin.page.locator('.card', { hasText: phone });
    await card.getByText('I called yesterday').waitFor();
    await card.getByRole('button', { name: 'Accept' }).click();
    await admin.page.locator('.card', { hasText: phone }).waitFor({ state: 'detached' });
    await admin.page.goto(groceries);
    assert.match(await admin.page.locator('main').innerText(), new RegExp(phone));
    await admin.page.getByRole('link', { name: 'Edit this listing' }).click();
    const history = admin.page.locator('.listing-history');
    await history.getByText('Suggested edit accepted').first().waitFor();
    assert.match(await history.innerText(), new RegExp(`Phone: .* → “${phone}”`));
    await admin.context.close();
  });
}
