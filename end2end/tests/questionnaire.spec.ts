// Questionnaires: a resident answers the demo questionnaire and changes the answer; staff see the
// results (free text only ever as text) and build a questionnaire in the editor — JS on and off.
import {
  test,
  expect,
  expectNoAxeViolations,
  settled,
  signIn,
  signInStaff,
  uniqueText,
  withLock,
  ANNA,
  CONSULTATION,
  CONSULTATION_TITLE,
} from './fixtures';
import type { Page } from '@playwright/test';

const SAVED = 'Vielen Dank! Ihre Antworten wurden gespeichert.';
const PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
];
const INITIATOR = 'redaktion@musterstadt.example';
const EDITOR = '/manage/musterstadt/radweg-nord/questionnaire';

/** Fails the test if the page opens any dialog (alert, confirm…). */
function noDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return dialogs;
}

/** Nothing a payload could have injected is in the page. */
async function expectInert(page: Page, dialogs: string[]): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('main script')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"], a[href^="data:"]')).toHaveCount(0);
  expect(dialogs, 'no dialog may open').toEqual([]);
}

function questionnaire(page: Page) {
  const form = page.locator('form#questionnaire-form');
  const group = (name: RegExp) => form.getByRole('group', { name });
  return {
    form,
    vote: group(/Tempo 20 gelten/),
    travel: group(/meistens in die Altstadt/),
    wishes: group(/am Marktplatz/),
    rating: group(/ruhigere Altstadt/),
    ranking: group(/zuerst umsetzen/),
    text: group(/sonst noch sagen/).locator('textarea'),
    submit: form.getByRole('button', { name: 'Antworten speichern' }),
  };
}

