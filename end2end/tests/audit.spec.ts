// The audit log (/manage/{org}/audit): a staff member (two-factor sign-in) opens it from the
// organisation's staff page, sees the actions just taken and narrows the list with the filter
// form — a plain GET form, the same with JavaScript on and off; axe on every step.
import { test, expect, expectNoAxeViolations, signIn, signInStaff, uniqueId, settled, withLock, ANNA } from './fixtures';

const INITIATOR = 'redaktion@musterstadt.example';
const FORBIDDEN = 'Dafür fehlt Ihnen die Berechtigung.';

test('a staff member opens the audit log and filters it', async ({ page, js, baseURL, freshPage }) => {
  test.slow();
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `e2e-protokoll-${project}-${id}`;
  const title = `Protokollprobe ${project} ${id}`;

  // Two staff actions on a new consultation, through the staff's server functions (the editor
  // and the lifecycle buttons are tested elsewhere): created, then published.
  await signInStaff(page, INITIATOR);
  const headers = { origin: new URL(baseURL!).origin, accept: 'application/json' };
  const saved = await page.request.post('/api/save_consultation', {
    headers,
    form: {
      org: 'musterstadt',
      original: '',
      slug,
      title,
      summary: 'Für das Protokoll.',
      plain_summary: '',
      body: '',
      topic: '',
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
  // Closed at once, so that it never crowds the home page's list that other tests look at.
  const closed = await page.request.post('/api/change_phase', {
    headers,
    form: { org: 'musterstadt', slug, action: 'close' },
  });
  expect(closed.status(), await closed.text()).toBe(200);

  // From the organisation's staff page to its log.
  await page.goto('/manage/musterstadt');
  const link = page.getByRole('link', { name: 'Protokoll der Aktionen des Teams' });
  await settled(page, js, link, 'staff page');
  await link.click();
  await expect(page).toHaveURL(/\/manage\/musterstadt\/audit$/);
  const heading = page.getByRole('heading', { name: 'Protokoll', level: 1 });
  await settled(page, js, heading, 'audit log');
  const table = page.getByRole('table', { name: 'Aktionen des Teams, neueste zuerst' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Aktion' })).toBeVisible();

  // Only this consultation: its three entries, newest first.
  const filter = page.getByRole('search');
  await filter.getByLabel('Beteiligung', { exact: true }).selectOption({ label: title });
  await filter.getByRole('button', { name: 'Filter anwenden' }).click();
  await expect(page).toHaveURL(/[?&]consultation=\d+/);
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await settled(page, js, rows.first(), 'filtered by consultation');
  await expect(rows.nth(0)).toContainText('Phase geändert');
  await expect(rows.nth(0)).toContainText('Beteiligung beendet');
  await expect(rows.nth(1)).toContainText('Beteiligung läuft');
  await expect(rows.nth(2)).toContainText('Beteiligung angelegt');
  await expect(rows.nth(2)).toContainText('Redaktion Musterstadt');
  await expect(rows.nth(2).getByRole('link', { name: title })).toHaveAttribute('href', `/musterstadt/${slug}`);

  // And by action: only the phase changes, the consultation filter kept.
  await expect(page.getByRole('search').getByLabel('Beteiligung', { exact: true })).toHaveValue(/\d+/);
  await page.getByRole('search').getByLabel('Aktion', { exact: true }).selectOption({ label: 'Phase geändert' });
  await page.getByRole('search').getByRole('button', { name: 'Filter anwenden' }).click();
  await expect(page).toHaveURL(/[?&]action=phase_changed/);
  await expect(page).toHaveURL(/[?&]consultation=\d+/);
  await expect(rows).toHaveCount(2);
  await settled(page, js, rows.first(), 'filtered by action');
  for (const row of await rows.all()) await expect(row).toContainText('Phase geändert');
  await expect(page.getByRole('search').getByLabel('Aktion', { exact: true })).toHaveValue('phase_changed');

  // Back to everything.
  await page.getByRole('link', { name: 'Filter zurücksetzen' }).click();
  await expect(page).toHaveURL(/\/manage\/musterstadt\/audit$/);
  await settled(page, js, page.getByRole('heading', { name: 'Protokoll', level: 1 }), 'reset');
  await expect(page.getByRole('search').getByLabel('Aktion', { exact: true })).toHaveValue('');

  // A visitor who is not signed in is refused, and a resident too.
  const visitor = await freshPage();
  await visitor.goto('/manage/musterstadt/audit');
  await expect(visitor.getByRole('heading', { name: 'Bitte melden Sie sich an.' })).toBeVisible();
  await expect(visitor.getByRole('table')).toHaveCount(0);
  await expect(visitor.getByText(title)).toHaveCount(0);
  await signIn(visitor, ANNA);
  // manage.spec appoints Anna somewhere for a moment: not while she is looked at here.
  await withLock('anna-role', async () => {
    await visitor.goto('/manage/musterstadt/audit');
    await expect(visitor.getByRole('heading', { name: FORBIDDEN })).toBeVisible();
    await expect(visitor.getByRole('table')).toHaveCount(0);
    await expectNoAxeViolations(visitor, 'refused');
  });
});
