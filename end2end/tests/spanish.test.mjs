// A seeker whose phone is set to Spanish: the pages, the form errors and the emails are in
// Spanish from the first visit, without choosing anything; the switch on the page turns it
// all to English (the account keeps the choice, so later emails are in English too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, hydrated, logIn, mailTo, linkIn, PHONE, DESKTOP, seedWorld } from './helpers.mjs';

const world = await seedWorld('spanish');
const groceries = `/programs/${world.programs.groceries}`;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function pageLanguage(page) {
  return page.evaluate(() => document.documentElement.lang);
}

for (const javaScript of [true, false]) {
  test(`Spanish for a Spanish browser, English after the switch (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    const tag = `${Date.now() % 1000000}${javaScript ? 'j' : 'n'}`;
    const first = `Lucía${tag}`;
    const address = `lucia-${tag}@example.org`;
    const ready = async (page) => { if (javaScript) await hydrated(page); };

    const seeker = await newPage(browser, { javaScript, viewport: PHONE, locale: 'es-MX' });
    const page = seeker.page;

    // A program's page and its Connect form, in Spanish.
    await page.goto(groceries);
    await ready(page);
    assert.equal(await pageLanguage(page), 'es');
    await page.getByRole('link', { name: 'Buscar ayuda' }).waitFor();
    await page.getByRole('link', { name: 'Conectar' }).click();
    await page.getByRole('heading', { name: 'Conectar con Weekly Groceries' }).waitFor();
    await ready(page);

    // Errors come back next to their fields, in Spanish.
    await page.getByRole('button', { name: 'Enviar referencia' }).click();
    await page.locator('#field-first_name-error', { hasText: 'Escriba un nombre.' }).waitFor();
    await page.locator('#consent-error', { hasText: 'Marque la casilla' }).waitFor();

    await page.getByLabel('Nombre', { exact: true }).fill(first);
    await page.getByLabel('Apellido').fill('Prueba');
    await page.getByLabel('Correo electrónico').fill(address);
    await page.getByLabel('Mejor forma de comunicarse').selectOption('email');
    assert.equal(await page.getByLabel('Idioma preferido').inputValue(), 'es');
    await page.getByLabel('La persona está de acuerdo').check();
    await page.getByRole('button', { name: 'Enviar referencia' }).click();
    await page.getByRole('heading', { name: 'Referencia enviada' }).waitFor();

    // The confirmation email is in Spanish, text and HTML.
    const sent = await mailTo(address, /^Enviamos su solicitud a Weekly Groceries$/);
    assert.match(sent.text, /El programa se comunicará con usted/);
    assert.match(sent.html, /<html lang="es">/);

    // Sign up (the account takes the page's language), confirm from the Spanish email.
    await page.goto('/signup');
    await ready(page);
    await page.getByRole('heading', { name: 'Crear cuenta' }).waitFor();
    await page.getByLabel('Nombre').fill(`${first} Prueba`);
    await page.getByLabel('Correo electrónico').fill(address);
    await page.getByLabel('Contraseña').fill('corta');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await page.locator('#field-password-error', { hasText: 'Use por lo menos 10 caracteres.' }).waitFor();
    await page.getByLabel('Contraseña').fill('una contraseña bastante larga');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await page.getByRole('heading', { name: 'Revise su correo' }).waitFor();
    const confirm = await mailTo(address, /^Confirme su correo para Handoff$/);
    await page.goto(linkIn(confirm, '/verify/'));
    await ready(page);
    // Not signed in on this browser: the link asks for the account's password.
    await page.getByLabel('Contraseña').fill('una contraseña bastante larga');
    await page.getByRole('button', { name: 'Iniciar sesión y confirmar' }).click();
    await page.getByRole('heading', { name: 'Mis referencias' }).waitFor();
    const mine = page.locator('article.referral').filter({ hasText: 'Weekly Groceries' });
    await mine.locator('.badge', { hasText: 'Sin actualizar' }).waitFor();
    assert.equal(await pageLanguage(page), 'es');

    // The switch: the same page in English, and it stays English on the next page.
    await ready(page);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Referrals For Me' }).waitFor();
    assert.equal(await pageLanguage(page), 'en');
    await page.locator('article.referral .badge', { hasText: 'Not updated' }).waitFor();
    await page.goto('/programs');
    await ready(page);
    await page.getByRole('heading', { name: 'Find help' }).waitFor();

    // The program asks something of the seeker: the email follows the account, now English.
    const staff = await newPage(browser, { viewport: DESKTOP });
    await logIn(staff.page, world.users.carla);
    await staff.page.goto('/inbound');
    await hydrated(staff.page);
    const card = staff.page.locator('article.referral')
      .filter({ has: staff.page.getByRole('heading', { name: `${first} Prueba` }) });
    await card.getByLabel('Status').selectOption('needs_client_action');
    await card.getByRole('button', { name: 'Update status' }).click();
    await card.locator('.badge', { hasText: 'Needs client action' }).waitFor();
    const update = await mailTo(address, /^Weekly Groceries: Needs client action$/);
    assert.match(update.text, /The program needs something from you/);

    for (const p of [seeker, staff]) await p.context.close();
  });
}
