// Dead-value merging (src/model/build.ts ModelOptions.deadValues) against the search that
// keeps every value apart.
//
// What must hold (the arguments are beside the code: properties.ts useMayViolate,
// walker.ts `answered`, invalidationQueue.ts `flagged`, build.ts harmlessAtcIsEmpty):
// - same verdict, violated property and shortest counterexample length as with
//   `deadValues: false`, for every built-in strategy on every standard transition at small
//   workloads with ATS requests and DMAs, on a seeded sample of assumption rows, and with
//   the partial-order reduction on top;
// - its counterexample is a concrete run of the model that keeps every value;
// - it merges states (fewer states where a DMA or a completed invalidation is involved).
// Negative controls: three merges of values that are not dead (every DMA use forgotten,
// every fence forgotten at every step, any ATC keyed as empty) are each caught by the
// same comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type Model } from '../../src/model/build';
import { checkModel } from '../../src/check/check';
import { search } from '../../src/engine/search';
import { cloneState, cloneWalk, stateKey, type State } from '../../src/model/state';
import type { ScenarioInput } from '../../src/check/result';
import type { SearchResult, TransitionSystem } from '../../src/engine/types';
import type { StepLabel } from '../../src/model/context';
import { STANDARD, answer, assertConcreteRun, everyStrategy, sampledRows, type Result } from './searchCompare';
import { buildSmmuModel } from '../../src/model/smmuv3/build';
import { smmuStrategyNames } from '../../src/model/smmuv3/strategies';
import { SMMU_TRANSITIONS } from '../../src/model/smmuv3/transitions';
import type { SmmuState } from '../../src/model/smmuv3/state';


type System = TransitionSystem<State, () => StepLabel>;



/** A walk with its fences cleared once past its fill (what the merged model keeps). */
function spent(w: State['walks'][number]): State['walks'][number] {
  if (w.stage !== 'answer' && w.stage !== 'commit') return w;
  const x = cloneWalk(w);
  x.pcFences = 0;
  x.iotlbFences = 0;
  return x;
}

interface Compared {
  mismatches: string[];
  unsettled: number;
  merged: number;
  full: number;
}

/** Each input with every value kept and with dead values merged (or by `variant`); lists disagreements. */
function compare(inputs: ScenarioInput[], reduction: 'none' | 'ample', variant?: (m: Model) => System): Compared {
  const out: Compared = { mismatches: [], unsettled: 0, merged: 0, full: 0 };
  const budget = { maxStates: 300_000 };
  for (const input of inputs) {
    const full = buildModel(input, { symmetry: false, deadValues: false });
    const merged = variant ? variant(full) : buildModel(input, { symmetry: false }).system;
    const a = search(full.system, { reduction, budget });
    const b = search(merged, { reduction, budget });
    if (a.verdict === 'inconclusive') {
      out.unsettled++;
      continue;
    }
    out.full += a.states;
    out.merged += b.states;
    if (answer(a) !== answer(b)) out.mismatches.push(`${input.name}: ${answer(a)} keeping every value, ${answer(b)} merged`);
    // The merged model records fewer uses and keys spent fences alike; it takes the same steps.
    else if (!variant) assertConcreteRun(full, b, input.name!, (s) => stateKey({ ...s, dmaUses: [], walks: s.walks.map(spent) }));
  }
  return out;
}


test('dead values: same verdict and counterexample length, every strategy x transition, 1 request and 1 DMA (PASID 0x10 and 0)', () => {
  const r = compare(everyStrategy(1, 1, [0x10, 0]), 'none');
  assert.deepEqual(r.mismatches, []);
  assert.equal(r.unsettled, 0);
  // How many depends on the rest of the model: 5 % here since requests not yet begun
  // carry no fences (docs/performance.md#fences-of-requests-not-begun), 10 % before.
  assert.ok(r.merged < r.full * 0.97, `the merging must remove states (${r.merged} of ${r.full})`);
});

test('dead values: same answers, every strategy x transition, 2 requests; 2 DMAs', () => {
  for (const [requests, dmas] of [[2, 0], [0, 2]]) {
    const r = compare(everyStrategy(requests, dmas), 'none');
    assert.deepEqual(r.mismatches, [], `r${requests} d${dmas}`);
    assert.ok(r.merged < r.full, `r${requests} d${dmas}: the merging must remove states (${r.merged} of ${r.full})`);
  }
});

test('dead values with the partial-order reduction: same answers, every strategy x transition, 1 request and 1 DMA', () => {
  assert.deepEqual(compare(everyStrategy(1, 1), 'ample').mismatches, []);
});

test('dead values: same answers on a seeded sample of assumption rows', () => {
  const inputs = sampledRows(20261204, 12, [[1, 1], [2, 0], [1, 2]]);
  const r = compare(inputs, 'none');
  assert.deepEqual(r.mismatches, []);
  assert.ok(r.unsettled <= inputs.length / 3, `most sampled rows must be settled (${r.unsettled} of ${inputs.length} not)`);
  assert.deepEqual(compare(inputs, 'ample').mismatches, []);
});

