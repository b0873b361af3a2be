// A sweep reuses a checked row's answer for every row that agrees with it on the
// assumptions its check read (src/check/sweep.ts RowMemo, fed by the bits of
// src/model/context.ts TrackedAssumptions). That is only right if the bits say truly what was
// read. Here, on every standard transition and several strategies, a memoised sweep over
// every open assumption must equal a sweep that checks every row afresh, row for row
// (verdict, states, violated property); and a deliberately mis-numbered bit must make the
// same comparison fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignmentOf, checkRow, sweepScenario, OPEN_ASSUMPTIONS, type SweepResult } from '../../src/check/sweep';
import { TrackedAssumptions, readAssumptions, trackedGetter } from '../../src/model/context';
import { ASSUMPTIONS, ASSUMPTION_NAMES, ASSUMPTION_TABLE, fieldOf, resolveAssumptions, type AssumptionName } from '../../src/model/assumptions';
import type { ScenarioInput } from '../../src/check/result';
import { TRANSITIONS as T } from '../../src/model/transitions';

const { slNewDid: SL_NEW_DID, flSameDid: FL_SAME_DID, flNewDid: FL_NEW_DID } = T;

/** The thread's transitions (as in scenarios/*.yaml) and strategies that read different assumptions. */
const TRANSITIONS = { 'SL->SL new DID': SL_NEW_DID, 'FL->FL same DID': FL_SAME_DID, 'FL->FL new DID': FL_NEW_DID };
const STRATEGIES = ['jason', 'baolu', 'jason-ordered', 'table28', 'no-flush'];

function inputs(): ScenarioInput[] {
  const out: ScenarioInput[] = [];
  for (const [name, t] of Object.entries(TRANSITIONS)) {
    // One ATS request and no DMA keeps 15 x 256 x 2 checks quick; the DMA's reads are
    // covered by one sweep with a DMA below.
    for (const strategy of STRATEGIES) out.push({ name: `${strategy} ${name}`, ...t, strategy, requests: 1, dmas: 0 });
  }
  return out;
}

/** The rows of a sweep without its timing; and how many distinct (reused) answers. */
const rowsOf = (r: SweepResult) => r.rows.map((x) => JSON.stringify(x));

function compare(input: ScenarioInput, variables?: string[]): { equal: boolean; differing: string[] } {
  const memo = sweepScenario(input, { reduction: 'none', variables });
  const plain = sweepScenario(input, { reduction: 'none', variables, memo: false });
  const a = rowsOf(memo);
  const b = rowsOf(plain);
  const differing = a.filter((x, i) => x !== b[i]);
  return { equal: differing.length === 0 && memo.condition === plain.condition, differing };
}

test('the bits of TrackedAssumptions follow the table, one per row', () => {
  const hw = readAssumptions(resolveAssumptions('spec'));
  assert.deepEqual(hw.consulted(), []);
  // Reading each field, in reverse order, names exactly the rows read so far.
  const read: AssumptionName[] = [];
  for (const name of [...ASSUMPTION_NAMES].reverse()) {
    void (hw as unknown as Record<string, unknown>)[fieldOf(name)];
    read.push(name);
    assert.deepEqual(hw.consulted(), ASSUMPTION_NAMES.filter((n) => read.includes(n)));
  }
  // And each field returns its own row's value.
  const values = resolveAssumptions('jason,entry-fetch-bits=64,coherent=false');
  const typed = readAssumptions(values) as unknown as Record<string, unknown>;
  for (const a of ASSUMPTION_TABLE) assert.equal(typed[fieldOf(a.name)], values[a.name], a.name);
});

test('a memoised sweep equals a plain one on every standard transition', () => {
  assert.ok(OPEN_ASSUMPTIONS.length >= 8, 'the sweep varies every open assumption');
  let reused = 0;
  let partial = 0;
  for (const input of inputs()) {
    // The memo has something to reuse: a row's check reads fewer than all swept assumptions.
    const read = checkRow(input, 'spec', OPEN_ASSUMPTIONS, assignmentOf(OPEN_ASSUMPTIONS, 0), {}).consulted!;
    if (read.length < OPEN_ASSUMPTIONS.length) partial++;
    const { equal, differing } = compare(input);
    assert.ok(equal, `${input.name}: memoised rows differ from fresh ones: ${differing.slice(0, 3).join('; ')}`);
    reused++;
  }
  assert.equal(reused, Object.keys(TRANSITIONS).length * STRATEGIES.length);
  assert.ok(partial > 0, 'no check read fewer than all assumptions: the memo was never exercised');
});

test('a memoised sweep equals a plain one with an untranslated DMA', () => {
  // The open assumptions a DMA's walk or drain can meet (32 rows, to keep it quick).
  const variables = ['iotlb-lookup-uses-did', 'pc-inv-drops-iotlb', 'pc-inv-waits-for-walks', 'drain-scope', 'entry-fetch-in-order'];
  const input = { ...SL_NEW_DID, strategy: 'baolu', requests: 1, dmas: 1 };
  const { equal, differing } = compare(input, variables);
  assert.ok(equal, `memoised rows differ from fresh ones: ${differing.slice(0, 3).join('; ')}`);
});

test('negative control: a mis-numbered bit makes a memoised sweep differ from a plain one', () => {
  // `iotlb-lookup-uses-did` records the bit of `coherent` instead of its own: a check that
  // read it seems not to have, so rows that differ only in it wrongly share an answer.
  const wrong: AssumptionName = 'iotlb-lookup-uses-did';
  const index = ASSUMPTION_NAMES.indexOf(wrong);
  const proto = TrackedAssumptions.prototype;
  Object.defineProperty(proto, fieldOf(wrong), trackedGetter(index, 1 << ASSUMPTION_NAMES.indexOf('coherent')));
  try {
    const { equal } = compare({ ...SL_NEW_DID, strategy: 'jason', requests: 1, dmas: 0 });
    assert.equal(equal, false, 'the comparison must catch a wrong bit');
  } finally {
    Object.defineProperty(proto, fieldOf(wrong), trackedGetter(index, 1 << index));
  }
  // Restored: the same comparison passes again.
  assert.equal(compare({ ...SL_NEW_DID, strategy: 'jason', requests: 1, dmas: 0 }).equal, true);
});
