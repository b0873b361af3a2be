// compare, check --why (with the replay that says what blocks a weaker run) and
// check --trace uses-stale with --arch smmuv3: each answer is
// what separate checks say (the oracle), and each shows it can say the other thing too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { checkScenario } from '../../src/check/check';
import { SMMU_TRANSITIONS } from '../../src/model/smmuv3/transitions';
import { buildSmmuModel } from '../../src/model/smmuv3/build';
import { nearestWeaker, replayAgainst, weakerCandidates } from '../../src/check/replay';

const SAME = ['--arch', 'smmuv3', '-t', 'cdSameAsid', '-r', '1', '-d', '0'];
const input = (strategy: string, assume = 'spec') => ({ arch: 'smmuv3' as const, ...SMMU_TRANSITIONS.cdSameAsid, strategy, assume, requests: 1, dmas: 0 });

function mailLines(text: string): void {
  for (const l of text.split('\n')) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `not mail text: '${l}'`);
}

test('compare --arch smmuv3: each column is its strategy\'s check; runs diverge where their commands differ', async () => {
  const r = await runCli(['compare', 'linux', 'baolu', 'jason', ...SAME]);
  assert.equal(r.code, 1, r.err);
  mailLines(r.out);
  assert.match(r.out, /^Verdict +unsafe +safe +unsafe$/m);
  assert.match(r.out, /^ {2}CFGI\/TLBI\/ATC 1\/0\/1 +1\/1\/1 +1\/0\/1$/m);
  assert.match(r.out, /^Diverge baolu from linux at driver step 4:\n {2}linux: submit CMD_ATC_INV/m);
  assert.match(r.out, /^ {2}baolu: submit CMD_TLBI_NH_ASID ASID=1 \+ CMD_SYNC \(after the writer\)$/m);
  // jason is the driver's commands (strategies.ts): no divergence (the negative control of the line above).
  assert.match(r.out, /^Diverge jason runs the same driver steps as linux$/m);
  const j = JSON.parse((await runCli(['compare', 'linux', 'baolu', ...SAME, '--json'])).out) as { results: { arch: string; verdict: string; states: number }[] };
  for (const [i, s] of ['linux', 'baolu'].entries()) {
    const c = checkScenario(input(s));
    assert.equal(j.results[i].arch, 'smmuv3');
    assert.equal(j.results[i].verdict, c.verdict, s);
    assert.equal(j.results[i].states, c.states, s);
  }
  // Safe everywhere exits 0.
  assert.equal((await runCli(['compare', 'baolu', 'baolu', ...SAME])).code, 0);
});

