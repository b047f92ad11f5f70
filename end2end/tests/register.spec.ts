import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, expect, expectNoAxeViolations, uniqueText, commentForm, CONSULTATION } from './fixtures';

/** Decodes quoted-printable (soft line breaks and =XX bytes) as UTF-8. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Waits for a mail to `address` in the server's outbox and returns its decoded source. */
async function mailTo(address: string): Promise<string> {
  const dataDir = process.env.MITREDEN_DATA_DIR;
  if (!dataDir) throw new Error('MITREDEN_DATA_DIR is not set (run through scripts/e2e.sh)');
  const outbox = path.join(dataDir, 'outbox');
  let found = '';
  await expect
    .poll(
      () => {
        const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
        for (const f of files) {
          const raw = fs.readFileSync(path.join(outbox, f), 'utf8');
          if (new RegExp(`^To: ${address.replace(/[.+]/g, '\\$&')}\\s*$`, 'm').test(raw)) {
            found = decodeQuotedPrintable(raw);
            return true;
          }
        }
        return false;
      },
      { timeout: 10_000, message: `a mail to ${address}` },
    )
    .toBe(true);
  return found;
}

test('a resident registers, confirms the address from the e-mail, and comments', async ({ page, visit, js }) => {
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
