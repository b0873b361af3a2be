import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { makeBypassSte } from '../../src/formats/smmuv3';

interface JsonRun {
  format: string;
  hitless: boolean;
  syncs: number;
  path: string;
  critical: number[];
  storesHitless: boolean;
  steps: { kind: string; stores: { quantum: number; words: string[] }[]; entry: string[]; synced: boolean; hitless: boolean; vCleared: boolean }[];
  final: string[];
  to: string[];
  warnings: string[];
}

async function json(argv: string[]): Promise<JsonRun> {
  const r = await runCli(['writer', ...argv, '--json']);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  return JSON.parse(r.out) as JsonRun;
}

test('writer: VT-d FL -> FL with a new DID and a new table takes the V-cleared path (text)', async () => {
  const r = await runCli(['writer', '--from', 'fl:did=5,fsptptr=0x1000', '--to', 'fl:did=6,fsptptr=0x4000']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^critical quanta: 0, 1 -> V-cleared path$/m);
  assert.match(r.out, /^step 1  clear-v   q0 <- 0x0000000000000000 0x0000000000000000$/m);
  assert.match(r.out, /^result: not hitless \(V cleared at 2 syncs\), 3 syncs$/m);
  for (const line of r.out.split('\n')) assert.ok(line.length <= 72, `over 72 columns: ${line}`);
  // Same input, same output, byte for byte.
  assert.equal((await runCli(['writer', '--from', 'fl:did=5,fsptptr=0x1000', '--to', 'fl:did=6,fsptptr=0x4000'])).out, r.out);
});

test('writer --json: hitless, syncs, steps with 0x-hex words', async () => {
  const run = await json(['--from', 'sl:did=6,ssptptr=0x2000', '--to', 'fl:did=5,fsptptr=0x1000']);
  assert.equal(run.format, 'vtd-pasid');
  assert.equal(run.hitless, true);
  assert.equal(run.syncs, 2);
  assert.equal(run.path, 'hitless');
  assert.deepEqual(run.steps.map((s) => [s.kind, s.synced]), [['unused', true], ['critical', true], ['cleanup', false]]);
  assert.deepEqual(run.steps[0]!.stores, [{ quantum: 1, words: ['0x0000000000001000', '0x0000000000000000'] }]);
  assert.deepEqual(run.final, run.to);
  assert.equal(run.storesHitless, true);
});

test('writer --format smmuv3-ste: a named KUnit configuration and its hex form give the same run', async () => {
  const named = await json(['--format', 'smmuv3-ste', '--from', 'cdtable', '--to', 'bypass']);
  assert.deepEqual([named.hitless, named.syncs], [true, 3]);
  const hex = makeBypassSte().map((w) => `0x${w.toString(16)}`).join(',');
  const raw = await json(['--format', 'smmuv3-ste', '--from', 'cdtable', '--to', hex]);
  assert.deepEqual(raw, named);
});

test('writer --format smmuv3-cd: ASIDs as name:asid', async () => {
  const run = await json(['--format', 'smmuv3-cd', '--from', 's1:778', '--to', 's1:1997']);
  assert.deepEqual([run.hitless, run.syncs], [true, 1]);
  const clear = await json(['--format', 'smmuv3-cd', '--from', 'clear', '--to', 'sva']);
  assert.deepEqual([clear.hitless, clear.syncs], [false, 2]);
});

test('writer --variant critical-first shows the torn sync', async () => {
  const r = await runCli(['writer', '--from', 'sl:did=6,ssptptr=0x2000', '--to', 'fl:did=5,fsptptr=0x1000', '--variant', 'critical-first']);
  assert.equal(r.code, 0);
  assert.match(r.out, /TORN: neither old nor new/);
  assert.match(r.out, /^result: not hitless \(torn sync\), 2 syncs$/m);
});

test('writer warns about an entry that breaks a VT-d rule, and still runs', async () => {
  const run = await json(['--from', 'off', '--to', 'sl:did=5']);
  assert.equal(run.syncs, 1);
  assert.deepEqual(run.warnings, ['--to: PGTT=SL needs SSPTPTR (second-stage page-table pointer) but it is 0']);
});

for (const [argv, message] of [
  [['--from', 'fl:did=5', '--to', 'bogus'], "flushlab: --to: unknown entry kind 'bogus' (expected off, fl, sl, nested or pt)"],
  [['--from', 'fl:did=5'], "flushlab: required option '--to <entry>' not specified"],
  [['--format', 'x', '--from', 'off', '--to', 'off'], "flushlab: unknown --format 'x' (expected vtd, smmuv3-ste, smmuv3-cd)"],
  [['--format', 'smmuv3-ste', '--from', 'abort', '--to', '1,2,3'], 'flushlab: --to: expected 8 hex qwords (val[0] first), got 3'],
  [['--format', 'smmuv3-cd', '--from', 's1:99999', '--to', 'clear'], "flushlab: --from: ASID '99999' must be 0..65535 (decimal or 0x-hex)"],
  [['--format', 'smmuv3-ste', '--from', 'abort', '--to', '0xzz,1'], "flushlab: --to: '0xzz' (word 0) is not a hex qword"],
  [['--from', 'off', '--to', 'off', '--variant', 'nope'], "flushlab: unknown --variant 'nope' (expected upstream, critical-first, jason-ranges)"],
] as const) {
  test(`writer: bad input is one line and exit 2 (${argv.join(' ')})`, async () => {
    const r = await runCli(['writer', ...argv]);
    assert.equal(r.code, 2);
    assert.equal(r.err, `${message}\n`);
    assert.equal(r.out, '');
  });
}

test('writer --help documents the entry syntaxes', async () => {
  const r = await runCli(['writer', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /smmuv3-ste {2}a configuration of the kernel's KUnit test: abort, bypass, cdtable/);
  assert.match(r.out, /8 hex qwords, val\[0\] first/);
});
