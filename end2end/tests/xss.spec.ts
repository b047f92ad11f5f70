// Stored cross-site scripting: what residents write comes back as text, never as markup that
// runs — in a comment (pinned on the map), a reply, an edited comment, a comment's own page and
// a refused registration's kept display name; with JavaScript (rendered in place, hydrated) and
// without. Questionnaire free text has its own check in questionnaire.spec.ts.
import {
  test,
  expect,
  commentForm,
  expectFieldError,
  expectNoAxeViolations,
  signInNeighbour,
  uniqueId,
  uniqueText,
  CONSULTATION,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

/** Each payload, and what of it must be visible as text (a Markdown link's own text). */
const PAYLOADS = [
  { raw: '<script>alert(1)</script>', shown: '<script>alert(1)</script>' },
  { raw: '<img src=x onerror=alert(1)>', shown: '<img src=x onerror=alert(1)>' },
  { raw: '<svg onload=alert(1)>', shown: '<svg onload=alert(1)>' },
  { raw: '[klick](javascript:alert(1))', shown: 'klick' },
  { raw: '[daten](data:text/html,<script>alert(1)</script>)', shown: 'daten' },
  { raw: '<a href="javascript:alert(1)">x</a>', shown: '<a href="javascript:alert(1)">x</a>' },
  { raw: '" onmouseover="alert(1)', shown: '" onmouseover="alert(1)' },
  // Breaks out of a textarea that does not escape its text (the edit form, a kept draft).
  { raw: '</textarea><img src=x onerror=alert(1)>', shown: '</textarea><img src=x onerror=alert(1)>' },
];
/** Every payload in a paragraph of its own, after a line that finds the comment. */
function withPayloads(marker: string): string {
  return [marker, ...PAYLOADS.map((p) => p.raw)].join('\n\n');
}

const INVALID_NAME = 'Der Name darf 3 bis 40 Zeichen lang sein';

/** Collects every dialog (alert, confirm, prompt) the page opens; the checks fail on any. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  return dialogs;
}

/**
 * What the discussion (`#comments-heading ~ * *, .comments *`, or `scope`) has that could run:
 * `on*` attributes, javascript:/data: addresses.
 */
async function dangerousAttributes(page: Page, scope = '#comments-heading ~ * *, .comments, .comments *'): Promise<string[]> {
  return page.evaluate((selector) => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll(selector))) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        // Browsers ignore whitespace and control characters inside a scheme.
        const value = attr.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
        const what = `<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`;
        if (name.startsWith('on')) found.push(what);
        else if ((name === 'href' || name === 'xlink:href') && /^(javascript|data|vbscript):/.test(value)) found.push(what);
        else if (['src', 'action', 'formaction'].includes(name) && /^(javascript|vbscript):/.test(value)) found.push(what);
      }
    }
    return found;
  }, scope);
}

/**
 * The comment body `body` shows every payload as text, nothing in the discussion can run, and
 * hovering and clicking the text opens no dialog and goes nowhere.
 */
async function expectInert(page: Page, body: Locator, dialogs: string[], what: string): Promise<void> {
  for (const p of PAYLOADS) await expect(body, `${what}: the payload is shown as text`).toContainText(p.shown);
  await expect(
    page.locator('.comment-body').locator('script, img, svg, iframe, object, embed, style, form, input'),
    `${what}: no element injected into a comment's text`,
  ).toHaveCount(0);
  expect(await dangerousAttributes(page), `${what}: attributes that could run script`).toEqual([]);

  // Hover and click what is there, as a reader would.
  const url = page.url();
  for (const paragraph of await body.locator('p').all()) await paragraph.hover();
  await body.getByText('klick', { exact: true }).click();
  await body.getByText('daten', { exact: true }).click();
  await body.getByText('" onmouseover="alert(1)').hover();
  await body.click({ position: { x: 2, y: 2 } });
  // An injected handler (onerror of a failed image, onload) would have fired by now.
  await page.waitForTimeout(300);
  expect(page.url(), `${what}: clicking the text goes nowhere`).toBe(url);
  expect(dialogs, `${what}: no dialog may open`).toEqual([]);
}

