// What both end-to-end runs share: the check counter and its summary, and
// serving the built site on a free loopback port.

import net from 'node:net';

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
