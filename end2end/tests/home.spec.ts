import { test, expect, expectNoAxeViolations, waitForHydration, CONSULTATION, CONSULTATION_TITLE, DRAFT } from './fixtures';

test('home lists the open consultations and not the draft', async ({ page, visit }) => {
  await visit('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.locator('h1').first()).toBeVisible();

  const link = page.getByRole('link', { name: CONSULTATION_TITLE, exact: true });
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('href', new RegExp(`${CONSULTATION}$`));

  // The draft is visible to musterstadt's staff only.
  await expect(page.getByText('Radweg Nord')).toHaveCount(0);
  await expect(page.locator(`a[href$="${DRAFT}"]`)).toHaveCount(0);
});

test('the consultation link leads to the consultation page', async ({ page, visit, js }) => {
  await visit('/');
  await page.getByRole('link', { name: CONSULTATION_TITLE, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}$`));
  await expect(page.locator('h1')).toHaveText(CONSULTATION_TITLE);
  if (js) {
    await waitForHydration(page);
  }
  await expectNoAxeViolations(page, 'consultation page reached by the link on /');
});

test('residents filter the list by status and organisation with a plain form', async ({ page, visit }) => {
  await visit('/');
  await page.getByLabel('Status').selectOption({ label: 'Ergebnisse veröffentlicht' });
  await page.getByLabel('Organisation (mit untergeordneten)').selectOption({ label: 'Kreis Beispiel' });
  await page.getByRole('button', { name: 'Suchen' }).click();
  await expect(page).toHaveURL(/status=results/);
  await expect(page).toHaveURL(/org=kreis-beispiel/);
  // The district's filter includes its municipality's consultations.
  await expect(page.getByRole('link', { name: /Spielplatz/ })).toHaveCount(1);
  await expect(page.getByRole('link', { name: CONSULTATION_TITLE, exact: true })).toHaveCount(0);
  // Other tests may publish results too: the count says how many, whatever it is.
  await expect(page.getByRole('status').filter({ hasText: /^\d+ Beteiligung(en)?$/ })).toBeVisible();
  await expect(page.getByLabel('Status')).toHaveValue('results');
  await expectNoAxeViolations(page, 'filtered list');
});
