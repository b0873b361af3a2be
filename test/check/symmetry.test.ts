// Symmetry reduction (src/model/state.ts canonicalState) against the unreduced search.
//
// What must hold (the argument is beside canonicalState):
// - the search keyed by orbit gives the same verdict, violated property and shortest
//   counterexample length as the search keyed by state, for every built-in strategy on
//   every standard transition (PASID 0x10 and 0) at small workloads where requests, or
//   DMAs, are interchangeable, and on a seeded sample of assumption rows; with the
//   partial-order reduction on top (`auto`, `ample`) too;
// - its counterexample is a concrete run: each step is a successor of the state before it
//   (as the model computes them, unreduced), and the property fails in its last state;
// - canonicalState maps every renumbering of a reachable state to one key, and keeps
//   apart states that are not renumberings of each other.
// Negative controls: a key that merges states which are not renumberings of each other
// (it forgets whether an outstanding request is tagged for discard) is caught by the same
// comparison; the orbit test catches both no canonical form and that merging one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type Model } from '../../src/model/build';
import { checkModel } from '../../src/check/check';
import { search } from '../../src/engine/search';
import { mulberry32 } from '../../src/engine/simulate';
import { TRANSITIONS } from '../../src/model/transitions';
import { canonicalDown, canonicalState, cloneState, cloneWalk, stateKey, type State } from '../../src/model/state';
import type { ScenarioInput } from '../../src/check/result';
import type { TransitionSystem } from '../../src/engine/types';
import type { StepLabel } from '../../src/model/context';
import { STANDARD, answer, assertConcreteRun, everyStrategy, sampledRows, type Result } from './searchCompare';





interface Compared {
  mismatches: string[];
  /** Inputs the unreduced search did not settle within the budget (not compared). */
  unsettled: number;
  reduced: number;
  full: number;
}

/** Runs each input keyed by state and keyed by `orbitSystem` (default: the model's symmetric one) and lists disagreements. */
function compare(inputs: ScenarioInput[], reduction: 'none' | 'ample', orbitSystem?: (m: Model) => TransitionSystem<State, () => StepLabel>): Compared {
  const out: Compared = { mismatches: [], unsettled: 0, reduced: 0, full: 0 };
  const budget = { maxStates: 400_000 };
  for (const input of inputs) {
    const plain = buildModel(input, { symmetry: false });
    const sym = buildModel(input);
    const a = search(plain.system, { reduction, budget });
    const b = search(orbitSystem ? orbitSystem(sym) : sym.system, { reduction, budget });
    if (a.verdict === 'inconclusive') {
      out.unsettled++;
      continue;
    }
    out.full += a.states;
    out.reduced += b.states;
    if (answer(a) !== answer(b)) out.mismatches.push(`${input.name}: ${answer(a)} unreduced, ${answer(b)} by orbit`);
    else if (!orbitSystem) assertConcreteRun(sym, b, input.name!);
  }
  return out;
}


test('symmetry: same verdict and counterexample length, every strategy x transition, 2 requests (PASID 0x10 and 0)', () => {
  const r = compare(everyStrategy(2, 0, [0x10, 0]), 'none');
  assert.deepEqual(r.mismatches, []);
  assert.ok(r.reduced < r.full * 0.8, `the reduction must remove states (${r.reduced} of ${r.full})`);
});

test('symmetry: same verdict and counterexample length, every strategy x transition, 2 DMAs', () => {
  const r = compare(everyStrategy(0, 2, [0x10]), 'none');
  assert.deepEqual(r.mismatches, []);
  assert.ok(r.reduced < r.full * 0.8, `the reduction must remove states (${r.reduced} of ${r.full})`);
});

test('symmetry with the partial-order reduction: same answers, every strategy x transition, 2 requests', () => {
  const r = compare(everyStrategy(2, 0, [0x10]), 'ample');
  assert.deepEqual(r.mismatches, []);
});

test('symmetry: same answers on a seeded sample of assumption rows, 3 requests, 2 requests, 1 request and 2 DMAs', () => {
  const inputs = sampledRows(20261203, 12, [[3, 0], [2, 0], [1, 2]]);
  const none = compare(inputs, 'none');
  assert.deepEqual(none.mismatches, []);
  assert.ok(none.unsettled <= inputs.length / 3, `most sampled rows must be settled by the unreduced search (${none.unsettled} of ${inputs.length} not)`);
  assert.ok(none.reduced < none.full, `the reduction must remove states (${none.reduced} of ${none.full})`);
  assert.deepEqual(compare(inputs, 'ample').mismatches, []);
});