test('dead values: the default check (auto, symmetry on) answers as the one keeping every value', () => {
  for (const strategy of ['jason', 'baolu']) {
    for (const [name, from, to] of STANDARD.slice(0, 3)) {
      const input = { name: `${strategy} ${name}`, from, to, strategy };
      const a = checkModel(buildModel(input, { deadValues: false }));
      const b = checkModel(buildModel(input));
      const said = (r: typeof a) => (r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property} in ${r.violations[0].trace.steps.length}` : r.verdict);
      assert.equal(said(b), said(a), input.name);
      assert.ok(b.states < a.states, `${input.name}: fewer states (${b.states} of ${a.states})`);
    }
  }
});

/** The model with `change` applied to every successor state (a merge done wrong). */
function everySuccessor(change: (s: State) => State): (m: Model) => System {
  return (m) => ({
    ...m.system,
    successors: (s) => m.system.successors(s).map((x) => ({ ...x, next: change(x.next) })),
  });
}

test('negative control: forgetting every DMA use is caught', () => {
  const r = compare(everyStrategy(0, 1), 'none', everySuccessor((s) => ({ ...cloneState(s), dmaUses: [] })));
  assert.ok(r.mismatches.length > 0, 'the comparison must catch a merge of uses a property objects to');
});

test('negative control: forgetting every fence at every step is caught', () => {
  const forget = (s: State): State => ({ ...cloneState(s), walks: s.walks.map((w) => ({ ...cloneWalk(w), pcFences: 0, iotlbFences: 0 })) });
  const inputs = [...everyStrategy(2, 0), ...everyStrategy(1, 1)];
  const r = compare(inputs, 'none', everySuccessor(forget));
  assert.ok(r.mismatches.length > 0, 'the comparison must catch a merge of fences a fill still reads');
});

test('negative control: keying any ATC as empty is caught', () => {
  const r = compare(everyStrategy(1, 0), 'none', (m) => ({ ...m.system, packing: undefined, key: (s) => stateKey({ ...s, atc: -1 }) }));
  assert.ok(r.mismatches.length > 0, 'the comparison must catch a key that forgets a stale ATC entry');
});

/**
 * SMMUv3 (its walker records uses through the same recordDma): every strategy x transition
 * at 1 DMA and at 2 DMAs, each answer with dead values merged or as `variant` makes it,
 * next to the one keeping every value; inputs the latter does not settle are left out.
 */
function smmuCompare(variant?: (s: SmmuState) => SmmuState): { mismatches: string[]; settled: number; merged: number; full: number } {
  const out = { mismatches: [] as string[], settled: 0, merged: 0, full: 0 };
  const budget = { maxStates: 100_000 };
  const said = (r: SearchResult<SmmuState, unknown>) => (r.verdict === 'unsafe' ? `unsafe ${r.counterexample!.violation.property} in ${r.counterexample!.path.length}` : r.verdict);
  for (const t of Object.keys(SMMU_TRANSITIONS) as (keyof typeof SMMU_TRANSITIONS)[]) {
    for (const strategy of smmuStrategyNames()) {
      for (const dmas of [1, 2]) {
        const input = { arch: 'smmuv3' as const, ...SMMU_TRANSITIONS[t], strategy, requests: 0, dmas };
        const full = buildSmmuModel(input, { deadValues: false });
        const a = search(full.system, { budget });
        if (a.verdict === 'inconclusive') continue;
        const m = variant ? full : buildSmmuModel(input);
        const system = variant ? { ...m.system, successors: (s: SmmuState) => m.system.successors(s).map((x) => ({ ...x, next: variant(x.next) })) } : m.system;
        const b = search(system, { budget });
        out.settled++;
        out.full += a.states;
        out.merged += b.states;
        if (said(a) !== said(b)) out.mismatches.push(`${t} ${strategy} d${dmas}: ${said(a)} keeping every value, ${said(b)} merged`);
        // A negative control needs one mismatch to make its point.
        if (variant && out.mismatches.length > 0) return out;
      }
    }
  }
  return out;
}

test('dead values on SMMUv3: same answers with uses no property objects to left unrecorded', () => {
  const r = smmuCompare();
  assert.deepEqual(r.mismatches, []);
  assert.ok(r.settled >= 20, `most inputs must be settled (${r.settled})`);
  assert.ok(r.merged < r.full, `the merging must remove states (${r.merged} of ${r.full})`);
});

test('negative control on SMMUv3: forgetting every DMA use is caught', () => {
  assert.ok(smmuCompare((s) => ({ ...s, dmaUses: [] })).mismatches.length > 0);
});
