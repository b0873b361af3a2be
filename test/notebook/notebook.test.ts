import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kernelDisplay, progress, render, show, showChart, showSideBySide, showTable, useDisplay, withProgress, type DisplayLike, type DisplayModule } from '../../src/notebook/notebook';
import { checkScenario } from '../../src/check/check';
import { jasonStale, noFlushStale, safeResult, unsafeResult } from '../present/sample';
import { TRANSITIONS } from '../../src/model/transitions';

/** A stand-in for tslab's display module that records what was shown. */
function recorder(): DisplayModule & { calls: string[]; entries: string[][] } {
  const calls: string[] = [];
  const entries: string[][] = [];
  const make = (log: string[]): DisplayLike => ({
    html: (s) => log.push(`html:${s}`), svg: (s) => log.push(`svg:${s}`), text: (s) => log.push(`text:${s}`),
  });
  return {
    calls, entries, display: make(calls),
    newDisplay: () => { const log: string[] = []; entries.push(log); return make(log); },
  };
}

test('render picks the rich form by what it is given', () => {
  assert.equal(render(unsafeResult).kind, 'html');
  assert.match(render(unsafeResult).rich, /<svg [\s\S]*Explored 4211 states; stopped at the first violation/);
  assert.match(render(unsafeResult).text, /^Test jason-sl-sl-new-did Allowed\n[\s\S]*\*\*\* VIOLATION stale-after-return/);
  assert.ok(!render(safeResult).rich.includes('<svg'), 'a safe result has no diagram');
  assert.equal(render(jasonStale).kind, 'html');
  assert.equal((render([jasonStale, noFlushStale]).rich.match(/<g class="panel"/g) ?? []).length, 2);
  assert.match(render([unsafeResult, safeResult]).rich, /<table class="flushlab-matrix"/);
  const sweep = { strategy: 'jason', condition: 'iotlb-lookup-uses-did', variables: ['iotlb-lookup-uses-did'], rows: [] };
  assert.match(render(sweep).rich, /<table class="flushlab-sweep"/);
  assert.match(render([sweep, { ...sweep, strategy: 'baolu', condition: 'always' }]).text, /^baolu +always$/m);
  assert.equal(render('plain').kind, 'text');
});

test('show sends rich output to the kernel display', () => {
  const r = recorder();
  useDisplay(r);
  try {
    show(unsafeResult);
    show(jasonStale);
    assert.equal(r.calls.length, 2);
    assert.ok(r.calls[0].startsWith('html:<div class="flushlab-result">'));
    // A trace goes out as inline SVG inside HTML (nbconvert's HTML export drops bare SVG).
    assert.ok(r.calls[1].startsWith('html:<div class="flushlab-svg"><svg '));
  } finally {
    useDisplay(undefined);
  }
});

