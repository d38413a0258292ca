import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../src/scenario/load';
import type { Outcome } from '../../src/model/outcome';
import type { Scenario, Text } from '../../src/scenario/types';
import { watch } from './watch';

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** A shipped scenario, read with the same loader as the page, so the test knows every answer. */
function shipped(id: string): Scenario {
  const file = `scenarios/${id}.yaml`;
  const result = loadScenario(readFileSync(root(file), 'utf8'), file);
  if (!result.ok) throw new Error(`${file} does not load: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}

const en = (t: Text) => (typeof t === 'string' ? t : t.en);

/** The accessible name of each predicted outcome's radio button starts with this. */
const OUTCOME_LABEL: Record<Outcome, RegExp> = {
  leaked: /^Leaked —/,
  detected: /^Detected —/,
  prevented: /^Prevented —/,
  'out-of-scope': /^Out of scope —/,
  'not-applicable': /^Not applicable —/,
};

async function noAxeViolations(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(
    axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(' | ')})`),
  ).toEqual([]);
}

const bar = (page: Page) => page.getByRole('progressbar', { name: 'Progress through the scenario' });
const stage = (page: Page) => page.locator('.stage [aria-busy="false"]');
const score = (page: Page) => page.locator('.score');

async function atStep(page: Page, s: Scenario, k: number) {
  await expect(bar(page)).toHaveAttribute('aria-valuenow', String(k));
  await expect(
    page.getByRole('heading', { level: 2, name: en(s.steps[k - 1].title), exact: true }),
  ).toBeVisible();
  await expect(stage(page)).toBeVisible();
}

/** Answers the step's question (right, unless `wrong`), and checks the feedback and the reveal. */
async function answer(page: Page, s: Scenario, k: number, wrong = false) {
  const q = s.steps[k - 1].question;
  if (!q) return;
  const form = page.locator('.question');
  if (q.type === 'predict') {
    // The outcome stays hidden until the prediction is made.
    await expect(page.getByText('Make your prediction first')).toBeVisible();
    await expect(page.locator('.stage .outcome')).toHaveCount(0);
    const pick: Outcome = wrong ? (q.answer === 'prevented' ? 'leaked' : 'prevented') : q.answer;
    await form.getByRole('radio', { name: OUTCOME_LABEL[pick] }).check();
  } else {
    const pick = wrong ? (q.answer + 1) % q.choices.length : q.answer;
    await form.getByRole('radio', { name: en(q.choices[pick]), exact: true }).check();
  }
  await form.getByRole('button', { name: 'Answer' }).click();
  await expect(form.locator('.feedback strong').first()).toHaveText(wrong ? 'Not quite.' : 'Correct.');
  await expect(form.getByRole('radio').first()).toBeDisabled();
  if (q.type === 'predict') {
    // The reveal is the simulation's own judgement, which `ccte scenario check` ties to the answer.
    const reveal = page.getByRole('region', { name: 'What the simulation shows' });
    await expect(reveal.locator('.outcome')).toHaveAttribute('data-outcome', q.answer);
    await expect(page.getByText('Make your prediction first')).toHaveCount(0);
    await expect(page.locator(`.stage .outcome[data-attack="${q.attack}"]`)).toHaveAttribute(
      'data-outcome',
      q.answer,
    );
  }
}

test('the index lists the shipped scenarios, filters them through the link, and has no axe violations', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  await page.goto('./#scenarios&topic=memory-encryption&level=beginner');
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workshops' }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Topic')).toHaveValue('memory-encryption');
  await expect(page.getByLabel('Level')).toHaveValue('beginner');
  const memory = shipped('memory-dump-plain-vs-confidential');
  const card = page.locator('article.card', { hasText: en(memory.title) });
  await expect(card).toBeVisible();
  await expect(card).toContainText(`${memory.duration} min · ${memory.steps.length} steps`);
  await expect(card).toContainText(`${memory.objectives.length} learning objectives`);
  await expect(card).toContainText('Not started');
  for (const t of memory.topics) await expect(card.locator('.topics li', { hasText: t })).toBeVisible();

  await page.getByLabel('Level').selectOption('');
  await expect(page).toHaveURL(/#scenarios&topic=memory-encryption$/);
  await page.getByLabel('Topic').selectOption('');
  await expect(page).toHaveURL(/#scenarios$/);
  const all = await page.locator('article.card').count();
  expect(all).toBeGreaterThanOrEqual(4);
  await page.getByLabel('Search').fill('register');
  await expect(page.locator('article.card')).not.toHaveCount(all);
  await expect(page.locator('article.card', { hasText: 'Register snooping' })).toBeVisible();
  await page.getByLabel('Search').fill('no scenario is called this');
  await expect(page.getByText('No scenario matches these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Show all scenarios' }).click();
  await expect(page.locator('article.card')).toHaveCount(all);
  await noAxeViolations(page);
  await page.screenshot({ path: 'test-results/screenshots/player-index.png', fullPage: true });
  expect(problems).toEqual([]);
});

