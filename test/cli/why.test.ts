// check --why: the open assumptions whose flip changes the verdict (computed by
// re-checking), and for unsafe the step where the strategy could have prevented it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';
import { checkScenario } from '../../src/check/check';

const SMALL = [...SL, '--requests', '1', '--dmas', '0'];

test('jason on SL->SL: unsafe, hinges on an inclusive PASID cache (DID in the lookup is not enough once the old DID may be reused); prevent before the return', async () => {
  const r = await runCli(['check', ...SMALL, '--strategy', 'jason', '--why']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^Hinges on pc-inv-drops-iotlb=true \(safe\)$/m);
  assert.match(r.out, /^Prevent before step 13 \(the return\): an IOTLB invalidation of the old\n {2}DID/m);
  // Each hinge is what a check with that one flip answers.
  for (const flip of ['pc-inv-drops-iotlb=true', 'iotlb-lookup-uses-did=true,did-reused-after-return=false']) {
    assert.equal(checkScenario({ from: SL[1]!, to: SL[3]!, strategy: 'jason', assume: `spec,${flip}`, requests: 1, dmas: 0 }).verdict, 'safe');
  }
  const json = JSON.parse((await runCli(['check', ...SMALL, '--strategy', 'jason', '--why', '--json'])).out) as { why: { hinges: { assumption: string }[]; rechecks: number } };
  assert.deepEqual(json.why.hinges.map((h) => h.assumption), ['pc-inv-drops-iotlb']);
  assert.ok(json.why.rechecks >= 11);
});

test('without --why the block is as before (no Hinges on line)', async () => {
  const r = await runCli(['check', ...SMALL, '--strategy', 'jason']);
  assert.doesNotMatch(r.out, /Hinges on|Prevent/);
});

test('a safe verdict names its hinges too: baolu on SL->SL', async () => {
  const r = await runCli(['check', ...SMALL, '--strategy', 'baolu', '--why', '--json']);
  const j = JSON.parse(r.out) as { verdict: string; why: { hinges: { verdict: string }[] } };
  assert.equal(j.verdict, 'safe');
  for (const h of j.why.hinges) assert.notEqual(h.verdict, 'safe');
});

test('a safe verdict is explained: the nearest weaker strategy\'s counterexample and what blocks it, in 72 columns', async () => {
  const r = await runCli(['check', ...SMALL, '--strategy', 'jason-ordered', '--why']);
  assert.equal(r.code, 0);
  for (const l of r.out.split('\n')) assert.ok(l.length <= 72, l);
  assert.match(r.out, /^Blocks jason's counterexample \(stale-after-return, 13 steps\): at its\n {2}step 13 \(the return\) the violation is gone, after replay step 7\n {2}\(P_IOTLB PASID-selective DID=5 PASID=0x10 done\), submitted at replay\n {2}step 6 \(submit P_IOTLB /m);
  const j = JSON.parse((await runCli(['check', ...SMALL, '--strategy', 'jason-ordered', '--why', '--json'])).out) as { why: { replay: { weaker: string; blocked: boolean } } };
  assert.equal(j.why.replay.weaker, 'jason');
  assert.equal(j.why.replay.blocked, true);
  // Unsafe verdicts have Prevent instead; and no Blocks without --why.
  assert.doesNotMatch((await runCli(['check', ...SMALL, '--strategy', 'jason', '--why'])).out, /^Blocks/m);
  assert.doesNotMatch((await runCli(['check', ...SMALL, '--strategy', 'jason-ordered'])).out, /^Blocks/m);
});
