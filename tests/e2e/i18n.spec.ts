import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../src/scenario/load';
import type { Scenario, Text } from '../../src/scenario/types';
import { watch } from './watch';

/** The explorer in Simplified Chinese: translated headings and tabs, the switcher, the URL, axe, screenshots. */

const VIEWS = ['map', 'boot', 'attestation', 'memory', 'matrix', 'statechart'] as const;
const TAB_ZH = {
  map: '信任域',
  boot: '度量启动',
  attestation: '远程证明',
  memory: '内存',
  matrix: '威胁矩阵',
  statechart: '状态图',
} as const;
const TITLE_EN = 'Confidential Computing Threat Explorer';
const TITLE_ZH = '机密计算威胁探索器';

/** A shipped scenario, read with the page's loader, so the test knows its titles in both languages. */
function shipped(id: string): Scenario {
  const file = `scenarios/${id}.yaml`;
  const result = loadScenario(
    readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8'),
    file,
  );
  if (!result.ok) throw new Error(`${file} does not load: ${JSON.stringify(result.problems)}`);
  return result.scenario;
}
const zh = (t: Text) => (typeof t === 'string' ? null : (t['zh-CN'] ?? null));
const en = (t: Text) => (typeof t === 'string' ? t : t.en);

async function ready(page: Page) {
  await expect(page.locator('.summary[aria-busy="false"]')).toBeVisible();
}

function fragmentFor(view: (typeof VIEWS)[number]) {
  return view === 'attestation'
    ? `platform=tdx&attacks=tampered-boot&seed=1&view=${view}&inspect=5&lang=zh-CN`
    : `platform=sev-snp&attacks=memory-dump&seed=1&view=${view}&page=0x1000&lang=zh-CN`;
}

