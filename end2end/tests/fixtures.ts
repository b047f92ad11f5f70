// Shared fixtures for the end-to-end tests: every page the tests look at is checked with axe
// (WCAG 2.1 A + AA), and in the "js" project every page must hydrate without a script error.
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  test as base,
  expect,
  type BrowserContext,
  type Cookie,
  type Locator,
  type Page,
  type Response,
} from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';

export { expect };

/** Participation rule "account": registered accounts with password and confirmed address. */
export const CONSULTATION = '/musterstadt/verkehrsberuhigung-altstadt';
export const CONSULTATION_TITLE = 'Verkehrsberuhigung in der Altstadt';
/** A draft (participation rule "code"). */
export const DRAFT = '/musterstadt/radweg-nord';
/** Participation rule "email" (sign-in link), pre-moderated. */
export const PREMODERATED = '/kreis-beispiel/nahverkehrsplan';
/** Participation rule "code" (printed one-time access codes), open. */
export const CODE_CONSULTATION = '/musterstadt/spielstrasse-lindenweg';
export const CODE_CONSULTATION_TITLE = 'Spielstraße Lindenweg';

/** Password of the demo accounts (scripts/e2e.sh seeds with the server's default). */
export const DEMO_PASSWORD = process.env.MITREDEN_DEMO_PASSWORD ?? 'demo-passwort-2026';
/** The demo resident: a registered account with a confirmed address and no staff role. */
export const ANNA = 'anna@example.org';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the current state of the page. With JavaScript disabled axe cannot run in the page
 * itself (its timers never fire), so the page's current DOM is analysed in a throwaway
 * JavaScript-enabled context instead: same URL (so styles load from the server), scripts removed
 * and blocked by CSP (so nothing hydrates), <noscript> content kept visible as it is without JS.
 */
async function runAxe(page: Page): Promise<AxeResults> {
  if (test.info().project.use.javaScriptEnabled !== false) {
    return new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  }
  const url = page.url();
  const html = await page.content();
  const bodyAt = html.search(/<body\b/i);
  const snapshot =
    html.slice(0, bodyAt).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '') +
    html
      .slice(bodyAt)
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
      .replace(/<noscript\b/gi, '<div data-was-noscript=""')
      .replace(/<\/noscript>/gi, '</div>');
  const browser = page.context().browser();
  if (!browser) throw new Error('axe without JavaScript needs a browser to open a second context');
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
    locale: test.info().project.use.locale,
  });
  try {
    const analysed = await context.newPage();
    await analysed.route(
      (u) => u.href === url,
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': "script-src 'none'" },
          body: snapshot,
        }),
    );
    await analysed.goto(url);
    return await new AxeBuilder({ page: analysed }).withTags(AXE_TAGS).analyze();
  } finally {
    await context.close();
  }
}

/** Names of the footer's navigation, German and English. */
const LEGAL_NAV_LABELS = ['Rechtliches', 'Legal'];

/**
 * Asserts the legal footer every HTML page must have: in `footer.site-footer`, a navigation named
 * "Rechtliches" (or "Legal") linking the accessibility statement, the barrier report form (with
 * `#melden`), the privacy policy and the imprint (the instance's pages, or an organisation's own
 * http(s) addresses on its pages). One evaluation in the page; responses that are not HTML (a
 * JSON or CSV document shown in the browser) are skipped.
 */
