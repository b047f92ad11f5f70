import { test, expect, expectNoAxeViolations, uniqueText, commentForm, mailTo, CONSULTATION } from './fixtures';

test('a resident registers, confirms the address from the e-mail, and comments', async ({ page, visit, js }) => {
  test.slow(); // many pages, each checked with axe
  const id = uniqueText(test.info().project.name).replace(/\D/g, '').slice(-9);
  const email = `neu-${test.info().project.name}-${id}@example.org`;
  const name = `Neue Stimme ${id}`;

  await visit('/register');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Name (öffentlich sichtbar)').fill(name);
  await page.getByLabel('Passwort').fill('Lindenpark-Rutsche-2026');
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Fast geschafft!' })).toBeVisible();
  await expectNoAxeViolations(page, 'registered');

  const mail = await mailTo(email);
  expect(mail).toContain('multipart/alternative');
  const link = mail.match(/https?:\/\/[^\s"<>]+\/verify\?token=[0-9a-f]{64}/)?.[0];
  expect(link, 'confirmation link in the mail').toBeTruthy();
  const url = new URL(link!);
  await visit(url.pathname + url.search);
  await page.getByRole('button', { name: 'Adresse bestätigen' }).click();
  await expect(page.getByText(`Angemeldet als ${name}`)).toBeVisible();
  await expectNoAxeViolations(page, 'confirmed');

  await visit(CONSULTATION);
  const { body, submit } = commentForm(page);
  const text = uniqueText('Mein erster Beitrag');
  await body.fill(text);
  await submit.click();
  await expect(page.locator('ol.comments article').filter({ hasText: text })).toBeVisible();
  if (!js) await expectNoAxeViolations(page, 'commented');

  // The account page: a wrong password is refused next to the field, the right one deletes.
  await visit('/account');
  await expect(page.getByRole('link', { name: 'Meine Daten herunterladen (JSON)' })).toBeVisible();
  const deleteForm = page.locator('form#delete-account-form');
  await deleteForm.getByLabel('Bisheriges Passwort').fill('nicht-das-richtige');
  await deleteForm.getByRole('button', { name: 'Konto endgültig löschen' }).click();
  await expect(page.getByText('Das Passwort stimmt nicht.')).toBeVisible();
  await expectNoAxeViolations(page, 'account page with error');
  await page.locator('form#delete-account-form').getByLabel('Bisheriges Passwort').fill('Lindenpark-Rutsche-2026');
  await page.locator('form#delete-account-form').getByRole('button', { name: 'Konto endgültig löschen' }).click();
  await expect(page.getByRole('link', { name: 'Anmelden' })).toBeVisible();
  await visit(CONSULTATION);
  await expect(page.locator('ol.comments article').filter({ hasText: text })).toContainText('Gelöschtes Konto');
});

test('a registration with a weak password is refused and keeps the other fields', async ({ page, visit }) => {
  await visit('/register');
  await page.getByLabel('E-Mail-Adresse').fill('schwach@example.org');
  await page.getByLabel('Name (öffentlich sichtbar)').fill('Schwaches Passwort');
  await page.getByLabel('Passwort').fill('1234567890');
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page.getByText('Dieses Passwort ist zu leicht zu erraten')).toBeVisible();
  await expect(page.getByLabel('Passwort')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue('schwach@example.org');
  await expect(page.getByLabel('Name (öffentlich sichtbar)')).toHaveValue('Schwaches Passwort');
  await expectNoAxeViolations(page, 'weak password');
});

test('a resident changes the e-mail address through the link sent to the new one', async ({ page, visit }) => {
  test.slow(); // many pages, each checked with axe
  const id = uniqueText(test.info().project.name).replace(/\D/g, '').slice(-9);
  const before = `alt-${test.info().project.name}-${id}@example.org`;
  const after = `umgezogen-${test.info().project.name}-${id}@example.org`;
  const name = `Umzug ${id}`;
  const password = 'Lindenpark-Rutsche-2026';

  // A fresh account, confirmed and signed in.
  await visit('/register');
  await page.getByLabel('E-Mail-Adresse').fill(before);
  await page.getByLabel('Name (öffentlich sichtbar)').fill(name);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Fast geschafft!' })).toBeVisible();
  const verify = (await mailTo(before)).match(/https?:\/\/[^\s"<>]+\/verify\?token=[0-9a-f]{64}/)?.[0];
  expect(verify, 'confirmation link in the mail').toBeTruthy();
  const verifyUrl = new URL(verify!);
  await visit(verifyUrl.pathname + verifyUrl.search);
  await page.getByRole('button', { name: 'Adresse bestätigen' }).click();
  await expect(page.getByText(`Angemeldet als ${name}`)).toBeVisible();

  // The request: a wrong password is refused next to the field, the right one sends the link.
  await visit('/account');
  const form = page.locator('form#change-email-form');
  await form.getByLabel('Neue E-Mail-Adresse').fill(after);
  await form.getByLabel('Bisheriges Passwort').fill('nicht-das-richtige');
  await form.getByRole('button', { name: 'Bestätigungslink schicken' }).click();
  await expect(page.getByText('Das Passwort stimmt nicht.')).toBeVisible();
  await expect(page.locator('form#change-email-form').getByLabel('Neue E-Mail-Adresse')).toHaveValue(after);
  await expectNoAxeViolations(page, 'e-mail change with error');
  await page.locator('form#change-email-form').getByLabel('Bisheriges Passwort').fill(password);
  await page.locator('form#change-email-form').getByRole('button', { name: 'Bestätigungslink schicken' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `Wir haben einen Bestätigungslink an ${after} geschickt.` }),
  ).toBeVisible();
  await expectNoAxeViolations(page, 'e-mail change requested');

  // The link from the mail to the new address: a page with one button.
  const link = (await mailTo(after)).match(/https?:\/\/[^\s"<>]+\/account\/email\?token=[0-9a-f]{64}/)?.[0];
  expect(link, 'change link in the mail').toBeTruthy();
  const url = new URL(link!);
  await visit(url.pathname + url.search);
  await page.getByRole('button', { name: 'Neue Adresse bestätigen' }).click();
  await expect(page).toHaveURL(/\/account\?email_changed=1$/);
  await expect(page.getByRole('status').filter({ hasText: 'Ihre E-Mail-Adresse wurde geändert.' })).toBeVisible();
  await expect(page.getByText(`Angemeldet als ${name} (${after})`)).toBeVisible();
  await expectNoAxeViolations(page, 'e-mail changed');

  // The old address is told.
  const notice = await mailTo(before, 'Ihre E-Mail-Adresse bei Mitreden wurde ge');
  expect(notice).toContain(after);
});
