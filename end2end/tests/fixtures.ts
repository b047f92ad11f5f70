// Shared fixtures for the end-to-end tests: every page the tests look at is checked with axe
// (WCAG 2.1 A + AA), and in the "js" project every page must hydrate without a script error.
import { test as base, expect, type Locator, type Page, type Response } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { AxeResults } from 'axe-core';

export { expect };

export const CONSULTATION = '/musterstadt/verkehrsberuhigung-altstadt';
export const CONSULTATION_TITLE = 'Verkehrsberuhigung in der Altstadt';
export const DRAFT = '/musterstadt/radweg-nord';
export const PREMODERATED = '/kreis-beispiel/nahverkehrsplan';

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

/** Runs axe on the current state of the page and fails listing every violation's id and nodes. */
export async function expectNoAxeViolations(page: Page, what = ''): Promise<void> {
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

type Fixtures = {
  /** true in the "js" project */
  js: boolean;
  /** goto + status check + (js) hydration + axe; returns the response */
  visit: (path: string, options?: VisitOptions) => Promise<Response>;
  /** collects uncaught page errors and fails the test if there were any */
  pageErrors: string[];
};

export const test = base.extend<Fixtures>({
  js: async ({ javaScriptEnabled }, use) => {
    await use(javaScriptEnabled !== false);
  },
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
      await use(errors);
      expect(errors, 'uncaught errors in the page (hydration problems show here)').toEqual([]);
    },
    { auto: true },
  ],
  visit: async ({ page, js }, use) => {
    await use(async (path, options = {}) => {
      const status = options.status ?? 200;
      const response = await page.goto(path);
      expect(response, `no response for GET ${path}`).not.toBeNull();
      expect(response!.status(), `HTTP status of GET ${path} (final URL ${response!.url()})`).toBe(status);
      if (js && (options.hydrate ?? status === 200)) {
        await waitForHydration(page);
      }
      await expectNoAxeViolations(page, `GET ${path}`);
      return response!;
    });
  },
});

/** The comment form on a consultation page and its fields. */
export function commentForm(page: Page) {
  const form = page.locator('form#comment-form');
  return {
    form,
    body: form.locator('textarea[name="body"]'),
    author: form.locator('input[name="author_name"]'),
    submit: form.getByRole('button', { name: 'Beitrag veröffentlichen' }),
  };
}

/** A text no other test (or earlier run) uses. */
export function uniqueText(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
}
