// check --trace uses-stale: the shortest run in which the device's DMA actually uses a
// stale translation (src/model/properties.ts usesStale), or one line saying there is none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';

const SMALL = [...SL, '--requests', '1', '--dmas', '0'];

function steps(out: string): number[] {
  return [...out.matchAll(/^ *(\d+) (?:CPU\/driver|Memory|Inv\. queue|PASID cache|IOTLB|Walker|PCIe link|Device ATC) /gm)].map((m) => Number(m[1]));
}

function mailLines(text: string): void {
  for (const l of text.split('\n')) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `not mail text: '${l}'`);
}

test('jason on SL->SL: the shortest counterexample ends at a stale IOTLB entry; the uses-stale run goes on until the device uses the old translation', async () => {
  const shortest = await runCli(['check', ...SMALL, '--strategy', 'jason']);
  const stale = await runCli(['check', ...SMALL, '--strategy', 'jason', '--trace', 'uses-stale']);
  assert.equal(stale.code, 1);
  assert.equal(stale.code, shortest.code);
  mailLines(stale.out);
  // The shortest stops where nothing has used the stale entry yet (the negative control).
  assert.match(shortest.out, /^\*\*\* VIOLATION stale-after-return: the IOTLB entry DID=5/m);
  assert.doesNotMatch(shortest.out, /uses-stale/);
  const a = steps(shortest.out);
  const b = steps(stale.out);
  assert.ok(b.length > a.length, `${b.length} > ${a.length}`);
  assert.match(stale.out, new RegExp(`^Trace uses-stale, ${b.length} steps \\(shortest: ${a.length}\\)$`, 'm'));
  assert.match(stale.out, new RegExp(`^Violated: uses-stale at step ${b.length}$`, 'm'));
  // It ends with the use: the ATC filled with the old translation, then the return, then the violation.
  assert.match(stale.out, /Device: Translation Completion #1 fills the ATC \(old\)[\s\S]*CPU: strategy returns[^\n]*\n\*\*\* VIOLATION uses-stale: the device's DMA through its ATC/);
  // The block itself is the check's (same verdict line, same first violation).
  const block = (o: string) => o.slice(0, o.indexOf('\nHash=')).split('\n').filter((l) => !l.startsWith('Trace '));
  assert.deepEqual(block(stale.out), block(shortest.out));
  // --trace shortest is the default, byte for byte.
  assert.equal((await runCli(['check', ...SMALL, '--strategy', 'jason', '--trace', 'shortest'])).out, shortest.out);
});

test('an untranslated DMA: the run ends when it reaches memory through the old translation', async () => {
  const r = await runCli(['check', ...SL, '--requests', '0', '--dmas', '1', '--strategy', 'jason', '--trace', 'uses-stale']);
  assert.equal(r.code, 1);
  assert.match(r.out, /untranslated DMA #1 reaches memory via old[^\n]*\n\*\*\* VIOLATION uses-stale: an untranslated DMA reached memory through the\n {4}stale translation \(old\)/);
});

test('none exists: one line, then the shortest counterexample', async () => {
  // Under the jason preset the stale entry is under the old DID, which no lookup of this
  // run hits; the violation is that the next domain given DID 5 would.
  const r = await runCli(['check', ...SMALL, '--strategy', 'jason', '--assume', 'jason', '--trace', 'uses-stale']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^Trace uses-stale: no DMA uses a stale translation \(\d+ states\)$/m);
  assert.match(r.out, /^Violated: stale-after-return at step 13$/m);
  assert.doesNotMatch(r.out, /VIOLATION uses-stale/);
  // No requests and no DMAs: nothing can use anything.
  const idle = await runCli(['check', ...SL, '--requests', '0', '--dmas', '0', '--strategy', 'jason', '--trace', 'uses-stale']);
  assert.match(idle.out, /^Trace uses-stale: no DMA uses a stale translation \(\d+ states\)$/m);
  // A safe check settles it without a search.
  const safe = await runCli(['check', ...SMALL, '--strategy', 'jason-ordered', '--trace', 'uses-stale']);
  assert.equal(safe.code, 0);
  assert.match(safe.out, /^Trace uses-stale: no DMA uses a stale translation \(check safe\)$/m);
  // A budget that runs out says so, and what it searched.
  const small = await runCli(['check', ...SMALL, '--strategy', 'jason', '--trace', 'uses-stale', '--max-states', '100']);
  assert.equal(small.code, 3);
  assert.match(small.out, /^Trace uses-stale: none found, states budget ran out \(100 states\)$/m);
});

test('--json: usesStale with its verdict and trace, only when asked for', async () => {
  const j = JSON.parse((await runCli(['check', ...SMALL, '--strategy', 'jason', '--trace', 'uses-stale', '--json'])).out) as { usesStale: { verdict: string; trace: { steps: unknown[]; violation: { property: string; step: number } } } };
  assert.equal(j.usesStale.verdict, 'unsafe');
  assert.equal(j.usesStale.trace.violation.property, 'uses-stale');
  assert.equal(j.usesStale.trace.violation.step, j.usesStale.trace.steps.length);
  const plain = JSON.parse((await runCli(['check', ...SMALL, '--strategy', 'jason', '--json'])).out) as Record<string, unknown>;
  assert.ok(!('usesStale' in plain));
});

test('a bad --trace is one error line, exit 2', async () => {
  const r = await runCli(['check', ...SMALL, '--strategy', 'jason', '--trace', 'longest']);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err, "flushlab: --trace must be one of shortest, uses-stale (got 'longest')\n");
});
