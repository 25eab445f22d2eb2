// Compare mode end to end: a compare link opens two sides under one
// timeline; stepping, the keys and the scrub bar move both sides by the
// same operations; each side's DOM shows its own levels on one key axis,
// its figures and a quiet invariant badge; the differences strip speaks;
// the link keeps the cursor; screenshots at 1366×768 and 390×844; and the
// app's work per animation frame with two 200-table trees side by side.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { check } from './common.mjs';

const done = (page) => page.$eval('.cmp-done', (e) => Number(e.dataset.done));
const ops = (page) => page.$eval('.cmp-done', (e) => Number(e.dataset.ops));

async function openCompare(page, base, suffix) {
  await page.goto('about:blank');
  await page.goto(base + suffix);
  await page.waitForSelector('.compare-page .cmp-side', { timeout: 120000 });
}

/** Each side's letter, live table count and invariant badge. */
function sides(page) {
  return page.$$eval('.cmp-side', (els) => els.map((s) => ({
    letter: s.dataset.side,
    tables: s.querySelectorAll('.sst[data-file]:not([data-mark="fading"])').length,
    ok: s.querySelector('.cmp-invariants')?.dataset.ok === 'true',
    wa: s.querySelector('dd[data-figure="wa"]')?.textContent,
    blocks: Number(s.querySelector('dd[data-figure="blocks"]')?.textContent),
  })));
}

async function scrubTo(page, value) {
  await page.$eval('.compare-timeline .scrub', (e, v) => { e.value = String(v); e.dispatchEvent(new Event('input', { bubbles: true })); }, value);
  await page.$eval('.compare-timeline .scrub', (e) => e.blur());
}

const pct = (xs, p) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

