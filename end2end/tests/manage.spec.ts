// The staff area (/manage): the instance admin's organisations, a new organisation, its profile
// and staff; and that residents get none of it.
import {
  test,
  expect,
  expectFieldError,
  expectNoAxeViolations,
  signIn,
  signInStaff,
  uniqueId,
  waitForHydration,
  withLock,
  ANNA,
  settled,
} from './fixtures';
import type { Locator, Page } from '@playwright/test';

const INVALID_SLUG = 'Der Kurzname darf 2 bis 50 Zeichen aus Kleinbuchstaben, Ziffern und Bindestrichen haben';
const INVALID_URL = 'Bitte geben Sie eine vollständige Webadresse an, die mit https:// beginnt.';
const FORBIDDEN = 'Dafür fehlt Ihnen die Berechtigung.';
/**
 * Held while Anna is staff somewhere: the admin test appoints her and takes the role back, and
 * the other project's resident test must not look at /manage in between.
 */
const ANNA_ROLE_LOCK = 'anna-role';

test('the instance admin creates an organisation, edits its profile and appoints staff', async ({ page, visit, js }) => {
  test.slow();
  const project = test.info().project.name;
  const id = uniqueId();
  const slug = `testort-${project}-${id}`;
  const name = `Testort ${project} ${id}`;

  await signInStaff(page, 'admin@example.org');
  await visit('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Verwaltung' }).click();
  await expect(page).toHaveURL(/\/manage$/);
  const mine = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Ihre Organisationen' }) });
  await settled(page, js, mine, 'staff area');
  // The instance admin serves every organisation.
  await expect(mine.getByRole('link', { name: 'Kreis Beispiel', exact: true })).toHaveAttribute('href', '/manage/kreis-beispiel');
  await expect(mine.getByRole('link', { name: 'Stadt Musterstadt', exact: true })).toHaveAttribute('href', '/manage/musterstadt');
  await expect(page.getByRole('heading', { name: 'Neue Organisation' })).toBeVisible();

  // A reserved (and capitalised) short name: refused next to the field, everything kept.
  const create = page.locator('form#new-organisation-form');
  await create.getByLabel('Name', { exact: true }).fill(name);
  await create.getByLabel('Kurzname in der Adresse').fill('Login');
  await create.getByRole('button', { name: 'Organisation anlegen' }).click();
  const slugField = page.locator('form#new-organisation-form').getByLabel('Kurzname in der Adresse');
  await expectFieldError(slugField, [INVALID_SLUG]);
  await expect(slugField).toHaveValue('Login');
  await expect(page.locator('form#new-organisation-form').getByLabel('Name', { exact: true })).toHaveValue(name);
  await expectNoAxeViolations(page, 'invalid short name');

  await slugField.fill(slug);
  await page.locator('form#new-organisation-form').getByRole('button', { name: 'Organisation anlegen' }).click();
  await expect(page).toHaveURL(new RegExp(`/manage/${slug}$`));
  await settled(page, js, page.getByRole('heading', { name, level: 1 }), 'new organisation');

  // The profile: a website is saved, a javascript: address is not.
  const profile = page.locator('section#profile');
  await expect(profile.getByRole('heading', { name: 'Profil der Organisation' })).toBeVisible();
  await profile.getByLabel('Website').fill('https://testort.example');
  await profile.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.locator('section#profile').getByRole('status')).toHaveText('Gespeichert.');
  await expect(page.locator('section#profile').getByLabel('Website')).toHaveValue('https://testort.example');
  await expectNoAxeViolations(page, 'profile saved');

  await page.locator('section#profile').getByLabel('Website').fill('javascript:alert(1)');
  await page.locator('section#profile').getByRole('button', { name: 'Speichern' }).click();
  const website = page.locator('section#profile').getByLabel('Website');
  await expectFieldError(website, [INVALID_URL]);
  await expect(website).toHaveValue('javascript:alert(1)');
  await expect(page.locator('section#profile').getByRole('status')).not.toContainText('Gespeichert.');
  await expectNoAxeViolations(page, 'profile with an invalid website');

  // Staff: Anna becomes moderator, appears in the table, and loses the role again.
  await withLock(ANNA_ROLE_LOCK, async () => {
    const appoint = page.locator('form#appoint-form');
    await appoint.getByLabel('E-Mail-Adresse').fill(ANNA);
    await appoint.getByLabel('Rolle').selectOption({ label: 'Moderation' });
    await appoint.getByRole('button', { name: 'Rolle vergeben' }).click();
    const row = page.locator('section#staff tbody tr').filter({ hasText: ANNA });
    await settled(page, js, row, 'staff appointed');
    await expect(row.getByRole('cell')).toHaveText(['Anna', ANNA, 'Moderation', 'Rolle entziehen']);

    await row.getByRole('button', { name: 'Rolle entziehen: Anna (Moderation)' }).click();
    await expect(page.locator('section#staff tbody tr').filter({ hasText: ANNA })).toHaveCount(0);
  });
  if (js) await waitForHydration(page);
  await expectNoAxeViolations(page, 'staff role taken back');
});

test('a resident gets a refusal from the staff area and no link to it', async ({ page, visit }) => {
  await signIn(page, ANNA);
  await withLock(ANNA_ROLE_LOCK, async () => {
    await visit('/manage', { status: 403, hydrate: true });
    await expect(page.getByRole('alert').filter({ hasText: FORBIDDEN })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByRole('heading', { name: 'Ihre Organisationen' })).toHaveCount(0);
    await expect(page.getByText('Angemeldet als Anna')).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Verwaltung' })).toHaveCount(0);
    await expect(page.locator('form#new-organisation-form')).toHaveCount(0);
  });
});

test('a signed-out visitor of the staff area is sent to sign in', async ({ page, visit }) => {
  await visit('/manage', { status: 401, hydrate: true });
  await expect(page.getByRole('alert').filter({ hasText: 'Bitte melden Sie sich an.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByRole('main').getByRole('link', { name: 'Anmelden' })).toHaveAttribute('href', '/login?next=/manage');
});
