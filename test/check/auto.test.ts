// `auto` (src/check/check.ts searchModel) is one search: plain until autoPlainStates states
// are known, then the same search goes on reduced (engine/search.ts reduceAfter).
// - A check that ends before the switch is exactly the plain search: same states,
//   transitions and counterexample trace.
// - A check that passes the switch explores fewer states than the plain search and gives
//   the same verdict, property and counterexample length (the shortest, re-searched).
// Negative control: reduced from the start (autoPlainStates 0) the first comparison fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build';
import { checkModel } from '../../src/check/check';
import { TRANSITIONS } from '../../src/model/transitions';
import type { CheckResult } from '../../src/check/result';

const said = (r: CheckResult) => (r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property} in ${r.violations[0].trace.steps.length}` : r.verdict);
const figures = (r: CheckResult) => JSON.stringify({ states: r.states, transitions: r.transitions, said: said(r), trace: r.violations[0]?.trace.steps.map((s) => s.text) });

const SMALL = [
  { ...TRANSITIONS.slNewDid, strategy: 'jason', requests: 1, dmas: 1 },
  { ...TRANSITIONS.flNewDid, strategy: 'baolu', requests: 1, dmas: 1 },
  { ...TRANSITIONS.flSameDid, strategy: 'no-devtlb', requests: 2, dmas: 0 },
];

test('auto below the switch is the plain search: states, transitions and trace', () => {
  for (const input of SMALL) {
    const plain = checkModel(buildModel(input), { reduction: 'none' });
    const auto = checkModel(buildModel(input), { reduction: 'auto', autoPlainStates: plain.states + 1 });
    assert.equal(figures(auto), figures(plain), `${input.strategy} ${input.from} -> ${input.to}`);
  }
});

test('auto past the switch reduces, with the same verdict and shortest length', () => {
  let fewer = 0;
  for (const input of SMALL) {
    const plain = checkModel(buildModel(input), { reduction: 'none' });
    const auto = checkModel(buildModel(input), { reduction: 'auto', autoPlainStates: 200 });
    assert.equal(said(auto), said(plain), `${input.strategy} ${input.from} -> ${input.to}`);
    if (auto.states < plain.states) fewer++;
  }
  assert.ok(fewer > 0, 'past the switch the reduction must remove states somewhere');
});

test('negative control: reduced from the start, the figures differ from the plain search', () => {
  const differs = SMALL.some((input) => {
    const plain = checkModel(buildModel(input), { reduction: 'none' });
    const reduced = checkModel(buildModel(input), { reduction: 'auto', autoPlainStates: 0 });
    return figures(reduced) !== figures(plain);
  });
  assert.ok(differs, 'the comparison of the first test must be able to fail');
});
