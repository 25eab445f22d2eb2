// The Chinese page: the language switch in the top bar turns the whole
// visualizer Chinese, and no English is left on screen — visible text and
// the words screen readers and tooltips give (aria-label, title,
// placeholder) — over the start page, a preset mid-run with every panel,
// a chapter scene with its question, and the guided tour; a `lang=zh`
// embed opens in Chinese. Screenshots at 1366×768 and 390×844, and a
// check that no Chinese text overflows its box.
//
// What may stay in Latin letters: identifiers (file names such as
// `000007.log`, keys, `bloom_bits_per_key`, `L0`), commands and option
// values of the script language, units, and the English of a term that a
// Chinese text quotes in full-width parentheses, as the chapters do:
// 合并（compaction）.

import path from 'node:path';
import { check } from './common.mjs';

/** Words the Chinese page may show as they are. */
const KEPT = new Set([
  // The script language: commands, load patterns, option values, flags.
  'put', 'get', 'delete', 'scan', 'flush', 'step', 'compact', 'load', 'sequential', 'random',
  'skewed', 'snapshot', 'release', 'batch', 'option', 'limit', 'rev', 'prefix', 'seed', 'keys',
  'leveled', 'hybrid', 'manual', 'inline', 'background', 'range',
  // Option names (the panel's labels have them as tooltips).
  'maintenance',
  // Units, names and formats.
  'KiB', 'MiB', 'GiB', 'TiB', 'Strata', 'English', 'IndexedDB', 'JSON', 'trace', 'WAL',
  'MANIFEST', 'CURRENT', 'SSTable', 'LSM', 'MVCC', 'Home', 'End', 'shift', 'WA', 'RA', 'SA',
  'maybe_present', 'definitely_absent',
  // Formulas, units and names the chapters quote.
  'ln', 'kn', 'FP', 'MB', 'KB', 'GB', 'Kirsch', 'Mitzenmacher',
  // Names of other systems the chapters study.
  'qlsm', 'RocksDB', 'LevelDB', 'fjall', 'redb',
]);

/** The Latin words of `text` that are English, not identifiers. */
export function englishWords(text) {
  const cleaned = text
    // Keys are quoted: “apple”.
    .replace(/“[^”]*”/g, ' ')
    // The English of a term, in full-width parentheses.
    .replace(/（[^）]*）/g, ' ');
  const words = [];
  for (const token of cleaned.match(/[A-Za-z0-9_.\-+]+/g) || []) {
    // Identifiers have digits, dots, underscores or dashes: 000007.log,
    // key000100x, bloom_bits_per_key, L0, size-tiered.
    if (!/^[A-Za-z]+$/.test(token) || token.length < 2) continue;
    if (KEPT.has(token)) continue;
    words.push(token);
  }
  return words;
}

/** Every visible text and text attribute of the page with English in it. */
async function englishOnPage(page) {
  const found = await page.evaluate(() => {
    const visible = (el) => {
      if (!el || el.closest('[aria-hidden="true"]')) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') return false;
      return el.getClientRects().length > 0;
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el) continue;
      // Code shows the script language; a select shows only its choice.
      // Keys are data: the skiplist's nodes and the key axis show them bare.
      if (el.closest('pre, code, script, style, textarea, svg, option, .sr-only, .skiplist .k, .levels .axis')) continue;
      if (!visible(el)) continue;
      out.push({ where: el.className || el.tagName, text });
    }
    for (const sel of document.querySelectorAll('select')) {
      if (visible(sel) && sel.selectedOptions[0]) out.push({ where: 'select', text: sel.selectedOptions[0].textContent });
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (el.closest('pre, code') || getComputedStyle(el).display === 'none') continue;
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v) out.push({ where: `${el.className || el.tagName}[${a}]`, text: v });
      }
    }
    for (const el of document.querySelectorAll('.sr-only, [aria-live]')) {
      if (el.textContent.trim()) out.push({ where: 'sr-only', text: el.textContent.trim() });
    }
    return out;
  });
  return found
    .map((f) => ({ ...f, words: englishWords(f.text) }))
    .filter((f) => f.words.length > 0 && !(f.where.startsWith && /\[placeholder\]/.test(f.where) && /^put /.test(f.text)));
}

/** Texts cut off or spilling out of their boxes. */
async function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    const sel = 'button, label, h2, h3, dt, dd, th, td, .tl-where span, .op-line span, .level-head span, .chip-head, summary, .blurb, .say, .verdict, .probe, .answer, .tour-say, .meta';
    for (const el of document.querySelectorAll(sel)) {
      if (!el.getClientRects().length || !/[\u4e00-\u9fff]/.test(el.textContent)) continue;
      // A label kept for screen readers only (a 1 px clipped box) is not
      // text on screen.
      const box = el.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) continue;
      const style = getComputedStyle(el);
      const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1) out.push(`${el.className || el.tagName}: ${el.textContent.trim().slice(0, 30)}`);
      const r = el.getBoundingClientRect();
      // A panel in the phone's sideways-scrolling row lies past the edge
      // until swiped to: what counts there is the row's own width.
      const row = el.closest('.panels');
      const rowScrolls = row && ['auto', 'scroll'].includes(getComputedStyle(row).overflowX) && row.scrollWidth > row.clientWidth;
      if (!rowScrolls && r.right > document.documentElement.clientWidth + 1) out.push(`${el.className || el.tagName} past the right edge: ${el.textContent.trim().slice(0, 30)}`);
    }
    return out;
  });
}

