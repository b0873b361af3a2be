/**
 * The bench's full-sweep figure (bench/estimate.ts): the order pairs are swept in, and the
 * figure from the pairs a wall budget let run. Arithmetic only; no timing is measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEstimate, pairOrder, sweepEstimate, type PairRun } from '../../bench/estimate';

const pair = (label: string, seconds: number, finished = true): PairRun => ({
  label, finished, wallMs: seconds * 1000, rows: 4608, answered: finished ? 4608 : 61, states: 1000,
});

test('pairOrder: every pair exactly once, in rounds of every strategy once, transitions taking turns', () => {
  for (const [strategies, transitions] of [[12, 3], [13, 3], [2, 3], [1, 3], [5, 1], [6, 4], [0, 3]]) {
    const n = strategies * transitions;
    const order = pairOrder(strategies, transitions);
    assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), `${strategies}x${transitions} is a permutation`);
    for (let r = 0; r < transitions; r++) {
      const round = order.slice(r * strategies, (r + 1) * strategies).map((p) => Math.floor(p / transitions));
      assert.deepEqual(round, Array.from({ length: strategies }, (_, s) => s), `${strategies}x${transitions}: round ${r} has every strategy once`);
    }
  }
  // Today's 12 x 3: any first m pairs have each transition m/3 times, give or take one.
  const order = pairOrder(12, 3);
  for (let m = 1; m <= 36; m++) {
    const counts = [0, 1, 2].map((t) => order.slice(0, m).filter((p) => p % 3 === t).length);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `first ${m}: ${counts}`);
  }
  assert.deepEqual(order.slice(0, 5), [0, 4, 8, 9, 13]);
  assert.deepEqual(order.slice(12, 14), [1, 5]);
});

test('sweepEstimate: all pairs finished is measured, their wall summed', () => {
  const e = sweepEstimate([pair('a', 10), pair('b', 20), pair('c', 30)], 3);
  assert.equal(e.kind, 'measured');
  assert.equal(e.seconds, 60);
  assert.match(describeEstimate(e, [], 240), /^60 \(measured: all 3 pairs swept\)$/);
});

test('sweepEstimate: some finished is their mean wall times all pairs, and says how many were measured', () => {
  const runs = [pair('a', 10), pair('b', 30), pair('c', 5, false)];
  const e = sweepEstimate(runs, 36);
  assert.equal(e.kind, 'estimated');
  assert.equal(e.measured, 2);
  assert.equal(e.seconds, 20 * 36);
  assert.equal(e.spentSeconds, 45);
  const text = describeEstimate(e, runs, 45);
  assert.match(text, /^720 \(estimated from 2 of 36 pairs measured, 20\.0 s each on average; the other 34 extrapolated at that mean; c was stopped unfinished after 5\.0 s \(61 of 4,608 rows answered\)\)$/);
});

test('sweepEstimate: never below the wall already spent (a slow stopped pair after fast ones)', () => {
  const runs = [pair('a', 1), pair('b', 200, false)];
  const e = sweepEstimate(runs, 4);
  assert.equal(e.kind, 'estimated');
  assert.equal(e.extrapolatedSeconds, 4);
  assert.equal(e.seconds, 201);
  assert.match(describeEstimate(e, runs, 201), /^201 \(estimated .* which gives 4, less than the 201 s already spent, so that; b was stopped/);
});

test('sweepEstimate: none finished is a lower bound, printed as one', () => {
  const runs = [pair('baolu SL->SL new DID', 240.3, false)];
  const e = sweepEstimate(runs, 36);
  assert.equal(e.kind, 'lower bound');
  assert.equal(e.measured, 0);
  assert.equal(Math.round(e.seconds), 240);
  assert.match(describeEstimate(e, runs, 240), /^>= 240 \(a lower bound, not an estimate: no pair of 36 finished within the 240 s budget; baolu SL->SL new DID was stopped unfinished after 240 s \(61 of 4,608 rows answered\)\)$/);
});

test('sweepEstimate: an unfinished pair before the last, or more pairs than the sweep has, is an error', () => {
  assert.throws(() => sweepEstimate([pair('a', 1, false), pair('b', 1)], 36), /only the last/);
  assert.throws(() => sweepEstimate([pair('a', 1), pair('b', 1)], 1), /2 pairs run of 1/);
});
