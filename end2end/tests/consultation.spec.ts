import { test, expect, commentForm, signIn, ANNA, CONSULTATION, CONSULTATION_TITLE } from './fixtures';

test('consultation page has the comment form and the comment list', async ({ page, visit }) => {
  await signIn(page, ANNA);
  await visit(CONSULTATION);
  await expect(page.locator('h1')).toHaveText(CONSULTATION_TITLE);

  const { form, body, submit } = commentForm(page);
  await expect(form).toBeVisible();
  await expect(page.locator('section#participate')).toHaveCount(0);

  // The textarea is labelled "Ihr Beitrag" and named body; validation is server-side only.
  await expect(form.getByLabel('Ihr Beitrag').and(body)).toHaveCount(1);
  await expect(body).toBeVisible();
  await expect(body).not.toHaveAttribute('required');
  await expect(body).not.toHaveAttribute('maxlength');

  // No name to type: one writes under the account's display name.
  await expect(form.locator('input[name="author_name"]')).toHaveCount(0);
  await expect(form.getByText('Sie schreiben als Anna.')).toBeVisible();

  await expect(submit).toHaveCount(1);
  await expect(submit).toBeEnabled();

  // Demo comments: each one an article inside a list item of ol.comments.
  const items = page.locator('ol.comments > li');
  await expect(items.first()).toBeVisible();
  await expect(page.locator('ol.comments > li:not(:has(article))')).toHaveCount(0);
  await expect(page.locator('ol.comments > li article').first()).toBeVisible();
});

test('a signed-out visitor is asked to sign in instead of getting the comment form', async ({ page, visit }) => {
  await visit(CONSULTATION);
  await expect(page.locator('h1')).toHaveText(CONSULTATION_TITLE);

  const participate = page.locator('section#participate');
  await expect(participate).toBeVisible();
  await expect(participate.getByRole('heading', { name: 'Mitmachen' })).toBeVisible();
  const login = participate.getByRole('link', { name: 'Anmelden' });
  await expect(login).toHaveAttribute('href', `/login?next=${CONSULTATION}`);
  await expect(participate.getByRole('link', { name: 'Registrieren' })).toHaveAttribute('href', '/register');

  // Neither the comment form nor reply forms; the comments are still there to read.
  await expect(page.locator('form#comment-form')).toHaveCount(0);
  await expect(page.locator('textarea[name="body"]')).toHaveCount(0);
  await expect(page.locator('ol.comments details.reply')).toHaveCount(0);
  await expect(page.locator('ol.comments > li article').first()).toBeVisible();

  // The sign-in link comes back here.
  await login.click();
  await expect(page).toHaveURL(new RegExp(`/login\\?next=${CONSULTATION}$`));
});
