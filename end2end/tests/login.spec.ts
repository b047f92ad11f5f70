import { test, expect, expectNoAxeViolations, DEMO_PASSWORD as PASSWORD } from './fixtures';

test('a resident signs in, is greeted by name and signs out', async ({ page, visit }) => {
  await visit('/musterstadt');
  await page.getByRole('link', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/login\?next=\/musterstadt$/);
  await expectNoAxeViolations(page, 'login page');
  await page.getByLabel('E-Mail-Adresse').fill('anna@example.org');
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page).toHaveURL(/\/musterstadt$/);
  await expect(page.getByText('Angemeldet als Anna')).toBeVisible();
  await expectNoAxeViolations(page, 'signed in');
  await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
  await expect(page.getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await expect(page.getByText('Angemeldet als Anna')).toHaveCount(0);
});

test('a wrong password is refused with one message and the e-mail is kept', async ({ page, visit, js }) => {
  await visit('/login');
  // Not Anna: failed logins slow an account down (from the third on), and other tests sign Anna
  // in. two-factor.spec.ts signs this account in after at most two failures (one per project).
  await page.getByLabel('E-Mail-Adresse').fill('moderation@kreis-beispiel.example');
  await page.getByLabel('Passwort').fill('das-ist-falsch-123');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toContainText('E-Mail-Adresse oder Passwort ist falsch.');
  await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('moderation@kreis-beispiel.example');
  // Without JavaScript the page is new and the password is never sent back.
  if (!js) await expect(page.getByLabel('Passwort')).toHaveValue('');
  await expectNoAxeViolations(page, 'login error');
});