async function noEnglish(page, where) {
  const left = await englishOnPage(page);
  const sample = left.slice(0, 8).map((f) => `${f.where}: ${f.words.join(' ')} ← “${f.text.slice(0, 80)}”`);
  check(left.length === 0, `no English left on the Chinese ${where}${left.length ? ` (${left.length}): ` + sample.join(' | ') : ''}`);
}

async function fits(page, where) {
  const over = await overflowing(page);
  check(over.length === 0, `Chinese text fits its boxes on the ${where}${over.length ? ': ' + over.slice(0, 6).join(' | ') : ''}`);
}

function hasChinese(text) {
  return /[\u4e00-\u9fff]/.test(text);
}

/** The whole Chinese run; `h` holds run.mjs's helpers. */
export async function chinese(page, h) {
  console.log('中文: the language switch');
  await page.setViewportSize({ width: 1366, height: 768 });
  await h.open(page, '#s=first-flush');
  check(!hasChinese(await page.$eval('.narration', (e) => e.textContent)), 'without lang= an English browser gets English');
  await page.selectOption('#lang', 'zh');
  await page.waitForFunction(() => document.querySelector('.app')?.getAttribute('lang') === 'zh', null, { timeout: 10000 });
  check(/lang=zh/.test(await page.evaluate(() => location.hash)), 'the switch puts lang=zh in the link');
  check(hasChinese(await page.$eval('.narration .say', (e) => e.textContent)), 'the narration shown turns Chinese at once');
  await noEnglish(page, 'start page');
  await fits(page, 'start page');
  await h.shot(page, '40-zh-start', false);

  console.log('中文: a preset mid-run, every panel');
  await h.open(page, '#s=l0-to-l1&lang=zh');
  await h.press(page, 'End');
  await page.fill('#command', 'get key000010');
  await page.press('#command', 'Enter');
  await h.press(page, 'End');
  await h.open(page, '#s=l0-to-l1&lang=zh&p=175');
  await noEnglish(page, 'preset mid-compaction');
  await fits(page, 'preset mid-compaction');
  await h.shot(page, '41-zh-compaction', true);
  await h.open(page, '#s=false-positive&lang=zh');
  await h.press(page, 'End');
  check(hasChinese(await page.$eval('.panel.bloom', (e) => e.textContent)), 'the bloom panel is Chinese');
  await noEnglish(page, 'preset after a false positive (read path, bloom, stats)');
  await fits(page, 'preset after a false positive');
  await h.shot(page, '42-zh-false-positive', true);
  await page.click('.panel.options summary').catch(() => {});

  console.log('中文: a chapter scene and its question');
  await h.open(page, '#ch=bloom&lang=zh');
  check((await page.$eval('#chapter-title', (e) => e.textContent)) === '布隆过滤器', 'the chapter panel shows the Chinese edition');
  await page.click('#chapter-panel .run-scene');
  await page.waitForSelector('#chapter-panel figure.scene.loaded', { timeout: 30000 });
  await page.$eval('#chapter-panel .run-scene', (e) => e.blur());
  await page.selectOption('.tl-speed select', '2000');
  await page.$eval('.tl-speed select', (e) => e.blur());
  await h.press(page, ' ');
  await page.waitForSelector('.question.open', { timeout: 60000 });
  check(hasChinese(await page.$eval('.question-text', (e) => e.textContent)), 'the scene\'s question is asked in Chinese');
  await noEnglish(page, 'chapter scene with its question');
  await fits(page, 'chapter scene');
  await h.shot(page, '43-zh-chapter-question', false);

  console.log('中文: the tour');
  await h.open(page, '#s=first-flush&lang=zh');
  await page.click('.top .start-here');
  await page.waitForSelector('.tour #tour-h');
  for (let step = 1; step <= 12; step++) {
    await page.waitForSelector('.tour-next:not([disabled])', { timeout: 30000 }).catch(() => {});
    await noEnglish(page, `tour, step ${step}`);
    if (step === 2) await h.shot(page, '44-zh-tour', false);
    if ((await page.$$eval('.tour .tour-next', (e) => e.length)) === 0) break;
    await page.click('.tour-next');
    await page.waitForTimeout(100);
    if ((await page.$$eval('.tour #tour-h', (e) => e.length)) === 0) break;
  }

  console.log('中文: an embed link with lang=zh');
  await h.open(page, '?embed=1&controls=1#s=bloom-saves-a-read&lang=zh');
  await h.press(page, 'End');
  check((await page.$eval('.app', (e) => e.getAttribute('lang'))) === 'zh', 'a lang=zh embed opens in Chinese');
  await noEnglish(page, 'embed');
  await h.shot(page, '45-zh-embed', false);

  console.log('中文: a phone (390×844)');
  await page.setViewportSize({ width: 390, height: 844 });
  await h.open(page, '#s=l0-to-l1&lang=zh&p=175');
  await noEnglish(page, 'phone');
  await fits(page, 'phone');
  await h.shot(page, '46-zh-phone', true);
  await h.open(page, '#ch=read-path&lang=zh');
  await fits(page, 'phone chapter');
  await h.shot(page, '47-zh-phone-chapter', false);
  await page.setViewportSize({ width: 1366, height: 768 });
}
