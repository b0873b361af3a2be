/**
 * Checks one scenario exhaustively and answers safe / unsafe / inconclusive with the
 * shortest counterexample as a Trace; sweeps the open assumptions for the minimal
 * condition under which a strategy is safe.
 */
import { DEFAULT_BUDGET, search } from '../engine/search';
import type { Budget, SearchResult } from '../engine/types';
import { buildModel, type Model, type ModelOptions } from '../model/build';
import type { CheckResult, ScenarioInput } from './result';
import type { Trace, TraceStep } from '../model/trace';
import type { StepLabel } from '../model/context';
import type { State } from '../model/state';
import { describeAssumptions } from '../model/assumptions';
import { checkSmmuScenario } from './smmuv3';

export interface CheckOptions extends ModelOptions {
  budget?: Partial<Budget>;
  /**
   * `none`: plain breadth-first search. `ample`: with the partial-order reduction
   * (model/footprints.ts; same verdicts, checked by test/check/differential.test.ts).
   * `auto` (default): plain up to AUTO_PLAIN_STATES states, then, if that did not settle
   * it, the same search goes on reduced — see searchModel.
   */
  reduction?: 'none' | 'ample' | 'auto';
  /** `auto`'s switch point (default AUTO_PLAIN_STATES; tests set it low to exercise both paths). */
  autoPlainStates?: number;
}

/**
 * `auto` settles a check without the reduction when it can in this many states: half the
 * default state budget. Measured on the 48 spec checks of the standard transitions at the
 * default workload (docs/performance.md#when-the-reduction-pays): the reduction's
 * bookkeeping costs about twice the plain search's time per transition, and it removes
 * about half the transitions and a fifth of the states of a safe check, so on safe checks
 * it is a wash in time; on an unsafe check it costs a second search, without it, for the
 * shortest counterexample (engine/search.ts). What it does pay for is states: past half
 * the budget, the states it leaves out are what lets a check end within the budget.
 */
export const AUTO_PLAIN_STATES = 1_000_000;

/**
 * Runs the search as `reduction` says. Both ways give the same verdict, violated property
 * and shortest counterexample; `auto` is deterministic (its switch is a state count, not a
 * clock), so the same input gives the same output, states included.
 */
export function searchModel(model: Model, options: CheckOptions = {}): SearchResult<State, () => StepLabel> {
  const reduction = options.reduction ?? 'auto';
  if (reduction !== 'auto') return search(model.system, { budget: options.budget, reduction });
  const budget: Budget = { ...DEFAULT_BUDGET, ...options.budget };
  const plainStates = options.autoPlainStates ?? AUTO_PLAIN_STATES;
  if (budget.maxStates <= plainStates) return search(model.system, { budget, reduction: 'none' });
  // One search: plain while it knows at most plainStates states, reduced from then on
  // (engine/search.ts reduceAfter); a check that ends before the switch is the plain search.
  return search(model.system, { budget, reduction: 'ample', reduceAfter: plainStates });
}

/** What each part holds, in words, so a trace step can show only what changed. */
export function describeParts(s: State, model: Model): Record<string, string> {
  const im = model.ctx.images;
  const list = (xs: string[]): string => (xs.length ? xs.join(', ') : 'empty');
  return {
    memory: `entry ${im.name(s.memory)}${s.line >= 0 ? `; CPU line ${im.name(s.line)} (dirty)` : ''}`,
    'PASID cache': s.pasidCache ? im.name(s.pasidCache.image) : 'empty',
    IOTLB: list(s.iotlb.map((e) => `DID=${im.outcome(e.image).did} ${im.name(e.image)}`)),
    queue: list(s.queue.map((q, i) => `${i}:${q.descriptor.type}=${q.status}`)),
    link: list([
      ...s.down.map((m) => (m.kind === 'completion' ? `TC #${m.request} ${im.name(m.image)} down` : `Inv Req down`)),
      ...s.up.map(() => 'Inv Cpl up'),
    ]),
    ATC: s.atc >= 0 ? im.name(s.atc) : 'empty',
  };
}

/**
 * Only what changed between two descriptions, one phrase per part. The queue is left out:
 * each queue step's own text already says which descriptor moved.
 */
export function changedParts(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((k) => k !== 'queue' && after[k] !== before[k]).map((k) => `${k}: ${after[k]}`);
}

export function toTrace(model: Model, result: SearchResult<State, () => StepLabel>): Trace {
  const cx = result.counterexample;
  if (!cx) return { title: model.name, steps: [] };
  let prev = describeParts(cx.initial, model);
  const steps: TraceStep[] = cx.path.map((p, i) => {
    const label = p.label();
    const now = describeParts(p.state, model);
    const changes = changedParts(prev, now);
    prev = now;
    return { index: i + 1, lane: label.lane, text: label.text, changes, ...(label.message ? { message: label.message } : {}) };
  });
  return { title: model.name, steps, violation: { property: cx.violation.property, step: steps.length, reason: cx.violation.reason } };
}

export function checkModel(model: Model, options: CheckOptions = {}): CheckResult {
  const result = searchModel(model, options);
  const violations = result.verdict === 'unsafe' && result.counterexample
    ? [{ property: result.counterexample.violation.property, trace: toTrace(model, result) }]
    : [];
  return {
    name: model.name,
    from: model.input.from,
    to: model.input.to,
    pasid: model.ctx.pasid,
    strategy: model.strategy.name,
    assume: describeAssumptions(model.assumptions),
    assumptions: model.assumptions,
    requests: model.requests,
    dmas: model.dmas,
    cold: model.cold,
    verdict: result.verdict,
    states: result.states,
    transitions: result.transitions,
    millis: result.millis,
    properties: [...model.properties.map((p) => p.name), ...(model.checkTermination ? ['termination'] : [])],
    violations,
    notHitlessByDesign: model.ctx.program.vCleared,
    cost: model.ctx.program.cost,
    ...(result.shortest === false ? { shortest: false as const } : {}),
    ...(result.exhausted ? { exhausted: result.exhausted } : {}),
    ...(result.stopReason ? { stopReason: result.stopReason } : {}),
  };
}

export function checkScenario(input: ScenarioInput, options: CheckOptions = {}): CheckResult {
  if (input.arch === 'smmuv3') return checkSmmuScenario(input, options);
  return checkModel(buildModel(input, options), options);
}
