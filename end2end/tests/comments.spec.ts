import {
  test,
  expect,
  commentForm,
  expectFieldError,
  expectNoAxeViolations,
  signIn,
  uniqueText,
  ANNA,
  CONSULTATION,
} from './fixtures';

const EMPTY_MESSAGE = 'Bitte schreiben Sie einen Beitrag.';
const MARKUP = '<b>fett</b> </textarea><i>&amp; "Zitat"';

/** How a comment's text reads once rendered (Markdown): raw HTML stays text, `&amp;` reads "&". */
function shown(text: string): string {
  return text.replace(/&amp;/g, '&');
}

/** A text of exactly `length` characters: first line `firstLine`, then paragraphs, ending in "!". */
function longText(firstLine: string, length: number): string {
  const paragraph = 'Über die Straße, an Ärzten und Bäckereien vorbei: Tempo 20 wäre schön.';
  let text = firstLine;
  while (text.length < length) text += `\n\n${paragraph}`;
  text = `${text.slice(0, length - 1).trimEnd()}!`;
  while (text.length < length) text = `${text.slice(0, -1)}x!`;
  expect(text.length).toBe(length);
  expect(text.trim()).toBe(text);
  return text;
}

// The consultation takes part with registered accounts: every test writes as the demo resident.
test.beforeEach(async ({ page }) => {
  await signIn(page, ANNA);
});

test('posting a comment shows it in the list', async ({ page, visit, js }) => {
  await visit(CONSULTATION);
  const { form, body, submit } = commentForm(page);
  const text = uniqueText(`Mehr Bänke am Marktplatz, bitte (${test.info().project.name})`);

  // No name field: the comment appears under the account's name.
  await expect(form.locator('input[name="author_name"]')).toHaveCount(0);
  await expect(form).toContainText('Sie schreiben als Anna.');
  await body.fill(text);
  if (js) {
    await page.evaluate(() => {
      (window as unknown as { __noReload: number }).__noReload = 1;
    });
  }
  await submit.click();

  const posted = page.locator('ol.comments article').filter({ hasText: text });
  await expect(posted).toHaveCount(1);
  await expect(posted).toBeVisible();
  await expect(posted.locator('.author')).toHaveText('Anna');

  if (js) {
    // Submitted through the hydrated ActionForm: no page load, and the form is cleared.
    expect(
      await page.evaluate(() => (window as unknown as { __noReload?: number }).__noReload),
      'the page was reloaded by the submission (window.__noReload is gone)',
    ).toBe(1);
    await expect(body).toHaveValue('');
  } else {
    // Plain form POST: redirected back to the consultation with a success notice.
    await expect(page).toHaveURL(new RegExp(CONSULTATION));
    await expect(page.getByRole('status').filter({ hasText: 'Vielen Dank' })).toBeVisible();
  }
  await expectNoAxeViolations(page, 'after posting a comment');
});

test('an empty comment is refused with an error tied to the field', async ({ page, visit }) => {
  await visit(CONSULTATION);
  const { body, submit } = commentForm(page);

  await body.fill('   ');
  await submit.click();

  await expectFieldError(commentForm(page).body, [EMPTY_MESSAGE]);
  // Nothing was stored: no comment with an empty text (other workers may add comments to the
  // shared consultation meanwhile, so the number of comments proves nothing).
  await expect(page.locator('ol.comments article .comment-body').filter({ hasText: /^\s*$/ })).toHaveCount(0);
  await expectNoAxeViolations(page, 'empty comment error');
});

test('a comment over 5000 characters is refused and the text is kept', async ({ page, visit }) => {
  await visit(CONSULTATION);
  const { body, submit } = commentForm(page);

  // 5001 characters that no trimming shortens (the server trims before it counts), with
  // paragraphs (sent as CRLF by the browser) and umlauts.
  // Markup in the text must come back literally (the kept text is re-rendered into the textarea).
  const text = longText(`${uniqueText('Zu langer Beitrag')} ${MARKUP}`, 5001);
  const marker = text.slice(0, text.indexOf('\n'));

  await body.fill(text);
  await submit.click();

  const field = commentForm(page).body;
  await expectFieldError(field, ['zu lang', '5000']);
  await expect(field, 'the user\'s text must be kept exactly').toHaveValue(text);
  await expect(page.locator('ol.comments article').filter({ hasText: shown(marker) })).toHaveCount(0);
  await expectNoAxeViolations(page, 'too long comment error');
});

test('a comment of exactly 5000 characters with umlauts is accepted', async ({ page, visit }) => {
  await visit(CONSULTATION);
  const { body, submit } = commentForm(page);

  // Line breaks travel as CRLF in a form post; they still count as one character each.
  const text = longText(`${uniqueText('Genau 5000 Zeichen')} ${MARKUP}`, 5000);
  const marker = text.slice(0, text.indexOf('\n'));

  await body.fill(text);
  await submit.click();

  await expect(page.locator('ol.comments article').filter({ hasText: shown(marker) })).toHaveCount(1);
  await expect(commentForm(page).body).not.toHaveAttribute('aria-invalid', 'true');
});
