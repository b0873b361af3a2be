// The footprints the partial-order reduction relies on (src/model/footprints.ts) checked, not
// trusted: every standard scenario's reachable states are explored (breadth-first,
// capped), and every step taken is compared with its declared footprint — writes, reads
// (as behaviour that depends only on what is declared read), visibility, the actor
// footprints and guards, and, sampled, that declared-independent steps commute. How each
// is checked: test/model/footprintChecker.ts. A deliberately wrong footprint is caught by
// the same checker (negative controls at the end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel, type Model } from '../../src/model/build';
import { Footprints, WalkStep, DescriptorStep } from '../../src/model/footprints';
import type { ActorFootprint, Footprint } from '../../src/engine/types';
import type { State } from '../../src/model/state';
import type { ScenarioInput } from '../../src/check/result';
import { checkFootprints } from './footprintChecker';
import { TRANSITIONS as T } from '../../src/model/transitions';

const { slNewDid: SL_NEW_DID, flSameDid: FL_SAME_DID, flNewDid: FL_NEW_DID } = T;

const TRANSITIONS = { 'SL->SL new DID': SL_NEW_DID, 'FL->FL same DID': FL_SAME_DID, 'FL->FL new DID': FL_NEW_DID };
const STRATEGIES = ['jason', 'baolu', 'jason-ordered', 'table28', 'teardown-setup', 'no-flush'];
const PRESETS = ['spec', 'jason', 'baolu'];
/** Flips that change which reads apply (footprints.ts point 1). */
const FLIPS = ['coherent=false', 'iotlb-lookup-uses-did=true', 'pc-inv-waits-for-walks=true', 'pc-inv-drops-iotlb=true',
  'drain-scope=processed', 'drain-scope=none', 'inv-blocks-fills-of-other-dids=true', 'devtlb-ordered-after-p-iotlb=true',
  'inv-may-pass-completion=false', 'completion-may-pass-inv=true'];

function scenarios(): { input: ScenarioInput; maxStates: number }[] {
  const out: { input: ScenarioInput; maxStates: number }[] = [];
  const add = (input: ScenarioInput, maxStates: number) => out.push({ input: { ...input, name: `${input.strategy} ${input.name} ${input.assume} r${input.requests} d${input.dmas}` }, maxStates });
  for (const [name, t] of Object.entries(TRANSITIONS)) {
    // Every strategy under every preset, one ATS request: explored to the end.
    for (const strategy of STRATEGIES) for (const assume of PRESETS) add({ name, ...t, strategy, assume, requests: 1, dmas: 0 }, 20_000);
    // Each flip with the two strategies of the thread.
    for (const strategy of ['jason', 'baolu']) for (const assume of FLIPS) add({ name, ...t, strategy, assume, requests: 1, dmas: 0 }, 20_000);
  }
  // RID_PASID (PASID 0): dev_tlb_inv, ordered after P_IOTLB or not.
  for (const assume of ['spec', 'devtlb-ordered-after-p-iotlb=true']) add({ name: 'SL->SL new DID PASID 0', ...SL_NEW_DID, strategy: 'jason-ordered', assume, pasid: 0, requests: 1, dmas: 0 }, 20_000);
  // Two walks at once (an ATS request and a DMA; two ATS requests): the first 2,500 states.
  for (const strategy of ['jason', 'baolu']) {
    for (const assume of ['spec', 'jason', 'baolu,coherent=false', 'drain-scope=processed', 'pc-inv-drops-iotlb=true']) {
      add({ name: 'SL->SL new DID', ...SL_NEW_DID, strategy, assume, requests: 1, dmas: 1 }, 2_500);
      add({ name: 'FL->FL same DID', ...FL_SAME_DID, strategy, assume, requests: 2, dmas: 0 }, 2_500);
    }
  }
  return out;
}

