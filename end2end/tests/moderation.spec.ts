// The moderators' queue in the browser: a moderator appointed for this run clears a queue of
// twenty pre-moderated contributions with the keyboard alone (JavaScript on), and decides with
// the plain forms (JavaScript on and off): approve, hide with a reason (a refused form keeps the
// note), edit out personal data. Residents then see exactly what was decided. axe checks every
// state of the queue.
import type { Page } from '@playwright/test';
import {
  test,
  expect,
  expectNoAxeViolations,
  mailTo,
  oncePerRun,
  neighbourAccount,
  signInNeighbour,
  signInStaff,
  uniqueId,
  visitPage,
  waitForHydration,
} from './fixtures';

const ADMIN = 'admin@example.org';
const ORG = 'musterstadt';

/**
 * Signs the instance admin in on `page`, who appoints this run's moderator of musterstadt (a
 * registered account; once per run) and makes a new open, pre-moderated consultation. Returns the
 * moderator's account and the consultation's slug.
 */
async function setUp(
  page: Page,
  baseURL: string,
  what: string,
): Promise<{ mod: { email: string; password: string }; slug: string }> {
  const mod = await neighbourAccount(page, 'moderator');
  await signInStaff(page, ADMIN);
  await oncePerRun('moderator-appointed', async () => {
    await visitPage(page, `/manage/${ORG}`);
    const appoint = page.locator('form#appoint-form');
    await appoint.getByLabel('E-Mail-Adresse').fill(mod.email);
    await appoint.getByLabel('Rolle').selectOption({ label: 'Moderation' });
    await appoint.getByRole('button', { name: 'Rolle vergeben' }).click();
    await expect(page.locator('section#staff tbody tr').filter({ hasText: mod.email })).toContainText('Moderation');
  });

  const slug = `e2e-moderation-${what}-${test.info().project.name}-${uniqueId()}`;
  const headers = { origin: new URL(baseURL).origin, accept: 'application/json' };
  const saved = await page.request.post('/api/save_consultation', {
    headers,
    form: {
      org: ORG,
      original: '',
      slug,
      title: `Moderationsprobe ${what} ${slug.slice(-9)}`,
      summary: 'Beiträge erscheinen erst nach Prüfung.',
      plain_summary: '',
      body: '',
      topic: '',
      office: '',
      contact: '',
      opens_at: '',
      closes_at: '',
      moderation: 'pre',
      rule: 'account',
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  const published = await page.request.post('/api/change_phase', {
    headers,
    form: { org: ORG, slug, action: 'publish' },
  });
  expect(published.status(), await published.text()).toBe(200);
  return { mod, slug };
}

/**
 * Posts comments as the resident signed in on `page`, as the comment form does, each from a
 * network of its own (X-Forwarded-For; scripts/e2e.sh trusts the local proxy), as many residents
 * would: the per-network limit would otherwise count the whole suite's comments as one.
 */
async function post(page: Page, baseURL: string, slug: string, bodies: string[]): Promise<void> {
  for (const [n, body] of bodies.entries()) {
    const answer = await page.request.post('/api/post_comment', {
      headers: {
        origin: new URL(baseURL).origin,
        accept: 'application/json',
        'x-forwarded-for': `198.51.${100 + (n % 2)}.${1 + n}`,
      },
      form: { org: ORG, slug, parent_id: '', body },
    });
    expect(answer.status(), await answer.text()).toBe(200);
  }
}

/** The queue's count heading. */
function count(page: Page) {
  return page.locator('#queue-count');
}

/** Whether the focus is on an item of the queue that is still listed. */
async function focusedItem(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el?.matches('ol.queue-items > li:not([hidden]) > article.queue-item')
      ? el.getAttribute('data-item')
      : null;
  });
}

test('a moderator clears a queue of 20 items with the keyboard only', async ({ page, js, freshPage, baseURL }) => {
  test.skip(!js, 'the shortcuts need JavaScript; without it the plain forms decide (next test)');
  test.setTimeout(240_000);
  const { mod, slug } = await setUp(page, baseURL!, 'tastatur');
  const authorPage = await freshPage();
  const author = await signInNeighbour(authorPage, 'queue-author');
  const id = uniqueId();
  const bodies = Array.from({ length: 20 }, (_, n) => `Warteschlange ${id} Nummer ${String(n + 1).padStart(2, '0')}`);
  await post(authorPage, baseURL!, slug, bodies);

  // The moderator finds the queue in the navigation.
  const queue = await freshPage();
  await signInStaff(queue, mod.email, mod.password);
  await visitPage(queue, '/');
  await queue.getByRole('navigation').getByRole('link', { name: 'Moderation', exact: true }).click();
  await expect(queue).toHaveURL(/\/moderation$/);
  await waitForHydration(queue);

  // From here on, the keyboard only: filter to the consultation …
  await queue.getByLabel('Beteiligung (Kurzname in der Adresse)').focus();
  await queue.keyboard.type(slug);
  await queue.keyboard.press('Enter');
  await expect(queue).toHaveURL(new RegExp(`[?&]consultation=${slug}`));
  await waitForHydration(queue);
  await expect(count(queue)).toHaveText('20 Beiträge in der Warteschlange');
  await expectNoAxeViolations(queue, 'queue of 20');

  // … Tab into the list (the items form one tab stop) …
  let first: string | null = null;
  for (let n = 0; n < 40 && !first; n++) {
    await queue.keyboard.press('Tab');
    first = await focusedItem(queue);
  }
  expect(first, 'Tab reaches the first item of the queue').not.toBeNull();

  // … the help opens and closes with "?" …
  await queue.keyboard.press('?');
  await expect(queue.locator('#queue-help')).toHaveAttribute('open', '');
  await expectNoAxeViolations(queue, 'shortcut help open');
  await queue.keyboard.press('?');
  await expect(queue.locator('#queue-help')).not.toHaveAttribute('open', '');

  // … "a" approves fifteen, one after the other: each leaves, the focus moves on, the count and
  // the live region say so.
  const status = queue.locator('p[role="status"][aria-live="polite"]');
  for (let n = 1; n <= 15; n++) {
    const before = await focusedItem(queue);
    expect(before, `the focus is on an item before decision ${n}`).not.toBeNull();
    await queue.keyboard.press('a');
    await expect(count(queue)).toHaveText(`${20 - n} Beiträge in der Warteschlange`);
    await expect(queue.locator(`#item-${before}`)).toBeHidden();
    await expect.poll(() => focusedItem(queue), `the focus moves to the next item after ${n}`).not.toBeNull();
    expect(await focusedItem(queue)).not.toBe(before);
  }
  await expect(status).toHaveText('1 Beitrag freigegeben');

  // "h" opens the hide form with its reason focused; the reason is typed, Tab reaches the note and
  // the button.
  const hidden: string[] = [];
  for (let n = 1; n <= 2; n++) {
    const item = (await focusedItem(queue))!;
    hidden.push((await queue.locator(`#item-${item} blockquote.queue-body`).innerText()).trim());
    await queue.keyboard.press('h');
    await expect(queue.locator(`#item-${item} details.queue-hide`)).toHaveAttribute('open', '');
    await expect(queue.locator(`#item-${item}-reason`)).toBeFocused();
    await queue.keyboard.type('Spam');
    await expect(queue.locator(`#item-${item}-reason`)).toHaveValue('spam');
    await queue.keyboard.press('Tab');
    await expect(queue.locator(`#item-${item}-note`)).toBeFocused();
    await queue.keyboard.type('Werbung gehört nicht in die Beteiligung.');
    if (n === 1) await expectNoAxeViolations(queue, 'hide form open');
    await queue.keyboard.press('Tab');
    await queue.keyboard.press('Enter');
    await expect(count(queue)).toHaveText(`${5 - n} Beiträge in der Warteschlange`);
    await expect(status).toHaveText('1 Beitrag ausgeblendet');
    await expect.poll(() => focusedItem(queue)).not.toBeNull();
  }

  // The last three: "x" selects each ("j" moves on), back up with "k", Shift+Tab to the bulk
  // approval and Enter.
  await queue.keyboard.press('x');
  await queue.keyboard.press('j');
  await queue.keyboard.press('x');
  await queue.keyboard.press('j');
  await queue.keyboard.press('x');
  await expect(queue.locator('input.queue-select:checked')).toHaveCount(3);
  await queue.keyboard.press('k');
  await queue.keyboard.press('k');
  for (let n = 0; n < 3; n++) await queue.keyboard.press('Shift+Tab');
  await expect(queue.getByRole('button', { name: 'Ausgewählte freigeben' })).toBeFocused();
  await queue.keyboard.press('Enter');
  await expect(queue.locator('.flash')).toContainText('3 Beiträge freigegeben');
  await waitForHydration(queue);
  await expect(count(queue)).toHaveText('0 Beiträge in der Warteschlange');
  await expect(queue.getByText('Keine Beiträge in der Warteschlange.')).toBeVisible();
  await expectNoAxeViolations(queue, 'queue cleared');

  // Residents see the eighteen approved, not the two hidden; the author is told why.
  const resident = await freshPage();
  await visitPage(resident, `/${ORG}/${slug}`);
  const shown = resident.locator('ol.comments article').filter({ hasText: `Warteschlange ${id}` });
  await expect(shown).toHaveCount(18);
  for (const text of hidden) {
    expect(bodies).toContain(text);
    await expect(resident.getByText(text, { exact: true })).toHaveCount(0);
  }
  const mail = await mailTo(author.email, 'ausgeblendet');
  expect(mail).toContain('Spam oder Werbung');
  expect(mail).toContain('Werbung gehört nicht in die Beteiligung.');
});

test('a moderator approves, hides with a reason and edits out personal data with plain forms', async ({
  page,
  js,
  freshPage,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { mod, slug } = await setUp(page, baseURL!, 'formulare');
  const authorPage = await freshPage();
  const author = await signInNeighbour(authorPage);
  const id = uniqueId();
  const good = `Bitte mehr Bänke am Ufer ${id}`;
  const rude = `Ihr seid alle unfähig ${id}`;
  const phone = `Rufen Sie mich an: 0171 2345678 (${id})`;
  await post(authorPage, baseURL!, slug, [good, rude, phone]);

  const queue = await freshPage();
  await signInStaff(queue, mod.email, mod.password);
  await visitPage(queue, `/moderation?consultation=${slug}`);
  await expect(count(queue)).toHaveText('3 Beiträge in der Warteschlange');
  const item = (text: string) => queue.locator('ol.queue-items > li').filter({ hasText: text });
  await expect(item(good)).toContainText('Wartet auf Freigabe');

  /** After a decision: without JavaScript the page comes back with a notice, with it the item leaves. */
  async function decided(notice: string, left: number, gone: string): Promise<void> {
    if (js) {
      await expect(queue.locator('p[role="status"][aria-live="polite"]')).toHaveText(notice);
      await expect(item(gone)).toBeHidden();
    } else {
      await expect(queue).toHaveURL(new RegExp(`/moderation\\?consultation=${slug}`));
      await expect(queue.locator('.flash')).toContainText(notice);
      await expect(item(gone)).toHaveCount(0);
    }
    await expect(count(queue)).toHaveText(
      left === 1 ? '1 Beitrag in der Warteschlange' : `${left} Beiträge in der Warteschlange`,
    );
    await expectNoAxeViolations(queue, `after "${notice}"`);
  }

  await item(good).getByRole('button', { name: 'Freigeben' }).click();
  await decided('1 Beitrag freigegeben', 2, good);

  // Hiding needs a reason: refused, the note kept, the form still open.
  await item(rude).locator('details.queue-hide > summary').click();
  const note = item(rude).locator('details.queue-hide textarea[name="note"]');
  await note.fill('Bitte bleiben Sie sachlich.');
  await item(rude).getByRole('button', { name: 'Ausblenden', exact: true }).click();
  await expect(item(rude).getByRole('alert')).toContainText('Bitte wählen Sie einen Grund.');
  await expect(item(rude).locator('details.queue-hide')).toHaveAttribute('open', '');
  await expect(note).toHaveValue('Bitte bleiben Sie sachlich.');
  await expectNoAxeViolations(queue, 'hide refused');
  await item(rude).locator('select.hide-reason').selectOption({ label: 'Beleidigung oder Belästigung' });
  await item(rude).getByRole('button', { name: 'Ausblenden', exact: true }).click();
  await decided('1 Beitrag ausgeblendet', 1, rude);

  // The phone number goes; the rest of the text is published.
  await item(phone).locator('details.queue-redact > summary').click();
  const corrected = item(phone).getByLabel(/Korrigierter Text/);
  await expect(corrected).toHaveValue(phone);
  await corrected.fill(`Rufen Sie mich an: [entfernt] (${id})`);
  await item(phone).getByRole('button', { name: 'Text ersetzen' }).click();
  await decided('Text ersetzt und veröffentlicht.', 0, phone);
  await expect(queue.getByText('Keine Beiträge in der Warteschlange.')).toBeVisible();

  // What residents see now.
  const resident = await freshPage();
  await visitPage(resident, `/${ORG}/${slug}`);
  await expect(resident.getByText(good)).toBeVisible();
  await expect(resident.getByText(`Rufen Sie mich an: [entfernt] (${id})`)).toBeVisible();
  await expect(resident.getByText('0171 2345678')).toHaveCount(0);
  await expect(resident.getByText(rude)).toHaveCount(0);

  // The author sees why and is told by e-mail.
  await visitPage(authorPage, `/${ORG}/${slug}`);
  const own = authorPage.locator('ol.comments > li').filter({ hasText: rude });
  await expect(own.locator('.moderation-status')).toContainText('Beleidigung oder Belästigung');
  await expect(own.locator('.moderation-status')).toContainText('Bitte bleiben Sie sachlich.');
  const mail = await mailTo(author.email, rude.slice(0, 20));
  expect(mail).toContain('Beleidigung oder Belästigung');
});
