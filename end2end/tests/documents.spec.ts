// A consultation's picture and documents, its corrections after publication and comments on a
// section of its text: uploaded and edited by an initiator in the editor
// (/manage/{org}/{slug}/edit, section #files), seen by residents on its public page, its
// downloads and its list of changes (/{org}/{slug}/changes).
import {
  test,
  expect,
  commentForm,
  expectFieldError,
  expectNoAxeViolations,
  signIn,
  signInStaff,
  uniqueId,
  uniqueText,
  visitPage,
  waitForHydration,
  ANNA,
  consultationRow,
  changePhase,
  settled,
  consultationEditor,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

const INITIATOR = 'redaktion@musterstadt.example';
const ORG = '/manage/musterstadt';
const SAVED = 'Gespeichert.';
const ALT_EMPTY = 'Bitte beschreiben Sie das Bild in einem Alternativtext';
const NOT_A_DOCUMENT = 'Diese Datei ist kein PDF und kein Bild (PNG, JPEG, WebP).';
const CHANGE_NOTE = 'Grund der Änderung (für die Änderungsübersicht)';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A small, well-formed one-page PDF (well under 1 KB). */
const PDF = Buffer.from(
  '%PDF-1.4\n' +
    '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
    '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n' +
    'trailer <</Root 1 0 R>>\n' +
    '%%EOF\n',
  'latin1',
);
/** A web page posing as a PDF by its name and the type the browser claims. */
const HTML_AS_PDF = Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n');

/** The editor's picture and document forms. */
function fileForms(page: Page) {
  const section = page.locator('section#files');
  const image = section.locator('form#image-form');
  const attachment = section.locator('form#attachment-form');
  return {
    section,
    status: section.getByRole('status'),
    alt: image.getByLabel('Alternativtext (Pflicht)'),
    imageFile: image.getByLabel('Bilddatei'),
    saveImage: image.getByRole('button', { name: 'Bild speichern' }),
    attachmentFile: attachment.getByLabel('Datei (PDF oder Bild)'),
    upload: attachment.getByRole('button', { name: 'Dokument hochladen' }),
  };
}

/**
 * Clicks the submit button of a plain (multipart) form and waits for the page the server sends
 * the browser to: with and without JavaScript the whole page loads afresh. (Its address may be
 * the one shown before, …/edit#files, so the URL alone does not tell that it arrived.)
 */
async function submitAndLoad(page: Page, button: Locator) {
  const loaded = page.waitForEvent('load');
  await button.click();
  await loaded;
}

type Draft = { slug: string; title: string; path: string; edit: string };

/** Signs the initiator in (on `page`) and saves a new draft with `body`; ends in its editor. */
async function createConsultation(page: Page, js: boolean, name: string, body: string): Promise<Draft> {
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-dok-${project}-${id}`;
  const title = `${name} ${project} ${id}`;
  await signInStaff(page, INITIATOR);
  await visitPage(page, `${ORG}/new`);
  const f = consultationEditor(page);
  await f.title.fill(title);
  await f.slug.fill(slug);
  await f.summary.fill(`Worum es bei „${name}“ geht.`);
  await f.body.fill(body);
  await f.save.click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit\\?saved=1$`));
  await settled(page, js, page.getByRole('status').getByText('Gespeichert.'), 'new consultation saved');
  return { slug, title, path: `/musterstadt/${slug}`, edit: `${ORG}/${slug}/edit` };
}

/** Publishes the consultation (from the organisation's page) at once. */
async function publish(page: Page, js: boolean, c: Draft) {
  await visitPage(page, ORG);
  await changePhase(page, js, c.title, 'Veröffentlichen', 'Beteiligung läuft');
}

/** Saves a corrected body of a published consultation, with the reason for the change. */
async function correctBody(page: Page, js: boolean, c: Draft, body: string, reason: string) {
  await visitPage(page, c.edit);
  await expect(page.getByText('Status: Beteiligung läuft')).toBeVisible();
  const f = consultationEditor(page);
  // Published: the address is fixed, and a change needs (and shows) its reason.
  await expect(f.slug).toHaveCount(0);
  await expect(f.changeNote).toBeVisible();
  await f.body.fill(body);
  await f.changeNote.fill(reason);
  await f.save.click();
  await expect(page).toHaveURL(new RegExp(`${c.edit}\\?saved=1$`));
  await settled(page, js, page.getByRole('status').getByText('Gespeichert.'), 'correction saved');
  await expect(consultationEditor(page).body).toHaveValue(body);
}