test('a zh-CN link shows the explorer in Chinese; the switcher changes language and the URL keeps it', async ({
  page,
}) => {
  const problems = watch(page);
  await page.goto('./#platform=sev-snp&attacks=memory-dump&seed=1&view=map&lang=zh-CN');
  await ready(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
  const tabs = page.getByRole('tablist', { name: '视图' }).getByRole('tab');
  await expect(tabs).toHaveText(Object.values(TAB_ZH));
  await expect(page.getByRole('heading', { name: '场景' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '平台', exact: true })).toHaveValue('sev-snp');
  await expect(page.getByRole('button', { name: '播放', exact: true })).toBeVisible();
  await expect(page.locator('.outcome[data-attack="memory-dump"] .badge')).toHaveText('已阻止');
  await expect(page.getByText('模拟产生的消息（事件标题、解释和验证方给出的理由）为英文。')).toBeVisible();

  // Back to English with the switcher: every string follows, and the link's lang with it.
  const switcher = page.getByRole('combobox', { name: '语言' });
  await expect(switcher).toHaveValue('zh-CN');
  await switcher.selectOption('en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_EN);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('tab', { name: 'Trust domains' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.outcome[data-attack="memory-dump"] .badge')).toHaveText('prevented');
  await expect(page.getByText(/Simulation messages/)).toHaveCount(0);
  await expect(page).toHaveURL(/[#&]lang=en(&|$)/);
  // The state still follows the URL as before.
  await page.getByRole('tab', { name: 'Measured boot' }).click();
  await expect(page).toHaveURL(/view=boot.*lang=en|lang=en.*view=boot/);

  // And to Chinese again; a reload keeps it, through the URL.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
  await expect(page.getByRole('tab', { name: '度量启动' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/[#&]lang=zh-CN(&|$)/);
  await page.reload();
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('tab', { name: '度量启动' })).toHaveAttribute('aria-selected', 'true');
  expect(problems).toEqual([]);
});

test('without lang in the link, the switcher writes it into the query, and a reload keeps it', async ({
  page,
}) => {
  const problems = watch(page);
  await page.goto('./#platform=sev-snp&attacks=none&seed=1&view=map');
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_EN);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page).toHaveURL(/\?lang=zh-CN#platform=sev-snp/);
  await page.reload();
  await ready(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
  // A garbled link is explained in Chinese.
  await page.goto('./?lang=zh-CN#platform=nope&view=map');
  await ready(page);
  await expect(page.getByRole('status').filter({ hasText: '此链接中有部分内容无法使用' })).toContainText(
    '未知平台 "nope"，改为显示 sev-snp',
  );
  expect(problems).toEqual([]);
});

test.describe('the browser’s language', () => {
  test.use({ locale: 'zh-TW' });
  test('any Chinese browser gets the Simplified Chinese explorer', async ({ page }) => {
    const problems = watch(page);
    await page.goto('./#platform=sev-snp&attacks=none&seed=1&view=map');
    await ready(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    // Detection does not pin the language into the link.
    expect(page.url()).not.toContain('lang=');
    expect(problems).toEqual([]);
  });
});

test('every view in zh-CN has no axe violations, no horizontal overflow at 360 px, and is screenshotted', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const problems = watch(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 900 });
    for (const view of VIEWS) {
      await page.goto(`./#${fragmentFor(view)}`);
      await ready(page);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('tab', { name: TAB_ZH[view] })).toHaveAttribute('aria-selected', 'true');
      if (view === 'matrix') {
        await expect(page.getByRole('gridcell').first()).toBeVisible({ timeout: 90_000 });
        await expect(page.locator('.threat-matrix .progress')).toHaveCount(0, { timeout: 90_000 });
        await expect(page.getByRole('gridcell').first()).toHaveAccessibleName(/ × .+：/);
      }
      if (view === 'statechart') await expect(page.getByText('● 当前').first()).toBeVisible();
      if (view === 'memory')
        await expect(page.getByRole('heading', { name: '主机看到的内容' })).toBeVisible();
      if (view === 'boot') await expect(page.getByRole('region', { name: '度量启动链' })).toBeVisible();
      if (view === 'attestation') {
        await expect(page.getByRole('region', { name: 'RATS 角色之间的远程证明消息' })).toBeVisible();
        await expect(page.getByRole('heading', { name: /^载荷检查器：#5/ })).toBeVisible();
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow in ${view} at ${width}px`).toBeLessThanOrEqual(0);
      if (width === 1280) {
        const axe = await new AxeBuilder({ page }).analyze();
        const summary = axe.violations.map(
          (v) =>
            `${v.id}: ${v.help} (${v.nodes
              .map((n) => n.target.join(' '))
              .slice(0, 3)
              .join(' | ')})`,
        );
        expect(summary, `${view} (zh-CN)`).toEqual([]);
      }
      const suffix = width === 1280 ? '' : `-${width}`;
      await page.screenshot({ path: `test-results/screenshots/zh-CN-${view}${suffix}.png`, fullPage: true });
    }
  }
  expect(problems).toEqual([]);
});

test('the workshops in zh-CN: index, cards, player controls, the untranslated-step note, the switcher', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const problems = watch(page);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1280, height: 900 });
  const debug = shipped('debug-policy');
  const debugZh = zh(debug.title) ?? '';
  expect(debugZh, 'debug-policy has a zh-CN title').not.toBe('');

  await page.goto('./#scenarios&lang=zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('研讨课');
  await expect(page).toHaveTitle(`研讨课 — ${TITLE_ZH}`);
  // The link's language moves to the query (the index rewrites its fragment), with no complaint about it.
  await expect(page).toHaveURL(/\?lang=zh-CN#scenarios$/);
  await expect(page.getByRole('status').filter({ hasText: '此链接中有部分内容无法使用' })).toHaveCount(0);
  const nav = page.getByRole('navigation', { name: '栏目' });
  await expect(nav.getByRole('link', { name: '研讨课' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('combobox', { name: '语言' })).toHaveValue('zh-CN');
  await expect(page.getByRole('combobox', { name: '语言' })).toHaveCount(1);
  await expect(page.getByRole('heading', { name: '查找场景' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '难度' })).toBeVisible();
  const card = page.locator('article.card', { hasText: debugZh });
  await expect(card.getByRole('link', { name: debugZh })).toBeVisible();
  await expect(card).toContainText('入门');
  await expect(card).toContainText('尚未开始');
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await page.screenshot({ path: 'test-results/screenshots/zh-CN-workshops.png', fullPage: true });

  // A scenario whose steps are English only: translated controls, and a note on the narrative.
  await card.getByRole('link', { name: debugZh }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(debugZh);
  await expect(page).toHaveTitle(`${debugZh} — 研讨课 — ${TITLE_ZH}`);
  await expect(page).toHaveURL(/\?lang=zh-CN#scenario=debug-policy/);
  const stepper = page.getByRole('navigation', { name: '步骤' });
  await expect(stepper.getByRole('button', { name: '上一步' })).toBeDisabled();
  await expect(stepper.getByRole('button', { name: '下一步' })).toBeEnabled();
  await expect(stepper).toContainText(`第 1 步，共 ${debug.steps.length} 步`);
  await expect(page.getByRole('progressbar', { name: '场景进度' })).toBeVisible();
  await expect(page.getByText('学完后你将能够解释')).toBeVisible();
  await expect(page.getByRole('link', { name: '在探索器中打开此步骤' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.untranslated')).toHaveCount(zh(debug.steps[0].narrative) === null ? 1 : 0);
  await page.screenshot({ path: 'test-results/screenshots/zh-CN-player.png' });

  // The switcher in the top navigation turns the player to English, title included.
  await nav.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(en(debug.title));
  await expect(page).toHaveTitle(`${en(debug.title)} — Workshops — ${TITLE_EN}`);
  await expect(page.getByRole('button', { name: 'Next step' })).toBeEnabled();
  await expect(page.locator('.untranslated')).toHaveCount(0);
  await expect(page).toHaveURL(/\?lang=en#scenario=debug-policy/);

  // A scenario file in English only: the note, in Chinese, above the English narrative.
  const fixture = fileURLToPath(new URL('../fixtures/scenarios-good/minimal.yaml', import.meta.url));
  const minimal = loadScenario(readFileSync(fixture, 'utf8'), 'minimal.yaml');
  if (!minimal.ok) throw new Error('minimal.yaml should load');
  expect(zh(minimal.scenario.steps[0].narrative)).toBeNull();
  await page.goto('./?lang=zh-CN#scenarios');
  await page.getByLabel('打开场景文件…').setInputFiles(fixture);
  await expect(page.getByText('来自你的文件 minimal.yaml')).toBeVisible();
  await expect(page.locator('.untranslated')).toHaveText('本步骤暂无中文版');
  await expect(page.locator('.narrative')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: '下一步' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/zh-CN-player-untranslated.png' });
  await page.goto('./?lang=zh-CN#scenarios');
  await page.getByRole('navigation', { name: '栏目' }).getByRole('link', { name: '探索器' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE_ZH);
  await expect(page).toHaveTitle(TITLE_ZH);
  expect(problems).toEqual([]);
});
