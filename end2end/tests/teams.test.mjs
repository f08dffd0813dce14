// Groups and claims in a real browser: an admin switches Team Navigation off and a
// team-mate loses sight of the team's referrals at once; a claim approved by the site
// administrator makes the claimant the program's staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('switching Team Navigation off hides team referrals at once, and on again restores them', async () => {
  const admin = await newPage(browser);
  const mate = await newPage(browser);
  await logIn(admin.page, 'ana@navigators.test');
  await logIn(mate.page, 'ben@navigators.test');

  await mate.page.goto('/people?name=Eli');
  await mate.page.getByRole('link', { name: 'Eli Moreno' }).waitFor();

  await admin.page.goto('/groups');
  await hydrated(admin.page);
  await admin.page.getByRole('button', { name: 'Turn Team Navigation off' }).click();
  await admin.page.getByRole('button', { name: 'Turn Team Navigation on' }).waitFor();

  await mate.page.goto('/people?name=Eli');
  await mate.page.getByText('Nobody here yet.').waitFor();
  const profile = await mate.page.request.post('/api/person_profile', { form: { person: '2' } });
  assert.equal(profile.status(), 404, 'a referral the user may not see answers 404');
  assert.match(await profile.text(), /NotFound/);

  await admin.page.getByRole('button', { name: 'Turn Team Navigation on' }).click();
  await admin.page.getByRole('button', { name: 'Turn Team Navigation off' }).waitFor();
  await mate.page.goto('/people?name=Eli');
  await mate.page.getByRole('link', { name: 'Eli Moreno' }).waitFor();
  await admin.context.close();
  await mate.context.close();
});

test('a claim approved by the site administrator makes the claimant staff', async () => {
  const claimant = await newPage(browser);
  await logIn(claimant.page, 'dana@example.test');
  await claimant.page.goto('/programs?q=utility');
  await claimant.page.getByRole('link', { name: 'Utility Bill Assistance' }).click();
  await hydrated(claimant.page);
  await claimant.page.getByRole('button', { name: 'Claim this program' }).click();
  await claimant.page.getByRole('status').filter({ hasText: 'confirmation link' }).waitFor();

  const admin = await newPage(browser);
  await logIn(admin.page, 'admin@handoff.test');
  await admin.page.goto('/admin');
  await hydrated(admin.page);
  const claim = admin.page.locator('li.card').filter({ hasText: 'Utility Bill Assistance' });
  await claim.getByRole('button', { name: 'Approve' }).click();
  await admin.page.locator('li.card').filter({ hasText: 'Utility Bill Assistance' }).waitFor({ state: 'detached' });

  await claimant.page.goto('/inbound');
  await claimant.page.getByRole('heading', { name: 'Inbound Referrals' }).waitFor();
  assert.match(await claimant.page.getByLabel('Program').innerText(), /Utility Bill Assistance/);
  await claimant.context.close();
  await admin.context.close();
});
