// The legal pages (accessibility statement, privacy policy, imprint), the footer that links them
// from every page, the barrier report form (no sign-in) with its mails, and the instance admin's
// side: the list of reports, marking one answered, editing a page. JavaScript on and off, German
// and English; axe (and, through it, the footer check in fixtures.ts) on every page and state.
import {
  test,
  expect,
  expectFieldError,
  expectNoAxeViolations,
  mailTo,
  settled,
  signIn,
  signInStaff,
  uniqueId,
  uniqueText,
  withLock,
  ANNA,
  CONSULTATION,
} from './fixtures';
import type { Cookie, Locator, Page } from '@playwright/test';

const ADMIN = 'admin@example.org';

/** The instance admin's session cookies, per worker: every staff login waits for a fresh code. */
let adminSession: Cookie[] | null = null;

/** Signs the instance admin in (two factors), or reuses this worker's earlier session. */
async function signInAdmin(page: Page): Promise<void> {
  const context = page.context();
  if (adminSession) {
    await context.addCookies(adminSession);
    if ((await context.request.get('/admin')).status() === 200) return;
    adminSession = null;
    await context.clearCookies();
  }
  await signInStaff(page, ADMIN);
  adminSession = (await context.cookies()).filter((c) => c.name.endsWith('mitreden_session'));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The footer's navigation ("Rechtliches", in English "Legal"). */
function legalNav(page: Page, name = 'Rechtliches'): Locator {
  return page.locator('footer.site-footer').getByRole('navigation', { name, exact: true });
}

/** The barrier report form on /barrierefreiheit and its fields. */
function reportForm(page: Page) {
  const form = page.locator('form#barrier-form');
  return {
    form,
    url: form.locator('#barrier-url'),
    description: form.locator('#barrier-description'),
    email: form.locator('#barrier-email'),
    submit: form.getByRole('button', { name: 'Meldung absenden', exact: true }),
  };
}

/** The notice that replaces the form once a report went in. */
function reportDone(page: Page): Locator {
  return page
    .locator('#melden')
    .getByRole('status')
    .filter({ hasText: 'Danke! Ihre Meldung ist eingegangen.' });
}

/** Presses Tab until `target` has focus (at most `limit` times); fails if it never does. */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

/** A reporter's address no other test (or earlier run) uses. */
function reporterAddress(): string {
  return `melder-${test.info().project.name}-${uniqueId()}@example.org`;
}

test.describe('the legal pages', () => {
  test('in German: accessibility statement, privacy policy with retention periods, imprint', async ({
    page,
    visit,
  }) => {
    await visit('/barrierefreiheit');
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Erklärung zur Barrierefreiheit');
    await expect(page.locator('article.legal-page .prose h2')).toHaveText([
      'Stand der Vereinbarkeit mit den Anforderungen',
      'Nicht barrierefreie Inhalte',
      'Erstellung dieser Erklärung',
      'Feedback und Kontakt',
      'Schlichtungsverfahren',
    ]);
    const melden = page.locator('section#melden');
    await expect(melden.getByRole('heading', { level: 2 })).toHaveText('Barriere melden');
    const { url, description, email, submit } = reportForm(page);
    await expect(url).toHaveAccessibleName('Wo? Adresse der Seite');
    await expect(url).toHaveAttribute('name', 'page_url');
    await expect(url).toHaveValue('');
    await expect(description).toHaveAccessibleName('Was hat nicht funktioniert?');
    await expect(description).toHaveAttribute('name', 'description');
    expect(await description.evaluate((el) => el.tagName)).toBe('TEXTAREA');
    await expect(email).toHaveAccessibleName('E-Mail-Adresse für die Antwort (freiwillig)');
    await expect(email).toHaveAttribute('name', 'contact_email');
    await expect(submit).toBeVisible();
    await expect(page.getByText('Dieser Text liegt nur auf Deutsch vor.')).toHaveCount(0);

    await visit('/datenschutz');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Datenschutzerklärung');
    await expect(page.locator('article.legal-page .prose h2').first()).toBeVisible();
    // The generated part comes last: the periods as configured now (12 months by default).
    await expect(page.locator('article.legal-page h2').last()).toHaveText('Speicherfristen');
    const retention = page.locator('section.retention');
    await expect(retention.getByRole('heading', { level: 2 })).toHaveText('Speicherfristen');
    await expect(retention.locator('ul > li').first()).toContainText('12 Monate');
    await expect(page.locator('form#barrier-form'), 'the report form is on the statement only').toHaveCount(0);

    await visit('/impressum');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum');
    await expect(page.locator('article.legal-page .prose h2').first()).toHaveText(
      'Angaben gemäß § 5 Digitale-Dienste-Gesetz',
    );
    await expect(page.locator('article.legal-page .prose h2', { hasText: 'Kontakt' })).toHaveCount(1);

    // The footer links all three from each of them.
    const nav = legalNav(page);
    await expect(nav.getByRole('link', { name: 'Erklärung zur Barrierefreiheit', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit',
    );
    await expect(nav.getByRole('link', { name: 'Barriere melden', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit?from=/impressum#melden',
    );
    await expect(nav.getByRole('link', { name: 'Datenschutzerklärung', exact: true })).toHaveAttribute(
      'href',
      '/datenschutz',
    );
    await expect(nav.getByRole('link', { name: 'Impressum', exact: true })).toHaveAttribute('href', '/impressum');
  });

  test('in English (?lang=en)', async ({ page, visit }) => {
    await visit('/barrierefreiheit?lang=en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement');
    await expect(page.locator('article.legal-page .prose')).toHaveAttribute('lang', 'en');
    await expect(page.locator('article.legal-page .prose h2')).toHaveText([
      'Compliance status',
      'Non-accessible content',
      'Preparation of this statement',
      'Feedback and contact',
      'Enforcement procedure',
    ]);
    await expect(page.getByText('This text is available in German only.')).toHaveCount(0);
    await expect(page.locator('section#melden').getByRole('heading', { level: 2 })).toHaveText('Report a barrier');
    await expect(page.locator('#barrier-url')).toHaveAccessibleName('Where? Address of the page');
    await expect(page.locator('#barrier-description')).toHaveAccessibleName('What went wrong?');
    await expect(page.locator('#barrier-email')).toHaveAccessibleName('E-mail address for the answer (optional)');
    await expect(page.locator('form#barrier-form').getByRole('button', { name: 'Send report' })).toBeVisible();

    await visit('/datenschutz?lang=en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy policy');
    await expect(page.locator('article.legal-page h2').last()).toHaveText('Retention periods');
    await expect(page.locator('section.retention ul > li').first()).toContainText('12 months');

    await visit('/impressum?lang=en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Imprint');
    await expect(page.locator('article.legal-page .prose h2', { hasText: 'Contact' })).toHaveCount(1);

    const nav = legalNav(page, 'Legal');
    await expect(nav.getByRole('link', { name: 'Accessibility statement', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit',
    );
    await expect(nav.getByRole('link', { name: 'Report a barrier', exact: true })).toHaveAttribute(
      'href',
      /^\/barrierefreiheit\?from=\/impressum#melden$/,
    );
    await expect(nav.getByRole('link', { name: 'Privacy policy', exact: true })).toHaveAttribute('href', '/datenschutz');
    await expect(nav.getByRole('link', { name: 'Imprint', exact: true })).toHaveAttribute('href', '/impressum');
  });
});

test.describe('the footer', () => {
  test('on the home page it links the instance’s pages and the form without a "from"', async ({ page, visit }) => {
    await visit('/');
    const nav = legalNav(page);
    await expect(nav.getByRole('link', { name: 'Barriere melden', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit#melden',
    );
    await expect(nav.getByRole('link', { name: 'Impressum', exact: true })).toHaveAttribute('href', '/impressum');
    await expect(nav.getByRole('link', { name: 'Datenschutzerklärung', exact: true })).toHaveAttribute(
      'href',
      '/datenschutz',
    );
  });

  test('on a consultation it links musterstadt’s own imprint, and "Barriere melden" fills in the page', async ({
    page,
    visit,
    js,
  }) => {
    await visit(CONSULTATION);
    const nav = legalNav(page);
    await expect(nav.getByRole('link', { name: 'Impressum', exact: true })).toHaveAttribute(
      'href',
      'https://musterstadt.example/impressum',
    );
    await expect(nav.getByRole('link', { name: 'Datenschutzerklärung', exact: true })).toHaveAttribute(
      'href',
      'https://musterstadt.example/datenschutz',
    );
    await expect(nav.getByRole('link', { name: 'Erklärung zur Barrierefreiheit', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit',
    );
    const report = nav.getByRole('link', { name: 'Barriere melden', exact: true });
    await expect(report).toHaveAttribute('href', `/barrierefreiheit?from=${CONSULTATION}#melden`);

    await report.click();
    await expect(page).toHaveURL(new RegExp(`/barrierefreiheit\\?from=${escapeRegExp(CONSULTATION)}#melden$`));
    await settled(
      page,
      js,
      page.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' }),
      'the statement reached through the footer of a consultation',
    );
    await expect(reportForm(page).url).toHaveValue(CONSULTATION);
    // On the instance's own page the footer links the instance's imprint again.
    await expect(nav.getByRole('link', { name: 'Impressum', exact: true })).toHaveAttribute('href', '/impressum');
    await expect(nav.getByRole('link', { name: 'Datenschutzerklärung', exact: true })).toHaveAttribute(
      'href',
      '/datenschutz',
    );
    await expect(report).toHaveAttribute('href', '/barrierefreiheit#melden');
  });

  test('"Barriere melden" brings the form into view', async ({ page, visit, js }) => {
    const heading = page.locator('section#melden').getByRole('heading', { level: 2, name: 'Barriere melden' });
    // Loaded afresh (a bookmark, a link in a mail): the browser scrolls to #melden.
    await visit(`/barrierefreiheit?from=${CONSULTATION}#melden`);
    await expect(heading, 'loaded with #melden').toBeInViewport();
    // Followed from another page's footer: with JavaScript the router navigates in the page and
    // must still bring #melden into view (the page's content arrives after the navigation).
    await visit(CONSULTATION);
    await legalNav(page).getByRole('link', { name: 'Barriere melden', exact: true }).click();
    await expect(page).toHaveURL(/\/barrierefreiheit\?from=.*#melden$/);
    await settled(page, js, page.locator('#barrier-url'), 'the form reached through the footer');
    await expect(heading, 'reached through the footer link of a consultation').toBeInViewport();
  });

  test('a page that does not exist has it too', async ({ page, visit }) => {
    await visit('/gibt-es-nicht/xyz', { status: 404 });
    const nav = legalNav(page);
    await expect(nav).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Barriere melden', exact: true })).toHaveAttribute(
      'href',
      '/barrierefreiheit?from=/gibt-es-nicht/xyz#melden',
    );
    await expect(nav.getByRole('link', { name: 'Impressum', exact: true })).toHaveAttribute('href', '/impressum');

    await visit('/gibt-es-nicht/xyz?lang=en', { status: 404 });
    await expect(legalNav(page, 'Legal').getByRole('link', { name: 'Imprint', exact: true })).toHaveAttribute(
      'href',
      '/impressum',
    );
  });
});

test.describe('reporting a barrier', () => {
  test('without a description it is refused, the rest kept; then it goes in and both mails arrive', async ({
    page,
    visit,
    js,
  }) => {
    const address = reporterAddress();
    const text = uniqueText(`Die Schaltfläche im Kartenbereich ist mit der Tastatur nicht erreichbar (${test.info().project.name})`);
    await visit(`/barrierefreiheit?from=${CONSULTATION}`);
    const { form, url, description, email, submit } = reportForm(page);
    await expect(url).toHaveValue(CONSULTATION);
    await email.fill(address);
    await submit.click();
    await expectFieldError(description, ['Bitte']);
    await expect(url).toHaveValue(CONSULTATION);
    await expect(email).toHaveValue(address);
    await expect(description).toHaveValue('');
    await expect(url).not.toHaveAttribute('aria-invalid', 'true');
    await expect(email).not.toHaveAttribute('aria-invalid', 'true');
    if (js) await expect(page, 'with JavaScript the page stays').toHaveURL(/from=/);
    await expectNoAxeViolations(page, 'report form: description missing');

    await description.fill(text);
    await submit.click();
    await expect(reportDone(page)).toBeVisible();
    await expect(form).toHaveCount(0);
    await settled(page, js, reportDone(page), 'report sent');

    const toAdmin = await mailTo(ADMIN, text);
    expect(toAdmin).toMatch(/^Subject: Neue Barriere-Meldung/m);
    expect(toAdmin).toContain(CONSULTATION);
    expect(toAdmin).toContain('/admin/reports#report-');
    expect(toAdmin, 'the reporter’s address is in the list, not in the mail').not.toContain(address);
    const confirmation = await mailTo(address);
    expect(confirmation).toMatch(/^Subject: Ihre Barriere-Meldung ist eingegangen/m);
    expect(confirmation).toContain(CONSULTATION);
    expect(confirmation, 'the confirmation does not repeat the description').not.toContain(text);
  });

  test('an invalid page address and an invalid e-mail address are refused, the text kept', async ({
    page,
    visit,
  }) => {
    const address = reporterAddress();
    const text = uniqueText(`Der Text ist zu klein (${test.info().project.name})`);
    await visit('/barrierefreiheit');
    const { url, description, email, submit } = reportForm(page);
    await url.fill('kein-pfad');
    await description.fill(text);
    await email.fill(address);
    await submit.click();
    await expectFieldError(url, ['Bitte geben Sie die Adresse der Seite an:']);
    await expect(url).toHaveValue('kein-pfad');
    await expect(description).toHaveValue(text);
    await expect(email).toHaveValue(address);
    await expectNoAxeViolations(page, 'report form: invalid page address');

    await url.fill('/musterstadt');
    await email.fill('keine-adresse');
    await submit.click();
    await expectFieldError(email, ['gültige E-Mail-Adresse']);
    await expect(url).toHaveValue('/musterstadt');
    await expect(url).not.toHaveAttribute('aria-invalid', 'true');
    await expect(description).toHaveValue(text);
    await expect(email).toHaveValue('keine-adresse');
    await expectNoAxeViolations(page, 'report form: invalid e-mail address');
    await expect(reportDone(page)).toHaveCount(0);
  });

  test('the form can be filled and sent with the keyboard alone', async ({ page, visit, js }) => {
    const text = uniqueText(`Nur mit der Tastatur gemeldet (${test.info().project.name})`);
    const address = reporterAddress();
    await visit(`/barrierefreiheit?from=${CONSULTATION}`);
    const { url, description, email, submit } = reportForm(page);
    await tabTo(page, url);
    await expect(url).toHaveValue(CONSULTATION);
    await page.keyboard.press('Tab');
    await expect(description).toBeFocused();
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await expect(email).toBeFocused();
    await page.keyboard.type(address);
    await page.keyboard.press('Tab');
    await expect(submit).toBeFocused();
    await page.keyboard.press('Enter');
    await settled(page, js, reportDone(page), 'report sent with the keyboard');
    await mailTo(ADMIN, text);
    await mailTo(address);
  });
});

test.describe('the instance admin', () => {
  test('sees a barrier report in the list and marks it answered', async ({ page, visit, js }) => {
    test.slow();
    const text = uniqueText(`Die Vorlesefunktion liest die Tabelle nicht vor (${test.info().project.name})`);
    const address = reporterAddress();
    const note = uniqueText('Per E-Mail beantwortet');

    // Anyone reports, without signing in.
    await visit('/barrierefreiheit?from=/musterstadt');
    const { description, email, submit } = reportForm(page);
    await description.fill(text);
    await email.fill(address);
    await submit.click();
    await expect(reportDone(page)).toBeVisible();

    await signInAdmin(page);
    await visit('/admin');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instanz verwalten');
    for (const kind of ['accessibility', 'privacy', 'imprint']) {
      await expect(page.locator(`main a[href="/admin/pages/${kind}"]`)).toHaveText('Bearbeiten');
    }
    await expect(page.getByText(/\d+ offen, davon \d+ überfällig/)).toBeVisible();
    const settings = page.locator('form#settings-form');
    await expect(settings.locator('#retention-months')).toHaveValue(/^\d+$/);
    await expect(settings.locator('#retention-job')).toHaveAttribute('type', 'checkbox');
    await expect(settings.getByRole('button', { name: 'Einstellungen speichern' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Protokoll der Instanz' })).toBeVisible();

    await page.getByRole('link', { name: 'Alle Meldungen ansehen' }).click();
    await expect(page).toHaveURL(/\/admin\/reports$/);
    const card = page.locator('article[id^="report-"]').filter({ hasText: text });
    await settled(page, js, card, 'the list of barrier reports');
    await expect(card).toHaveCount(1);
    await expect(card).toHaveAttribute('id', /^report-\d+$/);
    await expect(card.getByRole('heading', { level: 2 })).toContainText('offen');
    // Filed a moment ago.
    await expect(card).toContainText('(seit heute)');
    await expect(card.getByRole('link', { name: '/musterstadt', exact: true })).toHaveAttribute('href', '/musterstadt');
    await expect(card.getByRole('link', { name: address })).toHaveAttribute('href', `mailto:${address}`);

    await card.getByLabel('Notiz zur Antwort (nur für das Team)').fill(note);
    await card.getByRole('button', { name: 'Als beantwortet markieren' }).click();
    await expect(card.getByRole('heading', { level: 2 })).toContainText('beantwortet');
    await settled(page, js, card.getByText(note), 'a report marked answered');
    await expect(card).toContainText(/beantwortet am .+ von Instanz-Admin/);
    await expect(card.getByRole('button', { name: 'Als beantwortet markieren' })).toHaveCount(0);
    const id = (await card.getAttribute('id'))!.replace('report-', '');

    // The instance's log records it, with the note as the reason.
    await visit('/admin');
    const row = page.locator('table.audit-table tbody tr').filter({ hasText: note });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Barriere-Meldung beantwortet');
    await expect(row).toContainText(`#${id}`);
    await expect(row).toContainText('Instanz-Admin');
  });

  test('edits the imprint, and /impressum shows the new text', async ({ page, visit, js }) => {
    test.slow();
    const marker = 'E2E-Prüfzeile';
    const line = uniqueText(`${marker} ${test.info().project.name}`);
    await signInAdmin(page);
    // One project at a time: the other must not save over this text before it is checked.
    await withLock('legal-imprint', async () => {
      await visit('/admin/pages/imprint');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum bearbeiten');
      const form = page.locator('form#legal-page-form');
      const de = form.locator('#legal-de');
      const en = form.locator('#legal-en');
      await expect(de).toHaveAccessibleName('Text auf Deutsch (Markdown)');
      const keep = (md: string) =>
        md
          .split('\n')
          .filter((l) => !l.includes(marker))
          .join('\n')
          .trimEnd();
      const oldDe = keep(await de.inputValue());
      const oldEn = keep(await en.inputValue());
      expect(oldDe).toContain('## Kontakt');
      await de.fill(`${oldDe}\n\n${line}\n`);
      await en.fill(`${oldEn}\n\n${line} (en)\n`);
      await form.getByRole('button', { name: 'Seite speichern' }).click();
      await settled(page, js, page.getByRole('status').filter({ hasText: 'Gespeichert.' }), 'imprint saved');

      await visit('/impressum');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum');
      await expect(page.locator('article.legal-page .prose')).toContainText(line);
      await expect(page.locator('article.legal-page .prose h2', { hasText: 'Kontakt' })).toHaveCount(1);
      await expect(page.getByText(/Zuletzt geändert am/)).toBeVisible();
      await expect(page.getByRole('link', { name: 'Diese Seite bearbeiten' })).toHaveAttribute(
        'href',
        '/admin/pages/imprint',
      );
    });
    // The instance's log records it.
    await visit('/admin');
    await expect(
      page
        .locator('table.audit-table tbody tr')
        .filter({ hasText: 'Rechtliche Seite gespeichert' })
        .filter({ hasText: '/impressum' })
        .first(),
    ).toContainText('Instanz-Admin');
  });

  test('is the only one: a resident is refused /admin and /admin/reports', async ({ page, visit, freshPage }) => {
    const stranger = await freshPage();
    const response = await stranger.goto('/admin');
    expect(response!.status(), 'GET /admin without signing in').toBe(401);
    await expect(stranger.locator('form#settings-form')).toHaveCount(0);
    await expect(stranger.locator('main a[href^="/login"]')).toBeVisible();
    await expectNoAxeViolations(stranger, '/admin without signing in');

    await signIn(page, ANNA);
    for (const path of ['/admin', '/admin/reports']) {
      await visit(path, { status: 403 });
      await expect(page.getByText('Dafür fehlt Ihnen die Berechtigung.')).toBeVisible();
      await expect(page.locator('form#settings-form')).toHaveCount(0);
      await expect(page.locator('article[id^="report-"]')).toHaveCount(0);
    }
  });
});