test('check --arch smmuv3 --why: the hinges are the flips that change the verdict, and Prevent names SMMU commands', async () => {
  const r = await runCli(['check', ...SAME, '-s', 'jason-ordered', '--why', '--json']);
  const j = JSON.parse(r.out) as { verdict: string; why: { hinges: { assumption: string; value: boolean; verdict: string }[]; rechecks: number; preventAt: { remedy: string } } };
  assert.equal(j.verdict, 'unsafe');
  assert.equal(j.why.rechecks, 6);
  assert.deepEqual(j.why.hinges.map((h) => `${h.assumption}=${String(h.value)} ${h.verdict}`), ['cmdq-in-order=true safe']);
  // The oracle: checks with each SMMUv3 open assumption flipped, one at a time.
  for (const [name, flipped] of [['cmdq-in-order', 'true'], ['config-fetch-in-order', 'true'], ['device-discards-racing-completions', 'false']]) {
    const v = checkScenario(input('jason-ordered', `spec,${name}=${flipped}`)).verdict;
    assert.equal(j.why.hinges.some((h) => h.assumption === name), v !== 'unsafe', name);
  }
  assert.match(j.why.preventAt.remedy, /CMD_ATC_INV.*CMD_SYNC/);
  // linux hinges on nothing: the TLB entry under the same ASID stays whatever the open answers.
  const linux = await runCli(['check', ...SAME, '-s', 'linux', '--why']);
  assert.equal(linux.code, 1);
  mailLines(linux.out);
  assert.match(linux.out, /^Hinges on no single open assumption \(6 flips checked, none changes it\)$/m);
  assert.match(linux.out, /^Prevent before step 13 \(the return\): a CMD_TLBI_NH_ASID \/\n {2}CMD_TLBI_S12_VMALL of the old ASID\/VMID, then a CMD_SYNC waited for$/m);
  // A safe verdict: its hinges, and what blocks the nearest weaker strategy's run (linux's: the TLBI).
  const safe = await runCli(['check', ...SAME, '-s', 'baolu', '--why']);
  assert.equal(safe.code, 0);
  mailLines(safe.out);
  assert.match(safe.out, /^Hinges on device-discards-racing-completions=false \(unsafe\n {2}stale-after-return\)$/m);
  assert.match(safe.out, /^Blocks linux's counterexample \(stale-after-return, 13 steps\): at its\n {2}step 13 \(the return\) the violation is gone, after replay step 7 \(SMMU:\n {2}CMD_TLBI_NH_ASID ASID=1 done\), submitted at replay step 6 \(submit\n {2}CMD_TLBI_NH_ASID ASID=1 \+ CMD_SYNC \(after the writer\)\)$/m);
  assert.equal(checkScenario(input('baolu', 'spec,device-discards-racing-completions=false')).verdict, 'unsafe');
});

test('SMMUv3 replay: the nearest weaker strategy is one whose commands are a part of these; its own run is not blocked', () => {
  const baolu = buildSmmuModel(input('baolu'));
  // linux and jason (the same commands) are parts of baolu's; jason-ordered (TLBI and ATC_INV in one submission, as many commands) is not.
  assert.deepEqual(weakerCandidates(baolu).slice(0, 2), ['linux', 'jason']);
  assert.ok(!weakerCandidates(baolu).includes('baolu') && !weakerCandidates(baolu).includes('jason-ordered'));
  const weaker = nearestWeaker(baolu)!;
  assert.equal(weaker.name, 'linux');
  const cx = weaker.result.violations[0]!.trace;
  const blocked = replayAgainst(baolu, 'linux', { property: cx.violation!.property, reason: cx.violation!.reason, steps: cx.steps });
  assert.equal(blocked.blocked, true);
  assert.match(blocked.by!.text, /CMD_TLBI_NH_ASID/);
  // Negative control: linux's run against linux itself replays to the violation.
  const self = replayAgainst(buildSmmuModel(input('linux')), 'linux', { property: cx.violation!.property, reason: cx.violation!.reason, steps: cx.steps });
  assert.equal(self.blocked, false);
  assert.equal(self.replay.length, cx.steps.length);
});

test('check --arch smmuv3 --trace uses-stale: the run goes on until the device uses the old translation', async () => {
  const args = ['check', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'linux', '-r', '1', '-d', '1'];
  const shortest = await runCli(args);
  const stale = await runCli([...args, '--trace', 'uses-stale']);
  assert.equal(stale.code, 1, stale.err);
  mailLines(stale.out);
  // The shortest stops at the TLB entry nothing has used yet (the negative control).
  assert.match(shortest.out, /^\*\*\* VIOLATION stale-after-return: the TLB entry S1 ASID=1/m);
  assert.doesNotMatch(shortest.out, /uses-stale/);
  const m = /^Trace uses-stale, (\d+) steps \(shortest: (\d+)\)$/m.exec(stale.out);
  assert.ok(m && Number(m[1]) > Number(m[2]), stale.out.slice(0, 600));
  assert.match(stale.out, new RegExp(`^Violated: uses-stale at step ${m![1]}$`, 'm'));
  assert.match(stale.out, /CPU: strategy returns[\s\S]*\*\*\* VIOLATION uses-stale: (the device's DMA through its ATC|an untranslated DMA)/);
  // Unsafe, but no request and no DMA can use the stale TLB entry (the ATC is flushed): none, searched.
  const none = await runCli(['check', '--arch', 'smmuv3', '-t', 'cdSameAsid', '-s', 'linux', '-r', '0', '-d', '0', '--trace', 'uses-stale']);
  assert.equal(none.code, 1);
  assert.match(none.out, /^Trace uses-stale: no DMA uses a stale translation \(\d+ states\)$/m);
  // A safe check settles it without a search.
  const safe = await runCli(['check', ...SAME, '-s', 'baolu', '--trace', 'uses-stale', '--json']);
  const j = JSON.parse(safe.out) as { usesStale: { verdict: string; states: number; settledBy?: string } };
  assert.deepEqual([j.usesStale.verdict, j.usesStale.states], ['safe', 0]);
  assert.match(j.usesStale.settledBy!, /stale-after-return/);
});
