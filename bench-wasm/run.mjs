// Loads one build of the browser benchmark (a directory holding index.html
// and the wasm-bindgen output) in headless Chromium and prints the JSON
// lines the workload returns: `runs` runs over MemStorage, then one over
// IndexedDB. Usage: node bench-wasm/run.mjs DIR VARIANT OPS RUNS
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchChromium, serve } from '../web/e2e/common.mjs';

const [dir, variant, ops, runs] = process.argv.slice(2);
if (!dir || !variant) {
  console.error('usage: node bench-wasm/run.mjs DIR VARIANT [OPS] [RUNS]');
  process.exit(2);
}
const { server, port } = await serve(dir);
const profile = mkdtempSync(path.join(tmpdir(), 'strata-bench-wasm-'));
const context = await launchChromium(profile);
try {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`http://127.0.0.1:${port}/index.html`);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
  const lines = await page.evaluate(
    async ([ops, runs]) => window.bench(ops, runs),
    [Number(ops || 200000), Number(runs || 3)],
  );
  for (const line of lines) {
    const parsed = JSON.parse(line);
    parsed.variant = variant;
    console.log(JSON.stringify(parsed));
  }
} finally {
  await context.close();
  server.kill();
  rmSync(profile, { recursive: true, force: true });
}
