// The resident side of moderation in the browser, with JavaScript on and off: reporting someone
// else's contribution, one's own contribution awaiting review, and the statement of reasons with
// an appeal against a moderator's decision. axe checks every state.
import { execFileSync } from 'node:child_process';
import {
  test,
  expect,
  commentForm,
  expectFieldError,
  expectNoAxeViolations,
  signIn,
  signInNeighbour,
  uniqueText,
  visitPage,
  ANNA,
  CONSULTATION,
  PREMODERATED,
} from './fixtures';

/**
 * Runs SQL on the e2e database (scripts/e2e.sh exports its URL): how a test hides a contribution
 * as a moderator's decision would, without going through the moderators' queue.
 */
function sql(statement: string): void {
  const url = process.env.MITREDEN_DATABASE_URL ?? '';
  if (!url.startsWith('sqlite://')) throw new Error(`expected the e2e SQLite database, got "${url}"`);
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', url.slice('sqlite://'.length), statement]);
}

/** Writes a comment on `path` as the signed-in person and waits until the page shows it. */
async function write(page: import('@playwright/test').Page, text: string): Promise<void> {
  const { body, submit } = commentForm(page);
  await body.fill(text);
  await submit.click();
  await expect(page.locator('#comments-flash')).toContainText(/Vielen Dank|Danke/);
}

// Several accounts, pages and axe runs (each twice without JavaScript) per test.
test.slow();

test('a resident reports someone else’s comment', async ({ page, visit, js, freshPage }) => {
  await signIn(page, ANNA);
  await visit(CONSULTATION);
  const text = uniqueText(`Ein Beitrag, der gemeldet wird (${test.info().project.name})`);
  await write(page, text);
  await visit(CONSULTATION);
  const own = page.locator('ol.comments > li').filter({ has: page.locator('article', { hasText: text }) });
  await expect(own).toHaveCount(1);
  await expect(own.locator('details.report'), 'no report control on one’s own comment').toHaveCount(0);

  const other = await freshPage();
  await signInNeighbour(other);
  await visitPage(other, CONSULTATION);
  const item = other.locator('ol.comments > li').filter({ has: other.locator('article', { hasText: text }) });
  await expect(item).toHaveCount(1);
  await item.locator('details.report > summary').click();
  await expectNoAxeViolations(other, 'report form open');

  // "Other" needs an explanation: refused, tied to the field, the form stays open.
  await item.getByLabel('Anderer Grund', { exact: true }).check();
  await item.getByRole('button', { name: 'Meldung absenden' }).click();
  await expectFieldError(item.locator('textarea[name="note"]'), ['kurz, was nicht stimmt']);
  await expect(item.locator('details.report')).toHaveAttribute('open', '');

  await item.getByLabel('Spam oder Werbung', { exact: true }).check();
  await item.getByRole('button', { name: 'Meldung absenden' }).click();
  if (js) {
    await expect(item.getByRole('status')).toContainText('Danke, wir prüfen den Beitrag.');
  } else {
    await expect(other.locator('#comments-flash')).toContainText('Danke, wir prüfen den Beitrag.');
  }
  await expect(item.getByText('Von Ihnen gemeldet')).toBeVisible();
  await expect(item.locator('details.report')).toBeHidden();
  await expectNoAxeViolations(other, 'after reporting');

  // It stays reported for them; the comment stays visible below the threshold.
  await visitPage(other, CONSULTATION);
  await expect(item.getByText('Von Ihnen gemeldet')).toBeVisible();
  await expect(item.locator('article')).toContainText(text);
});

test('an author sees their comment awaiting review, and appeals a hidden one', async ({ page, visit, freshPage }) => {
  await signIn(page, ANNA);

  // Pre-moderation: only the author sees the comment, marked as awaiting review.
  await visit(PREMODERATED);
  const waiting = uniqueText(`Noch ungeprüft (${test.info().project.name})`);
  await write(page, waiting);
  await visit(PREMODERATED);
  const pending = page.locator('ol.comments article').filter({ hasText: waiting });
  await expect(pending).toHaveCount(1);
  await expect(pending).toContainText('Wartet auf Prüfung');
  await expectNoAxeViolations(page, 'own comment awaiting review');
  const stranger = await freshPage();
  await visitPage(stranger, PREMODERATED);
  await expect(stranger.getByText(waiting)).toHaveCount(0);

  // A moderator hides a comment of hers, with a reason and a note.
  await visit(CONSULTATION);
  const text = uniqueText(`Ein Beitrag, der ausgeblendet wird (${test.info().project.name})`);
  await write(page, text);
  sql(
    `UPDATE comments SET status = 'hidden', hidden_reason = 'insult', hidden_note = 'Bitte bleiben Sie sachlich.', ` +
      `hidden_by = (SELECT id FROM users WHERE email = 'moderation@musterstadt.example'), ` +
      `hidden_at = CAST(strftime('%s', 'now') AS INTEGER) WHERE body = '${text}'`,
  );
  await visitPage(stranger, CONSULTATION);
  await expect(stranger.getByText(text)).toHaveCount(0);

  await visit(CONSULTATION);
  const item = page.locator('ol.comments > li').filter({ has: page.locator('article', { hasText: text }) });
  await expect(item.locator('.moderation-status')).toContainText('Ausgeblendet: Beleidigung oder Belästigung');
  await expect(item.locator('.moderation-status')).toContainText('Bitte bleiben Sie sachlich.');
  await item.locator('details.appeal > summary').click();
  await expectNoAxeViolations(page, 'statement of reasons with the appeal form');

  // Too short: refused next to the field, the text kept.
  const field = item.locator('textarea[name="body"]').last();
  await field.fill('Nein!');
  await item.getByRole('button', { name: 'Widerspruch absenden' }).click();
  await expectFieldError(item.locator('details.appeal textarea[name="body"]'), ['mindestens 10 Zeichen']);
  await expect(item.locator('details.appeal textarea[name="body"]')).toHaveValue('Nein!');

  await item.locator('details.appeal textarea[name="body"]').fill('Das war Kritik an einer Entscheidung, keine Beleidigung.');
  await item.getByRole('button', { name: 'Widerspruch absenden' }).click();
  await expect(page.getByText('Ihr Widerspruch ist eingegangen.').first()).toBeVisible();
  await visit(CONSULTATION);
  await expect(item.locator('.moderation-status')).toContainText('Widerspruch eingelegt – noch nicht entschieden.');
  await expect(item.locator('details.appeal'), 'one appeal only').toHaveCount(0);
  await expectNoAxeViolations(page, 'appeal filed');
});
