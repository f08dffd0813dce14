// Groups and claims in a real browser: an admin switches Team Navigation off and a
// team-mate loses sight of the team's referrals at once; a claim approved by the site
// administrator makes the claimant the program's staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, seedWorld } from './helpers.mjs';

const world = await seedWorld('teams');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('switching Team Navigation off hides team referrals at once, and on again restores them', async () => {
  const admin = await newPage(browser);
  const mate = await newPage(browser);
  await logIn(admin.page, world.users.ana);
  await logIn(mate.page, world.users.ben);

  await mate.page.goto('/people?name=Eli');
  await mate.page.getByRole('link', { name: 'Eli Moreno' }).waitFor();

  await admin.page.goto('/groups');
  await hydrated(admin.page);
  await admin.page.getByRole('button', { name: 'Turn Team Navigation off' }).click();
  await admin.page.getByRole('button', { name: 'Turn Team Navigation on' }).waitFor();

  await mate.page.goto('/people?name=Eli');
  await mate.page.getByText('Nobody here yet.').waitFor();
  const profile = await mate.page.request.post('/api/person_profile', { form: { person: String(world.persons.eli) } });
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
  await logIn(claimant.page, world.users.dana);
  await claimant.page.goto('/programs?q=utility');
  await claimant.page.locator(`a[href="/programs/${world.programs.utilities}"]`, { hasText: 'Utility Bill Assistance' }).click();
  await hydrated(claimant.page);
  await claimant.page.getByRole('button', { name: 'Claim this program' }).click();
  await claimant.page.getByRole('status').filter({ hasText: 'confirmation link' }).waitFor();

  const admin = await newPage(browser);
  await logIn(admin.page, world.users.admin);
  await admin.page.goto('/admin');
  await hydrated(admin.page);
  const claim = admin.page.locator('li.card').filter({ hasText: 'Utility Bill Assistance' }).filter({ hasText: world.users.dana });
  await claim.getByRole('button', { name: 'Approve' }).click();
  await claim.waitFor({ state: 'detached' });

  await claimant.page.goto('/inbound');
  await claimant.page.getByRole('heading', { name: 'Inbound Referrals' }).waitFor();
  assert.match(await claimant.page.getByLabel('Program').innerText(), /Utility Bill Assistance/);
  await claimant.context.close();
  await admin.context.close();
});
