/**
 * The breadth-first search: state counts, shortest counterexamples with deterministic
 * tie-breaking, deadlocks, budgets, reproducible output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { search } from '../../src/engine/search';
import type { TransitionSystem } from '../../src/engine/types';
import { counters, lockOrder, mutex } from './models';

const stable = (r: object) => JSON.stringify({ ...r, millis: 0 });

test('three counters of five values: 125 states, 375 transitions, depth 12, safe', () => {
  const r = search(counters(3, 5));
  assert.equal(r.verdict, 'safe');
  assert.equal(r.states, 125);
  assert.equal(r.transitions, 375); // every state has 3 successors
  assert.equal(r.depth, 12); // (4,4,4) is 3*4 increments away
});

test('the packed visited set gives the same figures as the key strings', () => {
  const a = search(counters(3, 5));
  const b = search(counters(3, 5, { packed: true }));
  assert.deepEqual({ ...a, millis: 0 }, { ...b, millis: 0 });
});

test('shortest counterexample, ties broken by successor order', () => {
  // c0 = 2 and c1 = 1 is three steps away by three different orders; BFS discovers the
  // depth-3 states from (2,0,0) first, so the path is c0++, c0++, c1++.
  const r = search(counters(3, 5, { bad: (v) => v.c0 === 2 && v.c1 === 1 }));
  assert.equal(r.verdict, 'unsafe');
  assert.deepEqual(r.counterexample!.path.map((p) => p.label), ['p0: c0++', 'p0: c0++', 'p1: c1++']);
  assert.deepEqual(r.counterexample!.violation, { property: 'not-bad', reason: 'bad state reached' });
  assert.equal(r.depth, 3);
  assert.deepEqual(r.counterexample!.initial, { c0: 0, c1: 0, c2: 0, 'pc:p0': 0, 'pc:p1': 0, 'pc:p2': 0 });
  assert.deepEqual(r.counterexample!.path.at(-1)!.state, { c0: 2, c1: 1, c2: 0, 'pc:p0': 0, 'pc:p1': 0, 'pc:p2': 0 });
});

test('an invariant false in the initial state: an empty path', () => {
  const r = search(counters(2, 3, { bad: () => true }));
  assert.equal(r.verdict, 'unsafe');
  assert.equal(r.counterexample!.path.length, 0);
  assert.equal(r.states, 1);
});

test('the buggy lock: both processes test the free lock, then both set it (4 steps)', () => {
  const r = search(mutex(true));
  assert.equal(r.verdict, 'unsafe');
  assert.deepEqual(r.counterexample!.path.map((p) => p.label), ['P0: test lock', 'P1: test lock', 'P0: set lock', 'P1: set lock']);
  assert.equal(search(mutex(false)).verdict, 'safe');
});

test('a deadlock one level above an invariant violation is the answer (shorter)', () => {
  // init -> a, init -> b; a -> c where c breaks the invariant (depth 2); b is stuck
  // (depth 1). a is expanded first and finds c, but b's deadlock is shorter.
  const edges: Record<string, string[]> = { init: ['a', 'b'], a: ['c'], b: [], c: [] };
  const sys: TransitionSystem<string, string> = {
    initial: () => 'init',
    successors: (s) => edges[s].map((t) => ({ label: `${s}->${t}`, next: t })),
    key: (s) => s,
    invariants: [{ name: 'not-c', check: (s) => (s === 'c' ? 'c reached' : null) }],
    deadlock: (s) => (s === 'b' ? { property: 'termination', reason: 'b is stuck' } : null),
  };
  const r = search(sys);
  assert.equal(r.verdict, 'unsafe');
  assert.equal(r.counterexample!.violation.property, 'termination');
  assert.deepEqual(r.counterexample!.path.map((p) => p.label), ['init->b']);
  // Without the deadlock the invariant violation at depth 2 is reported.
  const r2 = search({ ...sys, deadlock: undefined });
  assert.deepEqual(r2.counterexample!.path.map((p) => p.label), ['init->a', 'a->c']);
});

test('deadlock: opposite lock orders get stuck, the same order does not', () => {
  const bad = search(lockOrder(true));
  assert.equal(bad.verdict, 'unsafe');
  assert.equal(bad.counterexample!.violation.property, 'deadlock');
  // Four steps; of the equally short orders, the first in level order: the depth-2 state
  // reached by A's two steps is discovered before the one reached by both warm-ups.
  assert.deepEqual(bad.counterexample!.path.map((p) => p.label), ['A: warm up', 'A: take a', 'B: warm up', 'B: take b']);
  assert.equal(search(lockOrder(false)).verdict, 'safe');
});

test('state budget: inconclusive, exactly maxStates states', () => {
  const r = search(counters(3, 5), { budget: { maxStates: 50 } });
  assert.equal(r.verdict, 'inconclusive');
  assert.equal(r.exhausted, 'states');
  assert.equal(r.states, 50);
  // A budget equal to the state space is enough.
  assert.equal(search(counters(3, 5), { budget: { maxStates: 125 } }).verdict, 'safe');
});

test('time budget: inconclusive rather than a hang', () => {
  const r = search(counters(6, 12), { budget: { maxMillis: 0 } });
  assert.equal(r.verdict, 'inconclusive');
  assert.equal(r.exhausted, 'time');
  assert.ok(r.states < 12 ** 6);
});

test('same input, same output byte for byte', () => {
  for (const make of [() => mutex(true), () => mutex(false), () => lockOrder(true), () => counters(3, 4, { bad: (v) => v.c2 === 3 })]) {
    for (const reduction of ['none', 'ample'] as const) {
      assert.equal(stable(search(make(), { reduction })), stable(search(make(), { reduction })));
    }
  }
});