test('a resident answers the questionnaire, sees the saved answers and changes them', async ({ page, visit, js }) => {
  test.slow();
  const dialogs = noDialogs(page);
  const text = `${PAYLOADS.join('\n')}\n${uniqueText(test.info().project.name)}`;
  await signIn(page, ANNA);
  // Both projects answer as Anna: one at a time.
  await withLock('anna-altstadt-questionnaire', async () => {
    await visit(CONSULTATION);
    const q = questionnaire(page);
    await expect(page.getByRole('heading', { name: 'Fragebogen', exact: true })).toBeVisible();
    await q.vote.getByLabel('Ja', { exact: true }).check();
    await q.travel.getByLabel('Mit dem Fahrrad').check();
    await q.wishes.getByLabel('Fahrradbügel').check();
    await q.wishes.getByLabel('Bäume und Grün').check();
    await q.rating.getByLabel('4', { exact: true }).check();
    await q.ranking.getByLabel('Fahrradbügel und Bänke').selectOption({ label: 'Rang 1' });
    await q.ranking.getByLabel('Tempo 20').selectOption({ label: 'Rang 2' });
    await q.ranking.getByLabel('Durchfahrverbot über 3,5 Tonnen').selectOption({ label: 'Rang 3' });
    await q.text.fill(text);
    await q.submit.click();
    await settled(page, js, page.getByRole('status').filter({ hasText: SAVED }), 'questionnaire saved');
    await expectInert(page, dialogs);

    // A fresh load shows what was saved.
    await visit(CONSULTATION);
    const saved = questionnaire(page);
    await expect(page.getByText(/Ihre Antworten sind gespeichert/)).toBeVisible();
    await expect(saved.vote.getByLabel('Ja', { exact: true })).toBeChecked();
    await expect(saved.travel.getByLabel('Mit dem Fahrrad')).toBeChecked();
    await expect(saved.wishes.getByLabel('Fahrradbügel')).toBeChecked();
    await expect(saved.wishes.getByLabel('Mehr Bänke im Schatten')).not.toBeChecked();
    await expect(saved.rating.getByLabel('4', { exact: true })).toBeChecked();
    await expect(saved.ranking.getByLabel('Tempo 20')).toHaveValue(/:2$/);
    await expect(saved.text).toHaveValue(text);
    await expectInert(page, dialogs);

    // Too many wishes: refused next to the question, the input kept.
    await saved.wishes.getByLabel('Ein Trinkbrunnen').check();
    await saved.submit.click();
    await expect(saved.wishes.getByText('Bitte wählen Sie höchstens 2 Antworten.')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Bitte prüfen Sie die markierten Fragen.' })).toBeVisible();
    await expect(saved.text).toHaveValue(text);
    await expectNoAxeViolations(page, 'questionnaire refused');

    // Changed: two wishes again, and a lower rating.
    await saved.wishes.getByLabel('Ein Trinkbrunnen').uncheck();
    await saved.rating.getByLabel('2', { exact: true }).check();
    await saved.submit.click();
    await settled(page, js, page.getByRole('status').filter({ hasText: SAVED }), 'questionnaire changed');
    await visit(CONSULTATION);
    const changed = questionnaire(page);
    await expect(changed.rating.getByLabel('2', { exact: true })).toBeChecked();
    await expect(changed.rating.getByLabel('4', { exact: true })).not.toBeChecked();
    await expect(changed.wishes.getByLabel('Ein Trinkbrunnen')).not.toBeChecked();
    await expect(changed.text).toHaveValue(text);
    await expectInert(page, dialogs);
  });
});

test('staff see the results with free text as text, and the questions are locked', async ({ page, visit, js }) => {
  test.slow();
  const dialogs = noDialogs(page);
  await signInStaff(page, INITIATOR);
  await visit('/manage/musterstadt');
  await page.getByRole('link', { name: `Fragebogen: ${CONSULTATION_TITLE}` }).click();
  await expect(page).toHaveURL(/\/manage\/musterstadt\/verkehrsberuhigung-altstadt\/questionnaire$/);
  await settled(page, js, page.getByRole('heading', { name: 'Fragebogen bearbeiten' }), 'questionnaire editor');
  // Anna answered above: locked, and her text is there as text.
  await expect(page.locator('#questions-locked')).toBeVisible();
  await expect(page.locator('#add-question')).toHaveCount(0);
  const results = page.locator('#questionnaire-results');
  await expect(results.getByText(/Person(en)? ha(t|ben) den Fragebogen beantwortet/)).toBeVisible();
  for (const payload of PAYLOADS) {
    await expect(results.locator('.free-text').filter({ hasText: payload }).first()).toBeVisible();
  }
  await expectInert(page, dialogs);
});

test('staff build a questionnaire: add, refuse, change, reorder, delete', async ({ page, visit, js }) => {
  test.slow();
  const first = uniqueText(`Welche Farbe (${test.info().project.name})?`);
  const second = uniqueText(`Radweg ja oder nein (${test.info().project.name})?`);
  const renamed = `${first} – neu`;
  await signInStaff(page, INITIATOR);
  await withLock('radweg-questionnaire', async () => {
    await visit(EDITOR);
    const add = page.locator('section#add-question');
    const items = page.locator('ol.question-list > li');
    const item = (prompt: string) => items.filter({ has: page.getByRole('heading', { name: prompt }) });
    const saved = page.getByRole('status').filter({ hasText: 'Gespeichert.' });

    // One option is no choice: refused, the input kept.
    await add.getByLabel('Art der Frage').selectOption({ label: 'Einfachauswahl (eine Antwort)' });
    await add.getByLabel('Frage', { exact: true }).fill(first);
    await add.getByLabel('Antwortmöglichkeiten, eine pro Zeile').fill('Rot');
    await add.getByRole('button', { name: 'Frage hinzufügen' }).click();
    await expect(page.locator('section#add-question').getByText(/mindestens 2 Antwortmöglichkeiten/)).toBeVisible();
    await expect(page.locator('section#add-question').getByLabel('Frage', { exact: true })).toHaveValue(first);
    await expectNoAxeViolations(page, 'question refused');

    await page.locator('section#add-question').getByLabel('Antwortmöglichkeiten, eine pro Zeile').fill('Rot\nBlau');
    await page.locator('section#add-question').getByRole('button', { name: 'Frage hinzufügen' }).click();
    await settled(page, js, item(first), 'question added');
    await expect(saved).toBeVisible();

    await page.locator('section#add-question').getByLabel('Art der Frage').selectOption({ label: 'Ja / Nein / Enthaltung' });
    await page.locator('section#add-question').getByLabel('Frage', { exact: true }).fill(second);
    await page.locator('section#add-question').getByRole('button', { name: 'Frage hinzufügen' }).click();
    await settled(page, js, item(second), 'second question added');

    // Up: the second comes before the first.
    await item(second).getByRole('button', { name: `Nach oben: ${second}` }).click();
    await expect(async () => {
      const headings = await items.locator('h3').allTextContents();
      const a = headings.findIndex((h) => h.includes(first));
      const b = headings.findIndex((h) => h.includes(second));
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(a);
    }).toPass();
    await settled(page, js, item(second), 'question moved');

    // Changed.
    await item(first).locator('summary').click();
    await item(first).getByLabel('Frage', { exact: true }).fill(renamed);
    await item(first).getByRole('button', { name: 'Frage speichern' }).click();
    await settled(page, js, item(renamed), 'question changed');

    // Deleted, both.
    await item(renamed).getByRole('button', { name: `Löschen: ${renamed}` }).click();
    await expect(item(renamed)).toHaveCount(0);
    await item(second).getByRole('button', { name: `Löschen: ${second}` }).click();
    await expect(item(second)).toHaveCount(0);
    await settled(page, js, page.getByRole('heading', { name: 'Fragebogen bearbeiten' }), 'questions deleted');
  });
});