test('plays the memory-dump scenario end to end, and the reveals match the simulation', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const problems = watch(page, baseURL);
  const s = shipped('memory-dump-plain-vs-confidential');
  await page.goto('./#scenarios');
  await page.getByRole('link', { name: en(s.title) }).click();
  await expect(page).toHaveURL(/#scenario=memory-dump-plain-vs-confidential&s=1$/);
  await expect(page.getByRole('heading', { level: 1, name: en(s.title) })).toBeVisible();
  const questions = s.steps.filter((x) => x.question).length;

  for (let k = 1; k <= s.steps.length; k++) {
    await atStep(page, s, k);
    await answer(page, s, k);
    const memory = page.getByRole('region', { name: 'Guest memory inspector' });
    if (s.steps[k - 1].id === 'plain-dump') {
      await expect(memory.getByText(/The host can read the secret/).first()).toBeVisible();
    }
    if (s.steps[k - 1].id === 'snp-dump') {
      await expect(
        memory.getByText('The host sees only ciphertext — the secret’s bytes do not appear'),
      ).toBeVisible();
      await noAxeViolations(page);
    }
    if (k < s.steps.length) await page.getByRole('button', { name: 'Next step' }).click();
  }
  await expect(
    page.getByRole('heading', { name: 'You have reached the end of this scenario.' }),
  ).toBeVisible();
  await expect(score(page)).toHaveText(
    `Quiz: ${questions} correct, ${questions} answered, of ${questions} questions`,
  );
  await expect(page.getByRole('button', { name: 'Next step' })).toBeDisabled();
  // The matrix view shows the step's focused cell as selected.
  await expect(
    page.getByRole('gridcell', { name: /^VM with vTPM × Host administrator dumps guest memory: leaked/ }),
  ).toBeVisible({
    timeout: 60_000,
  });
  await page.screenshot({ path: 'test-results/screenshots/player-last-step.png', fullPage: true });

  // The index shows the scenario as completed.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workshops' }).click();
  const card = page.locator('article.card', { hasText: en(s.title) });
  await expect(card.locator('.progress')).toContainText(
    `${s.steps.length}/${s.steps.length} steps, quiz ${questions}/${questions}`,
  );
  await expect(card.locator('.progress')).toContainText('Completed');
  expect(problems).toEqual([]);
});

test('plays the register-snoop scenario with the keyboard, scoring a wrong answer', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const problems = watch(page, baseURL);
  const s = shipped('register-snoop-sev-vs-sev-es');
  await page.goto('./#scenarios');
  await page.getByRole('link', { name: en(s.title) }).click();
  const questions = s.steps.filter((x) => x.question).length;
  let first = true;
  for (let k = 1; k <= s.steps.length; k++) {
    await atStep(page, s, k);
    if (s.steps[k - 1].question) {
      // Arrow keys on a radio button move between the answers, not between steps.
      await page.locator('.question input[type="radio"]').first().focus();
      await page.keyboard.press('ArrowRight');
      await expect(page.locator('.question input[type="radio"]').nth(1)).toBeChecked();
      await expect(bar(page)).toHaveAttribute('aria-valuenow', String(k));
      await answer(page, s, k, first);
      first = false;
    }
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    if (k < s.steps.length) await page.keyboard.press(['ArrowRight', 'PageDown', 'n', 'N'][k % 4]);
  }
  await expect(score(page)).toHaveText(
    `Quiz: ${questions - 1} correct, ${questions} answered, of ${questions} questions`,
  );
  await page.keyboard.press('Home');
  await atStep(page, s, 1);
  await page.keyboard.press('End');
  await atStep(page, s, s.steps.length);
  await page.keyboard.press('ArrowLeft');
  await atStep(page, s, s.steps.length - 1);
  await page.keyboard.press('p');
  await atStep(page, s, s.steps.length - 2);
  await page.keyboard.press('PageUp');
  await atStep(page, s, s.steps.length - 3);
  expect(problems).toEqual([]);
});

