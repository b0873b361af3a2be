/**
 * `check --trace uses-stale`: besides the shortest counterexample, the shortest run in
 * which the device's DMA actually uses a stale translation (model/properties.ts `usesStale`,
 * docs/model.md#uses-stale): the same breadth-first search, with that one goal as its only
 * invariant and no stop at a deadlock, under the check's budget. The shortest
 * counterexample may end earlier, at a stale PASID-cache or IOTLB entry or a completion in
 * flight that the device has not used yet, or that it can no longer reach (its requests
 * and DMAs spent); this run shows the use, or says that there is none.
 */
import type { Verdict } from '../engine/types';
import { buildModel, type Model } from '../model/build';
import { usesStale } from '../model/properties';
import type { State } from '../model/state';
import type { Trace } from '../model/trace';
import { searchModel, toTrace, type CheckOptions } from './check';
import type { CheckResult, ScenarioInput } from './result';
import { search } from '../engine/search';
import { buildSmmuModel } from '../model/smmuv3/build';
import { smmuUsesStale } from '../model/smmuv3/properties';
import type { SmmuState } from '../model/smmuv3/state';
import { toSmmuTrace } from './smmuv3';

export const TRACE_KINDS = ['shortest', 'uses-stale'] as const;
export type TraceKind = (typeof TRACE_KINDS)[number];

export interface UsesStaleRun {
  /** unsafe: a run found (`trace`); safe: none exists; inconclusive: a budget ran out first. */
  verdict: Verdict;
  trace?: Trace;
  /** States the search explored (0 when the check's own answer settles it: see below). */
  states: number;
  exhausted?: 'states' | 'time' | 'memory';
  /** Why there is none without a search of its own, when that is why. */
  settledBy?: string;
}

/**
 * The shortest run to a stale use. A safe check settles it without a search: every state
 * with a stale use violates stale-after-return (properties.ts), and a safe check has
 * reached every state without finding one.
 */
export function usesStaleRun(model: Model, check: Pick<CheckResult, 'verdict' | 'properties'>, options: CheckOptions = {}): UsesStaleRun {
  if (check.verdict === 'safe' && check.properties.includes('stale-after-return')) {
    return { verdict: 'safe', states: 0, settledBy: 'the check is safe, and every stale use violates stale-after-return' };
  }
  const goal = usesStale(model.ctx);
  // The reduction stays sound: the goal reads `returned`, `dmaUses` and `atc`, and every
  // step that changes them for a stale translation is visible (footprintVars.ts).
  const system = { ...model.system, invariants: [{ name: goal.name, check: (s: State) => goal.check(s) }], deadlock: undefined };
  const r = searchModel({ ...model, system }, options);
  return {
    verdict: r.verdict,
    states: r.states,
    ...(r.verdict === 'unsafe' ? { trace: { ...toTrace(model, r), title: `${model.name} (uses stale)` } } : {}),
    ...(r.exhausted ? { exhausted: r.exhausted } : {}),
  };
}

export function usesStaleScenario(input: ScenarioInput, check: Pick<CheckResult, 'verdict' | 'properties'>, options: CheckOptions = {}): UsesStaleRun {
  if (input.arch === 'smmuv3') return smmuUsesStaleRun(input, check, options);
  return usesStaleRun(buildModel(input, options), check, options);
}

/** The same on SMMUv3: the goal is model/smmuv3/properties.ts smmuUsesStale; plain search (no reduction, as its check). */
export function smmuUsesStaleRun(input: ScenarioInput, check: Pick<CheckResult, 'verdict' | 'properties'>, options: CheckOptions = {}): UsesStaleRun {
  if (check.verdict === 'safe' && check.properties.includes('stale-after-return')) {
    return { verdict: 'safe', states: 0, settledBy: 'the check is safe, and every stale use violates stale-after-return' };
  }
  const model = buildSmmuModel(input, options);
  const goal = smmuUsesStale(model.ctx);
  const system = { ...model.system, invariants: [{ name: goal.name, check: (s: SmmuState) => goal.check(s) }], deadlock: undefined };
  const r = search(system, { budget: options.budget, reduction: 'none' });
  const cx = r.counterexample;
  return {
    verdict: r.verdict,
    states: r.states,
    ...(r.verdict === 'unsafe' && cx ? { trace: { ...toSmmuTrace(model, cx), title: `${model.name} (uses stale)` } } : {}),
    ...(r.exhausted ? { exhausted: r.exhausted } : {}),
  };
}

/**
 * The result block's `Trace` line (after `Trace `): which run follows the block, or that
 * none exists, in one line of a mail. Without a run, the shortest counterexample follows.
 */
export function usesStaleText(run: UsesStaleRun, shortest: number | undefined): string {
  if (run.verdict === 'unsafe') return `uses-stale, ${run.trace!.steps.length} steps${shortest !== undefined ? ` (shortest: ${shortest})` : ''}`;
  if (run.verdict === 'safe') return `uses-stale: no DMA uses a stale translation (${run.settledBy ? 'check safe' : `${run.states} states`})`;
  return `uses-stale: none found, ${run.exhausted ?? 'search'} budget ran out (${run.states} states)`;
}
