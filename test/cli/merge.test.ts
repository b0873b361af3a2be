// `flushlab sweep … --shard I/N --json` and `flushlab merge`: merged shards print exactly
// what the unsharded sweep prints, text and JSON, with the same exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { TRANSITIONS } from '../../src/model/transitions';

// Small but real: 72 rows of one cheap check, two enums (drain-scope, entry-fetch-bits)
// and three booleans, some rows reused from the memo.
const SWEEP = ['sweep', '--from', TRANSITIONS.flNewDid.from, '--to', TRANSITIONS.flNewDid.to, '--strategy', 'jason', '--requests', '1', '--dmas', '0', '--workers', '1'];
const VARY = ['--vary', 'drain-scope,inv-may-pass-completion,devtlb-after-pc-inv,pc-inv-drops-iotlb,entry-fetch-bits'];

async function shards(dir: string, n: number, extra: string[] = []): Promise<string[]> {
  const files: string[] = [];
  // Written in reverse order: merge takes its files in any order.
  for (let i = n; i >= 1; i--) {
    const r = await runCli([...SWEEP, ...VARY, ...extra, '--shard', `${i}/${n}`, '--json']);
    assert.ok(r.code === 0 || r.code === 3, r.err);
    const f = join(dir, `shard-${i}.json`);
    writeFileSync(f, r.out);
    files.push(f);
  }
  return files;
}

test('merged shards are byte-identical to the unsharded sweep, text and --json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-shards-'));
  try {
    const whole = await runCli([...SWEEP, ...VARY]);
    const wholeJson = await runCli([...SWEEP, ...VARY, '--json']);
    // 2 shards on worker threads too (check/parallel.ts sweepRange): the same rows.
    for (const [n, extra] of [[1, []], [3, []], [7, []], [2, ['--workers', '2']]] as const) {
      const files = await shards(dir, n, [...extra]);
      const merged = await runCli(['merge', ...files]);
      const mergedJson = await runCli(['merge', '--json', ...files]);
      assert.equal(merged.out, whole.out, `${n} shards, text`);
      assert.equal(merged.code, whole.code);
      assert.equal(mergedJson.out, wholeJson.out, `${n} shards, JSON`);
      assert.ok(whole.out.includes('jason') && JSON.parse(wholeJson.out).rows.length === 72);
    }
    // Negative control: one row changed in one shard changes the merged output.
    const files = await shards(dir, 3);
    const bad = JSON.parse((await runCli([...SWEEP, ...VARY, '--shard', '2/3', '--json'])).out);
    bad.rows[0].verdict = bad.rows[0].verdict === 'safe' ? 'unsafe' : 'safe';
    writeFileSync(files[1], JSON.stringify(bad));
    assert.notEqual((await runCli(['merge', '--json', ...files])).out, wholeJson.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('merge refuses a missing shard, a shard given twice, another sweep\'s shard, and non-shard input, in one line with exit 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-shards-'));
  try {
    const [s3, s2, s1] = await shards(dir, 3);
    const other = join(dir, 'other.json');
    const o = await runCli([...SWEEP.map((a) => (a === 'jason' ? 'baolu' : a)), ...VARY, '--shard', '2/3', '--json']);
    writeFileSync(other, o.out);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"rows": []}');
    const cases: [string[], RegExp][] = [
      [[s1, s3], /missing shard 2 of 3/],
      [[s1, s2, s2, s3], /shard 2\/3 given twice/],
      [[s1, other, s3], /shard of another sweep/],
      [[junk], /not a sweep shard/],
      [[join(dir, 'absent.json')], /cannot read/],
    ];
    for (const [files, message] of cases) {
      const r = await runCli(['merge', ...files]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
    }
    const noJson = await runCli([...SWEEP, '--shard', '1/2']);
    assert.equal(noJson.code, 2);
    assert.match(noJson.err, /add --json/);
    for (const bad of ['0/2', '3/2', 'x', '1/0']) assert.equal((await runCli([...SWEEP, '--shard', bad, '--json'])).code, 2, bad);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
