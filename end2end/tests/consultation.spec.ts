import { test, expect, commentForm, CONSULTATION, CONSULTATION_TITLE } from './fixtures';

test('consultation page has the comment form and the comment list', async ({ page, visit }) => {
  await visit(CONSULTATION);
  await expect(page.locator('h1')).toHaveText(CONSULTATION_TITLE);

  const { form, body, author, submit } = commentForm(page);
  await expect(form).toBeVisible();

  // The textarea is labelled "Ihr Beitrag" and named body; validation is server-side only.
  await expect(form.getByLabel('Ihr Beitrag').and(body)).toHaveCount(1);
  await expect(body).toBeVisible();
  await expect(body).not.toHaveAttribute('required');
  await expect(body).not.toHaveAttribute('maxlength');

  await expect(form.getByLabel('Name (optional)').and(author)).toHaveCount(1);
  await expect(author).toBeVisible();

  await expect(submit).toHaveCount(1);
  await expect(submit).toBeEnabled();

  // Demo comments: each one an article inside a list item of ol.comments.
  const items = page.locator('ol.comments > li');
  await expect(items.first()).toBeVisible();
  await expect(page.locator('ol.comments > li:not(:has(article))')).toHaveCount(0);
  await expect(page.locator('ol.comments > li article').first()).toBeVisible();
});