test('outside a kernel show prints the plain text and tslab is never loaded', () => {
  // A fresh process: loading flushlab's notebook module and showing a result must
  // neither load tslab (a devDependency) nor fail.
  const script = `
    const { show, kernelDisplay } = require('./src/notebook/notebook');
    const { unsafeResult } = require('./test/present/sample');
    show(unsafeResult);
    const loaded = Object.keys(require.cache).filter((k) => k.includes('/tslab/'));
    console.log('kernel=' + (kernelDisplay() !== null) + ' tslab-loaded=' + loaded.length);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Test jason-sl-sl-new-did Allowed\n/);
  assert.match(r.stdout, /kernel=false tslab-loaded=0\n$/);
  assert.equal(kernelDisplay(), null);
});

test('a display that is not ready (tslab outside a cell) falls back to text', () => {
  const broken: DisplayModule = {
    display: { html: () => { throw new Error('Not ready'); }, svg: () => { throw new Error('Not ready'); }, text: () => { throw new Error('Not ready'); } },
    newDisplay: () => { throw new Error('Not ready'); },
  };
  useDisplay(broken);
  const write = process.stdout.write;
  let printed = '';
  process.stdout.write = ((s: string) => { printed += s; return true; }) as typeof process.stdout.write;
  try {
    show(jasonStale);
    progress('x', { after: 0, every: 0 }).update(1, 2);
  } finally {
    process.stdout.write = write;
    useDisplay(undefined);
  }
  assert.match(printed, /^Counterexample: jason-sl-sl-new-did\n/);
});

test('progress appears only after a second, updates one entry in place, at most every 200 ms', () => {
  const r = recorder();
  useDisplay(r);
  let clock = 0;
  try {
    const p = progress('sweep jason', { now: () => clock });
    p.update(0, 64);
    clock = 900; p.update(10, 64);
    assert.equal(r.entries.length, 0, 'quiet during the first second');
    clock = 1000; p.update(12, 64, 'iotlb-lookup-uses-did=true');
    clock = 1100; p.update(13, 64);
    clock = 1250; p.update(20, 64);
    p.finish('64 combinations, safe when iotlb-lookup-uses-did');
    assert.equal(r.entries.length, 1, 'one entry, rewritten');
    assert.equal(r.entries[0].length, 3);
    assert.match(r.entries[0][0], /sweep jason <progress value="12" max="64"[^>]*><\/progress> 12\/64 \(1\.0 s\) iotlb-lookup-uses-did=true/);
    assert.match(r.entries[0][1], /20\/64 \(1\.3 s\)/);
    assert.match(r.entries[0][2], /sweep jason: 64 combinations, safe when iotlb-lookup-uses-did/);
    // A short run never shows anything.
    const quick = recorder();
    useDisplay(quick);
    const q = progress('quick', { now: () => 5 });
    q.update(1, 2);
    q.finish('done');
    assert.equal(quick.entries.length, 0);
  } finally {
    useDisplay(undefined);
  }
});

test('withProgress runs every item in order and yields between them', async () => {
  const r = recorder();
  useDisplay(r);
  try {
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 0);
    const out = await withProgress('squares', [1, 2, 3, 4], (x) => {
      const until = Date.now() + 3;
      while (Date.now() < until) { /* busy, like a check */ }
      return x * x;
    }, (x) => `item ${x}`, { after: 0, every: 0 });
    clearInterval(timer);
    assert.deepEqual(out, [1, 4, 9, 16]);
    assert.ok(ticks > 0, 'the event loop ran between items');
    assert.match(r.entries[0].at(-1)!, /squares: 4 done/);
  } finally {
    useDisplay(undefined);
  }
});

test('checkMatrix checks every strategy under every preset and keeps the preset as typed', async () => {
  const { checkMatrix } = await import('../../src/notebook/notebook');
  const { matrixToText, verdictMatrix } = await import('../../src/present/matrix');
  const results = await checkMatrix({ ...TRANSITIONS.slNewDid, strategies: ['no-flush'], presets: ['spec', 'jason,coherent=false'] });
  assert.deepEqual(results.map((r) => [r.strategy, r.assume, r.verdict]), [['no-flush', 'spec', 'unsafe'], ['no-flush', 'jason,coherent=false', 'unsafe']]);
  assert.match(matrixToText(verdictMatrix(results)), /^no-flush +unsafe: +unsafe:$/m);
});

test('sweepWithProgress returns the sweep; show() titles it with its transition', async () => {
  const { sweepWithProgress } = await import('../../src/notebook/notebook');
  const r = await sweepWithProgress({ ...TRANSITIONS.slNewDid, strategy: 'no-flush' },
    { variables: ['iotlb-lookup-uses-did', 'pc-inv-drops-iotlb'] });
  assert.equal(r.rows.length, 4);
  assert.equal(r.condition, 'never');
  assert.match(render(r).text, /^Sweep: no-flush on sl:did=5,ssptptr=0x1000 -> sl:did=6,ssptptr=0x2000\nSafe when: never\n/);
});

test('each run drawn once, its 72-column text behind a fold; a safe check beside an unsafe one shows the replayed run', () => {
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
  const one = render(jasonStale).rich;
  assert.equal(count(one, /<svg /g), 1);
  assert.equal(count(one, /<details>/g), 1);
  assert.match(one, /<pre style="[^"]*white-space:pre[^"]*word-break:normal/);
  const two = render([jasonStale, noFlushStale]).rich;
  assert.equal(count(two, /<svg /g), 1);
  assert.equal(count(two, /<g class="panel"/g), 2);
  assert.equal(count(two, /<details>/g), 2);
  // A check: its counterexample once as SVG, the block open, the text folded.
  const res = render(unsafeResult).rich;
  assert.equal(count(res, /<svg /g), unsafeResult.violations.length);
  assert.equal(count(res, /<details>/g), 1);
  const r = recorder();
  useDisplay(r);
  try {
    const SL = { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000', requests: 1, dmas: 0 };
    const jason = checkScenario({ ...SL, strategy: 'jason' });
    const ordered = checkScenario({ ...SL, strategy: 'jason-ordered' });
    showSideBySide(jason, ordered);
    const out = r.calls[0];
    assert.equal(count(out, /<g class="panel"/g), 2);
    assert.equal(count(out, /<details>/g), 2);
    assert.match(out, /jason-ordered: jason&#39;s run replayed, the violation is gone at its step 13|jason-ordered: jason's run replayed, the violation is gone at its step 13/);
    assert.match(out, /P_IOTLB PASID-selective DID=5 PASID=0x10 done/);
    // Negative control: two unsafe checks are two counterexamples, no replay.
    showSideBySide(jason, checkScenario({ ...SL, strategy: 'no-flush' }));
    assert.doesNotMatch(r.calls[1], /replayed/);
    showChart('<svg id="chart"></svg>', 'a  1\nb  2\n');
    assert.equal(count(r.calls[2], /<svg /g), 1);
    assert.match(r.calls[2], /<details><summary>the same as a table \(72 columns\)<\/summary><pre [^>]*>a  1\nb  2\n<\/pre><\/details>/);
    showTable(['name', 'value'], [[{ code: 'a<b' }, 'x & y']]);
    assert.match(r.calls[3], /<code style="white-space:nowrap">a&lt;b<\/code>/);
    assert.match(r.calls[3], /x &amp; y/);
  } finally {
    useDisplay(undefined);
  }
});
