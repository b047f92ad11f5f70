import { test, expect, DRAFT, PREMODERATED } from './fixtures';

test('a draft consultation answers 404 to anonymous visitors', async ({ page, visit }) => {
  await visit(DRAFT, { status: 404 });
  // The 404 page must not reveal the draft.
  await expect(page.getByText('Radweg Nord')).toHaveCount(0);
});

test('a pending comment in a pre-moderated consultation is not shown', async ({ page, visit }) => {
  const response = await visit(PREMODERATED);
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.getByText('Buslinie 7 auch sonntags')).toHaveCount(0);
  // Nor may it hide in the HTML (e.g. in serialized hydration data).
  expect(await response.text()).not.toContain('Buslinie 7 auch sonntags');
});
