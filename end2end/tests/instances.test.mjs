// More than one server process on one database. Each test starts its own extra instance of
// the real binary (same database, same data directory, same SMTP server) on another port:
// - on PostgreSQL, a change made through one instance reaches a dashboard open on another
//   within a second (LISTEN/NOTIFY);
// - on both backends, a dashboard whose server is killed shows that it is reconnecting, and
//   after the server comes back it shows every change made elsewhere meanwhile, without a
//   reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { launch, newPage, hydrated, logIn, DESKTOP, seedWorld } from './helpers.mjs';

const SERVER_BIN = process.env.HANDOFF_E2E_SERVER_BIN;
const DATABASE_URL = process.env.HANDOFF_E2E_DATABASE_URL;
const ON_POSTGRES = (DATABASE_URL ?? '').startsWith('postgres');
// The server reads Leptos.toml from its working directory: the repository's root.
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const world = await seedWorld('inst');
let browser;
before(async () => {
  assert.ok(SERVER_BIN && DATABASE_URL, 'HANDOFF_E2E_SERVER_BIN and HANDOFF_E2E_DATABASE_URL are not set: run through ./scripts/test');
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/// Starts another instance of the server on `port`; resolves once /healthz answers.
async function startInstance(port) {
  const child = spawn(SERVER_BIN, [], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL,
      HANDOFF_DATA_DIR: process.env.HANDOFF_E2E_DATA_DIR,
      SMTP_URL: process.env.HANDOFF_E2E_SMTP_URL ?? '',
      HANDOFF_DEMO: '0',
      LEPTOS_SITE_ROOT: process.env.HANDOFF_E2E_SITE_ROOT,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_ENV: 'PROD',
      RUST_LOG: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i += 1) {
    if (child.exitCode !== null) throw new Error(`instance on ${port} exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`instance on ${port} did not answer /healthz`);
}

async function stopInstance(instance) {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGKILL');
  await exited;
}

/// Carla's Inbound Referrals on the given server, live.
async function inboundOn(baseURL) {
  const p = await newPage(browser, { viewport: DESKTOP, baseURL });
  await logIn(p.page, world.users.carla);
  await p.page.goto('/inbound');
  await hydrated(p.page);
  await p.page.waitForSelector('html[data-live="open"]', { timeout: 5000 });
  return p;
}

const byId = (page, id) => page.locator(`article.referral[data-referral="${id}"]`);

/// Sets referral `id` to a status it is not in now, on `page`; returns the new label.
async function changeStatus(page, id) {
  const card = byId(page, id);
  const current = (await card.locator('.badge').first().innerText()).trim();
  const [code, label] = current === 'Pending' ? ['eligible', 'Eligible'] : ['pending', 'Pending'];
  await card.getByLabel('Status').selectOption(code);
  await card.getByRole('button', { name: 'Update status' }).click();
  await card.locator('.badge', { hasText: label }).waitFor();
  return label;
}

test('a change made through one instance reaches a dashboard open on another (PostgreSQL)', { skip: !ON_POSTGRES && 'SQLite runs one instance: nothing to share' }, async () => {
  const other = await startInstance(await freePort());
  try {
    const here = await inboundOn(undefined);
    const there = await inboundOn(other.url);
    let navigations = 0;
    there.page.on('framenavigated', () => { navigations += 1; });
    const id = String(world.referrals.dana_groceries);
    const label = await changeStatus(here.page, id);
    await byId(there.page, id).locator('.badge', { hasText: label }).waitFor({ timeout: 1000 });
    assert.equal(navigations, 0, 'the other dashboard did not reload');
    for (const p of [here, there]) await p.context.close();
  } finally {
    await stopInstance(other);
  }
});

test('a dashboard whose server was down shows every change made meanwhile once it is back', async () => {
  const port = await freePort();
  let instance = await startInstance(port);
  try {
    const watcher = await inboundOn(instance.url);
    let navigations = 0;
    watcher.page.on('framenavigated', () => { navigations += 1; });
    // The world's two referrals to Carla's program: Dana's and Eli's.
    const ids = [world.referrals.dana_groceries, world.referrals.eli_groceries].map(String);
    for (const id of ids) await byId(watcher.page, id).waitFor();

    // The watcher's server dies; the page says so, politely.
    await stopInstance(instance);
    await watcher.page.waitForSelector('html[data-live="reconnecting"]', { timeout: 10000 });
    await watcher.page.locator('.live-status', { hasText: 'Live updates paused' }).waitFor();

    // Meanwhile two statuses change through the main server.
    const editor = await inboundOn(undefined);
    const labels = [];
    for (const id of ids) labels.push(await changeStatus(editor.page, id));

    // The server comes back on the same port: the page catches up by itself.
    instance = await startInstance(port);
    await watcher.page.waitForSelector('html[data-live="open"]', { timeout: 15000 });
    for (const [i, id] of ids.entries()) {
      await byId(watcher.page, id).locator('.badge', { hasText: labels[i] }).waitFor({ timeout: 5000 });
    }
    await watcher.page.locator('.live-status:empty').waitFor({ state: 'attached' });
    assert.equal(navigations, 0, 'the dashboard caught up without a reload');
    for (const p of [watcher, editor]) await p.context.close();
  } finally {
    await stopInstance(instance);
  }
});
