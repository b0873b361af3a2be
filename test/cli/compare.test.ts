// `flushlab compare`: strategies side by side in 72 ASCII columns, verdicts and costs from
// the checks, and the first driver step at which the runs diverge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { SL } from '../helpers/process';
import { checkScenario } from '../../src/check/check';

const SMALL = [...SL, '--requests', '1', '--dmas', '0'];

function mailText(out: string): void {
  for (const l of out.trimEnd().split('\n')) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `not 72-column ASCII: '${l}' (${l.length})`);
}

test('compare: within 72 columns, verdicts and cost as check says, exit 1 when one is unsafe', async () => {
  for (const names of [['jason', 'baolu'], ['jason', 'baolu', 'no-flush', 'jason-ordered']]) {
    const r = await runCli(['compare', ...names, ...SMALL]);
    assert.equal(r.err, '');
    assert.equal(r.code, 1);
    mailText(r.out);
    const header = r.out.split('\n').find((l) => l.trim().startsWith('jason'))!;
    assert.deepEqual(header.trim().split(/\s+/), names);
    const verdicts = r.out.split('\n').find((l) => l.startsWith('Verdict'))!.split(/\s+/).slice(1);
    const expected = names.map((s) => checkScenario({ from: SL[1]!, to: SL[3]!, strategy: s, requests: 1, dmas: 0 }).verdict);
    assert.deepEqual(verdicts, expected);
  }
});

test('compare: the first driver step where the runs diverge', async () => {
  const r = await runCli(['compare', 'jason', 'jason-ordered', ...SMALL]);
  // Both: store, PC inv + wait, poll; then jason submits the Device-TLB inv alone and
  // jason-ordered puts a P_IOTLB ahead of it.
  assert.match(r.out, /^Diverge jason-ordered from jason at driver step 4:$/m);
  assert.match(r.out, /^ {2}jason: submit P_DEV_TLB_INV/m);
  assert.match(r.out, /^ {2}jason-ordered: submit P_IOTLB PASID-selective DID=5/m);
  const same = await runCli(['compare', 'jason', 'sync[P1->P1|P1->P0|P0->P1]=clflush,pc;sync[P0->P0]=clflush;after=devtlb', ...SMALL]);
  assert.match(same.out, /^Diverge custom runs the same driver steps as jason$/m);
  const json = JSON.parse((await runCli(['compare', 'jason', 'jason-ordered', ...SMALL, '--json'])).out) as { divergences: { step: number }[] };
  assert.equal(json.divergences[0]!.step, 4);
});

test('compare: one strategy, or five, is bad input (one line, exit 2)', async () => {
  for (const names of [['jason'], ['jason', 'baolu', 'table28', 'no-flush', 'no-devtlb']]) {
    const r = await runCli(['compare', ...names, ...SMALL]);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^flushlab: compare takes 2 to 4 strategies/);
  }
});
