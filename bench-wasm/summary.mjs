// Reads the JSON lines bench-wasm/run.sh collected and prints, per build,
// the best and the median run in µs per operation, with the browser's
// speed relative to native (native time / browser time: 1.0 is as fast as
// native) from the best runs — the figure least disturbed by other load.
import { readFileSync } from 'node:fs';

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const groups = new Map();
for (const l of lines) {
  if (l.found !== l.ops) throw new Error(`a run found ${l.found} of ${l.ops} keys: ${JSON.stringify(l)}`);
  const name = l.side === 'native' ? 'native' : `${l.side} (${l.variant})`;
  if (!groups.has(name)) groups.set(name, []);
  groups.get(name).push(l);
}
const best = (xs) => Math.min(...xs);
const perOp = (g, field, pick = best) => (pick(g.map((l) => l[field])) * 1000) / g[0].ops;
const native = groups.get('native');
const nativePut = perOp(native, 'puts_ms');
const nativeGet = perOp(native, 'gets_ms');
console.log('| build | runs | put µs/op best (median) | get µs/op best (median) | put ratio | get ratio | persisted ms |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [name, g] of groups) {
  const put = perOp(g, 'puts_ms');
  const get = perOp(g, 'gets_ms');
  const persisted = g[0].persisted_ms === undefined ? '' : median(g.map((l) => l.persisted_ms)).toFixed(0);
  const putMedian = perOp(g, 'puts_ms', median).toFixed(2);
  const getMedian = perOp(g, 'gets_ms', median).toFixed(2);
  console.log(`| ${name} | ${g.length} | ${put.toFixed(2)} (${putMedian}) | ${get.toFixed(2)} (${getMedian}) | ${(nativePut / put).toFixed(2)} | ${(nativeGet / get).toFixed(2)} | ${persisted} |`);
}
