// `sweep --arch smmuv3`: every combination of SMMUv3's open assumptions, each row the
// check of that combination. Each row is compared with a check of the scenario with the
// row's values written out as --assume text (checkScenario, not the sweep's own row
// check); a memoised sweep must equal a fresh one, and the comparison is shown to catch a
// tracking that forgets one read assumption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RowMemo, assignmentOf, checkRow, rowCount, sweepCondition, sweepScenario, sweepVariables, toRow, type RowAnswer, type SweepResult } from '../../src/check/sweep';
import { checkScenario } from '../../src/check/check';
import { SMMU_ASSUMPTIONS, SMMU_OPEN_ASSUMPTIONS, readSmmuAssumptions, resolveSmmuAssumptions } from '../../src/model/smmuv3/assumptions';
import { SMMU_TRANSITIONS } from '../../src/model/smmuv3/transitions';
import type { ScenarioInput } from '../../src/check/result';

const small = (t: keyof typeof SMMU_TRANSITIONS, strategy: string): ScenarioInput => ({ arch: 'smmuv3', ...SMMU_TRANSITIONS[t], strategy, requests: 1, dmas: 0 });
const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

test('SMMUv3 hardware view: each field returns its row and records exactly the rows read', () => {
  const values = resolveSmmuAssumptions('spec,cmdq-in-order=true,inv-may-pass-completion=false');
  const hw = readSmmuAssumptions(values) as unknown as Record<string, unknown> & { consulted(): string[] };
  assert.deepEqual(hw.consulted(), []);
  const read: string[] = [];
  for (const a of [...SMMU_ASSUMPTIONS].reverse()) {
    assert.equal(hw[camel(a.name)], values[a.name], a.name);
    read.push(a.name);
    assert.deepEqual(hw.consulted(), SMMU_ASSUMPTIONS.map((x) => x.name).filter((n) => read.includes(n)));
  }
});

test('sweep --arch smmuv3 varies the SMMUv3 open assumptions, not VT-d\'s', () => {
  assert.deepEqual(sweepVariables({}, 'smmuv3'), [...SMMU_OPEN_ASSUMPTIONS]);
  assert.ok(SMMU_OPEN_ASSUMPTIONS.includes('cmdq-in-order') && !SMMU_OPEN_ASSUMPTIONS.includes('drain-scope'));
  assert.throws(() => sweepVariables({ variables: ['drain-scope'] }, 'smmuv3'), /no such assumption for --arch smmuv3/);
  assert.throws(() => sweepVariables({ variables: ['cmdq-in-order'] }), /cannot sweep 'cmdq-in-order'/);
});

test('every row of an SMMUv3 sweep is the check of its combination', () => {
  const input = small('cdSameAsid', 'jason-ordered');
  const r = sweepScenario(input);
  assert.equal(r.rows.length, 2 ** SMMU_OPEN_ASSUMPTIONS.length);
  const verdicts = new Set(r.rows.map((x) => x.verdict));
  // Both verdicts occur: the row's values reach the model (a sweep that ignored them would be constant).
  assert.ok(verdicts.has('safe') && verdicts.has('unsafe'), [...verdicts].join());
  r.rows.forEach((row, i) => {
    const assume = ['spec', ...Object.entries(row.assumptions).map(([k, v]) => `${k}=${String(v)}`)].join(',');
    const c = checkScenario({ ...input, assume });
    assert.equal(row.verdict, c.verdict, `row ${i}: ${assume}`);
    assert.equal(row.states, c.states, `row ${i}: ${assume}`);
    assert.equal(row.property, c.violations[0]?.property, `row ${i}: ${assume}`);
  });
  // The condition read off the rows: jason-ordered's single submission needs the queue in order.
  assert.match(r.condition, /cmdq-in-order/);
});

const rowsOf = (r: SweepResult): string[] => r.rows.map((x) => JSON.stringify(x));

test('a memoised SMMUv3 sweep equals a plain one', () => {
  let partial = 0;
  // Two transitions, strategies with and without a TLBI (kept small: 6 x 64 x 2 checks).
  for (const t of ['cdSameAsid', 'cdNewAsid'] as const) {
    for (const strategy of ['linux', 'baolu', 'jason-ordered']) {
      const input = small(t, strategy);
      const read = checkRow(input, 'spec', SMMU_OPEN_ASSUMPTIONS, assignmentOf(SMMU_OPEN_ASSUMPTIONS, 0), {}).consulted!;
      if (read.length < SMMU_OPEN_ASSUMPTIONS.length) partial++;
      const memo = sweepScenario(input);
      const plain = sweepScenario(input, { memo: false });
      assert.deepEqual(rowsOf(memo), rowsOf(plain), `${t} ${strategy}`);
      assert.equal(memo.condition, plain.condition);
    }
  }
  assert.ok(partial > 0, 'no check read fewer than all assumptions: the memo was never exercised');
});

test('negative control: a tracking that forgets cmdq-in-order makes the memoised rows differ', () => {
  const input = small('cdSameAsid', 'jason-ordered');
  const variables = [...SMMU_OPEN_ASSUMPTIONS];
  const memo = new RowMemo();
  const rows = [];
  for (let r = 0; r < rowCount(variables); r++) {
    const assignment = assignmentOf(variables, r);
    const fresh = (): RowAnswer => {
      const a = checkRow(input, 'spec', variables, assignment, {});
      return { ...a, consulted: a.consulted!.filter((v) => v !== 'cmdq-in-order') };
    };
    rows.push(toRow(assignment, memo.answer(assignment) ?? memo.remember(assignment, fresh())));
  }
  const plain = sweepScenario(input, { memo: false });
  assert.notDeepEqual(rows.map((x) => JSON.stringify(x)), rowsOf(plain));
  assert.notEqual(sweepCondition(variables, rows), plain.condition);
});
