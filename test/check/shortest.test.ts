/**
 * An unsafe answer found with the partial-order reduction is re-searched without it for
 * the shortest counterexample (engine/search.ts). When that re-search runs out of budget
 * the reduced graph's counterexample stands, and the result must say it may not be the
 * shortest: list readers take "N steps" as the least number of steps.
 *
 * The case: baolu on FL->FL new DID with one Translation Request. The reduced search
 * reaches its violation in fewer states than the plain search needs to reach the
 * shortest one, and its counterexample is longer, so a state budget between the two
 * lets the first finish and stops the second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build';
import { checkScenario } from '../../src/check/check';
import { search } from '../../src/engine/search';
import { NOT_SHORTEST, resultBlock } from '../../src/present/resultBlock';
import { comparisonToText } from '../../src/present/compareText';
import { TRANSITIONS } from '../../src/model/transitions';

const input = { ...TRANSITIONS.flNewDid, strategy: 'baolu', requests: 1, dmas: 0 };

test('a counterexample the re-search could not shorten says so; one it could does not', () => {
  const system = () => buildModel(input).system;
  const reduced = search(system(), { reduction: 'ample', shortest: false });
  const plain = search(system(), { reduction: 'none' });
  assert.equal(reduced.verdict, 'unsafe');
  assert.equal(plain.verdict, 'unsafe');
  // The premise of the case: cheaper to find, longer than the shortest.
  assert.ok(reduced.states < plain.states, `${reduced.states} < ${plain.states}`);
  assert.ok(reduced.counterexample!.path.length > plain.counterexample!.path.length);

  // Budget enough for the reduced search only.
  const cut = checkScenario(input, { reduction: 'ample', budget: { maxStates: reduced.states } });
  assert.equal(cut.verdict, 'unsafe');
  assert.equal(cut.shortest, false);
  assert.equal(cut.violations[0].trace.steps.length, reduced.counterexample!.path.length);
  assert.ok(resultBlock(cut).includes(NOT_SHORTEST.slice(0, 40)), resultBlock(cut));
  assert.match(comparisonToText({ results: [cut], divergences: [null] }), /\d+ steps \(maybe not shortest\)/);

  // Negative control: with the default budget the re-search finishes, the counterexample
  // is the plain search's shortest, and nothing is said.
  const full = checkScenario(input, { reduction: 'ample' });
  assert.equal(full.shortest, undefined);
  assert.equal(full.violations[0].trace.steps.length, plain.counterexample!.path.length);
  assert.ok(!resultBlock(full).includes(NOT_SHORTEST.slice(0, 40)));
  assert.doesNotMatch(comparisonToText({ results: [full], divergences: [null] }), /maybe not shortest/);
});
