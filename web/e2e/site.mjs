// End-to-end test of the static course site that `strata-site build`
// writes: the chapter pages, their table of contents and search, the
// links between editions and into the visualizer, printing, and opening
// the folder without a server. The site is served under a sub-path by
// python's http.server, driven by playwright-core with Debian's
// /usr/bin/chromium (never a downloaded browser).
//
// Usage: node web/e2e/site.mjs [path/to/dist]   (exit code 0 = all passed)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { check, failures, finish, launchChromium, serve, waitForServer } from './common.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const dist = path.resolve(process.argv[2] || path.join(repo, 'dist'));
const shots = path.join(here, 'screenshots');
fs.mkdirSync(shots, { recursive: true });

// The chapters each edition should have, from the repository itself.
function chapterFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /^\d+-.+\.md$/.test(f)).sort();
}
const chaptersDir = path.join(repo, 'tutorials', 'chapters');
const editions = { en: chapterFiles(chaptersDir) };
for (const entry of fs.readdirSync(chaptersDir, { withFileTypes: true })) {
  if (entry.isDirectory() && chapterFiles(path.join(chaptersDir, entry.name)).length > 0) {
    editions[entry.name] = chapterFiles(path.join(chaptersDir, entry.name));
  }
}
const slug = (file) => file.replace(/^\d+-/, '').replace(/\.md$/, '');

