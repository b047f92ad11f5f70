// Exports: the initiator finds the export page from the organisation's staff page, picks
// contributions as CSV with semicolons (German Excel) and downloads the file with a plain form,
// with JavaScript on and off; the file has the byte-order mark, the header and no display
// names; with JavaScript the page shows the export's progress. axe on the export page.
import fs from 'node:fs';
import { test, expect, signInStaff, expectNoAxeViolations, CONSULTATION } from './fixtures';

const INITIATOR = 'redaktion@musterstadt.example';

test('an initiator downloads the contributions as CSV for German Excel', async ({ page, visit, js }) => {
  // Two-factor sign-in may wait for the next 30-second code when other tests used this account.
  test.slow();
  await signInStaff(page, INITIATOR);
  await visit('/manage/musterstadt');
  const link = page.getByRole('link', { name: 'Beteiligung exportieren (CSV, Excel, JSON, GeoJSON): Verkehrsberuhigung in der Altstadt' });
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/manage${CONSULTATION}/exports$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Export');
  await expectNoAxeViolations(page, 'export page');
  // Initiators do not get the display names.
  await expect(page.getByLabel(/Anzeigenamen/)).toHaveCount(0);

  await page.getByRole('radio', { name: /^Beiträge \(\d+ Zeilen\)$/ }).check();
  await page.getByLabel('Format').selectOption('csv');
  await page.getByLabel('Trennzeichen (CSV)').selectOption('semicolon');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Herunterladen' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('musterstadt-verkehrsberuhigung-altstadt-contributions.csv');
  // With JavaScript the page says how far the export got and when it is done; without, the
  // browser's own download shows it.
  const progress = page.getByRole('status').filter({ hasText: /Zeilen/ });
  if (js) {
    await expect(progress).toContainText(/Fertig: \d+ Zeilen, \d+,\d MB/);
    await expect(page.getByRole('button', { name: 'Herunterladen' })).toBeEnabled();
  } else {
    await expect(page.locator('#export-progress')).toBeHidden();
  }
  const file = await download.path();
  const bytes = fs.readFileSync(file!);
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n')[0]).toBe(
    'id;thread_id;parent_id;section_id;section_title;lat;lon;participant;created_at;edited_at;status;hidden_reason;support;objections;replies;answer_status;answer_reason;text',
  );
  // Demo comments have no account (empty participant); no names, never an address.
  expect(text).toMatch(/\r\n1;1;;/);
  expect(text).not.toContain('@example.');
});
