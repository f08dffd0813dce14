// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on every page, as each role, at phone and
// desktop size, in English and Spanish, with the WASM hydrated; at phone size, also no sideways scrolling. Any
// violation fails, listed with its elements.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { launch, newPage, hydrated, logIn, seedWorld, BASE_URL, PHONE, DESKTOP } from './helpers.mjs';

// Run through the browser's developer protocol, as a tester's console would: the page's
// Content-Security-Policy rightly refuses an injected script tag.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const world = await seedWorld('a11y');
const groceries = `/programs/${world.programs.groceries}`;
const PAGES = {
  anonymous: ['/', '/login', '/signup', '/programs', '/programs?q=food', groceries, `${groceries}/connect`,
    '/r/1.s.1.00', '/verify/not-a-token', '/claims/not-a-token', '/no-such-page',
    '/signup/sent', '/forgot', '/reset/not-a-token', '/invitations/not-a-token', `${groceries}/suggest`],
  [world.users.dana]: ['/referrals', '/account'],
  [world.users.ana]: ['/people', '/groups', `${groceries}/connect`],
  [world.users.carla]: ['/inbound', groceries, `${groceries}/edit`, '/reports'],
  [world.users.admin]: ['/admin', '/admin/groups', '/admin/organizations', '/admin/suggestions', `${groceries}/edit`, '/reports', '/admin/exports', '/admin/audit', '/admin/audit?person=x&event=logged_in'],
};

async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n      ')}`);
  });
}

for (const lang of ['en', 'es']) for (const viewport of [PHONE, DESKTOP]) {
  for (const [who, paths] of Object.entries(PAGES)) {
    test(`no axe violations or sideways scroll for ${who} at ${viewport.width}px in ${lang}`, async () => {
      // Anonymous visitors get Spanish from the browser's language. The demo accounts are
      // English, so a signed-in browser gets the switch's cookie instead (which leaves the
      // accounts, and the other tests that use them, alone).
      const anonymous = who === 'anonymous';
      const locale = anonymous && lang === 'es' ? 'es-ES' : 'en-US';
      const { context, page } = await newPage(browser, { viewport, locale });
      if (!anonymous) {
        await logIn(page, who);
        await context.addCookies([{ name: 'handoff_lang', value: lang, url: BASE_URL }]);
      }
      const found = [];
      const extra = [];
      for (const path of paths) {
        await page.goto(path);
        await hydrated(page);
        const shown = await page.evaluate(() => document.documentElement.lang);
        if (shown !== lang) found.push(`${path}: page is in ${shown}, not ${lang}`);
        for (const v of await violations(page)) found.push(`${path}: ${v}`);
        if (viewport === PHONE) {
          // Phone-first: nothing scrolls sideways at 360 px.
          const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
          if (scroll > width) found.push(`${path}: scrolls sideways (${scroll}px wide at ${width}px)`);
        }
        // Follow into a person's profile from People I'm Helping.
        if (path === '/people') {
          await page.getByRole('link', { name: 'Dana Lee' }).click();
          await page.getByRole('heading', { name: 'Dana Lee' }).waitFor();
          await hydrated(page);
          for (const v of await violations(page)) extra.push(`/people/…: ${v}`);
        }
      }
      assert.deepEqual([...found, ...extra], [], `axe violations:\n${[...found, ...extra].join('\n')}`);
      await context.close();
    });
  }
}