test('symmetry: the default check (auto) answers as the unreduced one on the default workload sample', () => {
  // A few default-workload checks end to end through checkModel (auto: plain, then ample).
  for (const strategy of ['jason', 'no-devtlb']) {
    for (const [name, from, to] of STANDARD) {
      const input = { name: `${strategy} ${name}`, from, to, strategy };
      const a = checkModel(buildModel(input, { symmetry: false }));
      const b = checkModel(buildModel(input));
      const said = (r: typeof a) => (r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property} in ${r.violations[0].trace.steps.length}` : r.verdict);
      assert.equal(said(b), said(a), input.name);
    }
  }
});

test('negative control: a key that merges states which are not renumberings is caught', () => {
  // Forgets the discard tag of outstanding requests: a tagged completion and an untagged
  // one look alike, which is exactly the difference stale-after-return turns on.
  const broken = (m: Model): TransitionSystem<State, () => StepLabel> => ({
    ...m.system,
    packing: undefined,
    key: (s) => stateKey({ ...canonicalState(s), outstanding: s.outstanding.map((o) => ({ request: o.request, discard: false })) }),
  });
  // The scenario where it matters (found by trying every strategy x transition at 2 requests).
  const inputs = everyStrategy(2, 0, [0x10]).filter((i) => i.strategy === 'table28-reuse-did' && i.from === TRANSITIONS.slToFl.from && i.to === TRANSITIONS.slToFl.to);
  const r = compare(inputs, 'none', broken);
  assert.ok(r.mismatches.length > 0, 'the comparison must catch an unsound key');
});

/** Renumbers the requests of s by `ats` (old number -> new) and its DMAs by `dma`, restoring the canonical orders. */
function renumber(s: State, ats: Map<number, number>, dma: Map<number, number>): State {
  const t = cloneState(s);
  t.walks = s.walks.map((w) => {
    const x = cloneWalk(w);
    x.id = (w.kind === 'ats' ? ats : dma).get(w.id) ?? w.id;
    return x;
  }).sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'ats' ? -1 : 1));
  t.outstanding = s.outstanding.map((o) => ({ request: ats.get(o.request) ?? o.request, discard: o.discard })).sort((a, b) => a.request - b.request);
  t.down = canonicalDown(s.down.map((m) => (m.kind === 'completion' ? { ...m, request: ats.get(m.request) ?? m.request } : m)));
  return t;
}

/** Every permutation of 1..n as a map. */
function permutations(n: number): Map<number, number>[] {
  if (n === 0) return [new Map()];
  const out: Map<number, number>[] = [];
  const rec = (left: number[], acc: number[]) => {
    if (left.length === 0) { out.push(new Map(acc.map((v, i) => [i + 1, v]))); return; }
    left.forEach((v, i) => rec([...left.slice(0, i), ...left.slice(i + 1)], [...acc, v]));
  };
  rec(Array.from({ length: n }, (_, i) => i + 1), []);
  return out;
}

/** States along seeded random runs of the model (deep ones too: tags, completions, drains). */
function sampled(model: Model, runs: number): State[] {
  const random = mulberry32(7);
  const out: State[] = [];
  for (let r = 0; r < runs; r++) {
    let s = model.system.initial();
    for (;;) {
      out.push(s);
      const next = model.system.successors(s);
      if (next.length === 0) break;
      s = next[Math.floor(random() * next.length)].next;
    }
  }
  return out;
}

/** The link without request numbers: invalidates in order, each run of completions as a sorted list of images. */
function runs(s: State): string[] {
  const out: string[] = [];
  let run: number[] = [];
  for (const m of s.down) {
    if (m.kind === 'completion') run.push(m.image);
    else {
      out.push(`c${run.sort((a, b) => a - b).join('/')}`, `i${m.descriptor}`);
      run = [];
    }
  }
  out.push(`c${run.sort((a, b) => a - b).join('/')}`);
  return out;
}

const ORBIT_INPUT = { ...TRANSITIONS.flNewDid, strategy: 'baolu', requests: 3, dmas: 2 };

/**
 * Renumberings of sampled states of `model` must share a key, near misses that are not
 * renumberings must not (states carry the model's interned image numbers, so a packed key
 * must come from the same model).
 */
function orbitCheckIn(model: Model, key: (s: State) => string): string[] {
  const bad: string[] = [];
  const states = sampled(model, 150);
  const byKey = new Map<string, string>();
  for (const s of states) {
    const k = key(s);
    for (const a of permutations(s.requestsIssued)) {
      for (const d of permutations(s.dmasIssued)) {
        if (key(renumber(s, a, d)) !== k) bad.push(`a renumbering of ${JSON.stringify(s.walks.map((w) => w.kind + w.id))} has another key`);
      }
    }
    // States that are not renumberings of each other keep different keys: the sorted
    // multiset of per-request descriptions (without numbers) must match when keys do.
    const shape = JSON.stringify({ ...s, queue: s.queue.map((q) => q.status), walks: s.walks.map((w) => ({ ...w, id: 0 })).map((w) => JSON.stringify(w)).sort(), outstanding: s.outstanding.map((o) => o.discard).sort(), down: runs(s) });
    // Near misses that are not renumberings (one request's tag flipped, one walk's chunks
    // changed: the multiset of per-request descriptions changes) keep another key.
    const mutants: State[] = [];
    if (s.outstanding.length > 0) mutants.push({ ...s, outstanding: s.outstanding.map((o, i) => (i === 0 ? { ...o, discard: !o.discard } : o)) });
    if (s.walks.length > 0) mutants.push({ ...s, walks: s.walks.map((w, i) => (i === s.walks.length - 1 ? { ...w, chunksRead: w.chunksRead ^ 1 } : w)) });
    for (const m of mutants) if (key(m) === k) bad.push(`a state that is not a renumbering shares the key of ${shape}`);
    const prior = byKey.get(k);
    if (prior !== undefined && prior !== shape) bad.push(`two states that are not renumberings share the key of ${shape}`);
    byKey.set(k, shape);
  }
  assert.ok(states.some((s) => s.walks.filter((w) => w.kind === 'ats').length >= 2 && s.walks.filter((w) => w.kind === 'dma').length >= 2), 'the sample must hold states with several requests and DMAs in flight');
  assert.ok(states.some((s) => s.outstanding.some((o) => o.discard) && s.down.some((m) => m.kind === 'completion')), 'the sample must hold tagged requests with completions on the link');
  return bad;
}

/** The packed encoding without symmetry (same bounds; it writes numbers, not images, so any build of the input serves). */
function statePacking0(model: Model): { encode(s: State, out: Uint32Array, at: number): void } {
  return buildModel(model.input, { symmetry: false, deadValues: false }).system.packing!;
}

function orbitCheck(canon: (s: State) => State): string[] {
  return orbitCheckIn(buildModel(ORBIT_INPUT, { symmetry: false, deadValues: false }), (s) => stateKey(canon(s)));
}

test('canonicalState: every renumbering of a reachable state has one key, and only renumberings share it', () => {
  assert.deepEqual(orbitCheck(canonicalState).slice(0, 5), []);
  // The packed encoding the search uses, in the same model's images (interned per model);
  // without the dead-value merging, which keys some states that differ alike (deadValues.test.ts).
  const model = buildModel(ORBIT_INPUT, { deadValues: false });
  const packing = model.system.packing!;
  const out = new Uint32Array(packing.words);
  const packed = (s: State) => { packing.encode(s, out, 0); return out.join(','); };
  assert.deepEqual(orbitCheckIn(model, packed).slice(0, 5), []);
});

test('negative controls: no canonical form, and one that merges tagged and untagged requests, are caught', () => {
  assert.ok(orbitCheck((s) => s).some((b) => b.includes('another key')), 'leaving renumberings apart must be caught');
  const merging = (s: State): State => ({ ...canonicalState(s), outstanding: s.outstanding.map((o) => ({ request: o.request, discard: false })) });
  assert.ok(orbitCheck(merging).some((b) => b.includes('not a renumbering')), 'merging states that are not renumberings must be caught');
  const model = buildModel(ORBIT_INPUT, { deadValues: false });
  const out = new Uint32Array(model.system.packing!.words);
  // The plain packed encoding (what the search keys by without symmetry) leaves renumberings apart.
  const plain = statePacking0(model);
  assert.ok(orbitCheckIn(model, (s) => { plain.encode(s, out, 0); return out.join(','); }).some((b) => b.includes('another key')));
});