test('an initiator adds a picture with its alternative text and a PDF; residents see and download them', async ({
  page,
  js,
  freshPage,
}) => {
  test.setTimeout(180_000); // many pages, each checked with axe, and a two-factor sign-in
  const alt = 'Luftbild des Marktplatzes mit Brunnen und Bäumen';
  const pdfName = 'Bebauungsplan Marktplatz.pdf';
  const c = await createConsultation(page, js, 'Marktplatz mit Bild', 'Der Marktplatz wird umgebaut.');
  let f = fileForms(page);
  await expect(f.section.getByText('Noch kein Bild.')).toBeVisible();
  await expect(f.section.getByText('Noch keine Dokumente.')).toBeVisible();

  // A picture without a description: refused next to the description, nothing stored.
  await f.imageFile.setInputFiles({ name: 'marktplatz.png', mimeType: 'image/png', buffer: PNG });
  await submitAndLoad(page, f.saveImage);
  await expect(page).toHaveURL(new RegExp(`${c.edit}#files$`));
  f = fileForms(page);
  await expectFieldError(f.alt, [ALT_EMPTY]);
  await expect(f.imageFile).not.toHaveAttribute('aria-invalid', 'true');
  await expect(f.section.getByText('Noch kein Bild.')).toBeVisible();
  await expect(f.status).toHaveText('');
  await settled(page, js, f.alt, 'picture without alternative text');

  // With its description: stored and shown with it in the editor.
  await f.alt.fill(alt);
  await f.imageFile.setInputFiles({ name: 'marktplatz.png', mimeType: 'image/png', buffer: PNG });
  await submitAndLoad(page, f.saveImage);
  await expect(page).toHaveURL(new RegExp(`${c.edit}#files$`));
  f = fileForms(page);
  await settled(page, js, f.status.getByText(SAVED), 'picture saved');
  const preview = f.section.locator('figure.image-preview');
  await expect(preview.locator('img')).toHaveAttribute('alt', alt);
  await expect(preview.locator('figcaption')).toHaveText(alt);
  await expect(f.alt).toHaveValue(alt);
  await expect(f.alt).not.toHaveAttribute('aria-invalid', 'true');
  await expect(f.section.getByRole('button', { name: /^Entfernen\s*: Bild$/ })).toBeVisible();
  const imageUrl = await preview.locator('img').getAttribute('src');
  expect(imageUrl).toMatch(/^\/media\/images\/[^/]+\.png$/);

  // A real PDF: listed with its name, type and size.
  await f.attachmentFile.setInputFiles({ name: pdfName, mimeType: 'application/pdf', buffer: PDF });
  await submitAndLoad(page, f.upload);
  await expect(page).toHaveURL(new RegExp(`${c.edit}#files$`));
  f = fileForms(page);
  await settled(page, js, f.status.getByText(SAVED), 'document uploaded');
  const listed = f.section.locator('ul.file-list > li');
  await expect(listed).toHaveCount(1);
  await expect(listed.first()).toContainText(`${pdfName} (PDF, 1 KB)`);
  await expect(listed.first().getByRole('link', { name: pdfName })).toHaveAttribute(
    'href',
    /^\/media\/attachments\/[^/]+\.pdf$/,
  );
  await expect(
    f.section.getByRole('button', { name: new RegExp(`^Entfernen\\s*: ${pdfName.replace(/\./g, '\\.')}$`) }),
  ).toBeVisible();

  // A web page named .pdf: recognised by its content and refused next to the file field.
  await f.attachmentFile.setInputFiles({ name: 'Lageplan.pdf', mimeType: 'application/pdf', buffer: HTML_AS_PDF });
  await submitAndLoad(page, f.upload);
  await expect(page).toHaveURL(new RegExp(`${c.edit}#files$`));
  f = fileForms(page);
  await expectFieldError(f.attachmentFile, [NOT_A_DOCUMENT]);
  await expect(f.status).toHaveText('');
  await expect(f.section.locator('ul.file-list > li')).toHaveCount(1);
  await expect(f.section.getByText('Lageplan.pdf')).toHaveCount(0);
  await settled(page, js, f.attachmentFile, 'a web page named .pdf refused');

  // The files of a draft are not public.
  const resident = await freshPage();
  expect((await resident.request.get(imageUrl!)).status(), 'the picture of a draft, for the public').toBe(404);

  // Published: the page shows the picture with its description and offers the PDF.
  await publish(page, js, c);
  await visitPage(resident, c.path);
  const hero = resident.locator('figure.hero img');
  await expect(hero).toHaveAttribute('alt', alt);
  await expect(hero).toHaveAttribute('src', imageUrl!);
  await expect(resident.getByRole('img', { name: alt })).toBeVisible();
  const documents = resident.getByRole('region', { name: 'Dokumente' });
  await expect(documents.getByRole('listitem')).toHaveCount(1);
  await expect(documents.getByRole('listitem')).toHaveText(`${pdfName} (PDF, 1 KB)`);
  const link = documents.getByRole('link', { name: pdfName });
  await expect(link).toHaveAttribute('download', pdfName);
  await expect(resident.getByText('Lageplan.pdf')).toHaveCount(0);

  // The picture loads; the document downloads as a PDF that cannot act as a page.
  const picture = await resident.request.get(imageUrl!);
  expect(picture.status()).toBe(200);
  expect(picture.headers()['content-type']).toBe('image/png');
  expect(Buffer.compare(await picture.body(), PNG)).toBe(0);
  const download = await resident.request.get((await link.getAttribute('href'))!);
  expect(download.status()).toBe(200);
  const headers = download.headers();
  expect(headers['content-type']).toBe('application/pdf');
  expect(headers['content-disposition']).toMatch(/^attachment;/);
  expect(headers['content-disposition']).toContain('Bebauungsplan');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(Buffer.compare(await download.body(), PDF)).toBe(0);
});

