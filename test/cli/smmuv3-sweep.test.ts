// `flushlab sweep --arch smmuv3`: the same output as a VT-d sweep (text, --json, exit
// codes), over SMMUv3's open assumptions; its shards merge to exactly the unsharded sweep,
// and a shard of a VT-d sweep does not merge with one of an SMMUv3 sweep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { SMMU_OPEN_ASSUMPTIONS } from '../../src/model/smmuv3/assumptions';

const SWEEP = ['sweep', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'jason-ordered', '-r', '1', '-d', '0', '--workers', '1'];

test('sweep --arch smmuv3: the condition over SMMUv3\'s open assumptions, text and --json', async () => {
  const text = await runCli(SWEEP);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Sweep: jason-ordered$/m);
  assert.match(text.out, /^Safe when: .*cmdq-in-order/m);
  assert.match(text.out, new RegExp(`of ${2 ** SMMU_OPEN_ASSUMPTIONS.length} combinations`));
  const json = await runCli([...SWEEP, '--json']);
  const j = JSON.parse(json.out) as { variables: string[]; condition: string; rows: { verdict: string }[] };
  assert.deepEqual(j.variables, [...SMMU_OPEN_ASSUMPTIONS]);
  assert.ok(j.rows.some((r) => r.verdict === 'safe') && j.rows.some((r) => r.verdict === 'unsafe'));
  assert.ok(text.out.includes(j.condition.split(' ')[0]));
  // --vary picks SMMUv3 rows; a safe-everywhere strategy reads `always`.
  const v = await runCli(['sweep', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'baolu', '-r', '1', '-d', '0', '--vary', 'cmdq-in-order,config-fetch-in-order']);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /^Safe when: always$/m);
  // Negative control: the driver's strategy, without a TLBI, is unsafe on every row here.
  const never = await runCli(['sweep', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'linux', '-r', '1', '-d', '0', '--vary', 'cmdq-in-order,config-fetch-in-order']);
  assert.match(never.out, /^Safe when: never$/m);
});

test('sweep --arch smmuv3 --shard: merged shards are byte-identical to the unsharded sweep', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-smmu-shards-'));
  try {
    const whole = await runCli(SWEEP);
    const wholeJson = await runCli([...SWEEP, '--json']);
    const files: string[] = [];
    for (let i = 3; i >= 1; i--) {
      const r = await runCli([...SWEEP, '--shard', `${i}/3`, '--json']);
      assert.equal(r.code, 0, r.err);
      assert.equal((JSON.parse(r.out) as { scenario: { arch?: string } }).scenario.arch, 'smmuv3');
      const f = join(dir, `s${i}.json`);
      writeFileSync(f, r.out);
      files.push(f);
    }
    const merged = await runCli(['merge', ...files]);
    assert.equal(merged.out, whole.out);
    assert.equal(merged.code, whole.code);
    assert.equal((await runCli(['merge', '--json', ...files])).out, wholeJson.out);
    // A VT-d shard is another sweep: refused in one line, exit 2.
    const vtd = await runCli(['sweep', '-t', 'flNewDid', '-s', 'jason', '-r', '1', '-d', '0', '--vary', 'drain-scope', '--shard', '1/3', '--json']);
    const fv = join(dir, 'vtd.json');
    writeFileSync(fv, vtd.out);
    const mixed = await runCli(['merge', files[1], files[2], fv]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.err, /^flushlab: .*another sweep/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
