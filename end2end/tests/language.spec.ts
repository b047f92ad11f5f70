import { test, expect, commentForm, CONSULTATION } from './fixtures';

test('?lang=en switches to English and the choice is remembered', async ({ page, visit }) => {
  // The browser asks for German (locale de-DE), so English can only come from ?lang / the cookie.
  await visit('/?lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await visit(CONSULTATION);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const { form, body } = commentForm(page);
  await expect(form.getByLabel('Your contribution').and(body)).toHaveCount(1);
});
