import { test, expect, expectNoAxeViolations, totp, DEMO_PASSWORD as PASSWORD } from './fixtures';

test('a staff member sets up an authenticator app and signs in with it', async ({ page, visit }) => {
  test.slow(); // many pages, each checked with axe
  // One account per project: the setup changes it for good. No other test signs these two in
  // (signInStaff in fixtures.ts sets up and uses the initiator's and the instance admin's).
  const email =
    test.info().project.name === 'js' ? 'moderation@musterstadt.example' : 'moderation@kreis-beispiel.example';
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
