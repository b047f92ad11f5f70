// The consultations issue's story, end to end in the browser: a staff member creates a
// consultation with sections, a map area and a PDF, previews it, schedules it, publishes it; a
// resident then finds it by filter and (with JavaScript) on the home page's map. JS on and off.
import {
  test,
  expect,
  expectNoAxeViolations,
  signInStaff,
  uniqueId,
  waitForHydration,
  clickAt,
  changePhase,
  settled,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

const INITIATOR = 'redaktion@musterstadt.example';
const ORG = '/manage/musterstadt';

test('staff create, preview, schedule and publish a consultation with a PDF, a map area and sections; a resident finds it', async ({
  page,
  visit,
  js,
  freshPage,
}) => {
  test.setTimeout(240_000);
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-geschichte-${project}-${id}`;
  const title = `Neuer Spielplatz am Lindenpark ${project} ${id}`;
  const topic = `Spielplätze ${id}`;
  const path = `/musterstadt/${slug}`;

  // 1. The editor: texts with two sections, a place and an area, a start far in the future.
  await signInStaff(page, INITIATOR);
  await visit(`${ORG}/new`);
  const form = page.locator('form#consultation-editor');
  await form.getByLabel('Titel', { exact: true }).fill(title);
  await form.getByLabel('Adresse (Kurzname)').fill(slug);
  await form.getByLabel('Kurze Zusammenfassung').fill('Welche Spielgeräte wünschen Sie sich?');
  await form
    .getByLabel('Text (Markdown)')
    .fill('Der alte Spielplatz wird erneuert.\n\n## Worum es geht\n\nNeue Geräte für alle Altersgruppen.\n\n## Zeitplan\n\nBau im Sommer 2027.');
  await form.getByLabel('Thema (optional)').fill(topic);
  await form.getByLabel('Ort / Adresse (optional)').fill('Lindenpark, Eingang Gartenstraße');
  const area = form.getByLabel('Gebiet: Koordinaten, eine Zeile je Punkt (optional)');
  if (js) {
    const canvas = form.locator('[data-map="edit"] .map-canvas.leaflet-container');
    await expect(canvas).toBeVisible();
    await clickAt(canvas, 0.3, 0.3);
    await clickAt(canvas, 0.7, 0.3);
    await clickAt(canvas, 0.5, 0.7);
    await expect(area).toHaveValue(/^.+\n.+\n.+$/);
  } else {
    await area.fill('51.5300, 9.9300\n51.5300, 9.9400\n51.5360, 9.9350');
  }
  await form.getByLabel('Beginn der Beteiligung (optional)').fill('2031-05-04T09:00');
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit\\?saved=1$`));
  await settled(page, js, page.getByRole('status').getByText('Gespeichert.').first(), 'saved draft');

  // 2. A PDF, uploaded in the editor's document form.
  const docs = page.locator('form#attachment-form');
  await docs.getByLabel('Datei (PDF oder Bild)').setInputFiles({
    name: 'Lageplan Spielplatz.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  });
  await docs.getByRole('button', { name: 'Dokument hochladen' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit#files$`));
  await settled(page, js, page.locator('#files').getByRole('link', { name: 'Lageplan Spielplatz.pdf' }), 'document uploaded');

  // 3. The preview, as residents will see it: sections, place, document.
  await visit(path);
  await expect(page.getByRole('note')).toContainText('Vorschau');
  const sections = page.getByRole('navigation', { name: 'Abschnitte' });
  await expect(sections.getByRole('link', { name: 'Worum es geht' })).toHaveAttribute('href', '#md-worum-es-geht');
  await expect(sections.getByRole('link', { name: 'Zeitplan' })).toHaveAttribute('href', '#md-zeitplan');
  await expect(page.getByText('Lindenpark, Eingang Gartenstraße')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Lageplan Spielplatz.pdf' })).toBeVisible();

  // 4. Scheduled: published with a future start, still invisible to the public.
  await visit(ORG);
  await changePhase(page, js, title, 'Veröffentlichen', 'Geplant');
  const resident = await freshPage();
  let res = await resident.goto(path);
  expect(res!.status()).toBe(404);

  // 5. The start moved to now: back to draft, date cleared, published — open.
  await changePhase(page, js, title, 'Zurück zum Entwurf', 'Entwurf');
  await visit(`${ORG}/${slug}/edit`);
  await page.locator('form#consultation-editor').getByLabel('Beginn der Beteiligung (optional)').fill('');
  await page.locator('form#consultation-editor').getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit\\?saved=1$`));
  await visit(ORG);
  await changePhase(page, js, title, 'Veröffentlichen', 'Beteiligung läuft');

  // 6. A resident finds it by its topic in the filter …
  res = await resident.goto('/');
  expect(res!.status()).toBe(200);
  if (js) await waitForHydration(resident);
  const filters = resident.getByRole('search');
  await filters.getByLabel('Thema').selectOption({ label: topic });
  await filters.getByRole('button', { name: 'Suchen' }).click();
  await expect(resident).toHaveURL(/[?&]topic=/);
  if (js) await waitForHydration(resident);
  const card = resident.getByRole('link', { name: title });
  await expect(card).toBeVisible();
  await expect(resident.getByText('1 Beteiligung', { exact: true })).toBeVisible();
  await expectNoAxeViolations(resident, 'filtered list');

  // … and on the map of open consultations (JavaScript; without it the list is the map's text).
  if (js) {
    const marker = resident.locator(`[data-map="overview"] .leaflet-marker-icon[title="${title}"]`);
    await expect(marker).toBeVisible();
    // As a person would: if the popup closed under the click (the map redraws once the filtered
    // list arrives), open it again and follow its link.
    await expect(async () => {
      await marker.click({ timeout: 3000 });
      await resident.locator('.leaflet-popup').getByRole('link', { name: title }).click({ timeout: 3000 });
      await expect(resident).toHaveURL(new RegExp(`${path}$`), { timeout: 3000 });
    }).toPass({ timeout: 20_000 });
  } else {
    await card.click();
  }
  await expect(resident).toHaveURL(new RegExp(`${path}$`));
  await expect(resident.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  if (js) await waitForHydration(resident);
  await expect(resident.getByRole('link', { name: 'Lageplan Spielplatz.pdf' })).toBeVisible();
  await expectNoAxeViolations(resident, 'the published consultation');
});
