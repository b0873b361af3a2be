// `--arch smmuv3` works like the VT-d check: exit codes, --json, bad input in one line;
// VT-d's JSON carries no arch key (its bytes are as before).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';

test('check --arch smmuv3: safe exits 0, unsafe 1 with a trace in the SMMU\'s lane names', async () => {
  const safe = await runCli(['check', '--arch', 'smmuv3', '-t', 'cdNewAsid', '-s', 'linux', '-r', '1', '-d', '0']);
  assert.equal(safe.code, 0, safe.err);
  assert.match(safe.out, /^Verdict safe$/m);
  assert.match(safe.out, /^Arch smmuv3 \(Arm IHI 0070 G\.b/m);
  const unsafe = await runCli(['check', '--arch', 'smmuv3', '--from', 's1:asid=1,ttb=0x1000', '--to', 's1:asid=1,ttb=0x2000', '-s', 'linux', '-r', '1', '-d', '0']);
  assert.equal(unsafe.code, 1);
  assert.match(unsafe.out, /Verdict unsafe stale-after-return/);
  assert.match(unsafe.out, /Cmd queue +SMMU: CMD_CFGI_CD/);
});

test('check --arch smmuv3 --json: the same keys as VT-d, plus arch first', async () => {
  const r = await runCli(['check', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'baolu', '-r', '1', '-d', '0', '--json']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as Record<string, unknown>;
  assert.equal(Object.keys(j)[0], 'arch');
  assert.equal(j.arch, 'smmuv3');
  assert.equal(j.verdict, 'safe');
  assert.deepEqual((j.cost as { descriptors: Record<string, number> }).descriptors, { CFGI_CD: 1, SYNC: 3, TLBI_NH_ASID: 1, ATC_INV: 1 });
  const v = await runCli(['check', '-t', 'slNewDid', '-s', 'jason', '-r', '1', '-d', '0', '--json']);
  assert.ok(!('arch' in (JSON.parse(v.out) as object)));
});

test('bad --arch input is one line and exit 2', async () => {
  for (const argv of [
    ['check', '--arch', 'amd', '-t', 'slNewDid', '-s', 'jason'],
    ['check', '--arch', 'smmuv3', '-t', 'slNewDid', '-s', 'linux'],
    ['check', '--arch', 'smmuv3', '-t', 'cdNewAsid', '-s', 'posted-v1'],
    ['check', '--arch', 'smmuv3', '--from', 'sl:did=5,ssptptr=0x1000', '--to', 's1:asid=1,ttb=0x1000', '-s', 'linux'],
    ['check', '--arch', 'smmuv3', '-t', 'cdNewAsid', '-s', 'linux', '-a', 'baolu'],
    ['sweep', '--arch', 'smmuv3', '-t', 'cdNewAsid', '-s', 'linux', '--vary', 'drain-scope'],
    ['sweep', '-t', 'slNewDid', '-s', 'jason', '--vary', 'cmdq-in-order'],
    ['sweep', '--arch', 'smmuv3', '-t', 'cdNewAsid', '-s', 'linux', '-a', 'spec,coherent=false'],
    ['compare', 'linux', 'posted-v1', '--arch', 'smmuv3', '-t', 'cdNewAsid'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}`);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.match(r.err, /^flushlab: /);
  }
});

test('assumptions and strategies --arch smmuv3 list the SMMUv3 rows and strategies', async () => {
  const a = await runCli(['assumptions', '--arch', 'smmuv3', '--json']);
  const rows = JSON.parse(a.out) as { name: string; section: string }[];
  assert.ok(rows.some((r) => r.name === 'cfgi-sync-completes-translations' && /IHI 0070 G\.b/.test(r.section)));
  // The PCIe rows are VT-d's, declared once.
  assert.ok(rows.some((r) => r.name === 'device-discards-racing-completions' && /PCIe 6\.2/.test(r.section)));
  const s = await runCli(['strategies', '--arch', 'smmuv3']);
  assert.match(s.out, /^linux {2}/m);
  assert.match(s.out, /arm_smmu_write_entry/);
});
