/**
 * The packed fast path: its hash set and table against a plain Map model, and searchPacked
 * against the generic search on the same toy (same states, transitions, depth, and the
 * same shortest counterexample).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PackedStateTable, hashWords } from '../../src/engine/stateTable';
import { PackedStateSet, searchPacked, type PackedTransitionSystem } from '../../bench/packedSearch';
import { search } from '../../src/engine/search';
import { toyGeneric, toyPacked, toyPromela } from '../../bench/toy';

// Small values repeat (duplicates and all-zero states), large ones spread over the table.
const stateArb = (words: number) => fc.array(fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.nat({ max: 12 }), fc.nat({ max: 0xffffffff })), { minLength: words, maxLength: words });

test('PackedStateSet and PackedStateTable agree with a Map, across growth, zero states included', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3 }).chain((w) => fc.tuple(fc.constant(w), fc.array(stateArb(w), { minLength: 200, maxLength: 3000 }))), ([words, states]) => {
      const set = new PackedStateSet(words, 16);
      const table = new PackedStateTable(words, 16);
      const model = new Map<string, number>();
      const buf = new Uint32Array(words);
      for (const s of states) {
        buf.set(s);
        const k = s.join(',');
        const known = model.get(k);
        assert.equal(set.has(buf, 0), known !== undefined);
        assert.equal(set.add(buf, 0, hashWords(buf, 0, words)), known === undefined);
        const r = table.findOrAdd(buf, 0);
        if (known === undefined) {
          assert.equal(r, -(model.size + 1));
          model.set(k, model.size);
        } else assert.equal(r, known);
        assert.equal(table.find(buf, 0), model.get(k));
      }
      assert.equal(set.size, model.size);
      assert.equal(table.count, model.size);
      // Every state is still found at its id after the table grew.
      for (const [k, id] of model) {
        buf.set(k.split(',').map(Number));
        assert.equal(table.find(buf, 0), id);
      }
    }),
    { numRuns: 60, seed: 8 },
  );
});

test('the toy of 3 counters x 5 values: 125 states, in both engines alike', () => {
  const p = searchPacked(toyPacked(3, 5));
  const g = search(toyGeneric(3, 5));
  assert.equal(p.verdict, 'safe');
  assert.equal(p.states, 125);
  assert.deepEqual([p.states, p.transitions, p.depth], [g.states, g.transitions, g.depth]);
});

test('toys spread over several words (counters never straddle a word)', () => {
  // 9 counters of 3 values: 2 bits each, 16 per word -> 1 word; 10 counters of 12 values:
  // 4 bits, 8 per word -> 2 words.
  assert.equal(toyPacked(10, 12).words, 2);
  for (const [c, v] of [[9, 3], [10, 2], [3, 12]]) {
    const p = searchPacked(toyPacked(c, v));
    assert.equal(p.states, v ** c, `${c}x${v}`);
    assert.equal(p.transitions, c * v ** c);
  }
});

test('the generic search with the toy packing counts the same', () => {
  const a = search(toyGeneric(4, 5, { packing: true }));
  assert.equal(a.states, 625);
  assert.equal(a.transitions, 2500);
});

/** The toy with an invariant and a deadlock, packed. */
function toyWith(bad: (w: number) => boolean, deadlockAt?: number): PackedTransitionSystem {
  const base = toyPacked(3, 5);
  return {
    ...base,
    successors: (src, at, out, labels) => (deadlockAt !== undefined && src[at] === deadlockAt ? 0 : base.successors(src, at, out, labels)),
    invariants: [{ name: 'not-bad', check: (src, at) => (bad(src[at]) ? `bad word ${src[at].toString(16)}` : null) }],
    deadlock: (src, at) => (src[at] === deadlockAt ? { property: 'termination', reason: 'stuck' } : null),
  };
}

test('searchPacked: the same shortest counterexample as the generic search', () => {
  // c0 = 2 and c1 = 1 (3 bits per counter: word = 2 | 1 << 3).
  const p = searchPacked(toyWith((w) => w === (2 | (1 << 3))));
  const g = search(toyGeneric(3, 5), {});
  assert.equal(g.verdict, 'safe');
  assert.equal(p.verdict, 'unsafe');
  assert.deepEqual(p.counterexample!.path.map((s) => s.label), [0, 0, 1]);
  assert.deepEqual([...p.counterexample!.path[2].state], [2 | (1 << 3)]);
  assert.equal(p.depth, 3);
  // A violation in the initial state.
  const z = searchPacked(toyWith((w) => w === 0));
  assert.equal(z.counterexample!.path.length, 0);
});

test('searchPacked: a deadlock one level up beats an invariant violation', () => {
  // Deadlock at c2 = 1 (depth 1, third successor of the initial state); bad at c0 = 2 (depth 2).
  const r = searchPacked(toyWith((w) => w === 2, 1 << 6));
  assert.equal(r.counterexample!.violation.property, 'termination');
  assert.deepEqual(r.counterexample!.path.map((s) => s.label), [2]);
  const r2 = searchPacked(toyWith((w) => w === 2));
  assert.equal(r2.counterexample!.violation.property, 'not-bad');
});

test('searchPacked: budgets end the search', () => {
  const s = searchPacked(toyPacked(3, 5), { budget: { maxStates: 100 } });
  assert.equal(s.verdict, 'inconclusive');
  assert.equal(s.exhausted, 'states');
  assert.equal(s.states, 100);
  assert.equal(searchPacked(toyPacked(3, 5), { budget: { maxStates: 125 } }).verdict, 'safe');
  const t = searchPacked(toyPacked(6, 12), { budget: { maxMillis: 0 } });
  assert.equal(t.verdict, 'inconclusive');
  assert.equal(t.exhausted, 'time');
});

test('bench/toy.pml is the generated Promela of the benchmark toy', () => {
  assert.equal(readFileSync(join(__dirname, '..', '..', 'bench', 'toy.pml'), 'utf8'), toyPromela(6, 12));
});
