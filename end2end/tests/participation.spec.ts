// Taking part under the rules that need no password: a sign-in link by e-mail, and printed
// one-time access codes that an initiator makes in the staff area.
import {
  test,
  expect,
  commentForm,
  expectFieldError,
  expectNoAxeViolations,
  mailTo,
  signInStaff,
  uniqueId,
  uniqueText,
  visitPage,
  waitForHydration,
  CODE_CONSULTATION,
  CODE_CONSULTATION_TITLE,
  PREMODERATED,
  settled,
} from './fixtures';
import type { Page } from '@playwright/test';

const PENDING = 'Vielen Dank! Ihr Beitrag wird nach einer Prüfung durch die Moderation veröffentlicht.';
const PUBLISHED = 'Vielen Dank! Ihr Beitrag wurde veröffentlicht.';
const UNKNOWN_CODE = 'Dieser Zugangscode ist ungültig oder wurde bereits eingelöst.';

test('with the e-mail rule a new address signs in by link and comments, pre-moderated', async ({ page, visit, js, freshPage }) => {
  test.slow(); // many pages, each checked with axe
  const id = uniqueId();
  const email = `link-${test.info().project.name}-${id}@example.org`;
  const name = `Pendlerin ${id}`;

  await visit(PREMODERATED);
  const participate = page.locator('section#participate');
  await expect(participate.getByRole('heading', { name: 'Mitmachen' })).toBeVisible();
  await expect(page.locator('form#comment-form')).toHaveCount(0);
  const form = participate.locator('form#sign-in-link-form');
  await form.getByLabel('E-Mail-Adresse').fill(email);
  await form.getByLabel('Name (öffentlich sichtbar)').fill(name);
  await form.getByRole('button', { name: 'Anmeldelink schicken' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Wir haben Ihnen einen Anmeldelink geschickt.' })).toBeVisible();
  await expectNoAxeViolations(page, 'sign-in link sent');

  // The mail's link opens a page with one button (mail scanners that follow links use nothing up).
  const mail = await mailTo(email);
  const link = mail.match(/https?:\/\/[^\s"<>]+\/login\/link\?token=[^\s"<>&]+&next=[^\s"<>&]+/)?.[0];
  expect(link, 'sign-in link in the mail').toBeTruthy();
  const url = new URL(link!);
  expect(url.searchParams.get('next')).toBe(PREMODERATED);
  await visit(url.pathname + url.search);
  const signInForm = page.locator('form#link-sign-in-form');
  await expect(signInForm.getByRole('button')).toHaveCount(1);
  await signInForm.getByRole('button', { name: 'Jetzt anmelden' }).click();

  // Back on the consultation, signed in under the name given, with the comment form.
  await expect(page).toHaveURL(new RegExp(`${PREMODERATED}(#.*)?$`));
  const { form: comment, body, submit } = commentForm(page);
  await settled(page, js, comment, 'signed in by link');
  await expect(page.getByText(`Angemeldet als ${name}`)).toBeVisible();
  await expect(page.locator('section#participate')).toHaveCount(0);
  await expect(comment.getByText(`Sie schreiben als ${name}.`)).toBeVisible();

  const text = uniqueText(`Ein Nachtbus nach Musterstadt (${test.info().project.name})`);
  await body.fill(text);
  await submit.click();
  await expect(page.getByRole('status').filter({ hasText: PENDING })).toBeVisible();
  // Pre-moderated: the author sees it marked as awaiting review; nobody else sees it until the
  // moderation publishes it.
  await visit(PREMODERATED);
  const own = page.locator('ol.comments article').filter({ hasText: text });
  await expect(own).toHaveCount(1);
  await expect(own).toContainText('Wartet auf Prüfung');
  await expectNoAxeViolations(page, 'comment awaiting moderation');
  const other = await freshPage();
  await visitPage(other, PREMODERATED);
  await expect(other.locator('ol.comments article').filter({ hasText: text })).toHaveCount(0);
});

test('an initiator makes access codes; each works once, for a visitor without an account', async ({ page, visit, js, freshPage }) => {
  test.slow();
  const id = uniqueId();

  // The initiator (two-factor sign-in) goes to the consultation's access codes.
  await signInStaff(page, 'redaktion@musterstadt.example');
  await visit('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Verwaltung' }).click();
  await expect(page).toHaveURL(/\/manage$/);
  await settled(page, js, page.getByRole('heading', { name: 'Ihre Organisationen' }), 'staff area');
  await page.getByRole('link', { name: 'Stadt Musterstadt' }).click();
  await expect(page).toHaveURL(/\/manage\/musterstadt$/);
  await settled(page, js, page.getByRole('heading', { name: 'Stadt Musterstadt', level: 1 }), 'organisation page');
  const row = page.getByRole('row').filter({ hasText: CODE_CONSULTATION_TITLE });
  await row.getByRole('link', { name: 'Zugangscodes' }).click();
  await expect(page).toHaveURL(new RegExp(`/manage${CODE_CONSULTATION}/codes$`));
  await settled(page, js, page.getByRole('heading', { name: 'Zugangscodes', level: 1 }), 'access codes page');
  await expect(page.getByText(CODE_CONSULTATION_TITLE)).toBeVisible();

  const codesForm = page.locator('form#access-codes-form');
  await codesForm.getByLabel('Anzahl neuer Codes').fill('2');
  await codesForm.getByRole('button', { name: 'Codes erstellen' }).click();
  const cards = page.locator('code.access-code');
  await expect(cards).toHaveCount(2);
  const codes = (await cards.allTextContents()).map((c) => c.trim());
  for (const code of codes) expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  expect(codes[0]).not.toBe(codes[1]);
  await expectNoAxeViolations(page, 'fresh access codes');

  if (js) {
    // Signed out meanwhile (say, in another tab): the refusal is shown, not swallowed.
    // (Without JavaScript the server answers such a post with a bare error document for now.)
    await page.context().clearCookies();
    await page.locator('form#access-codes-form').getByLabel('Anzahl neuer Codes').fill('1');
    await page.locator('form#access-codes-form').getByRole('button', { name: 'Codes erstellen' }).click();
    await expect(page.locator('form#access-codes-form').getByRole('alert')).toHaveText('Bitte melden Sie sich an.');
    await expectNoAxeViolations(page, 'signed out meanwhile');
  }

  // A resident of the street, not signed in: redeems a code under a name of their choice.
  const resident = await freshPage();
  const name = `Anwohnerin ${id}`;
  await visitPage(resident, CODE_CONSULTATION);
  await expect(resident.locator('form#comment-form')).toHaveCount(0);
  const redeem = resident.locator('section#participate form#access-code-form');
  await redeem.getByLabel('Zugangscode').fill(codes[0].toLowerCase());
  await redeem.getByLabel('Name (öffentlich sichtbar)').fill(name);
  await redeem.getByRole('button', { name: 'Code einlösen' }).click();
  const { form: comment, body, submit } = commentForm(resident);
  await settled(resident, js, comment, 'access code redeemed');
  await expect(resident.locator('section#participate')).toHaveCount(0);
  await expect(comment.getByText(`Sie schreiben als ${name}.`)).toBeVisible();
  const text = uniqueText(`Spielstraße ja, aber mit Parkplätzen (${test.info().project.name})`);
  await body.fill(text);
  await submit.click();
  await expect(resident.getByRole('status').filter({ hasText: PUBLISHED })).toBeVisible();
  const posted = resident.locator('ol.comments article').filter({ hasText: text });
  await expect(posted).toBeVisible();
  await expect(posted.locator('.author')).toHaveText(name);
  await expectNoAxeViolations(resident, 'commented with an access code');

  // Someone else with the same code: refused at the field, the typed values kept.
  const other = await freshPage();
  await visitPage(other, CODE_CONSULTATION);
  const again = other.locator('form#access-code-form');
  await again.getByLabel('Zugangscode').fill(codes[0]);
  await again.getByLabel('Name (öffentlich sichtbar)').fill(`Nachbar ${id}`);
  await again.getByRole('button', { name: 'Code einlösen' }).click();
  const codeField = other.locator('form#access-code-form').getByLabel('Zugangscode');
  await expectFieldError(codeField, [UNKNOWN_CODE]);
  await expect(codeField).toHaveValue(codes[0]);
  await expect(other.locator('form#access-code-form').getByLabel('Name (öffentlich sichtbar)')).toHaveValue(`Nachbar ${id}`);
  await expect(other.locator('form#comment-form')).toHaveCount(0);
  await expectNoAxeViolations(other, 'access code used up');
});
