/**
 * The ample-set reduction must never change a verdict: `none` and `ample` are compared on
 * named models (with cycles, visible and invisible steps, deadlocks) and on random
 * programs. It must also actually reduce where the steps are independent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { search } from '../../src/engine/search';
import type { SearchResult, TransitionSystem } from '../../src/engine/types';
import { counters, enabledLater, handoff, lockOrder, mutex, peterson, producerConsumer, toggles } from './models';
import { randomProgram } from './random-programs';

/** Replays a counterexample step by step through the model and checks it ends in the violation. */
function assertValidCounterexample<S, L>(system: TransitionSystem<S, L>, r: SearchResult<S, L>) {
  const cex = r.counterexample!;
  let cur = system.initial();
  assert.equal(system.key(cex.initial), system.key(cur));
  for (const step of cex.path) {
    const succ = system.successors(cur).find((t) => t.label === step.label && system.key(t.next) === system.key(step.state));
    assert.ok(succ, `step ${String(step.label)} is not enabled`);
    cur = succ.next;
  }
  const v = cex.violation;
  const holds = system.invariants.find((i) => i.name === v.property);
  if (holds) assert.equal(holds.check(cur), v.reason);
  else {
    assert.equal(system.successors(cur).length, 0);
    assert.deepEqual(system.deadlock!(cur), v);
  }
}

const named: { name: string; make: () => TransitionSystem<any, string>; verdict: string }[] = [
  { name: 'independent counters (cycles)', make: () => counters(3, 4), verdict: 'safe' },
  { name: 'counters, invariant on c0 only', make: () => counters(3, 4, { bad: (v) => v.c0 === 3 && v.c1 === 0, reads: ['c0', 'c1'] }), verdict: 'unsafe' },
  { name: 'counters, unreachable bad state', make: () => counters(3, 4, { bad: (v) => v.c0 > 3, reads: ['c0'] }), verdict: 'safe' },
  { name: 'mutex with the test/set bug', make: () => mutex(true), verdict: 'unsafe' },
  { name: 'mutex with test-and-set', make: () => mutex(false), verdict: 'safe' },
  { name: 'Peterson', make: () => peterson(false), verdict: 'safe' },
  { name: 'Peterson with turn set before flag', make: () => peterson(true), verdict: 'unsafe' },
  { name: 'producer/consumer, one producer', make: () => producerConsumer(1), verdict: 'safe' },
  { name: 'producer/consumer, two producers overfill', make: () => producerConsumer(2), verdict: 'unsafe' },
  { name: 'locks in opposite orders deadlock', make: () => lockOrder(true), verdict: 'unsafe' },
  { name: 'locks in the same order', make: () => lockOrder(false), verdict: 'safe' },
  { name: 'two flags up at once (needs C2)', make: () => toggles(), verdict: 'unsafe' },
  { name: 'a disabled step enabled by another actor (needs guards)', make: () => enabledLater(), verdict: 'unsafe' },
  { name: 'a waiter only the setter can wake', make: () => handoff(), verdict: 'unsafe' },
  { name: 'a waiter a rival setter can wake too', make: () => handoff(true), verdict: 'unsafe' },
];

for (const m of named) {
  test(`none and ample agree: ${m.name}`, () => {
    const full = search(m.make(), { reduction: 'none' });
    const reduced = search(m.make(), { reduction: 'ample' });
    assert.equal(full.verdict, m.verdict);
    assert.equal(reduced.verdict, full.verdict);
    if (full.verdict === 'safe') {
      // An unsafe search stops early and the reduced one may go deeper first; a safe one
      // sees everything, and the reduced graph is a subgraph.
      assert.ok(reduced.states <= full.states);
      assert.ok(reduced.transitions < full.transitions, `no reduction: ${reduced.transitions} transitions`);
    }
    if (full.verdict === 'unsafe') {
      // With `shortest` (the default) the reduced search reports the full graph's answer.
      assert.deepEqual(reduced.counterexample, full.counterexample);
      assertValidCounterexample(m.make(), full);
      // Without it, a valid counterexample of the reduced graph, no shorter than the real one.
      const raw = search(m.make(), { reduction: 'ample', shortest: false });
      assert.equal(raw.verdict, 'unsafe');
      assertValidCounterexample(m.make(), raw);
      assert.ok(raw.counterexample!.path.length >= full.counterexample!.path.length);
    }
  });
}

test('independent counters: one transition per state instead of three', () => {
  const r = search(counters(3, 4), { reduction: 'ample' });
  // Every step is invisible and independent, so each state follows one counter until the
  // proviso sees it wrap around to a known state. Counting modulo 4 makes every state
  // reachable even so (no state is saved, only transitions: 66 of 192).
  assert.equal(r.states, 64);
  assert.ok(r.transitions < 70, `${r.transitions} transitions`);
  assert.ok(r.reducedStates! > 60);
});

test('local steps interleave once: Peterson and the mutex save states', () => {
  for (const make of [() => peterson(false), () => mutex(false, 3), () => producerConsumer(1)]) {
    const full = search(make());
    const reduced = search(make(), { reduction: 'ample' });
    assert.ok(reduced.states < full.states, `${reduced.states} vs ${full.states}`);
  }
});

test('without footprints the reduction does nothing', () => {
  const plain = search(mutex(false), { reduction: 'none' });
  const sys = mutex(false);
  const bare: TransitionSystem<any, string> = { ...sys, successors: (s) => sys.successors(s).map(({ label, next }) => ({ label, next })) };
  const r = search(bare, { reduction: 'ample' });
  assert.equal(r.states, plain.states);
  assert.equal(r.reducedStates, 0);
});

test('a visible step is never postponed: an invariant on c1 alone', () => {
  // p1's steps are visible, so states where p1 moved must still be reached; the bad
  // state needs only p1 to move.
  const r = search(counters(3, 4, { bad: (v) => v.c1 === 2, reads: ['c1'] }), { reduction: 'ample', shortest: false });
  assert.equal(r.verdict, 'unsafe');
});

test('random programs: none and ample give the same verdict, packed or not', () => {
  fc.assert(
    fc.property(randomProgram, (p) => {
      const full = search(p.build(), { reduction: 'none' });
      const reduced = search(p.build(), { reduction: 'ample', shortest: false });
      const packed = search(p.build({ packed: true }), { reduction: 'ample' });
      assert.equal(reduced.verdict, full.verdict, p.describe);
      assert.equal(packed.verdict, full.verdict, p.describe);
      if (full.verdict === 'safe') assert.ok(reduced.states <= full.states);
      if (full.verdict === 'unsafe') {
        assertValidCounterexample(p.build(), full);
        assertValidCounterexample(p.build(), reduced);
        assert.equal(packed.counterexample!.path.length, full.counterexample!.path.length, p.describe);
      }
    }),
    { numRuns: 400, seed: 20260301 },
  );
});

test('an actor only P can wake does not stop P from being taken alone', () => {
  // In the initial state S's step writes `go`, which W reads later; W is disabled and only
  // S writes its guard, so S is chosen alone there (the counter C is independent).
  const initialReduced = (rival: boolean) => {
    const sys = handoff(rival);
    const bounded = search(sys, { reduction: 'ample', budget: { maxStates: 1 } });
    return bounded.reducedStates;
  };
  assert.equal(initialReduced(false), 1);
  // With a rival setter W may move before S, so S's step is not independent of it; the
  // other candidate, C, is visible (c is read by the invariant): nothing is reduced.
  assert.equal(initialReduced(true), 0);
});
