// The discussion on a consultation page: Markdown in comments, replies in threads, the author's
// edit and deletion, support from others, the orders, a comment's own page and the threads that
// continue there — with JavaScript (updated in place, no page load) and without (form posts).
// Comments are rate-limited per account and network: each test writes only a few, spread over
// Anna and a second resident of its own project (signInNeighbour).
import {
  test,
  expect,
  commentForm,
  expectNoAxeViolations,
  settled,
  signIn,
  signInNeighbour,
  uniqueText,
  ANNA,
  CONSULTATION,
  CONSULTATION_TITLE,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

const EDITED_NOTICE = 'Ihre Änderung ist gespeichert.';
const DELETED_NOTICE = 'Ihr Beitrag ist gelöscht.';
const PLACEHOLDER = 'Dieser Beitrag wurde von der Verfasserin oder dem Verfasser gelöscht.';
/** Seeded comments (no account): the first thread of all, and a thread without replies. */
const OLDEST_SEEDED = 'Tempo 20 ist überfällig.';
const LOADING_ZONES = 'Wo sollen die Lieferfahrzeuge der Geschäfte halten?';

/** The comment `id`: its list item, its own article (not its replies') and its actions. */
function comment(page: Page, id: number) {
  const item = page.locator(`li#comment-${id}`);
  return {
    item,
    article: item.locator(':scope > article.comment'),
    body: item.locator(':scope > article.comment .comment-body'),
    actions: item.locator(':scope > .comment-actions'),
    replies: item.locator(':scope > ol.replies'),
  };
}

/** The id of the one comment shown whose own text contains `text`. */
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

/** Marks the window: a page load (which JavaScript must not cause) removes the mark. */
async function markNoReload(page: Page, js: boolean): Promise<void> {
  if (js) await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = 1));
}

async function expectNoReload(page: Page, js: boolean, what: string): Promise<void> {
  if (!js) return;
  expect(
    await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload),
    `the page was reloaded by ${what} (window.__noReload is gone)`,
  ).toBe(1);
}

/** The status region of the discussion says `text`. */
async function expectNotice(page: Page, text: string): Promise<void> {
  await expect(page.locator('#comments-flash[role="status"]')).toContainText(text);
}

/**
 * Posts a comment (or a reply to `parent`) as whoever is signed in on `page`, through the server
 * function as the hydrated form would (JSON answer): fast, for building threads.
 */