export async function expectLegalFooter(page: Page, what = ''): Promise<void> {
  const found = await page.evaluate((labels) => {
    const navs = [...document.querySelectorAll('footer.site-footer nav')].filter((nav) =>
      labels.includes((nav.getAttribute('aria-label') ?? '').trim()),
    );
    return {
      contentType: document.contentType,
      footers: document.querySelectorAll('footer.site-footer').length,
      navs: navs.map((nav) => [...nav.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? '')),
    };
  }, LEGAL_NAV_LABELS);
  if (!/html/i.test(found.contentType)) return;
  const where = `on ${page.url()}${what ? ` (${what})` : ''}`;
  expect(
    found.navs.length,
    `exactly one <nav aria-label="Rechtliches|Legal"> inside footer.site-footer ${where} ` +
      `(footer.site-footer elements: ${found.footers})`,
  ).toBe(1);
  const hrefs = found.navs[0];
  const listed = `footer links ${where}: ${JSON.stringify(hrefs)}`;
  const external = (h: string) => /^https?:\/\//i.test(h);
  expect(hrefs.includes('/barrierefreiheit'), `a link to /barrierefreiheit; ${listed}`).toBe(true);
  expect(
    hrefs.some((h) => h.startsWith('/barrierefreiheit') && h.includes('#melden')),
    `a "Barriere melden" link (/barrierefreiheit…#melden); ${listed}`,
  ).toBe(true);
  expect(
    hrefs.some((h) => h === '/datenschutz' || external(h)),
    `a privacy link (/datenschutz or an http(s) address); ${listed}`,
  ).toBe(true);
  expect(
    hrefs.some((h) => h === '/impressum' || external(h)),
    `an imprint link (/impressum or an http(s) address); ${listed}`,
  ).toBe(true);
  expect(
    hrefs.filter((h) => h === '/datenschutz' || h === '/impressum' || external(h)).length,
    `two links for privacy policy and imprint (one http(s) address cannot be both); ${listed}`,
  ).toBeGreaterThanOrEqual(2);
}

/**
 * Runs axe on the current state of the page and fails listing every violation's id and nodes;
 * checks the legal footer first (expectLegalFooter).
 */
