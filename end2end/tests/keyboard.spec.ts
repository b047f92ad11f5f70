import { test, expect, expectNoAxeViolations, signIn, uniqueText, ANNA, CONSULTATION } from './fixtures';

/** Presses Tab until `target` has focus (at most `limit` times); fails if it never does. */
async function tabTo(page: import('@playwright/test').Page, target: import('@playwright/test').Locator, limit = 40) {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('the skip link is the first stop and leads to the main content', async ({ page, visit }) => {
  await visit(CONSULTATION);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Zum Inhalt springen' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('a resident comments and replies with the keyboard only', async ({ page, visit }) => {
  await signIn(page, ANNA);
  await visit(CONSULTATION);
  const form = page.locator('form#comment-form');
  const text = uniqueText(`Nur mit der Tastatur (${test.info().project.name})`);

  await tabTo(page, form.getByLabel('Ihr Beitrag'));
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
  await expect(form.getByRole('button', { name: 'Beitrag veröffentlichen' })).toBeFocused();
  await page.keyboard.press('Enter');
  const posted = page.locator('ol.comments article').filter({ hasText: text });
  await expect(posted).toBeVisible();

  // Open the reply form of the first comment with the keyboard (a native <details>).
  const firstReply = page.locator('ol.comments > li details.reply').first();
  const summary = firstReply.locator('summary');
  await tabTo(page, summary, 80);
  await page.keyboard.press('Enter');
  await expect(firstReply).toHaveAttribute('open', '');
  const replyText = uniqueText('Antwort per Tastatur');
  await page.keyboard.press('Tab');
  await expect(firstReply.getByLabel('Ihr Beitrag')).toBeFocused();
  await page.keyboard.type(replyText);
  await page.keyboard.press('Tab');
  await expect(firstReply.getByRole('button', { name: 'Antwort veröffentlichen' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('ol.replies article').filter({ hasText: replyText })).toBeVisible();
  await expectNoAxeViolations(page);
});
