import { createHmac } from 'node:crypto';
import { test, expect, expectNoAxeViolations } from './fixtures';

const PASSWORD = process.env.MITREDEN_DEMO_PASSWORD ?? 'demo-passwort-2026';

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 code for the current 30-second step plus `offset` steps. */
function totp(secret: string, offset = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = hash[19] & 0x0f;
  const n = ((hash[o] & 0x7f) << 24) | (hash[o + 1] << 16) | (hash[o + 2] << 8) | hash[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

test('a staff member sets up an authenticator app and signs in with it', async ({ page, visit }) => {
  // One account per project: the setup changes it for good.
  const email = test.info().project.name === 'js' ? 'redaktion@musterstadt.example' : 'admin@example.org';
  await visit('/login');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('link', { name: 'Mein Konto' })).toBeVisible();

  await visit('/account');
  await expect(page.getByText('ist die Zwei-Faktor-Anmeldung Pflicht')).toBeVisible();
  await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
  const secret = (await page.locator('code.secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole('img', { name: 'QR-Code zum Einrichten der Authenticator-App' })).toBeVisible();
  await expectNoAxeViolations(page, 'two-factor setup');
  await page.getByLabel('Code', { exact: true }).fill('000000');
  await page.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
  await expect(page.getByText('Der Code stimmt nicht')).toBeVisible();
  await page.getByLabel('Code', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
  await expect(page.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' })).toBeVisible();
  await expect(page.locator('ul.recovery-codes li')).toHaveCount(10);
  await expectNoAxeViolations(page, 'recovery codes');

  await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await visit('/login');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/login\/2fa/);
  await expect(page.getByRole('heading', { name: 'Anmeldung bestätigen' })).toBeVisible();
  await expectNoAxeViolations(page, 'second factor');
  // The setup code is used up; the next step's code is valid.
  await page.getByLabel('Code', { exact: true }).fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Bestätigen' }).click();
  await expect(page.getByRole('link', { name: 'Mein Konto' })).toBeVisible();
  await visit('/account');
  await expect(page.getByText('Die Zwei-Faktor-Anmeldung ist eingerichtet.')).toBeVisible();
});