test('a correction after publication is listed with its reason and the changed words', async ({
  page,
  js,
  freshPage,
}) => {
  test.setTimeout(180_000);
  const before = 'Der Marktplatz wird im Frühjahr umgebaut.\n\n## Zeitplan\n\nDie Arbeiten dauern drei Monate.';
  const after = 'Der Marktplatz wird im Frühjahr umgebaut.\n\n## Zeitplan\n\nDie Arbeiten dauern vier Monate.';
  const reason = uniqueText('Die Bauzeit wurde neu berechnet.');
  const c = await createConsultation(page, js, 'Marktplatz mit Korrektur', before);
  await publish(page, js, c);

  // Just published: nothing changed yet.
  const resident = await freshPage();
  await visitPage(resident, c.path);
  await expect(resident.getByText('Die Arbeiten dauern drei Monate.')).toBeVisible();
  await expect(resident.getByText('Geändert am')).toHaveCount(0);
  await visitPage(resident, `${c.path}/changes`);
  await expect(resident.getByText('Der Text wurde seit der Veröffentlichung nicht geändert.')).toBeVisible();

  await correctBody(page, js, c, after, reason);

  // The page says that (and when) it changed, and links to the changes.
  await visitPage(resident, c.path);
  await expect(resident.getByText('Die Arbeiten dauern vier Monate.')).toBeVisible();
  const changed = resident.locator('article.consultation header p.changed');
  await expect(changed).toContainText('Geändert am');
  await expect(changed.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}/);
  const changesLink = changed.getByRole('link', { name: 'Änderungen ansehen' });
  await expect(changesLink).toHaveAttribute('href', `${c.path}/changes`);
  await changesLink.click();
  await expect(resident).toHaveURL(new RegExp(`${c.path}/changes$`));
  await settled(resident, js, resident.getByRole('heading', { name: 'Änderungen am Text', level: 1 }), 'changes');

  // One change: its reason, and the body's difference word by word.
  const changes = resident.locator('ol.changes > li');
  await expect(changes).toHaveCount(1);
  await expect(changes.getByRole('heading', { level: 2 })).toContainText('Geändert am');
  await expect(changes).toContainText(`Grund: ${reason}`);
  await expect(changes.getByRole('heading', { name: 'Text (Markdown)', level: 3 })).toBeVisible();
  const changedLine = changes.locator('.diff p.diff-changed');
  await expect(changedLine).toHaveCount(1);
  await expect(changedLine.locator('del')).toHaveCount(1);
  await expect(changedLine.locator('del')).toContainText('drei');
  await expect(changedLine.locator('del')).not.toContainText('Monate');
  await expect(changedLine.locator('ins')).toHaveCount(1);
  await expect(changedLine.locator('ins')).toContainText('vier');
  await expect(changedLine.locator('ins')).not.toContainText('Monate');
  // Said in words too, for those who do not see the strike-through.
  await expect(changedLine.locator('del')).toHaveText(/entfernt:\s*drei/);
  await expect(changedLine.locator('ins')).toHaveText(/eingefügt:\s*vier/);
  await expect(changes.locator('.diff')).toContainText('## Zeitplan');
  await expect(resident.getByRole('link', { name: `Zurück zur Beteiligung: ${c.title}` })).toHaveAttribute(
    'href',
    c.path,
  );
});