/** The list item, own article and own text of the comment `id`. */
function comment(page: Page, id: number) {
  const item = page.locator(`li#comment-${id}`);
  return {
    item,
    article: item.locator(':scope > article.comment'),
    body: item.locator(':scope > article.comment .comment-body'),
    actions: item.locator(':scope > .comment-actions'),
  };
}

async function idOf(page: Page, text: string): Promise<number> {
  const article = page.locator('article.comment').filter({
    has: page.locator(':scope > .comment-body', { hasText: text }),
  });
  await expect(article, `one comment with the text "${text}"`).toHaveCount(1);
  const labelledBy = await article.getAttribute('aria-labelledby');
  const id = Number(labelledBy?.match(/^comment-(\d+)-author$/)?.[1]);
  expect(id, `comment id from aria-labelledby="${labelledBy}"`).toBeGreaterThan(0);
  return id;
}

async function open(details: Locator): Promise<void> {
  await details.locator(':scope > summary').click();
  await expect(details).toHaveAttribute('open', '');
}

test('payloads in a pinned comment, a reply and an edit render inert', async ({ page, visit, js }) => {
  test.slow(); // many page states, each checked with axe
  const dialogs = watchDialogs(page);
  const me = await signInNeighbour(page);
  const project = test.info().project.name;
  // A place inside the demo area, a different one per project (so that the pins do not overlap).
  // (No trailing zeros: the page shows the coordinates without them.)
  const [lat, lon] = js ? ['51.5352', '9.9403'] : ['51.5312', '9.9321'];

  // A comment, pinned on the map.
  await visit(CONSULTATION);
  const { form, body, submit } = commentForm(page);
  await form.getByText('Einen Ort auf der Karte markieren (optional)').click();
  await form.getByLabel('Breite (Latitude)').fill(lat);
  await form.getByLabel('Länge (Longitude)').fill(lon);
  const marker = uniqueText(`XSS-Beitrag (${project})`);
  await body.fill(withPayloads(marker));
  await submit.click();
  const id = await idOf(page, marker);
  const posted = comment(page, id);
  await expect(posted.article.locator('.pin-note')).toContainText(`Auf der Karte markiert: ${lat}, ${lon}`);
  await expectInert(page, posted.body, dialogs, 'posted comment');
  await expectNoAxeViolations(page, 'comment with payloads');

  // A reply with the same payloads.
  const replyDetails = posted.actions.locator(`details.reply#reply-form-${id}`);
  await open(replyDetails);
  const replyMarker = uniqueText(`XSS-Antwort (${project})`);
  await replyDetails.getByLabel('Ihr Beitrag').fill(withPayloads(replyMarker));
  await replyDetails.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
  const replyId = await idOf(page, replyMarker);
  await expect(comment(page, id).item.locator(`:scope > ol.replies > li#comment-${replyId}`)).toHaveCount(1);
  await expectInert(page, comment(page, replyId).body, dialogs, 'reply');
  await expectNoAxeViolations(page, 'reply with payloads');

  // The comment edited to other payloads; the edit form shows the text as written.
  const edit = comment(page, id).actions.locator(`details.edit#edit-form-${id}`);
  await open(edit);
  const editBody = edit.getByLabel('Ihr Beitrag');
  await expect(editBody).toHaveValue(withPayloads(marker));
  const editMarker = uniqueText(`XSS-bearbeitet (${project})`);
  await editBody.fill(withPayloads(editMarker));
  await edit.getByRole('button', { name: 'Änderung speichern' }).click();
  await expect(comment(page, id).article.locator('.edited')).toHaveText('(bearbeitet)');
  await expect(comment(page, id).body).toContainText(editMarker);
  await expectInert(page, comment(page, id).body, dialogs, 'edited comment');
  await expectNoAxeViolations(page, 'edited comment with payloads');

  // As the server renders it on a fresh page load (and, with JavaScript, hydrates it).
  await visit(CONSULTATION);
  await expectInert(page, comment(page, id).body, dialogs, 'edited comment, page loaded');
  await expectInert(page, comment(page, replyId).body, dialogs, 'reply, page loaded');
  // The author's edit form has the text as written, inside its textarea (not as markup).
  await expect(comment(page, id).actions.locator('details.edit textarea')).toHaveValue(withPayloads(editMarker));
  const place = page.locator('section.place');
  expect(await dangerousAttributes(page, 'section.place, section.place *'), 'the place section').toEqual([]);
  if (js) {
    // The pin's popup on the live map leads to the comment.
    const view = place.locator('[data-map="view"] .leaflet-container');
    await expect(view).toBeVisible();
    const popupLink = view.locator(`.leaflet-popup a[href="#comment-${id}"]`);
    const shapes = view.locator('path.leaflet-interactive');
    await expect(shapes.first()).toBeVisible();
    // Which of the pins is this comment's shows in its popup: each is tried in turn.
    for (const shape of await shapes.all()) {
      // An open popup may cover the next pin: closed first.
      const close = view.locator('.leaflet-popup-close-button');
      if (await close.isVisible()) {
        await close.click();
        await expect(view.locator('.leaflet-popup')).toHaveCount(0);
      }
      await shape.click({ force: true });
      await view.locator('.leaflet-popup').waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
      if (await popupLink.isVisible()) break;
    }
    await expect(popupLink, 'the popup of the pin').toBeVisible();
    await expect(popupLink).toHaveText('Zum Beitrag');
    expect(await dangerousAttributes(page, '.leaflet-popup, .leaflet-popup *'), 'the popup').toEqual([]);
    // Checked once it has faded in (mid-fade its colours are pale).
    await expect(view.locator('.leaflet-popup')).toHaveCSS('opacity', '1');
    await expectNoAxeViolations(page, 'map popup open');
    await popupLink.click();
    await expect(page).toHaveURL(new RegExp(`#comment-${id}$`));
    expect(dialogs, 'map popup: no dialog may open').toEqual([]);
  } else {
    await expect(place.locator('.map-sketch svg')).toBeVisible();
  }

  // The comment's own page.
  await visit(`${CONSULTATION}/comments/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Beitrag von ${me.name}` })).toBeVisible();
  await expectInert(page, comment(page, id).body, dialogs, 'comment page');
  await expectInert(page, comment(page, replyId).body, dialogs, 'reply on the comment page');
});

