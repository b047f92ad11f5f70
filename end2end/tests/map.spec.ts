// Maps: an initiator draws a consultation's area on the editor's map (with JavaScript) or types
// it (without); the consultation page shows the area as a live Leaflet map with JavaScript and as
// an SVG sketch with the place in words without; a resident pins a comment inside the area; the
// home page maps the open consultations. Tile requests never leave the machine (fixtures abort
// them), so every map here also shows that pages work without tiles.
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
  waitForHydration,
  ANNA,
  CONSULTATION,
  CONSULTATION_TITLE,
  clickAt,
} from './fixtures';
import type { Locator } from '@playwright/test';

const INITIATOR = 'redaktion@musterstadt.example';
const TILES = /^https:\/\/tile\.openstreetmap\.org\/\d+\/\d+\/\d+\.png$/;
const LINES_OF_THREE = /^-?\d+(\.\d+)?, -?\d+(\.\d+)?\n-?\d+(\.\d+)?, -?\d+(\.\d+)?\n-?\d+(\.\d+)?, -?\d+(\.\d+)?$/;

test('an initiator gives a consultation an area, drawn on the map or typed, and its page shows it', async ({
  page,
  visit,
  js,
  thirdParty,
}) => {
  test.setTimeout(120_000);
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-karte-${project}-${id}`;
  await signInStaff(page, INITIATOR);
  await visit('/manage/musterstadt/new');
  const form = page.locator('form#consultation-editor');
  await form.getByLabel('Titel', { exact: true }).fill(`Platz mit Karte ${project} ${id}`);
  await form.getByLabel('Adresse (Kurzname)').fill(slug);
  await form.getByLabel('Kurze Zusammenfassung').fill('Wo sollen die neuen Bäume stehen?');
  await form.getByLabel('Ort / Adresse (optional)').fill('Lindenplatz, vor der Schule');
  const area = form.getByLabel('Gebiet: Koordinaten, eine Zeile je Punkt (optional)');

  if (js) {
    // Three clicks on the map make a triangle, written into the text field as it goes.
    const canvas = form.locator('[data-map="edit"] .map-canvas.leaflet-container');
    await expect(canvas).toBeVisible();
    await expect(form.getByRole('button', { name: 'Punkt statt Fläche' })).toBeVisible();
    await clickAt(canvas, 0.3, 0.3);
    await clickAt(canvas, 0.7, 0.35);
    await clickAt(canvas, 0.5, 0.75);
    await expect(area).toHaveValue(LINES_OF_THREE);
    await expect(canvas.locator('path.leaflet-interactive')).toHaveCount(1);
    // The last corner can be taken back and set again.
    await form.getByRole('button', { name: 'Letzten Punkt entfernen' }).click();
    await expect(area).not.toHaveValue(LINES_OF_THREE);
    await clickAt(canvas, 0.5, 0.75);
    await expect(area).toHaveValue(LINES_OF_THREE);
    await expectNoAxeViolations(page, 'editor with the drawing map');
  } else {
    await expect(form.locator('.leaflet-container')).toHaveCount(0);
    await area.fill('51.53, 9.93\n51.53, 9.94\n51.54, 9.94');
  }
  const typed = await area.inputValue();
  await form.getByRole('button', { name: 'Speichern' }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/musterstadt/${slug}/edit\\?saved=1$`));
  if (js) await waitForHydration(page);
  await expect(page.locator('form#consultation-editor').getByLabel('Gebiet: Koordinaten, eine Zeile je Punkt (optional)')).toHaveValue(typed);

  // The staff preview of the page.
  await visit(`/musterstadt/${slug}`);
  const place = page.locator('section.place');
  await expect(place.getByRole('heading', { name: 'Ort', level: 2 })).toBeVisible();
  await expect(place.getByText('Lindenplatz, vor der Schule')).toBeVisible();
  await expect(place.getByRole('link', { name: 'Auf OpenStreetMap ansehen' })).toHaveAttribute(
    'href',
    /^https:\/\/www\.openstreetmap\.org\/\?mlat=/,
  );
  await expect(place.locator('figcaption')).toContainText('Eine Fläche mit 3 Eckpunkten');
  if (js) {
    const live = place.getByRole('region', { name: 'Karte des Gebiets' });
    await expect(live.locator('.leaflet-container path.leaflet-interactive')).toHaveCount(1);
    await expect(place.locator('.map-sketch')).toBeHidden();
    // Tiles were asked for (the CSP lets them through), and the page works without them.
    await expect.poll(() => thirdParty.some((url) => TILES.test(url))).toBe(true);
    await expectNoAxeViolations(page, 'consultation page with the live map');
  } else {
    await expect(place.getByRole('img', { name: /^Skizze des Gebiets, Norden oben: Eine Fläche mit 3 Eckpunkten/ })).toBeVisible();
    await expect(place.locator('.leaflet-container')).toHaveCount(0);
    expect(thirdParty, 'no third-party requests without JavaScript').toEqual([]);
  }
});

