// Reports: program staff read their program's figures at 360 px and 1280 px (axe runs on
// the page in accessibility.test.mjs) and download the rows behind them as CSV, where a
// don't-reach-out seeker's details never appear.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, newPage, hydrated, logIn, seedWorld, PHONE, DESKTOP } from './helpers.mjs';

const world = await seedWorld('reports');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const viewport of [PHONE, DESKTOP]) {
  test(`program staff read the figures and download the rows as CSV at ${viewport.width}px`, async () => {
    const { context, page } = await newPage(browser, { viewport });
    await logIn(page, world.users.carla);
    await page.goto('/reports');
    await hydrated(page);
    await page.getByRole('heading', { name: 'Figures' }).waitFor();
    // The food bank's two demo referrals (Dana's, Eli's).
    const made = page.locator('.figure').filter({ has: page.locator('dt', { hasText: /^Referrals made$/ }) });
    assert.match(await made.locator('.value').innerText(), /^2$/);
    assert.match(await made.locator('.definition').innerText(), /created in the chosen dates/);
    const charts = await page.locator('svg.bar-chart title').allTextContents();
    assert.deepEqual(charts, ['Referrals made per week', 'Referrals by status group now']);
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      'nothing wider than the screen',
    );

    await page.getByLabel('The referrals behind them, one row each').check();
    await page.getByLabel('Include contact details').check();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^handoff-rows_with_contact-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'referral_id,created_at,program,organization,referred_by,status,status_group,first_response_at,seeker,contact_email,contact_phone');
    assert.equal(lines.length, 3, csv);
    const eli = lines.find((l) => l.includes('Eli Moreno'));
    const dana = lines.find((l) => l.includes('Dana Lee'));
    assert.ok(eli.endsWith(',,'), `don't reach out: no details in ${eli}`);
    assert.ok(dana.includes(world.users.dana), dana);
    await context.close();
  });
}

test('the site administrator reads the network\'s top programs at 360px and narrows the report to one', async () => {
  const { context, page } = await newPage(browser, { viewport: PHONE });
  await logIn(page, world.users.admin);
  await page.goto('/reports');
  await hydrated(page);
  await page.getByRole('heading', { name: 'Top programs and categories' }).waitFor();
  const charts = await page.locator('svg.bar-chart title').allTextContents();
  assert.ok(charts.includes('Programs that received the most referrals'), charts.join(' | '));
  const all = Number(await page.locator('.figure').filter({ has: page.locator('dt', { hasText: /^Referrals made$/ }) }).locator('.value').innerText());
  const table = page.getByRole('table', { name: 'Programs that received the most referrals' });
  const first = table.locator('tbody tr').first();
  const received = Number(await first.locator('td').first().innerText());
  assert.ok(received > 0 && received <= all, `${received} of ${all}`);
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    'nothing wider than the screen',
  );
  const name = await first.getByRole('link').innerText();
  await first.getByRole('link').click();
  await page.waitForURL(/program=\d+/);
  await page.getByRole('heading', { name: 'Figures' }).waitFor();
  const narrowed = page.locator('.figure').filter({ has: page.locator('dt', { hasText: /^Referrals made$/ }) }).locator('.value');
  assert.equal(Number(await narrowed.innerText()), received, 'the program alone');
  // The program filter shows the program chosen.
  const chosen = await page.getByLabel('Program', { exact: true }).evaluate((s) => s.options[s.selectedIndex].text);
  assert.equal(chosen, name);
  await context.close();
});
