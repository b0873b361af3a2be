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
