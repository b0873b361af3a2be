// The reduced search (`ample`) against the plain breadth-first search (`none`), and seeded
// random simulation against both, on many small scenarios: every strategy, the thread's
// transitions and the two presence changes (off -> FL, SL -> off), the presets and random
// assumption sets, 1-2 ATS requests, 0-1 DMAs, warm and cold caches.
//
// What must hold (see src/model/footprints.ts for why the reduction is sound):
// - `ample` gives the same verdict as `none`, and, since an unsafe answer is re-searched
//   without reduction up to its length, the same violated property and counterexample
//   length; so does the default `auto` (plain while small, then reduced);
// - for every property on its own, the reduced graph without that re-search
//   (`shortest: false`) still reaches a violation exactly when the full one does (the
//   reduction keeps every property's truth, not only the first violation found);
// - random walks never find a violation where the exhaustive search says safe.
//
// The scenarios are a fixed pseudo-random pick (seeded) from the whole product, so the
// test covers many combinations at a bounded cost and fails the same way every run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build';
import { checkModel } from '../../src/check/check';
import { search } from '../../src/engine/search';
import { mulberry32, simulate } from '../../src/engine/simulate';
import { strategyNames } from '../../src/model/strategies';
import { ASSUMPTIONS } from '../../src/model/assumptions';
import type { ScenarioInput } from '../../src/check/result';
import { PROPERTY_NAMES } from '../../src/model/properties';
import { TRANSITIONS } from '../../src/model/transitions';

const STANDARD: [string, string, string][] = [
  ['SL->SL new DID', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to],
  ['FL->FL same DID', TRANSITIONS.flSameDid.from, TRANSITIONS.flSameDid.to],
  ['FL->FL new DID', TRANSITIONS.flNewDid.from, TRANSITIONS.flNewDid.to],
  ['off->FL', 'off', 'fl:did=5,fsptptr=0x2000'],
  ['SL->off', 'sl:did=5,ssptptr=0x1000', 'off'],
];

/** A random assumption set: every open one drawn (an enum among its values), and now and then a closed boolean flipped. */
function randomAssumptions(random: () => number): string {
  const parts = ['spec'];
  for (const a of ASSUMPTIONS) {
    if (a.type === 'enum') {
      if (a.open) parts.push(`${a.name}=${String(a.values![Math.floor(random() * a.values!.length)])}`);
      continue;
    }
    if (a.open) parts.push(`${a.name}=${random() < 0.5}`);
    else if (random() < 0.15) parts.push(`${a.name}=${!a.default}`);
  }
  return parts.join(',');
}

/** The fixed pick: `count` scenarios drawn from the product with a seeded generator. */
function scenarios(count: number, seed: number): ScenarioInput[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const strategies = strategyNames();
  const out: ScenarioInput[] = [];
  for (let n = 0; n < count; n++) {
    const [name, from, to] = pick(STANDARD);
    const strategy = strategies[n % strategies.length]; // every strategy equally often
    const assume = random() < 0.5 ? pick(['spec', 'jason', 'baolu']) : randomAssumptions(random);
    // Two requests with a DMA is the default workload but ~100x the states: the plain
    // search of every pick must end within the budget, so two requests come without DMA.
    const requests = random() < 0.25 ? 2 : 1;
    const dmas = requests === 2 ? 0 : (random() < 0.7 ? 1 : 0);
    out.push({ name: `${strategy} ${name} ${assume} r${requests} d${dmas}`, from, to, strategy, assume, requests, dmas, cold: random() < 0.25 });
  }
  return out;
}

const BUDGET = { maxStates: 400_000, maxMillis: 60_000 };

function verdictOf(r: { verdict: string; violations: { property: string; trace: { steps: unknown[] } }[] }): string {
  return r.verdict === 'unsafe' ? `unsafe ${r.violations[0].property} in ${r.violations[0].trace.steps.length}` : r.verdict;
}

test('none and ample agree on verdict, property and counterexample length', () => {
  let reduced = 0;
  let full = 0;
  for (const input of scenarios(72, 20260327)) {
    const plain = checkModel(buildModel(input), { reduction: 'none', budget: BUDGET });
    const ample = checkModel(buildModel(input), { reduction: 'ample', budget: BUDGET });
    assert.notEqual(plain.verdict, 'inconclusive', `${input.name}: budget too small for the test`);
    assert.equal(verdictOf(ample), verdictOf(plain), input.name);
    // The default (`auto`: plain while small, else reduced), switching early here so both
    // of its paths are taken.
    const auto = checkModel(buildModel(input), { budget: BUDGET, autoPlainStates: 300 });
    assert.equal(verdictOf(auto), verdictOf(plain), `${input.name} (auto)`);
    if (plain.verdict === 'safe') {
      assert.ok(ample.states <= plain.states, `${input.name}: reduced graph larger (${ample.states} > ${plain.states})`);
      reduced += ample.states;
      full += plain.states;
    }
  }
  // The reduction must also reduce (a regression guard, not a correctness condition).
  assert.ok(reduced < full * 0.9, `ample kept ${reduced} of ${full} states`);
});

test('each property alone: the reduced graph without re-search reaches a violation exactly when the full one does', () => {
  // One request here: with a single property the search does not stop at the first
  // violation of another one, so two-request scenarios can run out of budget.
  for (const input of scenarios(32, 7).filter((x) => x.requests === 1)) {
    for (const property of PROPERTY_NAMES) {
      const plain = search(buildModel(input, { properties: [property] }).system, { reduction: 'none', budget: BUDGET });
      const raw = search(buildModel(input, { properties: [property] }).system, { reduction: 'ample', shortest: false, budget: BUDGET });
      assert.notEqual(plain.verdict, 'inconclusive', `${input.name}, ${property}: budget too small for the test`);
      assert.equal(raw.verdict, plain.verdict, `${input.name}, ${property}`);
      if (plain.verdict === 'unsafe') assert.equal(raw.counterexample!.violation.property, property);
    }
  }
});

test('random simulation never finds a violation the exhaustive search calls safe', () => {
  let found = 0;
  for (const [k, input] of scenarios(32, 99).entries()) {
    const model = buildModel(input);
    const exhaustive = checkModel(model, { reduction: 'ample', budget: BUDGET });
    const sim = simulate(buildModel(input).system, { seed: 1000 + k, runs: 150, maxDepth: 200, maxMillis: 5_000 });
    if (sim.counterexample) {
      found++;
      assert.equal(exhaustive.verdict, 'unsafe', `${input.name}: simulation found ${sim.counterexample.violation.property}, search says ${exhaustive.verdict}`);
    }
  }
  // The walks must be long and many enough to find something, or the test says nothing.
  assert.ok(found >= 5, `simulation found only ${found} violations`);
});
