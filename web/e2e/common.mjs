// What the end-to-end runs share: the check counter and its summary,
// serving the built site on a free loopback port, and headless Chromium.

import { spawn } from 'node:child_process';
import net from 'node:net';
import { chromium } from 'playwright-core';

let passed = 0;
/** The checks that failed, by description (a run may add crashes too). */
export const failures = [];

/** Records one check and prints it. */
export function check(cond, what) {
  if (cond) {
    passed += 1;
    console.log(`  ok   ${what}`);
  } else {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
}

/** Prints the summary line and exits non-zero when any check failed. */
export function finish() {
  console.log(`\n${passed} checks passed, ${failures.length} failed`);
  if (failures.length > 0) {
    for (const f of failures) console.log(`FAILED: ${f}`);
    process.exit(1);
  }
}

/** A TCP port on 127.0.0.1 nothing listens on. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Waits up to 10 s for `url` to answer 200. */
export async function waitForServer(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}

/** Serves `dir` with python's http.server on a free loopback port. */
export async function serve(dir) {
  const port = await freePort();
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: 'ignore',
  });
  return { server, port };
}

/**
 * Headless Chromium (Debian's, or the one `CHROMIUM` names) with its
 * profile in `userData`; `extra` adds launch options such as a viewport.
 */
export function launchChromium(userData, extra = {}) {
  return chromium.launchPersistentContext(userData, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
    ...extra,
  });
}
