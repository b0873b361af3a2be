// --strategy FILE with --arch smmuv3: an SMMUv3 strategy as data (as `flushlab strategies
// --arch smmuv3 --format yaml` prints it) is checked exactly as the built-in it copies,
// and a copy without its TLBI is not; bad files and the VT-d one-line form are one line, exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli';
import { SMMU_STRATEGIES } from '../../src/model/smmuv3/strategies';

const SAME = ['--arch', 'smmuv3', '-t', 'cdSameAsid', '-r', '1', '-d', '0'];

test('an SMMUv3 strategy file is checked as the strategy it writes out; without its TLBI it is unsafe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flushlab-smmu-strategy-'));
  try {
    const printed = await runCli(['strategies', '--arch', 'smmuv3', '--format', 'yaml', 'baolu']);
    const copy = join(dir, 'copy.yaml');
    writeFileSync(copy, printed.out.replace(/^name: baolu$/m, 'name: my-baolu'));
    const builtin = JSON.parse((await runCli(['check', ...SAME, '-s', 'baolu', '--json'])).out) as { verdict: string; states: number; cost: unknown };
    const file = await runCli(['check', ...SAME, '-s', copy, '--json']);
    assert.equal(file.code, 0, file.err);
    const j = JSON.parse(file.out) as { strategy: string; verdict: string; states: number; cost: unknown };
    assert.equal(j.strategy, 'my-baolu');
    assert.deepEqual([j.verdict, j.states, j.cost], [builtin.verdict, builtin.states, builtin.cost]);
    // Negative control: the same file without the TLBI submission is the driver's, unsafe here.
    const noTlbi = { ...SMMU_STRATEGIES.baolu, name: 'no-tlbi', after: SMMU_STRATEGIES.baolu.after.slice(1) };
    const weaker = join(dir, 'weaker.yaml');
    writeFileSync(weaker, stringify(noTlbi));
    const w = await runCli(['check', ...SAME, '-s', weaker]);
    assert.equal(w.code, 1);
    assert.match(w.out, /^Verdict unsafe stale-after-return$/m);
    // compare and sweep take the file too.
    const c = await runCli(['compare', 'baolu', copy, ...SAME]);
    assert.match(c.out, /^Diverge my-baolu runs the same driver steps as baolu$/m);
    const s = await runCli(['sweep', ...SAME, '-s', weaker, '--vary', 'cmdq-in-order']);
    assert.match(s.out, /^Sweep: no-tlbi\nSafe when: never$/m);
    // Bad input: one line naming the line, exit 2.
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, printed.out.replace('type: atc_inv', 'type: atc_invalidate'));
    for (const [arg, message] of [[bad, /bad\.yaml:\d+: strategy: after\[1\]: a command is one of/], ['sync=pc', /the one-line strategy grammar is VT-d's/], [join(dir, 'none.yaml'), /no such file/], ['baolu-v9', /unknown strategy 'baolu-v9' for --arch smmuv3/]] as const) {
      const r = await runCli(['check', ...SAME, '-s', arg]);
      assert.equal(r.code, 2, arg);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, message);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
