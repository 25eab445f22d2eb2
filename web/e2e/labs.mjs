// End-to-end test of the visualizer built on the labs' code
// (`strata-site build --labs` or `--labs-reference`): a chapter scene runs
// to its end without the page aborting, and the bloom, read-path and
// compaction panels carry one badge per lab saying whose code runs —
// "your …" for every lab when `expect` is `yours` (the reference), the
// engine's own with the probe's reason when it is `engine` (the untouched
// starter). Served by python's http.server, driven by playwright-core with
// Debian's /usr/bin/chromium.
//
// Usage: node web/e2e/labs.mjs path/to/dist yours|engine   (exit code 0 = all passed)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, failures, finish, launchChromium, serve, waitForServer } from './common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] || path.join(here, '..', '..', 'dist'));
const expect = process.argv[3] || 'yours';
if (!['yours', 'engine'].includes(expect)) {
  console.error('usage: node web/e2e/labs.mjs DIST yours|engine');
  process.exit(2);
}
const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });

const { server, port } = await serve(dist);
const base = `http://127.0.0.1:${port}/`;
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-chrome-'));
let context;
try {
  await waitForServer(base);
  context = await launchChromium(userData);
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  for (const [lang, width, height] of [['en', 1366, 768], ['zh', 390, 844]]) {
    console.log(`the bloom chapter's second scene (${lang}, ${width}×${height})`);
    await page.setViewportSize({ width, height });
    await page.goto(`${base}#ch=bloom&sc=1&lang=${lang}`);
    await page.waitForSelector('.lab-badge', { timeout: 30000 });
    const badges = await page.$$eval('.lab-badge', (els) => els.map((e) => ({
      lab: e.dataset.lab, yours: e.classList.contains('yours'), text: e.textContent, title: e.title,
    })));
    const labs = badges.map((b) => b.lab).sort().join(',');
    check(labs === 'bloom,fates,merge,picking', `one badge per lab that runs in the engine (${labs})`);
    check(badges.every((b) => b.yours === (expect === 'yours')), `every badge says ${expect === 'yours' ? 'the student\'s code runs' : 'the engine\'s own code runs'}`);
    const bloom = badges.find((b) => b.lab === 'bloom');
    const wanted = expect === 'yours'
      ? (lang === 'zh' ? '你的布隆过滤器' : 'your bloom filter')
      : (lang === 'zh' ? '引擎自带的布隆过滤器' : "the engine's bloom filter");
    check(bloom && bloom.text.includes(wanted), `the bloom panel's badge reads "${bloom && bloom.text}"`);
    if (expect === 'engine') {
      check(bloom && bloom.title.includes('not yet implemented'), 'its tooltip gives the probe\'s reason');
    }
    // Play the scene to its end: the student's code (or the fallback)
    // runs every operation; a panic would abort the wasm and stop the page.
    await page.keyboard.press('End');
    await page.waitForTimeout(1500);
    const [at, end] = await page.$eval('input[type=range]', (e) => [Number(e.value), Number(e.max)]);
    check(end > 1000 && at === end, `the scene played to its last frame (${at} of ${end}): the page ran every operation`);
    const outcome = await page.$$eval('.read-path [data-outcome]', (e) => e.map((x) => x.dataset.outcome).join());
    check(outcome === 'not found', `the read path shows the scene's last get (${outcome || 'none'})`);
    await page.$eval('.panel.bloom', (e) => e.scrollIntoView());
    await page.screenshot({ path: path.join(shots, `labs-${expect}-${lang}-${width}.png`) });
  }
  check(errors.length === 0, `no page errors (${errors.slice(0, 3).join(' | ') || 'none'})`);
} catch (e) {
  failures.push(`crashed: ${e.message}`);
  console.log(`  FAIL crashed: ${e.message}`);
} finally {
  if (context) await context.close();
  server.kill();
}
finish();