async function post(page: Page, body: string, parent?: number): Promise<number> {
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const answer = await page.request.post('/api/post_comment', {
    form: {
      org: 'musterstadt',
      slug: 'verkehrsberuhigung-altstadt',
      parent_id: parent ? String(parent) : '',
      body,
      return_to: CONSULTATION,
    },
    headers: { origin, accept: 'application/json' },
  });
  expect(answer.status(), `POST /api/post_comment: ${await answer.text()}`).toBe(200);
  const outcome = await answer.json();
  const id = outcome?.Published?.id;
  expect(typeof id, `a published comment in ${JSON.stringify(outcome)}`).toBe('number');
  return id as number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens a <details> by its summary (a click, as a person would; Enter works the same). */
async function open(details: Locator): Promise<void> {
  await details.locator(':scope > summary').click();
  await expect(details).toHaveAttribute('open', '');
}

test('a resident writes with Markdown, replies in a thread, corrects and deletes', async ({ page, visit, js }) => {
  test.slow(); // many page states, each checked with axe
  await signIn(page, ANNA);
  await visit(CONSULTATION);
  const { form, body, submit } = commentForm(page);
  await markNoReload(page, js);

  // The live counter (JavaScript only; without it a count that never moves would mislead).
  const counter = form.locator('.char-count');
  if (js) {
    await expect(counter).toHaveText('Noch 5000 Zeichen');
    await body.fill('Tempo');
    await expect(counter).toHaveText('Noch 4995 Zeichen');
    await expect(counter).not.toHaveClass(/char-count-over/);
    await body.fill('ä'.repeat(5003));
    await expect(counter).toHaveText('3 Zeichen zu viel');
    await expect(counter).toHaveClass(/char-count-over/);
    await expectNoAxeViolations(page, 'comment form over the limit');
  } else {
    await expect(counter).toHaveCount(0);
  }

  // Markdown: emphasis, a list, a link; raw HTML stays text, no headings, no images.
  const marker = uniqueText(`Markdown-Beitrag (${test.info().project.name})`);
  await body.fill(
    [
      `${marker} mit *betont* und **stark**.`,
      '',
      '- erster Punkt',
      '- zweiter Punkt',
      '',
      'Siehe [den Stadtplan](https://example.org/stadtplan).',
      '',
      '# Keine Überschrift',
      '',
      '![Bild](https://example.org/bild.png) <b>roh</b>',
    ].join('\n'),
  );
  await submit.click();
  const id = await idOf(page, marker);
  const mine = comment(page, id);
  await expect(mine.article.locator('.author')).toHaveText('Anna');
  await expect(mine.body.locator('em')).toHaveText('betont');
  await expect(mine.body.locator('strong')).toHaveText('stark');
  await expect(mine.body.locator('ul > li')).toHaveText(['erster Punkt', 'zweiter Punkt']);
  const link = mine.body.getByRole('link', { name: 'den Stadtplan' });
  await expect(link).toHaveAttribute('href', 'https://example.org/stadtplan');
  await expect(link).toHaveAttribute('rel', 'nofollow ugc noopener noreferrer');
  await expect(mine.body).not.toContainText('*betont*');
  await expect(mine.body.locator('h1, h2, h3, h4, h5, h6, img')).toHaveCount(0);
  await expect(mine.body).toContainText('Keine Überschrift');
  await expect(mine.body).toContainText('<b>roh</b>');
  await expect(mine.body.locator('b')).toHaveCount(0);
  if (js) {
    await expectNoReload(page, js, 'posting a comment');
    await expect(body, 'the form is cleared').toHaveValue('');
    // The counter starts afresh with the cleared form.
    await expect(counter, 'the counter after the form was cleared').toHaveText('Noch 5000 Zeichen');
  } else {
    await expect(page).toHaveURL(new RegExp(`${CONSULTATION}#comment-${id}$`));
  }
  await expectNoAxeViolations(page, 'after posting a Markdown comment');

  // The author corrects it (within 15 minutes): "(bearbeitet)" and the new text.
  await expect(mine.article.locator('.edited')).toHaveCount(0);
  const edit = mine.actions.locator(`details.edit#edit-form-${id}`);
  await open(edit);
  const editBody = edit.getByLabel('Ihr Beitrag');
  await expect(editBody, 'the Markdown as written').toHaveValue(new RegExp(`^${escapeRe(marker)} mit \\*betont\\*`));
  await expectNoAxeViolations(page, 'edit form open');
  const corrected = `${marker} – korrigiert: **Tempo 20** in der _ganzen_ Altstadt.`;
  await editBody.fill(corrected);
  await edit.getByRole('button', { name: 'Änderung speichern' }).click();
  await expectNotice(page, EDITED_NOTICE);
  await expect(mine.article.locator('.edited')).toHaveText('(bearbeitet)');
  await expect(mine.body.locator('strong')).toHaveText('Tempo 20');
  await expect(mine.body.locator('em')).toHaveText('ganzen');
  await expect(mine.body).not.toContainText('erster Punkt');
  await expectNoReload(page, js, 'editing a comment');
  if (js) await expect(edit, 'the edit form closes after saving').not.toHaveAttribute('open', '');
  await expectNoAxeViolations(page, 'after editing a comment');

  // A reply to someone else's comment (a seeded thread: found first in the oldest-first order).
  await visit(`${CONSULTATION}?sort=oldest`);
  await markNoReload(page, js);
  const seeded = await idOf(page, LOADING_ZONES);
  const parent = comment(page, seeded);
  const replyDetails = parent.actions.locator(`details.reply#reply-form-${seeded}`);
  await open(replyDetails);
  const replyForm = replyDetails.locator(`form#reply-${seeded}-form`);
  await expectNoAxeViolations(page, 'reply form open');
  const replyText = uniqueText(`Ladezonen am Morgen (${test.info().project.name})`);
  await replyForm.getByLabel('Ihr Beitrag').fill(`${replyText}, *vor* zehn Uhr.`);
  await replyForm.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
  // Nested under the comment it answers.
  const nested = parent.replies.locator(':scope > li > article.comment').filter({ hasText: replyText });
  await expect(nested).toHaveCount(1);
  await expect(nested.locator('.author')).toHaveText('Anna');
  await expect(nested.locator('.comment-body em')).toHaveText('vor');
  const replyId = await idOf(page, replyText);
  await expectNoReload(page, js, 'posting a reply');
  if (!js) await expect(page).toHaveURL(new RegExp(`\\?sort=oldest#comment-${replyId}$`));
  await expectNoAxeViolations(page, 'after replying');

  // The author deletes the reply after confirming. It has no replies: nothing of it stays
  // (with JavaScript the placeholder stands in its place until the next page load).
  const reply = comment(page, replyId);
  const del = reply.actions.locator('details.delete');
  await open(del);
  await expect(del).toContainText('Wollen Sie Ihren Beitrag wirklich löschen?');
  await expectNoAxeViolations(page, 'delete confirmation open');
  await del.getByRole('button', { name: 'Ja, endgültig löschen' }).click();
  await expectNotice(page, DELETED_NOTICE);
  await expect(page.getByText(replyText)).toHaveCount(0);
  if (js) {
    await expectNoReload(page, js, 'deleting a comment');
    await expect(reply.item).toContainText(PLACEHOLDER);
    await expect(reply.actions, 'no actions on a deleted comment').toHaveCount(0);
  } else {
    await expect(reply.item).toHaveCount(0);
  }
  await expectNoAxeViolations(page, 'after deleting a reply');
  await visit(`${CONSULTATION}?sort=oldest`);
  await expect(comment(page, seeded).item).toBeVisible();
  await expect(reply.item, 'a deleted comment without replies is left out').toHaveCount(0);
});

test('a second participant supports a comment and withdraws the support', async ({ page, visit, js, freshPage }) => {
  test.slow();
  // Anna's comment, written for this test.
  await signIn(page, ANNA);
  const text = uniqueText(`Mehr Fahrradbügel am Markt (${test.info().project.name})`);
  const id = await post(page, text);

  // Anna sees the count of her own comment, but no button to support it.
  await visit(CONSULTATION);
  const own = comment(page, id);
  await expect(own.actions.locator('.vote-count')).toHaveText('0 Unterstützungen');
  await expect(own.actions.getByRole('button', { name: /Unterstützen/ })).toHaveCount(0);

  const other = await freshPage();
  await signInNeighbour(other);
  await other.goto(CONSULTATION);
  const theirs = comment(other, id);
  await settled(other, js, theirs.article, 'a comment by someone else');
  await markNoReload(other, js);
  const support = theirs.actions.getByRole('button', { name: 'Unterstützen (Beitrag von Anna)' });
  const count = theirs.actions.locator('.vote-count');
  await expect(support).toHaveAttribute('aria-pressed', 'false');
  await expect(count).toHaveText('0 Unterstützungen');

  if (js) {
    // By keyboard: the button keeps the focus while the count changes in place.
    await support.focus();
    await other.keyboard.press('Enter');
    await expect(support).toHaveAttribute('aria-pressed', 'true');
    await expect(count).toHaveText('1 Unterstützung');
    await expect(support, 'the keyboard focus stays on the button').toBeFocused();
  } else {
    await support.click();
    await expect(other).toHaveURL(new RegExp(`${CONSULTATION}#comment-${id}$`));
    await expect(support).toHaveAttribute('aria-pressed', 'true');
    await expect(count).toHaveText('1 Unterstützung');
  }
  await expectNoAxeViolations(other, 'comment supported');

  // Anna sees the support counted.
  await visit(CONSULTATION);
  await expect(comment(page, id).actions.locator('.vote-count')).toHaveText('1 Unterstützung');

  // Pressing again withdraws it.
  if (js) {
    await other.keyboard.press('Enter');
    await expect(support).toBeFocused();
  } else {
    await support.click();
  }
  await expect(support).toHaveAttribute('aria-pressed', 'false');
  await expect(count).toHaveText('0 Unterstützungen');
  await expectNoReload(other, js, 'voting');
  await expectNoAxeViolations(other, 'support withdrawn');
  // And it stays withdrawn on the next page load.
  await other.reload();
  await settled(other, js, theirs.article, 'reloaded after withdrawing');
  await expect(support).toHaveAttribute('aria-pressed', 'false');
  await expect(count).toHaveText('0 Unterstützungen');
});

test('orders, a comment’s own page and threads that continue there', async ({ page, visit, js }) => {
  test.slow();
  const me = await signInNeighbour(page);
  const project = test.info().project.name;

  // A chain five deep: the list indents four levels; the fifth continues on its parent's page.
  const texts = [0, 1, 2, 3, 4].map((n) => uniqueText(`Kette ${project} Ebene ${n}`));
  const ids: number[] = [];
  for (const [n, text] of texts.entries()) ids.push(await post(page, text, n ? ids[n - 1] : undefined));
  const [root, first, second, third, fourth] = ids;

  // The default order: newest first, marked as the current one.
  await visit(CONSULTATION);
  const sort = page.getByRole('navigation', { name: 'Sortierung der Kommentare' });
  const orders = ['Neueste zuerst', 'Älteste zuerst', 'Meiste Unterstützung', 'Meistdiskutiert'];
  await expect(sort.getByRole('link')).toHaveText(orders);
  await expect(sort.getByRole('link', { name: 'Neueste zuerst' })).toHaveAttribute('aria-current', 'true');
  await expect(sort.locator('a[aria-current]')).toHaveCount(1);

  // Indented four levels, the rest behind a link.
  const shown = comment(page, third);
  await expect(
    page.locator(`#comment-${root} > ol.replies > #comment-${first} > ol.replies > #comment-${second} > ol.replies > #comment-${third}`),
  ).toBeVisible();
  await expect(comment(page, fourth).item).toHaveCount(0);
  await expect(page.getByText(texts[4])).toHaveCount(0);
  const more = shown.item.getByRole('link', { name: 'Diskussion fortsetzen (1 weitere Antwort)' });
  await expect(more).toHaveAttribute('href', `${CONSULTATION}/comments/${third}`);

  // The orders, as plain links (they work the same without JavaScript).
  for (const [name, query] of [
    ['Älteste zuerst', '?sort=oldest'],
    ['Meistdiskutiert', '?sort=discussed'],
    ['Meiste Unterstützung', '?sort=supported'],
    ['Neueste zuerst', ''],
  ] as const) {
    await sort.getByRole('link', { name }).click();
    await expect(page).toHaveURL(new RegExp(`${CONSULTATION}${query.replace('?', '\\?')}#comments-heading$`));
    await settled(page, js, sort.getByRole('link', { name }), `comments in the order "${name}"`);
    await expect(sort.getByRole('link', { name })).toHaveAttribute('aria-current', 'true');
    await expect(sort.locator('a[aria-current]')).toHaveCount(1);
    if (name === 'Älteste zuerst') {
      const threads = page.locator('ol.comments:not(.replies) > li > article.comment .comment-body');
      await expect(threads.first()).toContainText(OLDEST_SEEDED);
    } else if (name === 'Meistdiskutiert') {
      // The chain (four replies) before a seeded thread with one reply or none.
      const order = await page.locator('ol.comments:not(.replies) > li').evaluateAll((items) => items.map((li) => li.id));
      expect(order).toContain(`comment-${root}`);
      // (The seeded thread may be on a later page by now: there it comes after the chain anyway.)
      const seededThread = page.locator('ol.comments:not(.replies) > li').filter({
        has: page.locator(':scope > article .comment-body', { hasText: LOADING_ZONES }),
      });
      if ((await seededThread.count()) === 1) {
        expect(order.indexOf(`comment-${root}`)).toBeLessThan(order.indexOf((await seededThread.getAttribute('id'))!));
      }
    } else if (name === 'Neueste zuerst') {
      // The order's forms come back to the same order without JavaScript.
      await expect(page.locator(`form#reply-${root}-form input[name="return_to"]`)).toHaveValue(CONSULTATION);
    }
    if (name === 'Älteste zuerst') {
      await expect(page.locator('form#comment-form input[name="return_to"]')).toHaveValue(`${CONSULTATION}?sort=oldest`);
    }
  }

  // "Continue the discussion": the third reply's own page, with the rest of the chain.
  await comment(page, third).item.getByRole('link', { name: /^Diskussion fortsetzen/ }).click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}/comments/${third}$`));
  await settled(page, js, page.getByRole('heading', { level: 1, name: `Beitrag von ${me.name}` }), 'continued thread');
  await expect(comment(page, third).body).toContainText(texts[3]);
  await expect(comment(page, third).replies.locator(`#comment-${fourth}`)).toContainText(texts[4]);
  await expect(page.getByText(texts[2])).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Zum Beitrag, auf den dieser antwortet' })).toHaveAttribute(
    'href',
    `${CONSULTATION}/comments/${second}`,
  );
  // With the same forms as on the consultation page.
  await expect(comment(page, fourth).actions.locator(`details.reply#reply-form-${fourth}`)).toHaveCount(1);
  await expect(comment(page, fourth).actions.locator(`details.edit#edit-form-${fourth}`)).toHaveCount(1);

  // Up one: the parent's page.
  await page.getByRole('link', { name: 'Zum Beitrag, auf den dieser antwortet' }).click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}/comments/${second}$`));
  await settled(page, js, comment(page, second).body.getByText(texts[2]), 'parent comment page');

  // The permalink of the first comment of the chain: it with its replies, and the way back.
  await visit(CONSULTATION);
  await comment(page, root).article.locator('a.permalink').click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}/comments/${root}$`));
  await settled(page, js, page.getByRole('heading', { level: 1, name: `Beitrag von ${me.name}` }), 'permalink page');
  await expect(comment(page, root).body).toContainText(texts[0]);
  await expect(comment(page, root).replies.locator(`#comment-${first}`)).toContainText(texts[1]);
  await expect(page.getByRole('link', { name: 'Zum Beitrag, auf den dieser antwortet' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Diskussion fortsetzen/ })).toHaveAttribute(
    'href',
    `${CONSULTATION}/comments/${third}`,
  );

  // Deleting a comment that has replies there: a placeholder keeps them in their thread.
  const del = comment(page, first).actions.locator('details.delete');
  await open(del);
  await del.getByRole('button', { name: 'Ja, endgültig löschen' }).click();
  await expectNotice(page, DELETED_NOTICE);
  await expect(comment(page, first).article).toContainText(PLACEHOLDER);
  await expect(comment(page, first).article).not.toContainText(texts[1]);
  await expect(comment(page, first).replies.locator(`#comment-${second}`)).toContainText(texts[2]);
  if (!js) await expect(page).toHaveURL(new RegExp(`${CONSULTATION}/comments/${root}#comments-flash$`));
  await expectNoAxeViolations(page, 'comment with replies deleted on its thread page');

  const back = page.getByRole('link', { name: `Zurück zur Beteiligung: ${CONSULTATION_TITLE}` });
  await expect(back).toHaveAttribute('href', `${CONSULTATION}#comments-heading`);
  await back.click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}#comments-heading$`));
  await settled(page, js, page.getByRole('heading', { level: 1, name: CONSULTATION_TITLE }), 'back on the consultation');
  await expect(comment(page, first).article).toContainText(PLACEHOLDER);
  await expect(comment(page, first).replies.locator(`#comment-${second}`)).toContainText(texts[2]);
});
