// Makes sure a Chromium exists for the browser tests and benchmarks, or stops with a clear error.
// Debian's /usr/bin/chromium is used where it exists (no browser downloads on these machines);
// on a Debian machine without it, as root, it is installed with apt-get; elsewhere Playwright's own
// browser is used if it has been installed with `npx playwright install chromium`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

function playwrightChromium() {
  return import('@playwright/test').then(({ chromium }) => chromium.executablePath()).catch(() => '');
}

const canApt = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

// Screenshots of the Chinese UI need a CJK font; without one the glyphs are boxes (the tests still
// pass, the pictures are useless). Best effort: a missing font never fails the run.
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
if (canApt && !existsSync(CJK_FONT)) {
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'fonts-wqy-microhei'], {
      stdio: ['ignore', 'ignore', 'ignore'],
      env,
    });
  } catch {
    console.error(
      'ensure-browser: could not install a CJK font (fonts-wqy-microhei); zh-CN screenshots will show boxes',
    );
  }
}

if (existsSync(SYSTEM_CHROMIUM)) process.exit(0);

if (canApt) {
  console.error(`ensure-browser: ${SYSTEM_CHROMIUM} is missing; installing Debian's chromium with apt-get…`);
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  } catch (e) {
    console.error(`ensure-browser: apt-get could not install chromium: ${e.message}`);
    process.exit(1);
  }
  if (existsSync(SYSTEM_CHROMIUM)) process.exit(0);
}

const own = await playwrightChromium();
if (own && existsSync(own)) process.exit(0);

console.error(
  `ensure-browser: no Chromium for the browser tests. Install Debian's package (apt-get install -y chromium,` +
    ` giving ${SYSTEM_CHROMIUM}) or Playwright's browser (npx playwright install chromium).`,
);
process.exit(1);
