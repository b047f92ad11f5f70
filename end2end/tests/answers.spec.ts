// Official answers (Abwägung): the initiator answers a resident's new contribution on the demo
// consultation from the staff page, with JavaScript on and off (a first try without a selection
// is refused, the text kept); the resident's contribution shows the official answer, and the
// public answers page lists it. axe on the staff and public pages.
import { test, expect, signIn, signInStaff, settled, uniqueText, ANNA, CONSULTATION } from './fixtures';

const INITIATOR = 'redaktion@musterstadt.example';
const STAFF_PAGE = `/manage${CONSULTATION}/answers`;

test('the initiator answers a contribution and the resident sees the answer', async ({ page, js, baseURL, freshPage }) => {
  test.slow();
  // Anna writes a contribution (through the comment API; the form is tested elsewhere).
  const resident = await freshPage();
  await signIn(resident, ANNA);
  const text = uniqueText('Bitte mehr Fahrradbügel am Markt');
  const posted = await resident.request.post('/api/post_comment', {
    headers: { origin: new URL(baseURL!).origin, accept: 'application/json' },
    form: { org: 'musterstadt', slug: 'verkehrsberuhigung-altstadt', parent_id: '', body: text },
  });
  expect(posted.status(), await posted.text()).toBe(200);
  const id: number = (await posted.json()).Published.id;

  // The initiator opens the staff page: newest contributions first, so Anna's is on page one.
  await signInStaff(page, INITIATOR);
  await page.goto(STAFF_PAGE);
  const heading = page.getByRole('heading', { name: 'Beiträge offiziell beantworten', level: 1 });
  await settled(page, js, heading, 'staff answers page');
  const form = page.locator('form#answer-form');
  const reason = uniqueText('Die Bügel kommen im Frühjahr');
  // Sent without a selection first: refused with the reason, the text kept.
  await form.getByRole('radio', { name: 'Übernommen', exact: true }).check();
  await form.getByLabel('Begründung').fill(reason);
  await form.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'Bitte wählen Sie mindestens einen Beitrag aus.' });
  await settled(page, js, refused, 'answer refused without a selection');
  await expect(form.getByLabel('Begründung')).toHaveValue(reason);
  await expect(form.getByRole('radio', { name: 'Übernommen', exact: true })).toBeChecked();
  // Now with Anna's contribution selected.
  await form.locator(`input[name="comment_ids[]"][value="${id}"]`).check();
  await form.getByRole('button', { name: 'Antwort veröffentlichen' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Die Antwort ist veröffentlicht.' });
  await expect(done).toBeVisible();
  await settled(page, js, done, 'after answering');
  // The contribution now shows as answered in the list.
  await expect(page.locator(`#contribution-${id}`)).toContainText('Übernommen');

  // The resident sees the official answer on the contribution's own page.
  await resident.goto(`${CONSULTATION}/comments/${id}`);
  const box = resident.getByRole('region', { name: /Offizielle Antwort der Stadt Musterstadt/ });
  await expect(box).toBeVisible();
  await expect(box).toContainText('Übernommen');
  await expect(box).toContainText(reason);

  // The public answers page lists it, linked to the contribution; axe clean.
  await resident.goto(`${CONSULTATION}/answers`);
  const pub = resident.getByRole('heading', { name: 'Abwägung: die offiziellen Antworten', level: 1 });
  await settled(resident, js, pub, 'public answers page');
  const answer = resident.locator('article.oa-given', { hasText: reason });
  await expect(answer).toBeVisible();
  await expect(answer.getByRole('link').first()).toHaveAttribute('href', `${CONSULTATION}/comments/${id}`);
  await expect(resident.getByRole('heading', { name: /^Übernommen/, level: 2 })).toBeVisible();
});
