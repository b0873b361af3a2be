// Shared by the tests that compare a reduced search with the one it reduces
// (symmetry.test.ts, deadValues.test.ts): the standard transitions, every built-in strategy
// on them, an answer as a comparable string, and the check that a counterexample is a
// concrete run of a model.
import assert from 'node:assert/strict';
import type { Model } from '../../src/model/build';
import { strategyNames } from '../../src/model/strategies';
import { mulberry32 } from '../../src/engine/simulate';
import { OPEN_ASSUMPTIONS, assignmentOf, rowCount } from '../../src/check/sweep';
import { TRANSITIONS } from '../../src/model/transitions';
import { stateKey, type State } from '../../src/model/state';
import type { ScenarioInput } from '../../src/check/result';
import type { SearchResult } from '../../src/engine/types';
import type { StepLabel } from '../../src/model/context';

export const STANDARD: [string, string, string][] = [
  ['SL->SL new DID', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to],
  ['FL->FL same DID', TRANSITIONS.flSameDid.from, TRANSITIONS.flSameDid.to],
  ['FL->FL new DID', TRANSITIONS.flNewDid.from, TRANSITIONS.flNewDid.to],
  ['SL->FL new DID', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to],
];

export type Result = SearchResult<State, () => StepLabel>;

/** "safe", "inconclusive (states)", or "unsafe <property> in <length>". */
export function answer(r: Result): string {
  if (r.verdict !== 'unsafe') return r.exhausted ? `${r.verdict} (${r.exhausted})` : r.verdict;
  return `unsafe ${r.counterexample!.violation.property} in ${r.counterexample!.path.length}`;
}

/** Every built-in strategy on every standard transition at each PASID. */
export function everyStrategy(requests: number, dmas: number, pasids: number[] = [0x10]): ScenarioInput[] {
  return STANDARD.flatMap(([name, from, to]) => strategyNames().flatMap((strategy) => pasids.map((pasid) => ({
    name: `${strategy} ${name} pasid ${pasid.toString(16)} r${requests} d${dmas}`, from, to, strategy, requests, dmas, pasid,
  }))));
}

/**
 * Each step of r's counterexample is a successor, in `model`, of the state before it (two
 * states alike when `same` says so: their keys by default), and the property fails at the end.
 */
export function assertConcreteRun(model: Model, r: Result, what: string, same: (s: State) => string = (s) => stateKey(s)): void {
  if (r.verdict !== 'unsafe') return;
  const system = model.system;
  const cx = r.counterexample!;
  let cur = cx.initial;
  assert.equal(same(cur), same(system.initial()), `${what}: the run starts in the initial state`);
  cx.path.forEach((step, i) => {
    const m = system.successors(cur).find((x) => same(x.next) === same(step.state));
    assert.ok(m, `${what}: step ${i + 1} is not a successor of the state before it`);
    cur = m.next;
  });
  const v = cx.violation;
  if (v.property === 'termination') assert.equal(system.successors(cur).length, 0, `${what}: the run ends in a deadlock`);
  else assert.ok(system.invariants.find((inv) => inv.name === v.property)!.check(cur) !== null, `${what}: ${v.property} fails in the last state`);
}

/**
 * `count` seeded draws of a standard transition, a built-in strategy and a row of the open
 * assumptions, at the workloads given in turn.
 */
export function sampledRows(seed: number, count: number, workloads: [number, number][]): ScenarioInput[] {
  const random = mulberry32(seed);
  const variables = [...OPEN_ASSUMPTIONS];
  const total = rowCount(variables);
  const strategies = strategyNames();
  const inputs: ScenarioInput[] = [];
  for (let n = 0; n < count; n++) {
    const [name, from, to] = STANDARD[Math.floor(random() * STANDARD.length)];
    const strategy = strategies[Math.floor(random() * strategies.length)];
    const row = Math.floor(random() * total);
    const a = assignmentOf(variables, row);
    const assume = `spec,${variables.map((v) => `${v}=${String(a[v])}`).join(',')}`;
    const [requests, dmas] = workloads[n % workloads.length];
    inputs.push({ name: `${strategy} ${name} row ${row} r${requests} d${dmas}`, from, to, strategy, assume, requests, dmas });
  }
  return inputs;
}
