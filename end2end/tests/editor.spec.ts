// The consultation editor (/manage/{org}/new, …/edit): an initiator writes a consultation, sees
// the staff-only preview, and moves it through its lifecycle (publish, close, results); a start
// in the future keeps it scheduled and hidden.
import {
  test,
  expect,
  expectFieldError,
  expectNoAxeViolations,
  signInStaff,
  uniqueId,
  visitPage,
  waitForHydration,
  consultationRow,
  changePhase,
  settled,
  consultationEditor,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

const INITIATOR = 'redaktion@musterstadt.example';
const ORG = '/manage/musterstadt';
const FIELD_EMPTY = 'Bitte füllen Sie dieses Feld aus.';
const PREVIEW_NOTICE = 'Vorschau: Diese Beteiligung ist noch nicht öffentlich';
const RULE_EMAIL = 'Alle mit bestätigter E-Mail-Adresse (Anmeldelink, kein Passwort)';
const MODERATION_PRE = 'Beiträge erscheinen erst nach Prüfung';

test('an initiator writes a consultation, previews it, publishes, closes it and publishes the results', async ({
  page,
  visit,
  js,
  freshPage,
}) => {
  test.setTimeout(180_000); // many pages, each checked with axe, and a two-factor sign-in
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-platz-${project}-${id}`;
  const title = `Neuer Marktplatz ${project} ${id}`;
  const path = `/musterstadt/${slug}`;
  const texts = {
    summary: 'Wie soll der Marktplatz nach dem Umbau aussehen?',
    plain: 'Der Markt-Platz wird neu gebaut. Sagen Sie uns: Was ist Ihnen wichtig?',
    body: 'Der Marktplatz wird umgebaut.\n\n## Zeitplan\n\nDer Umbau beginnt im Frühjahr.',
    topic: 'Stadtplanung',
    office: 'Stadtplanungsamt',
    contact: 'stadtplanung@musterstadt.example',
  };

  await signInStaff(page, INITIATOR);
  await visit(ORG);
  await page.getByRole('link', { name: 'Neue Beteiligung anlegen' }).click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/new$`));
  let f = consultationEditor(page);
  await settled(page, js, f.form, 'new consultation');
  await expect(page.getByRole('heading', { name: 'Neue Beteiligung', level: 1 })).toBeVisible();

  // Everything but the title: refused next to the title, everything typed kept.
  await f.slug.fill(slug);
  await f.summary.fill(texts.summary);
  await f.plain.fill(texts.plain);
  await f.body.fill(texts.body);
  await f.topic.fill(texts.topic);
  await f.office.fill(texts.office);
  await f.contact.fill(texts.contact);
  await f.moderation.getByLabel(MODERATION_PRE).check();
  await f.rule.selectOption({ label: RULE_EMAIL });
  await f.save.click();
  f = consultationEditor(page);
  await expectFieldError(f.title, [FIELD_EMPTY]);
  await expect(page).toHaveURL(new RegExp(`${ORG}/new$`));
  await expect(f.title).toHaveValue('');
  await expect(f.slug).toHaveValue(slug);
  await expect(f.summary).toHaveValue(texts.summary);
  await expect(f.plain).toHaveValue(texts.plain);
  await expect(f.body).toHaveValue(texts.body);
  await expect(f.topic).toHaveValue(texts.topic);
  await expect(f.office).toHaveValue(texts.office);
  await expect(f.contact).toHaveValue(texts.contact);
  await expect(f.moderation.getByLabel(MODERATION_PRE)).toBeChecked();
  await expect(f.rule.locator('option:checked')).toHaveText(RULE_EMAIL);
  if (js) await waitForHydration(page);
  await expectNoAxeViolations(page, 'new consultation without a title');

  // With the title: saved as a draft, on to its editor.
  await f.title.fill(title);
  await f.save.click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit\\?saved=1$`));
  await settled(page, js, page.getByRole('status').getByText('Gespeichert.'), 'consultation saved');
  await expect(page.getByRole('heading', { name: 'Beteiligung bearbeiten', level: 1 })).toBeVisible();
  await expect(page.getByText('Status: Entwurf')).toBeVisible();
  f = consultationEditor(page);
  await expect(f.title).toHaveValue(title);
  await expect(f.body).toHaveValue(texts.body);
  await expect(f.moderation.getByLabel(MODERATION_PRE)).toBeChecked();
  await expect(f.rule.locator('option:checked')).toHaveText(RULE_EMAIL);

  // The preview: as residents will see it, with a notice that it is not public.
  const preview = page.getByRole('link', { name: 'Vorschau ansehen' });
  await expect(preview).toHaveAttribute('href', path);
  await preview.click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await settled(page, js, page.getByRole('heading', { name: title, level: 1 }), 'staff preview');
  await expect(page.getByRole('note')).toContainText(PREVIEW_NOTICE);
  const plain = page.getByRole('region', { name: 'In Leichter Sprache' });
  await expect(plain).toBeVisible();
  await expect(plain).toContainText(texts.plain);
  await expect(page.locator('#md-zeitplan')).toHaveText('Zeitplan');
  await expect(page.getByText(texts.office, { exact: true })).toBeVisible();

  // Nobody else sees the draft.
  const stranger = await freshPage();
  await visitPage(stranger, path, { status: 404 });
  await expect(stranger.getByText(title)).toHaveCount(0);

  // Published without dates: open at once, for everyone, and listed on the home page.
  await visit(ORG);
  await expect(consultationRow(page, title).status).toHaveText('Entwurf');
  await changePhase(page, js, title, 'Veröffentlichen', 'Beteiligung läuft');
  await visitPage(stranger, path);
  await expect(stranger.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(stranger.getByText(PREVIEW_NOTICE)).toHaveCount(0);
  await expect(stranger.locator('#md-zeitplan')).toHaveText('Zeitplan');
  await visitPage(stranger, '/');
  await expect(stranger.getByRole('link', { name: title, exact: true })).toHaveAttribute('href', path);

  // Closed now, then its results published.
  await changePhase(page, js, title, 'Beteiligung jetzt beenden', 'Beteiligung beendet');
  await changePhase(page, js, title, 'Ergebnisse veröffentlichen', 'Ergebnisse veröffentlicht');
  await expect(consultationRow(page, title).row.getByRole('button')).toHaveCount(0);
});

test('a consultation published with a start in the future is scheduled and stays hidden', async ({
  page,
  visit,
  js,
  freshPage,
}) => {
  test.setTimeout(120_000);
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-platz-${project}-${id}`;
  const title = `Spielplatz am Teich ${project} ${id}`;
  const path = `/musterstadt/${slug}`;

  await signInStaff(page, INITIATOR);
  await visit(`${ORG}/new`);
  let f = consultationEditor(page);
  await f.title.fill(title);
  await f.slug.fill(slug);
  await f.summary.fill('Ein neuer Spielplatz am Teich.');
  await f.opens.fill('2030-07-01T18:00');
  await f.closes.fill('2030-08-01T12:00');
  await f.save.click();
  await expect(page).toHaveURL(new RegExp(`${ORG}/${slug}/edit\\?saved=1$`));
  await settled(page, js, page.getByRole('status').getByText('Gespeichert.'), 'scheduled consultation saved');
  f = consultationEditor(page);
  // Stored in Europe/Berlin time and shown as typed.
  await expect(f.opens).toHaveValue('2030-07-01T18:00');
  await expect(f.closes).toHaveValue('2030-08-01T12:00');

  await visit(ORG);
  await changePhase(page, js, title, 'Veröffentlichen', 'Geplant');
  await expect(
    consultationRow(page, title).row.getByRole('button', { name: `Zurück zum Entwurf: ${title}`, exact: true }),
  ).toBeVisible();

  const stranger = await freshPage();
  await visitPage(stranger, path, { status: 404 });
  await expect(stranger.getByText(title)).toHaveCount(0);
  await visitPage(stranger, '/');
  await expect(stranger.getByRole('link', { name: title })).toHaveCount(0);
});