export async function expectNoAxeViolations(page: Page, what = ''): Promise<void> {
  await expectLegalFooter(page, what);
  const results = await runAxe(page);
  const report = results.violations
    .map(
      (v) =>
        `  ${v.id} [${v.impact ?? '?'}] ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .map((n) => `      ${n.target.map(String).join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
          .join('\n'),
    )
    .join('\n');
  expect(
    results.violations.map((v) => v.id),
    `axe found WCAG violations on ${page.url()}${what ? ` (${what})` : ''}:\n${report}`,
  ).toEqual([]);
}

/** Waits until the app says hydration is complete (it sets html[data-hydrated]). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(
    page.locator('html[data-hydrated]'),
    `hydration did not finish on ${page.url()} (html[data-hydrated] never appeared)`,
  ).toHaveCount(1, { timeout: 20_000 });
}

/**
 * Asserts that `field` is marked invalid and that its aria-describedby points to element(s)
 * whose text matches every pattern in `messages`.
 */
export async function expectFieldError(field: Locator, messages: (string | RegExp)[]): Promise<void> {
  await expect(field, 'the field must be marked aria-invalid="true"').toHaveAttribute('aria-invalid', 'true');
  await expect(field, 'the field must have aria-describedby').toHaveAttribute('aria-describedby', /\S/);
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const page = field.page();
  const texts: string[] = [];
  for (const id of ids) {
    const target = page.locator(`[id="${id.replace(/["\\]/g, '\\$&')}"]`);
    await expect(target, `aria-describedby names id "${id}", which must exist exactly once`).toHaveCount(1);
    texts.push(await target.innerText());
  }
  const described = texts.join(' ');
  for (const m of messages) {
    if (typeof m === 'string') {
      expect(described, `error text referenced by aria-describedby (${ids.join(', ')})`).toContain(m);
    } else {
      expect(described, `error text referenced by aria-describedby (${ids.join(', ')})`).toMatch(m);
    }
  }
  for (const m of messages) {
    await expect(field).toHaveAccessibleDescription(typeof m === 'string' ? new RegExp(escapeRegExp(m)) : m);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type VisitOptions = {
  /** expected HTTP status of the final response (default 200) */
  status?: number;
  /** in the "js" project, wait for html[data-hydrated] (default: true when status is 200) */
  hydrate?: boolean;
};

/** goto + status check + (with JavaScript) hydration + axe, on any page; returns the response. */
export async function visitPage(page: Page, urlPath: string, options: VisitOptions = {}): Promise<Response> {
  const status = options.status ?? 200;
  const response = await page.goto(urlPath);
  expect(response, `no response for GET ${urlPath}`).not.toBeNull();
  expect(response!.status(), `HTTP status of GET ${urlPath} (final URL ${response!.url()})`).toBe(status);
  if (test.info().project.use.javaScriptEnabled !== false && (options.hydrate ?? status === 200)) {
    await waitForHydration(page);
  }
  await expectNoAxeViolations(page, `GET ${urlPath}`);
  return response!;
}

/**
 * Requests to anywhere but the server under test (map tiles above all) never leave the machine:
 * they are aborted, as if offline, and their URLs collected in `seen`. Pages must work so.
 */
async function keepLocal(context: BrowserContext, baseURL: string | undefined, seen: string[]): Promise<void> {
  const own = new URL(baseURL ?? 'http://127.0.0.1').origin;
  await context.route(
    (url) => (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== own,
    (route) => {
      seen.push(route.request().url());
      return route.abort('internetdisconnected');
    },
  );
}

/**
 * A network of its own for each browser context, as if each test's people sat at home: the server
 * (scripts/e2e.sh trusts the local proxy) counts its per-network rate limits — 30 logins in 15
 * minutes, 10 registrations an hour — by this X-Forwarded-For address, not by the whole suite's
 * 127.0.0.1. (198.18.0.0/15 is reserved for tests, RFC 2544.)
 */
export function ownNetwork(): Record<string, string> {
  const octet = (min: number) => min + Math.floor(Math.random() * (255 - min));
  return { 'x-forwarded-for': `198.${18 + Math.floor(Math.random() * 2)}.${octet(0)}.${octet(1)}` };
}

type Fixtures = {
  /** true in the "js" project */
  js: boolean;
  /** URLs of other origins the pages asked for (aborted; see keepLocal), e.g. map tiles */
  thirdParty: string[];
  /** goto + status check + (js) hydration + axe; returns the response */
  visit: (path: string, options?: VisitOptions) => Promise<Response>;
  /**
   * A page in a new browser context (nobody signed in) with the project's settings; its page
   * errors fail the test like the main page's. Closed after the test.
   */
  freshPage: () => Promise<Page>;
  /** collects uncaught page errors and fails the test if there were any */
  pageErrors: string[];
};

export const test = base.extend<Fixtures>({
  js: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  thirdParty: async ({}, use) => {
    await use([]);
  },
  context: async ({ context, baseURL, thirdParty }, use) => {
    await context.setExtraHTTPHeaders(ownNetwork());
    await keepLocal(context, baseURL, thirdParty);
    await use(context);
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      watchErrors(page, errors);
      await use(errors);
      expect(errors, 'uncaught errors in the page (hydration problems show here)').toEqual([]);
    },
    { auto: true },
  ],
  visit: async ({ page }, use) => {
    await use((urlPath, options = {}) => visitPage(page, urlPath, options));
  },
  freshPage: async ({ browser, baseURL, javaScriptEnabled, locale, viewport, pageErrors, thirdParty }, use) => {
    const contexts: import('@playwright/test').BrowserContext[] = [];
    await use(async () => {
      const context = await browser.newContext({
        baseURL,
        javaScriptEnabled,
        locale,
        viewport,
        extraHTTPHeaders: ownNetwork(),
      });
      await keepLocal(context, baseURL, thirdParty);
      contexts.push(context);
      const page = await context.newPage();
      watchErrors(page, pageErrors);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

/**
 * Records the page's uncaught errors in `errors`, each with the console errors logged just before
 * it: a Rust panic in the WebAssembly shows as "unreachable", its message (from the panic hook) is
 * in the console.
 */
function watchErrors(page: Page, errors: string[]) {
  let logged: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') logged = [...logged.slice(-2), msg.text().slice(0, 600)];
  });
  page.on('pageerror', (err) => {
    errors.push([`${page.url()}: ${err.message}`, ...logged.map((l) => `  console: ${l}`)].join('\n'));
    logged = [];
  });
}

/** The comment form on a consultation page and its fields. */
export function commentForm(page: Page) {
  const form = page.locator('form#comment-form');
  return {
    form,
    body: form.locator('textarea[name="body"]'),
    submit: form.getByRole('button', { name: 'Beitrag veröffentlichen' }),
  };
}

/** A text no other test (or earlier run) uses. */
export function uniqueText(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
}

/** Nine digits no other test (or earlier run) uses, for e-mail addresses and display names. */
export function uniqueId(): string {
  return uniqueText('').replace(/\D/g, '').slice(-9);
}

// --- e-mail ---------------------------------------------------------------------------------

/** Decodes quoted-printable (soft line breaks and =XX bytes) as UTF-8. */
export function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function dataDir(): string {
  const dir = process.env.MITREDEN_DATA_DIR;
  if (!dir) throw new Error('MITREDEN_DATA_DIR is not set (run through scripts/e2e.sh)');
  return dir;
}

/**
 * Waits for a mail to `address` (whose decoded source contains `containing`, if given) in the
 * server's outbox (MITREDEN_MAIL=file) and returns its decoded source.
 */
export async function mailTo(address: string, containing?: string): Promise<string> {
  const outbox = path.join(dataDir(), 'outbox');
  let found = '';
  await expect
    .poll(
      () => {
        const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
        for (const f of files) {
          const raw = fs.readFileSync(path.join(outbox, f), 'utf8');
          if (new RegExp(`^To: ${address.replace(/[.+]/g, '\\$&')}\\s*$`, 'm').test(raw)) {
            const decoded = decodeQuotedPrintable(raw);
            if (containing && !decoded.includes(containing)) continue;
            found = decoded;
            return true;
          }
        }
        return false;
      },
      { timeout: 10_000, message: `a mail to ${address}` },
    )
    .toBe(true);
  return found;
}

// --- two-factor codes -----------------------------------------------------------------------

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The current RFC 6238 time step (30 seconds). */
export function totpStep(): number {
  return Math.floor(Date.now() / 1000 / 30);
}

/** The RFC 6238 code (SHA-1, 6 digits) of time step `step`. */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hash = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = hash[19] & 0x0f;
  const n = ((hash[o] & 0x7f) << 24) | (hash[o + 1] << 16) | (hash[o + 2] << 8) | hash[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

/** RFC 6238 code for the current 30-second step plus `offset` steps. */
export function totp(secret: string, offset = 0): string {
  return totpAt(secret, totpStep() + offset);
}

// --- state shared by the test workers -------------------------------------------------------

/** A folder for what the workers share during one run (inside the run's throwaway data dir). */
function sharedDir(): string {
  const dir = path.join(dataDir(), 'e2e-shared');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function fileKey(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, '_');
}

/**
 * Runs `fn` while holding the lock `name`, which the other workers (the other project runs at
 * the same time) respect: for changes to shared demo accounts that others must not see halfway.
 */
export async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(sharedDir(), `${fileKey(name)}.lock`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock left by a worker that was killed mid-test is stale after a minute.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 60_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      if (Date.now() > deadline) throw new Error(`waited 60 s for the lock ${name}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` once per test run (whichever worker comes first; the others wait for it and skip it):
 * for setting up what both projects share, such as a staff appointment.
 */
export async function oncePerRun(name: string, fn: () => Promise<void>): Promise<void> {
  const done = path.join(sharedDir(), `${fileKey(name)}.done`);
  await withLock(name, async () => {
    if (fs.existsSync(done)) return;
    await fn();
    fs.writeFileSync(done, '');
  });
}

// --- signing in -----------------------------------------------------------------------------

/** Fills and sends the password login form on the current page (any language). */
async function submitPasswordLogin(page: Page, email: string, password: string): Promise<void> {
  const form = page.locator('form#login-form');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

/** Waits until the navigation shows somebody signed in (the "my account" link). */
async function expectSignedIn(page: Page, email: string): Promise<void> {
  await expect(
    page.locator('header nav a[href="/account"]'),
    `${email} should be signed in now`,
  ).toBeVisible();
}

/** Sessions of residents signed in by this worker, by e-mail address. */
const residentSessions = new Map<string, Cookie[]>();

/**
 * Signs a resident (an account without a second factor) in, in the page's browser context.
 * The login form is used once per worker and account; later calls reuse that session, because
 * logins from one network are rate-limited (30 in 15 minutes) and the suite would pass that.
 * Leaves the page wherever it was (on the login's landing page after a fresh login).
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const context = page.context();
  const cached = residentSessions.get(email);
  if (cached) {
    await context.addCookies(cached);
    const answer = await context.request.get('/account');
    if (answer.status() === 200 && (await answer.text()).includes(email)) return;
    residentSessions.delete(email);
    await context.clearCookies();
  }
  await page.goto('/login');
  if (test.info().project.use.javaScriptEnabled !== false) await waitForHydration(page);
  await submitPasswordLogin(page, email, password);
  await expectSignedIn(page, email);
  residentSessions.set(
    email,
    (await context.cookies()).filter((c) => c.name.endsWith('mitreden_session')),
  );
}

type TotpState = { secret: string; lastStep: number };

function totpStateFile(email: string): string {
  return path.join(sharedDir(), `totp-${fileKey(email)}.json`);
}

/**
 * Signs a staff member in with password and authenticator code (two-factor sign-in is mandatory
 * for staff), on the page: the login form, then the second-factor form. The first call for an
 * account in a run sets the authenticator up on /account instead (as two-factor.spec.ts does) and
 * keeps its secret for the other workers. A code works once per 30-second step and account, so
 * the workers take turns and each login uses a step no one used before. Only accounts that no
 * other spec signs in may be used here (two-factor.spec.ts uses the moderators).
 */
export async function signInStaff(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  const js = test.info().project.use.javaScriptEnabled !== false;
  await withLock(`staff-${email}`, async () => {
    const file = totpStateFile(email);
    const state: TotpState | null = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
    await page.goto('/login');
    if (js) await waitForHydration(page);
    await submitPasswordLogin(page, email, password);
    if (!state) {
      // No second factor yet: signed in with the password alone, and sent to set one up.
      await expectSignedIn(page, email);
      await visitPage(page, '/account');
      await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
      const secret = (await page.locator('code.secret').textContent())!.trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const step = totpStep();
      fs.writeFileSync(file, JSON.stringify({ secret, lastStep: step } satisfies TotpState));
      await page.getByLabel('Code', { exact: true }).fill(totpAt(secret, step));
      await page.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
      await expect(page.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' })).toBeVisible();
      return;
    }
    await expect(page, `${email} has two-factor sign-in: the second step must follow`).toHaveURL(/\/login\/2fa/);
    if (js) await waitForHydration(page);
    // The server takes the codes of the previous, current and next step, each once.
    const step = Math.max(totpStep(), state.lastStep + 1);
    while (step > totpStep() + 1) await new Promise((r) => setTimeout(r, 500));
    fs.writeFileSync(file, JSON.stringify({ secret: state.secret, lastStep: step } satisfies TotpState));
    await page.getByLabel('Code', { exact: true }).fill(totpAt(state.secret, step));
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await expectSignedIn(page, email);
  });
}

/** After a page load (or a state change) that `loaded` marks: hydration (with JS), then axe. */
export async function settled(page: Page, js: boolean, loaded: Locator, what: string): Promise<void> {
  await expect(loaded).toBeVisible();
  if (js) await waitForHydration(page);
  await expectNoAxeViolations(page, what);
}

/** The consultation editor's form and its fields. */
export function consultationEditor(page: Page) {
  const form = page.locator('form#consultation-editor');
  return {
    form,
    title: form.getByLabel('Titel', { exact: true }),
    slug: form.getByLabel('Adresse (Kurzname)'),
    summary: form.getByLabel('Kurze Zusammenfassung'),
    plain: form.getByLabel('Zusammenfassung in Leichter Sprache (optional)'),
    body: form.getByLabel('Text (Markdown)'),
    topic: form.getByLabel('Thema (optional)'),
    office: form.getByLabel('Zuständige Stelle (optional)'),
    contact: form.getByLabel('Kontakt (optional)'),
    opens: form.getByLabel('Beginn der Beteiligung (optional)'),
    closes: form.getByLabel('Ende der Beteiligung (optional)'),
    moderation: form.getByRole('group', { name: 'Moderation' }),
    rule: form.getByLabel('Wer kann mitmachen'),
    changeNote: form.getByLabel('Grund der Änderung (für die Änderungsübersicht)'),
    save: form.getByRole('button', { name: 'Speichern' }),
  };
}

/** The row of the consultation titled `title` in an organisation's staff table, and its status cell. */
export function consultationRow(page: Page, title: string) {
  const row = page.getByRole('row').filter({ hasText: title });
  return { row, status: row.getByRole('cell').nth(1) };
}

/**
 * Presses a lifecycle button ("Veröffentlichen: <title>", …) on an organisation's staff page
 * (`org`, e.g. /manage/musterstadt) and waits for the new status.
 */
export async function changePhase(
  page: Page,
  js: boolean,
  title: string,
  action: string,
  status: string,
  org = '/manage/musterstadt',
): Promise<void> {
  await consultationRow(page, title).row.getByRole('button', { name: `${action}: ${title}`, exact: true }).click();
  // With JavaScript the page loads afresh; without, the server sends the browser back here.
  await expect(page).toHaveURL(new RegExp(`${org}$`));
  await settled(page, js, consultationRow(page, title).status.getByText(status, { exact: true }), `after "${action}"`);
}

/** Clicks a map at a fraction of its width and height. */
export async function clickAt(canvas: Locator, x: number, y: number): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the map has no size');
  await canvas.click({ position: { x: box.width * x, y: box.height * y } });
}

// --- a second resident ----------------------------------------------------------------------

type Neighbour = { email: string; name: string; password: string };

/**
 * Signs in a second resident besides Anna (for what one cannot do to one's own comments, such as
 * supporting them; and to spread comments over accounts, which are rate-limited each): an account
 * registered and confirmed through /register once per run and `key` (by default the project, so
 * that the two projects never share one), kept for the other workers. Registrations are
 * rate-limited per network (10 an hour), so use the default key unless you must not. Returns the
 * account; leaves the page wherever signing in left it.
 */
export async function signInNeighbour(page: Page, key = test.info().project.name): Promise<Neighbour> {
  const neighbour = await neighbourAccount(page, key);
  await signIn(page, neighbour.email, neighbour.password);
  return neighbour;
}

/**
 * The neighbour's account, registered and confirmed (in a context of its own) the first time a
 * run asks for `key`, without signing `page` in: for accounts that become staff and so sign in
 * with two factors later.
 */
export async function neighbourAccount(page: Page, key = test.info().project.name): Promise<Neighbour> {
  const file = path.join(sharedDir(), `neighbour-${fileKey(key)}.json`);
  return withLock(`neighbour-${key}`, async () => {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Neighbour;
    const id = uniqueId();
    const made: Neighbour = {
      email: `nachbarin-${fileKey(key)}-${id}@example.org`,
      name: `Nachbarin ${id}`,
      password: 'Marktplatz-Brunnen-2026',
    };
    const browser = page.context().browser();
    if (!browser) throw new Error('registering a neighbour needs a browser to open a second context');
    const js = test.info().project.use.javaScriptEnabled !== false;
    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      javaScriptEnabled: js,
      locale: test.info().project.use.locale,
      extraHTTPHeaders: ownNetwork(),
    });
    try {
      const other = await context.newPage();
      await other.goto('/register');
      if (js) await waitForHydration(other);
      await other.getByLabel('E-Mail-Adresse').fill(made.email);
      await other.getByLabel('Name (öffentlich sichtbar)').fill(made.name);
      await other.getByLabel('Passwort').fill(made.password);
      await other.getByRole('button', { name: 'Konto anlegen' }).click();
      await expect(other.getByRole('status').filter({ hasText: 'Fast geschafft!' })).toBeVisible();
      const link = (await mailTo(made.email)).match(/https?:\/\/[^\s"<>]+\/verify\?token=[0-9a-f]{64}/)?.[0];
      expect(link, 'confirmation link in the mail').toBeTruthy();
      const url = new URL(link!);
      await other.goto(url.pathname + url.search);
      if (js) await waitForHydration(other);
      await other.getByRole('button', { name: 'Adresse bestätigen' }).click();
      await expect(other.getByText(`Angemeldet als ${made.name}`)).toBeVisible();
    } finally {
      await context.close();
    }
    fs.writeFileSync(file, JSON.stringify(made));
    return made;
  });
}
