// Paging through a long filtered list with plain links (JS on and off): 21 closed consultations
// of one topic make two pages of 20 and 1; the filter stays in the links.
import { test, expect, expectNoAxeViolations, signInStaff, uniqueId, waitForHydration } from './fixtures';

const INITIATOR = 'redaktion@musterstadt.example';

test('a long filtered list pages with plain links that keep the filter', async ({ page, js, freshPage, baseURL }) => {
  test.setTimeout(180_000);
  const project = test.info().project.name;
  const id = uniqueId();
  const topic = `Blättern ${project} ${id}`;

  // 21 closed consultations of one topic, made through the staff's server functions (as the
  // editor's forms post them; the editor itself is tested elsewhere).
  await signInStaff(page, INITIATOR);
  const headers = { origin: new URL(baseURL!).origin, accept: 'application/json' };
  for (let n = 1; n <= 21; n++) {
    const slug = `e2e-seite-${project}-${id}-${n}`;
    const saved = await page.request.post('/api/save_consultation', {
      headers,
      form: {
        org: 'musterstadt',
        original: '',
        slug,
        title: `Blätterprobe ${String(n).padStart(2, '0')} ${project} ${id}`,
        summary: 'Eine von vielen.',
        plain_summary: '',
        body: '',
        topic,
        office: '',
        contact: '',
        opens_at: '',
        closes_at: '',
        moderation: 'post',
        rule: 'account',
      },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    const published = await page.request.post('/api/change_phase', {
      headers,
      form: { org: 'musterstadt', slug, action: 'publish' },
    });
    expect(published.status(), await published.text()).toBe(200);
    // Closed at once, so that they never crowd the home page's list of open consultations that
    // other tests look at.
    const closed = await page.request.post('/api/change_phase', {
      headers,
      form: { org: 'musterstadt', slug, action: 'close' },
    });
    expect(closed.status(), await closed.text()).toBe(200);
  }

  const resident = await freshPage();
  await resident.goto('/');
  if (js) await waitForHydration(resident);
  await resident.getByRole('search').getByLabel('Status').selectOption('closed');
  await resident.getByRole('search').getByLabel('Thema').selectOption({ label: topic });
  await resident.getByRole('search').getByRole('button', { name: 'Suchen' }).click();
  await expect(resident).toHaveURL(/[?&]topic=/);
  if (js) await waitForHydration(resident);
  await expect(resident.getByText('21 Beteiligungen', { exact: true })).toBeVisible();
  const cards = resident.locator('ul.cards > li');
  await expect(cards).toHaveCount(20);
  const pager = resident.getByRole('navigation', { name: 'Seiten' });
  await expect(pager).toContainText('Seite 1 von 2');
  await expect(pager.getByRole('link', { name: 'Vorherige Seite' })).toHaveCount(0);
  await expectNoAxeViolations(resident, 'first page');

  await pager.getByRole('link', { name: 'Nächste Seite' }).click();
  await expect(resident).toHaveURL(/[?&]page=2/);
  await expect(resident).toHaveURL(/[?&]topic=/);
  if (js) await waitForHydration(resident);
  await expect(cards).toHaveCount(1);
  await expect(resident.getByRole('link', { name: `Blätterprobe 21 ${project} ${id}` })).toBeVisible();
  await expect(pager).toContainText('Seite 2 von 2');
  await expectNoAxeViolations(resident, 'second page');

  await pager.getByRole('link', { name: 'Vorherige Seite' }).click();
  await expect(resident).not.toHaveURL(/[?&]page=2/);
  await expect(cards).toHaveCount(20);
});