// Every page of the site, fetched over HTTP: each relative link and script
// must answer 200. Returns the number of links checked.
async function crawl(base) {
  const seen = new Set();
  const queue = [new URL('book/index.html', base).href];
  const broken = [];
  let links = 0;
  while (queue.length > 0) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const res = await fetch(url);
    if (!res.ok) {
      broken.push(url);
      continue;
    }
    if (!url.endsWith('.html')) continue;
    const html = await res.text();
    for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const target = m[1];
      if (/^(https?:|data:|mailto:)/.test(target)) continue;
      if (target.startsWith('/')) broken.push(`${url}: absolute ${target}`);
      links += 1;
      const next = new URL(target, url);
      next.hash = '';
      next.search = '';
      if (next.href.startsWith(new URL('book/', base).href) || next.href === new URL('index.html', base).href) {
        queue.push(next.href);
      }
    }
  }
  return { pages: seen.size, links, broken };
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-course-'));
fs.mkdirSync(path.join(root, 'courses', 'db101'), { recursive: true });
fs.symlinkSync(dist, path.join(root, 'courses', 'db101', 'strata'));
const { server, port } = await serve(root);
const base = `http://127.0.0.1:${port}/courses/db101/strata/`;
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-chrome-'));
const consoleErrors = [];
let context;
try {
  await waitForServer(base);
  context = await launchChromium(userData);
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));

  console.log('the folder');
  const files = fs.readdirSync(dist, { recursive: true }).filter((f) => /\.(html|js)$/.test(f));
  const devCode = files.filter((f) => /WebSocket|__trunk|livereload|live-reload/i.test(fs.readFileSync(path.join(dist, f), 'utf8')));
  check(devCode.length === 0, `no dev-server code in ${files.length} pages and scripts (${devCode.join(', ') || 'none'})`);
  check(fs.readFileSync(path.join(dist, 'README.txt'), 'utf8').includes('python3 -m http.server'), 'README.txt says how to serve the folder');

  console.log('links, under a sub-path');
  const crawled = await crawl(base);
  check(crawled.broken.length === 0, `${crawled.links} links on ${crawled.pages} pages all answer (${crawled.broken.slice(0, 3).join(', ') || 'none broken'})`);

  console.log('contents');
  await page.goto(new URL('book/index.html', base).href);
  for (const lang of Object.keys(editions)) {
    check(await page.locator(`a[href="${lang}/index.html"]`).count() === 1, `the editions page links the ${lang} edition`);
  }
  await page.goto(new URL('book/en/index.html', base).href);
  const toc = await page.$$eval('ol.toc a', (as) => as.map((a) => a.getAttribute('href')));
  check(JSON.stringify(toc) === JSON.stringify(editions.en.map((f) => `${slug(f)}.html`)),
    `the table of contents lists the ${editions.en.length} chapters in order`);
  await page.screenshot({ path: path.join(shots, 'site-contents.png'), fullPage: true });

  console.log('search');
  await page.fill('#search', 'bloom false positive');
  const hits = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
  check(hits.length > 0 && hits[0].startsWith('bloom.html'), `"bloom false positive" finds the bloom chapter first (${hits.slice(0, 2).join(', ')})`);
  check(await page.locator('#search-results mark').count() > 0, 'the snippets mark the term');
  await page.fill('#search', 'zzzz-nothing-matches');
  check(await page.locator('#search-results .no-results').count() === 1, 'a search with no hits says so');
  await page.fill('#search', 'tombstone');
  await page.click('#search-results a >> nth=0');
  await page.waitForLoadState();
  check(/\/book\/en\/[a-z-]+\.html(#.*)?$/.test(page.url()), `a result opens a chapter page (${page.url().slice(base.length)})`);

  console.log('a chapter page');
  await page.goto(new URL('book/en/bloom.html', base).href);
  check((await page.title()).startsWith('Bloom filters'), 'the bloom chapter has its title');
  check(await page.locator('main.chapter h2[id]').count() >= 3, 'its sections have anchors');
  check(await page.locator('main.chapter pre code').count() >= 2, 'its code blocks are shown');
  check(await page.locator('details summary').count() >= 1, 'exercise answers stay folded');
  await page.click('a[rel="next"] >> nth=0');
  await page.waitForLoadState();
  check(page.url().endsWith('/book/en/read-path.html'), 'next goes to the following chapter');
  await page.goto(new URL('book/en/bloom.html', base).href);
  await page.fill('.book-bar input[name="q"]', 'manifest');
  await page.press('.book-bar input[name="q"]', 'Enter');
  await page.waitForSelector('#search-results a');
  check(page.url().includes('/book/en/index.html?q=manifest'), 'the search box of a chapter page opens the results');
  await page.goto(new URL('book/en/bloom.html', base).href);
  await page.emulateMedia({ media: 'print' });
  check(!(await page.isVisible('.book-bar')) && !(await page.isVisible('.pager')), 'printing leaves out the navigation');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  check(await page.$$eval('details', (ds) => ds.every((d) => d.open)), 'printing opens the exercise answers');
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  check(await page.$$eval('details', (ds) => ds.every((d) => !d.open)), 'after printing they fold again');
  await page.pdf({ path: path.join(shots, 'site-bloom.pdf') });
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: path.join(shots, 'site-chapter.png') });

  console.log('into the visualizer');
  await page.click('.run-scene a >> nth=0');
  await page.waitForFunction(() => document.querySelector('#app') && !document.querySelector('#app .loading'), null, { timeout: 60000 });
  const sceneUrl = page.url().slice(base.length);
  check(/^index\.html#(.*&)?sc=bloom(:|%3A)0(&|$)/.test(sceneUrl), `a scene link opens the visualizer at that scene (${sceneUrl})`);
  await page.goto(new URL('book/en/bloom.html', base).href);
  await page.click('.open-beside a');
  await page.waitForFunction(() => document.querySelector('#app') && !document.querySelector('#app .loading'), null, { timeout: 60000 });
  check(/index\.html#ch=bloom(&|$)/.test(page.url()), `a chapter opens beside the visualizer (${page.url().slice(base.length)})`);

  for (const [lang, list] of Object.entries(editions)) {
    if (lang === 'en') continue;
    console.log(`the ${lang} edition`);
    const first = slug(list[0]);
    await page.goto(new URL(`book/${lang}/${first}.html`, base).href);
    check(await page.getAttribute('html', 'lang') === lang, `its pages say lang="${lang}"`);
    const toEn = await page.getAttribute('.edition-link[hreflang="en"]', 'href');
    check(toEn === `../en/${first}.html` || toEn === '../en/index.html', `it links to the English page (${toEn})`);
    await page.goto(new URL(`book/${lang}/index.html`, base).href);
    check(await page.locator('ol.toc a').count() === list.length, `its contents list ${list.length} chapters`);
    if (lang !== 'zh') continue;
    await page.goto(new URL('book/zh/bloom.html', base).href);
    const appLinks = await page.$$eval('a[href^="../../index.html"]', (as) => as.map((a) => a.getAttribute('href')));
    check(appLinks.length >= 3 && appLinks.every((h) => /[#&]lang=zh(&|$)/.test(h)),
      `every link of a Chinese chapter into the visualizer says lang=zh (${appLinks.length}: ${appLinks.filter((h) => !/lang=zh/.test(h)).join(', ') || 'all'})`);
    await page.click('.run-scene a >> nth=0');
    await page.waitForSelector('.app[lang]', { timeout: 60000 });
    check(await page.getAttribute('.app', 'lang') === 'zh' && /sc=bloom(:|%3A)0/.test(page.url()),
      `a Chinese chapter's scene link opens the visualizer in Chinese at that scene (${page.url().slice(base.length)})`);
    check(/[\u4e00-\u9fff]/.test(await page.textContent('.narration')), 'and narrates the scene in Chinese');
    await page.goto(new URL('book/zh/bloom.html', base).href);
    await page.click('.open-beside a');
    await page.waitForSelector('#chapter-title', { timeout: 60000 });
    check((await page.textContent('#chapter-title')) === '布隆过滤器', 'a Chinese chapter opens beside the visualizer in its Chinese edition');
  }
  await page.goto(new URL('book/en/bloom.html', base).href);
  const enLinks = await page.$$eval('a[href^="../../index.html"]', (as) => as.map((a) => a.getAttribute('href')));
  check(enLinks.length >= 3 && enLinks.every((h) => !/lang=/.test(h)), `the English chapters' links into the visualizer name no language (${enLinks.length})`);

  console.log('opened as a local folder');
  await page.goto(pathToFileURL(path.join(dist, 'book', 'en', 'index.html')).href);
  await page.fill('#search', 'skiplist');
  check(await page.locator('#search-results a').count() > 0, 'search works from file:// (no fetch)');
  await page.goto(pathToFileURL(path.join(dist, 'index.html')).href);
  check((await page.textContent('#app')).includes('python3 -m http.server'), 'the visualizer from file:// says how to serve it');
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.startsWith('file:')));

  check(consoleErrors.length === 0, `no console errors on served pages (${consoleErrors.slice(0, 3).join(' | ') || 'none'})`);
} catch (error) {
  failures.push(`crashed: ${error.stack || error}`);
  console.log(error);
} finally {
  if (context) await context.close();
  server.kill();
  fs.rmSync(userData, { recursive: true, force: true });
  fs.rmSync(root, { recursive: true, force: true });
}

finish();