test('progress survives a reload, a trip to the index and corrupt storage', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const problems = watch(page, baseURL);
  const s = shipped('memory-dump-plain-vs-confidential');
  const questions = s.steps.filter((x) => x.question).length;
  await page.goto('./#scenario=memory-dump-plain-vs-confidential');
  await atStep(page, s, 1);
  await page.getByRole('button', { name: 'Next step' }).click();
  await atStep(page, s, 2);
  await answer(page, s, 2);
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  await atStep(page, s, 4);
  await expect(score(page)).toHaveText(`Quiz: 1 correct, 1 answered, of ${questions} questions`);

  await page.reload();
  await atStep(page, s, 4);
  await expect(page).toHaveURL(/s=4$/);
  await expect(score(page)).toHaveText(`Quiz: 1 correct, 1 answered, of ${questions} questions`);
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('ccte.progress.v1') ?? 'null'));
  expect(saved).toEqual({
    'memory-dump-plain-vs-confidential': {
      step: 4,
      furthest: 4,
      answers: { 'plain-dump': 'leaked' },
      completed: false,
    },
  });
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await atStep(page, s, 2);
  await expect(page.locator('.question .feedback')).toContainText('Correct.');

  // Reopening from the index resumes at the saved step.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workshops' }).click();
  const card = page.locator('article.card', { hasText: en(s.title) });
  await expect(card.locator('.progress')).toContainText(`4/${s.steps.length} steps, quiz 1/${questions}`);
  await card.getByRole('link').click();
  await atStep(page, s, 2);
  await expect(page).toHaveURL(/s=2$/);

  // Storage another script garbled: a warning, a fresh start, no error.
  await page.evaluate(() =>
    localStorage.setItem('ccte.progress.v1', '{"memory-dump-plain-vs-confidential":{"step":"x"}'),
  );
  await page.goto('./#scenarios');
  await page.reload();
  await expect(page.locator('article.card', { hasText: en(s.title) }).locator('.progress')).toContainText(
    'Not started',
  );
  await page.getByRole('link', { name: en(s.title) }).click();
  await atStep(page, s, 1);
  expect(problems).toEqual([]);
});