test('every step of every standard scenario stays within its declared footprint', () => {
  const t0 = Date.now();
  let states = 0;
  let commuted = 0;
  const failures: string[] = [];
  for (const { input, maxStates } of scenarios()) {
    const report = checkFootprints(buildModel(input), { maxStates });
    states += report.states;
    commuted += report.commuted;
    if (report.problems.length) failures.push(`${input.name}:\n  ${report.problems.slice(0, 5).join('\n  ')}`);
  }
  assert.deepEqual(failures, []);
  // The checks ran on something: many states, and many independent pairs commuted.
  assert.ok(states > 50_000, `only ${states} states explored`);
  assert.ok(commuted > 5_000, `only ${commuted} independent pairs tried`);
  console.log(`footprints: ${states} states, ${commuted} independent pairs commuted, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

// ---- Negative controls: the same checker on deliberately wrong footprints ----------------

/** A model whose footprints are patched by `patch` (step footprints) and `actorPatch`. */
function broken(input: ScenarioInput, patch: (f: Footprint, what: { step?: WalkStep; desc?: DescriptorStep }) => Footprint,
  actorPatch: (f: ActorFootprint, actor: string) => ActorFootprint = (f) => f): Model {
  const model = buildModel(input);
  const memo = new Map<Footprint, Footprint>();
  const once = (f: Footprint, what: { step?: WalkStep; desc?: DescriptorStep }) => {
    let g = memo.get(f);
    if (!g) memo.set(f, (g = patch(f, what)));
    return g;
  };
  class Broken extends Footprints {
    override walk(slot: number, step: WalkStep, visible: boolean, chunk = 0): Footprint {
      return once(super.walk(slot, step, visible, chunk), { step });
    }
    override descriptor(i: number, step: DescriptorStep, visible: boolean): Footprint {
      return once(super.descriptor(i, step, visible), { desc: step });
    }
    override actorFootprint(s: State, actor: string): ActorFootprint {
      return actorPatch(super.actorFootprint(s, actor), actor);
    }
  }
  model.ctx.footprints = new Broken(model.ctx);
  return model;
}

const without = (xs: readonly string[], x: string) => xs.filter((y) => y !== x);
const SMALL: ScenarioInput = { ...SL_NEW_DID, strategy: 'baolu', requests: 1, dmas: 0 };

test('negative control: the sound footprints of the control scenario pass', () => {
  assert.deepEqual(checkFootprints(buildModel(SMALL)).problems, []);
});

test('negative control: an IOTLB lookup that does not declare reading the IOTLB is caught', () => {
  const model = broken(SMALL, (f, w) => (w.step === WalkStep.Lookup ? { ...f, reads: without(f.reads, 'iotlb') } : f));
  const problems = checkFootprints(model).problems;
  // Named among the few variables two otherwise equal states differ in (an IOTLB entry goes
  // with the invalidation's queue status).
  assert.ok(problems.some((p) => /IOTLB lookup .*in two states that agree on its reads; it reads one of (\w+, )?iotlb\b/.test(p)), problems.join('\n'));
});

test('negative control: a completion delivery that does not declare writing the ATC is caught', () => {
  const model = broken(SMALL, (f, w) => (w.step === WalkStep.Deliver ? { ...f, writes: without(f.writes, 'atc') } : f));
  const problems = checkFootprints(model).problems;
  assert.ok(problems.some((p) => /fills the ATC .*' writes undeclared atc$/.test(p)), problems.join('\n'));
});

test('negative control: a PASID-cache invalidation that does not declare marking fetches stale is caught', () => {
  const model = broken(SMALL, (f, w) => (w.desc === DescriptorStep.Execute ? { ...f, writes: f.writes.filter((x) => !x.endsWith('.pcFences')) } : f));
  const problems = checkFootprints(model).problems;
  assert.ok(problems.some((p) => /PC_INV .* writes undeclared ats1\.pcFences/.test(p)), problems.join('\n'));
});

test('negative control: an actor footprint missing a write of one of its steps is caught', () => {
  const model = broken(SMALL, (f) => f, (f, actor) => (actor === 'ats1' ? { ...f, writes: without(f.writes, 'iotlb') } : f));
  const problems = checkFootprints(model).problems;
  assert.ok(problems.some((p) => /^ats1: .* writes iotlb, outside its actor footprint$/.test(p)), problems.join('\n'));
});

test('negative control: guards that miss what an actor waits on are caught', () => {
  // A lookup waits on the IOTLB (its guards: W, iotlb); without iotlb, an IOTLB fill by
  // another walk changes its steps (hit or miss) behind the guards' back.
  const input: ScenarioInput = { ...FL_SAME_DID, strategy: 'baolu', requests: 2, dmas: 0 };
  const model = broken(input, (f, w) => (w.step === WalkStep.Lookup || w.step === WalkStep.LookupEvict ? { ...f, reads: without(f.reads, 'iotlb') } : f),
    (f) => ({ ...f, guards: f.guards && without(f.guards, 'iotlb') }));
  const problems = checkFootprints(model, { maxStates: 2_500 }).problems;
  assert.ok(problems.some((p) => /^actor ats\d: its enabled steps change after/.test(p)), problems.join('\n'));
});

test('negative control: two steps declared independent that do not commute are caught', () => {
  // A chunk read that does not declare reading memory seems independent of the driver's
  // stores; read before or after a store, it reads different words.
  const model = broken(SMALL, (f, w) => (w.step === WalkStep.Chunk ? { ...f, reads: without(f.reads, 'mem') } : f));
  const problems = checkFootprints(model, { commuteEvery: 1, maxProblems: 1000 }).problems;
  assert.ok(problems.some((p) => /^'CPU: writer step .*' and 'IOMMU: .*reads entry chunk .*' are declared independent, but the two orders differ in .*ats1$/.test(p)), problems.join('\n'));
  // The read check names the undeclared read as well.
  assert.ok(problems.some((p) => /reads entry chunk .* in two states that agree on its reads; it reads one of (pc, )?mem$/.test(p)), problems.join('\n'));
});
