// The public results report of the demo consultation whose results are published (Lindenpark):
// key figures, the questionnaire as server-drawn charts with their data tables, the official
// answers (none yet), a print layout, and the open-data links — reached from the
// consultation page, with JavaScript on and off; axe on the page.
import { test, expect, expectNoAxeViolations, waitForHydration } from './fixtures';

const CONSULTATION = '/musterstadt/spielplatz-lindenpark';

test('the published results: figures, charts beside tables, answers, print layout and open data', async ({ page, js, visit }) => {
  await visit(CONSULTATION);
  await page.getByRole('link', { name: 'Ergebnisse ansehen' }).click();
  await expect(page).toHaveURL(new RegExp(`${CONSULTATION}/results$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Ergebnisse: Neuer Spielplatz im Lindenpark');
  if (js) await waitForHydration(page);

  const figures = page.locator('.key-figures');
  await expect(figures.locator('div', { hasText: 'Ausgefüllte Fragebögen' }).locator('dd')).toHaveText('6');

  // Each chart is an image with the numbers in its text alternative, and a table says the same.
  const question = page.locator('.q-result', { hasText: 'Welches Spielgerät wünschen Sie sich am meisten?' });
  const chart = question.getByRole('img');
  await expect(chart).toHaveCount(1);
  await expect(chart.locator('title')).toHaveText(/Kletterturm: 3 \(50 %\)/);
  const row = question.getByRole('row', { name: /Kletterturm/ });
  await expect(row.getByRole('cell').first()).toHaveText('3');

  // No official answers yet: said so in their section.
  await expect(page.locator('section.results-answers')).toContainText('noch keine');

  // Open data: the JSON says what the page says.
  const api = page.getByRole('link', { name: 'Ergebnisse als JSON' });
  const href = await api.getAttribute('href');
  const res = await page.request.get(href!);
  expect(res.status()).toBe(200);
  const data = await res.json();
  expect(data.figures.responses).toBe(6);
  expect(data.official_answers).toEqual([]);

  await expectNoAxeViolations(page, 'results page');

  // Printed: no navigation, no downloads; the charts and tables stay.
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.results-downloads')).toBeHidden();
  await expect(page.getByRole('navigation').first()).toBeHidden();
  await expect(chart).toBeVisible();
  await expect(row).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
});

test('results that are not published yet are not found', async ({ page }) => {
  const res = await page.goto('/musterstadt/verkehrsberuhigung-altstadt/results');
  expect(res!.status()).toBe(404);
  await expectNoAxeViolations(page, 'results not found');
});