test('a resident marks a place inside the area for a comment, by map or by coordinates', async ({
  page,
  visit,
  js,
}) => {
  // Two posts of the comment form and two axe runs on the demo page, which by now carries the
  // comments of every other test: without JavaScript each is a full page load (31 s once in CI).
  test.slow();
  await signIn(page, ANNA);
  await visit(CONSULTATION);
  const { form, body, submit } = commentForm(page);
  const text = uniqueText(`Hier fehlt ein Zebrastreifen (${test.info().project.name})`);
  await form.getByText('Einen Ort auf der Karte markieren (optional)').click();
  const lat = form.getByLabel('Breite (Latitude)');
  const lon = form.getByLabel('Länge (Longitude)');

  // Outside the area: refused next to the place, the text kept.
  await body.fill(text);
  await lat.fill('48.137');
  await lon.fill('11.575');
  await submit.click();
  const outside = 'Dieser Ort liegt außerhalb des Gebiets der Beteiligung.';
  await expectFieldError(commentForm(page).form.getByLabel('Breite (Latitude)'), [outside]);
  await expect(commentForm(page).body).toHaveValue(text);
  if (js) await waitForHydration(page);
  await expectNoAxeViolations(page, 'comment form with a pin outside the area');

  const again = commentForm(page);
  if (js) {
    // A click in the middle of the area's map sets the place.
    const canvas = again.form.locator('[data-map="pin"] .map-canvas.leaflet-container');
    await expect(canvas).toBeVisible();
    await clickAt(canvas, 0.5, 0.5);
    await expect(again.form.getByLabel('Breite (Latitude)')).toHaveValue(/^51\.53\d*$/);
    await expect(again.form.getByLabel('Länge (Longitude)')).toHaveValue(/^9\.93\d*$/);
  } else {
    await again.form.getByLabel('Breite (Latitude)').fill('51.5337');
    await again.form.getByLabel('Länge (Longitude)').fill('9.9356');
  }
  await again.submit.click();
  const posted = page.locator('ol.comments article').filter({ hasText: text });
  await expect(posted).toHaveCount(1);
  await expect(posted.locator('.pin-note')).toContainText(/Auf der Karte markiert: 51\.53\d*, 9\.93\d*/);
  if (js) {
    // Posted in place: the form (and its mark) is cleared for the next comment.
    await expect(again.form.getByLabel('Breite (Latitude)')).toHaveValue('');
  }
  await expectNoAxeViolations(page, 'after posting a pinned comment');
});

test('the home page maps the open consultations; without JavaScript the list alone finds them', async ({
  page,
  visit,
  js,
}) => {
  await visit('/');
  const section = page.locator('section[data-map-section]');
  if (js) {
    await expect(section.getByRole('heading', { name: 'Offene Beteiligungen auf der Karte' })).toBeVisible();
    const marker = section.getByRole('button', { name: CONSULTATION_TITLE });
    await expect(marker).toBeVisible();
    await expectNoAxeViolations(page, 'home page with the map');
    await marker.click();
    await section.locator('.leaflet-popup').getByRole('link', { name: CONSULTATION_TITLE }).click();
    await expect(page).toHaveURL(new RegExp(`${CONSULTATION}$`));
    await expect(page.getByRole('heading', { name: CONSULTATION_TITLE, level: 1 })).toBeVisible();
    // The page came by client-side navigation: its map is set up all the same.
    await expect(page.locator('[data-map="view"] .leaflet-container')).toBeVisible();
  } else {
    await expect(section).toBeHidden();
    await page.getByRole('link', { name: CONSULTATION_TITLE }).click();
    await expect(page).toHaveURL(new RegExp(`${CONSULTATION}$`));
  }
});
