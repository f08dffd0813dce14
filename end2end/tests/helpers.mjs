// Shared browser-test helpers: launch Debian's chromium, make contexts, wait for hydration.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const BASE_URL = process.env.HANDOFF_E2E_URL ?? 'http://127.0.0.1:3000';

// Flags from this machine's notes: without the background-networking ones Chromium keeps
// dialling Google's hosts, which this closed network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

/// A fresh browser context and page. `locale` sets the browser's language (and with it the
/// Accept-Language header the server negotiates from).
export async function newPage(browser, { javaScript = true, viewport = DESKTOP, locale = 'en-US', baseURL = BASE_URL } = {}) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: javaScript, viewport, locale });
  // Every Content-Security-Policy violation on any page, for `hydrated` to check.
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const page = await context.newPage();
  return { context, page };
}

/// What the page's Content-Security-Policy refused so far (empty with JavaScript off).
export async function cspViolations(page) {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/// Resolves once the page is ready to be used with JavaScript on: once the WASM has
/// hydrated its islands (the app sets this marker), or at once on a page that loads no WASM
/// (pages for visitors who are not signed in are complete as HTML).
export async function hydrated(page) {
  await page.waitForFunction(
    () => document.documentElement.dataset.hydrated === 'true'
      || !document.querySelector('link[rel="modulepreload"], script[type="module"]'),
    null,
    { timeout: 15000 },
  );
  // Every page a test waits on with JavaScript on runs under its policy without a refusal.
  const refused = await cspViolations(page);
  assert.deepEqual(refused, [], `Content-Security-Policy violations on ${page.url()}`);
}

/// Whether the page loads the WASM at all.
export async function loadsWasm(page) {
  return page.evaluate(() => !!document.querySelector('link[rel="modulepreload"], script[type="module"]'));
}

export function uniqueEmail(tag) {
  return `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

// Mail the server sent to the loopback SMTP server (scripts/smtp_sink.py logs each one as a
// JSON line). Waits for a message to `address` whose subject matches `subject`.
import { readFile } from 'node:fs/promises';
export const MAIL_LOG = process.env.HANDOFF_E2E_MAIL_LOG;

export async function mailTo(address, subject, { timeout = 15000 } = {}) {
  assert.ok(MAIL_LOG, 'HANDOFF_E2E_MAIL_LOG is not set: run the browser tests through ./scripts/test');
  const deadline = Date.now() + timeout;
  for (;;) {
    const log = await readFile(MAIL_LOG, 'utf8').catch(() => '');
    const found = log.split('\n').filter(Boolean).map((l) => JSON.parse(l))
      .find((m) => m.rcpt_tos.includes(address) && subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no email to ${address} matching ${subject} within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/// The first link in a message's text whose path starts with `prefix` (as a path, for page.goto).
export function linkIn(message, prefix) {
  const url = message.text.split(/\s+/).find((w) => w.includes(prefix));
  assert.ok(url, `no ${prefix} link in: ${message.text}`);
  return new URL(url).pathname;
}

export const DEMO_PASSWORD = 'handoff-demo-2026';

// Each test file seeds its own copy of the demo world (`handoff demo-world`): the demo's
// people, programs and referrals, with email addresses of its own. The server under test
// starts with an empty database, so no test can lean on what another test changed.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
let worldsSeeded = 0;

/// Seeds a world and returns what it holds: `users` (each demo login's email),
/// `programs`, `persons` and `referrals` (ids), `group` (id), `password`.
export async function seedWorld(name) {
  const bin = process.env.HANDOFF_E2E_SERVER_BIN;
  assert.ok(bin, 'HANDOFF_E2E_SERVER_BIN is not set: run the browser tests through ./scripts/test');
  worldsSeeded += 1;
  const tag = `${name.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}${process.pid}${worldsSeeded}`;
  const { stdout } = await promisify(execFile)(bin, ['demo-world', '--tag', tag], {
    env: {
      ...process.env,
      DATABASE_URL: process.env.HANDOFF_E2E_DATABASE_URL,
      HANDOFF_DATA_DIR: process.env.HANDOFF_E2E_DATA_DIR,
      HANDOFF_DEMO: '1',
      RUST_LOG: 'warn',
    },
  });
  return JSON.parse(stdout);
}

/// Logs a demo account in through the login form (waiting for hydration when JavaScript is on).
export async function logIn(page, email, { javaScript = true } = {}) {
  await page.goto('/login');
  if (javaScript) await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}