/** The compare-mode checks; `shot(page, name, fullPage)` saves a screenshot. */
export async function compareMode(page, { base, shots, shot }) {
  console.log('compare mode: bloom 0 / 5 / 10 bits per key');
  await openCompare(page, base, '#cs=cmp-bloom-bits');
  const n = await ops(page);
  check(n > 600 && (await done(page)) === n, `a compare link opens at the end of its ${n} operations`);
  let s = await sides(page);
  check(s.length === 3 && s.map((x) => x.letter).join('') === 'ABC', `three sides, A B C (${s.map((x) => x.letter).join('')})`);
  check(s.every((x) => x.ok), 'every side shows the quiet "invariants hold" badge');
  check(s[0].blocks >= 5 * s[2].blocks, `no filter (A) reads at least 5× the blocks of 10 bits (C) per get (${s[0].blocks} vs ${s[2].blocks})`);
  const diffs = await page.$$eval('.cmp-differences li', (els) => els.map((e) => e.textContent));
  check(diffs.some((d) => /^C reads .*blocks/.test(d)), `the differences strip compares blocks read (${diffs.find((d) => /blocks/.test(d))})`);
  const axes = await page.$$eval('.cmp-side .axis', (els) => els.map((e) => e.textContent));
  check(axes.length === 3 && axes.every((a) => a === axes[0]), `every side has the same key axis (${axes[0]})`);
  const theory = await page.$$eval('.cmp-side + .cmp-side, .cmp-theory .panel.theory', (els) => els.length);
  check(theory >= 3, 'a theory panel for each side');
  const observed = await page.$$eval('.cmp-theory .bloom-curve circle.measured', (els) => els.length);
  check(observed === 3, `each side's bloom curve holds its observed point (${observed})`);
  await shot(page, '40-compare-bloom', false);

  // Keys step every side by one operation; Home goes to the start.
  await page.keyboard.press('Home');
  check((await done(page)) === 0, 'Home moves the shared cursor to the start');
  s = await sides(page);
  check(s.every((x) => x.tables === 0), 'before any operation no side has a table');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  check((await done(page)) === 2, '→ steps the shared cursor by one operation');
  await page.click('.compare-timeline .back');
  check((await done(page)) === 1, 'the back button steps back by one operation');
  await scrubTo(page, 400);
  check((await done(page)) === 400, 'the scrub bar seeks every side to one operation');
  s = await sides(page);
  check(s.every((x) => x.tables > 0) && s.every((x) => x.ok), `after 400 operations every side holds tables (${s.map((x) => x.tables).join(', ')}) and its invariants`);
  await page.waitForFunction(() => location.hash.includes('at=400'), null, { timeout: 5000 }).catch(() => {});
  const hash = await page.evaluate(() => location.hash);
  check(hash.includes('cs=cmp-bloom-bits') && hash.includes('at=400'), `the address holds the comparison and the cursor (${hash})`);
  await page.reload();
  await page.waitForSelector('.compare-page .cmp-side', { timeout: 120000 });
  check((await done(page)) === 400, 'reloading the link shows the same operation');

  console.log('compare mode: the scenario on two strategies, in Chinese');
  await openCompare(page, base, '#s=overwrites-leveled&cmp=%7Ccompaction_strategy:size_tiered&lang=zh');
  s = await sides(page);
  check(s.length === 2, 'cmp= over a scenario opens two sides');
  const heading = await page.$eval('.cmp-heading', (e) => e.textContent);
  check(/对比/.test(heading), `lang= keeps working in compare mode (${heading})`);
  await shot(page, '41-compare-strategies-zh', false);

  console.log('compare mode: a phone');
  await page.setViewportSize({ width: 390, height: 844 });
  await openCompare(page, base, '#cs=cmp-leveled-tiered');
  const [a, b] = await page.$$eval('.cmp-side', (els) => els.map((e) => e.getBoundingClientRect()));
  check(b.top >= a.bottom - 1 && b.left === a.left, 'on a phone the sides stack');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `nothing is wider than the phone (${width} px)`);
  await shot(page, '42-compare-phone', false);
  await shot(page, '43-compare-phone-full', true);
  await page.setViewportSize({ width: 1366, height: 768 });
  await openCompare(page, base, '#cs=cmp-leveled-tiered');
  await shot(page, '44-compare-leveled-tiered', false);
  await shot(page, '45-compare-leveled-tiered-full', true);

  const axePath = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules', 'axe-core', 'axe.min.js');
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id} (${v.nodes.length}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ')})`);
  });
  check(violations.length === 0, `axe finds no WCAG 2 A/AA violation in compare mode${violations.length ? ': ' + violations.join('; ') : ''}`);

  console.log('compare mode: an embed');
  await page.goto('about:blank');
  await page.goto(`${base}?embed=1&controls=1&panels=structure#cs=cmp-size-ratio`);
  await page.waitForSelector('.compare-page .cmp-side', { timeout: 120000 });
  const embedded = await page.$$eval('.cmp-differences, .panel.theory, .top', (els) => els.length);
  check(embedded === 0 && (await page.$$('.cmp-side .levels')).length === 2, 'an embed with panels=structure shows both sides\' levels and nothing else');
  await shot(page, '46-compare-embed', false);

  console.log('compare mode: a chapter\'s compare scene');
  await page.goto('about:blank');
  await page.goto(`${base}#ch=strategies`);
  await page.waitForSelector('#chapter-panel .run-scene', { timeout: 60000 });
  const figures = await page.$$('#chapter-panel figure.scene');
  let clicked = false;
  for (const f of figures) {
    if ((await f.textContent()).includes('# compare:')) {
      await (await f.$('.run-scene')).click();
      clicked = true;
      break;
    }
  }
  check(clicked, 'chapter 11 has a compare scene with a run button');
  await page.waitForSelector('.compare-page .cmp-side', { timeout: 120000 });
  s = await sides(page);
  const chapterHash = await page.evaluate(() => location.hash);
  check(s.length === 3 && s.every((x) => x.ok) && /sc=\d/.test(chapterHash) && chapterHash.includes('cmp='),
    `running it opens compare mode beside the chapter, three sides (${chapterHash})`);
  await shot(page, '48-compare-chapter', false);

  console.log('compare mode: frame time with two 200-table trees');
  await openCompare(page, base, '#s=big-tree&cmp=%7Cbloom_bits_per_key:5');
  await page.keyboard.press('End');
  s = await sides(page);
  check(s.every((x) => x.tables >= 200), `both sides draw 200+ tables (${s.map((x) => x.tables).join(', ')})`);
  await shot(page, '47-compare-big-trees', false);
  const perf = [];
  for (const [speed, back] of [['60', 600], ['1000', 3000]]) {
    await page.selectOption('.compare-timeline .tl-speed select', speed);
    await page.$eval('.compare-timeline .tl-speed select', (e) => e.blur());
    const from = (await ops(page)) - back;
    await scrubTo(page, from);
    await page.keyboard.press(' ');
    await page.evaluate(() => new Promise((resolve) => {
      let left = 240;
      function frame() { if (--left > 0) requestAnimationFrame(frame); else resolve(); }
      requestAnimationFrame(frame);
    }));
    const work = (await page.evaluate(() => Array.from(window.wasmBindings.frame_work_ms()))).slice(-230);
    const played = (await done(page)) - from;
    if ((await page.$eval('.compare-timeline .play', (e) => e.textContent)) !== '▶') await page.keyboard.press(' ');
    const result = { sides: 2, tables: s.map((x) => x.tables), speed: Number(speed), work_p50_ms: pct(work, 0.5), work_p95_ms: pct(work, 0.95), ops_played: played, load_average: os.loadavg()[0] };
    console.log(`  two trees at ${speed} ops/s: app work p50 ${result.work_p50_ms.toFixed(1)} ms, p95 ${result.work_p95_ms.toFixed(1)} ms over ${played} operations (load average ${result.load_average.toFixed(1)})`);
    perf.push(result);
    check(played > 0, `the shared player advanced at ${speed} ops/s`);
    check(result.work_p95_ms < 16, `with two 200-table trees the app's work per frame stays under 16 ms at p95 (${result.work_p95_ms.toFixed(1)} ms, ${speed} ops/s)`);
  }
  fs.writeFileSync(path.join(shots, 'compare-frame-times.json'), JSON.stringify(perf, null, 2));
}
