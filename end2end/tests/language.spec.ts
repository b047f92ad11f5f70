import { test, expect, commentForm, signIn, ANNA, CONSULTATION } from './fixtures';

test('?lang=en switches to English and the choice is remembered', async ({ page, visit }) => {
  await signIn(page, ANNA);
  // The browser asks for German (locale de-DE), so English can only come from ?lang / the cookie.
  await visit('/?lang=en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await visit(CONSULTATION);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const { form, body } = commentForm(page);
  await expect(form.getByLabel('Your contribution').and(body)).toHaveCount(1);
  await expect(form.getByText('You are writing as Anna.')).toBeVisible();
});

test('a signed-out visitor is asked to take part in English too', async ({ page, visit }) => {
  await visit(`${CONSULTATION}?lang=en`);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const participate = page.locator('section#participate');
  await expect(participate.getByRole('heading', { name: 'Take part' })).toBeVisible();
  await expect(participate.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('form#comment-form')).toHaveCount(0);
});