test('a resident comments on a section of the text, and the comment stays with it after a correction', async ({
  page,
  js,
  freshPage,
}) => {
  test.setTimeout(180_000);
  const body = [
    '## Worum es geht',
    '',
    'Die Stadt plant einen neuen Platz.',
    '',
    '## Zeitplan',
    '',
    'Der Umbau beginnt im Frühjahr.',
  ].join('\n');
  const c = await createConsultation(page, js, 'Platz mit Abschnitten', body);
  await publish(page, js, c);

  // Anna follows "comment on this" of the second section: the form is about that section.
  const anna = await freshPage();
  await signIn(anna, ANNA);
  await visitPage(anna, c.path);
  const sections = anna.getByRole('navigation', { name: 'Abschnitte' });
  await expect(sections.getByRole('listitem')).toHaveCount(2);
  await expect(sections.getByRole('link', { name: 'Worum es geht', exact: true })).toHaveAttribute(
    'href',
    '#md-worum-es-geht',
  );
  await expect(sections.getByRole('link', { name: 'Zeitplan', exact: true })).toHaveAttribute('href', '#md-zeitplan');
  // The link's name says which section (its visually hidden part: ": Zeitplan").
  const commentOn = sections.getByRole('link', { name: /^Dazu kommentieren\s*: Zeitplan$/ });
  await expect(commentOn).toHaveAttribute('href', `${c.path}?section=md-zeitplan#comment-form`);
  // A full page load (with JavaScript too: the server preselects the section in the form).
  await commentOn.click();
  await anna.waitForURL(new RegExp(`${c.path}\\?section=md-zeitplan#comment-form$`), { waitUntil: 'load' });
  const { form, body: text, submit } = commentForm(anna);
  const about = form.getByLabel('Ihr Kommentar bezieht sich auf');
  await settled(anna, js, about, 'comment form for a section');
  await expect(about).toHaveValue('md-zeitplan');
  await expect(about.locator('option:checked')).toHaveText('Zeitplan');
  await expect(about.locator('option')).toHaveText(['die Beteiligung insgesamt', 'Worum es geht', 'Zeitplan']);

  const comment = uniqueText(`Bitte erst nach dem Weihnachtsmarkt anfangen (${test.info().project.name})`);
  await text.fill(comment);
  await submit.click();
  const posted = anna.locator('ol.comments > li').filter({ hasText: comment });
  await expect(posted).toHaveCount(1);
  await expect(posted.locator('.comment-section')).toHaveText(/Zum Abschnitt\s+Zeitplan/);
  await expect(posted.locator('.comment-section').getByRole('link', { name: 'Zeitplan' })).toHaveAttribute(
    'href',
    '#md-zeitplan',
  );
  if (!js) await expect(anna.getByRole('status').filter({ hasText: 'Vielen Dank' })).toBeVisible();
  await expectNoAxeViolations(anna, 'after commenting on a section');

  // The initiator corrects the other section's text.
  await correctBody(
    page,
    js,
    c,
    body.replace('einen neuen Platz.', 'einen neuen, grünen Platz.'),
    'Der Platz wird begrünt.',
  );

  // Everyone sees the comment still tied to its section, and the section's count.
  const visitor = await freshPage();
  await visitPage(visitor, c.path);
  await expect(visitor.getByText('Die Stadt plant einen neuen, grünen Platz.')).toBeVisible();
  await expect(visitor.locator('#md-zeitplan')).toHaveText('Zeitplan');
  const seen = visitor.locator('ol.comments > li').filter({ hasText: comment });
  await expect(seen).toHaveCount(1);
  await expect(seen.locator('.comment-section')).toHaveText(/Zum Abschnitt\s+Zeitplan/);
  await expect(seen.locator('.comment-section').getByRole('link', { name: 'Zeitplan' })).toHaveAttribute(
    'href',
    '#md-zeitplan',
  );
  const nav = visitor.getByRole('navigation', { name: 'Abschnitte' });
  await expect(nav.getByRole('listitem').filter({ hasText: 'Zeitplan' })).toContainText('(1 Kommentar)');
  await expect(nav.getByRole('listitem').filter({ hasText: 'Worum es geht' })).toContainText(
    '(noch keine Kommentare)',
  );
  // Signed out nobody can comment here: no links to a form that is not there.
  await expect(nav.getByRole('link', { name: /Dazu kommentieren/ })).toHaveCount(0);
});