test('a display name with markup is refused at registration and the kept input is inert', async ({ page, visit, js }) => {
  test.slow();
  const dialogs = watchDialogs(page);
  const email = `xss-${test.info().project.name}-${uniqueId()}@example.org`;
  await visit('/register');
  for (const [n, { raw }] of PAYLOADS.entries()) {
    await page.getByLabel('E-Mail-Adresse').fill(email);
    const name = page.getByLabel('Name (öffentlich sichtbar)');
    await name.fill(raw);
    const typed = await name.inputValue();
    await page.getByLabel('Passwort').fill('Lindenpark-Rutsche-2026');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();

    const kept = page.getByLabel('Name (öffentlich sichtbar)');
    await expectFieldError(kept, [INVALID_NAME]);
    await expect(kept, 'the typed name is kept as it was').toHaveValue(typed);
    await expect(page.getByRole('status').filter({ hasText: 'Fast geschafft!' })).toHaveCount(0);
    await expect(page.locator('main').locator('script, img[src="x"], svg[onload], iframe')).toHaveCount(0);
    expect(await dangerousAttributes(page, 'main, main *'), `registration with "${raw}"`).toEqual([]);
    await kept.hover();
    await page.waitForTimeout(200);
    expect(dialogs, `registration with "${raw}": no dialog may open`).toEqual([]);
    if (n === 0) await expectNoAxeViolations(page, 'registration refused for the name');
  }
});