test('"Open this step in the explorer" opens the explorer in the same state', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const problems = watch(page, baseURL);
  const s = shipped('memory-dump-plain-vs-confidential');
  const k = s.steps.findIndex((x) => x.id === 'snp-dump') + 1;
  await page.goto(`./#scenario=memory-dump-plain-vs-confidential&s=${k}`);
  await atStep(page, s, k);
  // Hidden while predicting: the link would give the answer away.
  await expect(page.getByRole('link', { name: 'Open this step in the explorer' })).toHaveCount(0);
  await answer(page, s, k);
  await page.getByRole('link', { name: 'Open this step in the explorer' }).click();
  await expect(page).toHaveURL(/#platform=sev-snp&attacks=memory-dump&seed=1&view=memory&page=0x1000$/);
  await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Platform', exact: true })).toHaveValue('sev-snp');
  await expect(page.getByRole('checkbox', { name: 'Host administrator dumps guest memory' })).toBeChecked();
  await expect(page.getByRole('tab', { name: 'Memory' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.outcome[data-attack="memory-dump"]')).toHaveAttribute(
    'data-outcome',
    'prevented',
  );
  await expect(
    page
      .getByRole('region', { name: 'Guest memory inspector' })
      .getByText('The host sees only ciphertext — the secret’s bytes do not appear'),
  ).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'could not be used' })).toHaveCount(0);
  const explorerUrl = page.url();

  // Workshops and back: the explorer comes back as it was.
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('link', { name: 'Workshops' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(page).toHaveURL(/#scenarios$/);
  await nav.getByRole('link', { name: 'Explorer' }).click();
  await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible();
  expect(page.url()).toBe(explorerUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confidential Computing Threat Explorer');
  expect(problems).toEqual([]);
});

test('a scenario file with HTML in its narrative shows its problems and runs nothing', async ({
  page,
  baseURL,
}) => {
  const problems = watch(page, baseURL);
  const path = root('tests/fixtures/scenarios-bad/script-in-narrative.yaml');
  const source = readFileSync(path, 'utf8');
  const result = loadScenario(source, 'script-in-narrative.yaml');
  expect(result.ok).toBe(false);
  const expected = result.ok ? [] : result.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
  // Each unsafe construct is reported at its own line of the file.
  const lines = source.split('\n');
  const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
  for (const needle of ['<script>', '<img', 'javascript:']) {
    expect(expected.some((e) => e.startsWith(`script-in-narrative.yaml:${lineOf(needle)}:`))).toBe(true);
  }

  await page.goto('./#scenarios');
  await page.getByLabel('Open a scenario file…').setInputFiles(path);
  const alert = page.getByRole('alert').filter({ hasText: 'script-in-narrative.yaml' });
  await expect(alert).toContainText(
    `script-in-narrative.yaml: ${expected.length} problems, so it cannot be played`,
  );
  await expect(alert.locator('li')).toHaveText(expected);
  await expect(page).toHaveURL(/#scenarios$/);
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('script:not([type="module"])')).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0);
  await noAxeViolations(page);
  expect(problems).toEqual([]);
});

test('a valid scenario file plays like a shipped one, and stays for the session only', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const problems = watch(page, baseURL);
  const path = root('tests/fixtures/scenarios-good/minimal.yaml');
  const result = loadScenario(readFileSync(path, 'utf8'), 'minimal.yaml');
  if (!result.ok) throw new Error('minimal.yaml should load');
  const s = result.scenario;
  await page.goto('./#scenarios');
  await page.getByLabel('Open a scenario file…').setInputFiles(path);
  await expect(page).toHaveURL(new RegExp(`#scenario=${s.id}&s=1&src=file$`));
  await expect(page.getByRole('heading', { level: 1, name: en(s.title) })).toBeVisible();
  await expect(page.getByText('from your file minimal.yaml')).toBeVisible();
  await atStep(page, s, 1);
  await answer(page, s, 1);
  await page.getByRole('button', { name: 'Next step' }).click();
  await atStep(page, s, 2);
  await page.reload();
  await atStep(page, s, 2);
  // Its progress is kept for the session, not in the shipped scenarios' storage.
  expect(await page.evaluate(() => localStorage.getItem('ccte.progress.v1'))).toBeNull();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Workshops' }).click();
  await expect(page.locator('.open-file article.card', { hasText: en(s.title) })).toContainText(
    '2/2 steps, quiz 1/2',
  );
  expect(problems).toEqual([]);
});

test('a file whose prose YAML cuts at " #" opens with its warnings shown, and plays from its card', async ({
  page,
  baseURL,
}, testInfo) => {
  const problems = watch(page, baseURL);
  const text = readFileSync(root('tests/fixtures/scenarios-good/minimal.yaml'), 'utf8').replace(
    "explanation: Nothing encrypts the guest's memory.",
    "explanation: Nothing encrypts the guest's memory, see step #2 below",
  );
  const path = testInfo.outputPath('minimal.yaml');
  writeFileSync(path, text);
  await page.goto('./#scenarios');
  await page.getByLabel('Open a scenario file…').setInputFiles(path);
  const box = page.locator('.file-warnings');
  await expect(box).toContainText('minimal.yaml opened, with 1 warning');
  await expect(box).toContainText(
    "minimal.yaml:29:66: steps[0].question.explanation: the text stops before '#2 below', which YAML reads as a comment",
  );
  // Still on the index: the warning is there to be read; the file's card plays it.
  await expect(page).toHaveURL(/#scenarios$/);
  await page.locator('.open-file article.card').getByRole('link').first().click();
  await expect(page).toHaveURL(/#scenario=minimal&s=1&src=file$/);
  expect(problems).toEqual([]);
});

test('an unknown or hostile scenario id gets a clear message and the index', async ({ page, baseURL }) => {
  const problems = watch(page, baseURL);
  await page.goto('./#scenario=no-such-scenario&s=2');
  await expect(page.getByRole('heading', { level: 1, name: 'Workshops' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'could not be used' })).toContainText(
    'there is no workshop scenario "no-such-scenario"; here are the ones there are',
  );
  await page.goto('./#scenario=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&mode=boss');
  await expect(page.getByRole('status').filter({ hasText: 'could not be used' })).toContainText(
    '"<img src=x onerror=alert(1)>" is not a scenario id; here are all of them',
  );
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('presenter and audience windows stay in sync', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000);
  const problems = watch(page, baseURL);
  const s = shipped('memory-dump-plain-vs-confidential');
  await page.goto('./#scenario=memory-dump-plain-vs-confidential&s=1&mode=presenter');
  await atStep(page, s, 1);
  const presenter = page.getByRole('complementary', { name: 'Presenter' });
  await expect(presenter.getByRole('heading', { name: 'Speaker notes' })).toBeVisible();
  await expect(presenter.getByRole('timer')).toHaveText(/^\d\d:\d\d$/);
  await expect(presenter).toContainText(`Next: ${en(s.steps[1].title)}`);

  const [audience] = await Promise.all([
    context.waitForEvent('page'),
    presenter.getByRole('button', { name: 'Open audience window' }).click(),
  ]);
  const audienceProblems = watch(audience, baseURL);
  await expect(audience).toHaveURL(/#scenario=memory-dump-plain-vs-confidential&s=1&mode=audience$/);
  await atStep(audience, s, 1);
  await expect(audience.getByRole('heading', { name: 'Speaker notes' })).toHaveCount(0);
  await expect(audience.getByRole('navigation', { name: 'Sections' })).toHaveCount(0);

  // The presenter steps; the audience follows.
  await page.getByRole('button', { name: 'Next step' }).click();
  await atStep(page, s, 2);
  await atStep(audience, s, 2);
  // An answer given in one window is revealed in both.
  await answer(page, s, 2);
  await expect(audience.locator('.question .feedback')).toContainText('Correct.');
  await expect(
    audience.getByRole('region', { name: 'What the simulation shows' }).locator('.outcome'),
  ).toHaveAttribute('data-outcome', 'leaked');
  await page.keyboard.press('End');
  await atStep(audience, s, s.steps.length);
  // And the other way round.
  await audience.keyboard.press('Home');
  await atStep(page, s, 1);
  await noAxeViolations(audience);
  await audience.screenshot({ path: 'test-results/screenshots/player-audience.png', fullPage: true });
  await page.screenshot({ path: 'test-results/screenshots/player-presenter.png', fullPage: true });
  expect(problems).toEqual([]);
  expect(audienceProblems).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the player has no axe violations: presenter, inspector, narrow screen (${scheme})`, async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const problems = watch(page, baseURL);
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const s = shipped('tampered-boot-measured');
    const choice = s.steps.findIndex((x) => x.question?.type === 'choice') + 1;
    const predict = s.steps.findIndex((x, i) => i + 1 > choice && x.question?.type === 'predict') + 1;
    await page.goto(`./#scenario=tampered-boot-measured&s=${choice}&mode=presenter`);
    await atStep(page, s, choice);
    await noAxeViolations(page);
    await answer(page, s, choice, true);
    await noAxeViolations(page);
    await page.screenshot({
      path: `test-results/screenshots/player-presenter-${scheme}.png`,
      fullPage: true,
    });

    await page.goto(`./#scenario=tampered-boot-measured&s=${predict}`);
    await atStep(page, s, predict);
    await answer(page, s, predict);
    // The step's focus opens the evidence in the payload inspector, on the field it names.
    const field = s.steps[predict - 1].focus?.field;
    if (field) {
      const inspector = page.getByRole('region', { name: /^Payload inspector/ });
      await expect(inspector).toBeVisible();
      await expect(inspector.getByText(/Highlighted/).first()).toBeVisible();
    }
    await noAxeViolations(page);

    await page.setViewportSize({ width: 360, height: 740 });
    await noAxeViolations(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: `test-results/screenshots/player-360-${scheme}.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
}
