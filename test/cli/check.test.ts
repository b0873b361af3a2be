import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { TRANSITIONS } from '../../src/model/transitions';

const SL = ['--from', TRANSITIONS.slNewDid.from, '--to', TRANSITIONS.slNewDid.to];

test('check exits 0 when safe, 1 when unsafe, and prints the result block', async () => {
  const safe = await runCli(['check', ...SL, '--strategy', 'baolu', '--requests', '1', '--dmas', '0']);
  assert.equal(safe.code, 0, safe.err);
  assert.match(safe.out, /Verdict safe/);
  const unsafe = await runCli(['check', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0']);
  assert.equal(unsafe.code, 1);
  assert.match(unsafe.out, /VIOLATION stale-after-return/);
});

test('check exits 3 when a budget runs out', async () => {
  const r = await runCli(['check', ...SL, '--strategy', 'baolu', '--max-states', '50']);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /inconclusive/);
});

test('check --json has verdict, states, violations with traces, and cost; same bytes twice', async () => {
  const argv = ['check', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--json'];
  const a = await runCli(argv);
  const b = await runCli(argv);
  assert.equal(a.out, b.out);
  const j = JSON.parse(a.out) as { verdict: string; states: number; violations: { property: string; trace: { steps: unknown[] } }[]; cost: { waits: number } };
  assert.equal(j.verdict, 'unsafe');
  assert.ok(j.states > 0);
  assert.equal(j.violations[0].property, 'stale-after-return');
  assert.ok(j.violations[0].trace.steps.length > 0);
  assert.equal(j.cost.waits, 2);
});

test('bad input is one line and exit 2', async () => {
  for (const argv of [
    ['check', ...SL, '--strategy', 'nope'],
    ['check', '--from', 'sl:did=5', '--to', 'off', '--strategy', 'baolu'],
    ['check', ...SL, '--strategy', 'baolu', '--assume', 'spec,bogus=1'],
    ['check', ...SL, '--strategy', 'baolu', '--requests', '9'],
    ['check', ...SL],
    ['sweep', ...SL, '--strategy', 'baolu', '--vary', 'coherent'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err.split('\n').filter(Boolean).length, 1, r.err);
    assert.match(r.err, /^flushlab: /);
  }
});

test('sweep prints the minimal condition; --json has condition and rows', async () => {
  const r = await runCli(['sweep', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--vary', 'iotlb-lookup-uses-did,pc-inv-drops-iotlb', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { condition: string; rows: { verdict: string }[] };
  assert.equal(j.rows.length, 4);
  // An inclusive PASID cache, modelled whole (it drops the (DID, PASID) IOTLB entries and
  // fences the fills of walks under way, as an IOTLB invalidation does), is enough for
  // Jason's sync on this transition; so is a DID-tagged IOTLB lookup.
  // A DID-tagged IOTLB lookup is no longer enough once the old DID may be reused
  // (`did-reused-after-return`, the kernel's behaviour); with it fixed off, it is.
  assert.equal(j.condition, 'pc-inv-drops-iotlb');
  const noReuse = await runCli(['sweep', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--assume', 'spec,did-reused-after-return=false', '--vary', 'iotlb-lookup-uses-did,pc-inv-drops-iotlb', '--json']);
  assert.equal((JSON.parse(noReuse.out) as { condition: string }).condition, 'iotlb-lookup-uses-did || pc-inv-drops-iotlb');
  // Half-modelled inclusion (drop without the fence) was not, which is why the fence
  // matters: with pc-inv-drops-iotlb the sweep reads the fence of the in-flight walk.
  const half = await runCli(['check', ...SL, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--assume', 'spec,pc-inv-drops-iotlb=true,iotlb-inv-blocks-late-fills=false']);
  assert.equal(half.code, 1, half.out);
});

test('strategies and assumptions list one line each', async () => {
  const s = await runCli(['strategies']);
  assert.match(s.out, /^posted-v1 +the patch as posted/m);
  assert.match(s.out, /^no-flush +negative control/m);
  // Each position of the thread shows the line it rests on, under its name, wrapped.
  assert.match(s.out, /^baolu +sync = clflush.*\n(?: {22}.*\n)* {22}source: Baolu Lu, 2026-03-15: "I will move/m);
  assert.match(s.out, /^jason +sync = .*\n(?: {22}.*\n)* {22}source: Jason Gunthorpe, 2026-03-12: "Yes"/m);
  for (const line of s.out.split('\n')) assert.ok(line.length <= 72 && /^[\x20-\x7e]*$/.test(line), line);
  const a = await runCli(['assumptions']);
  assert.match(a.out, /^iotlb-lookup-uses-did +false +open/m);
});
