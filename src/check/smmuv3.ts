/**
 * Checks one SMMUv3 scenario (model/smmuv3/build.ts) with the same search, and answers in
 * the same CheckResult as a VT-d check (check.ts), marked `arch: 'smmuv3'`.
 */
import { search } from '../engine/search';
import type { Budget, SearchResult, Verdict } from '../engine/types';
import type { StepLabel } from '../model/context';
import type { SmmuState } from '../model/smmuv3/state';
import { buildSmmuModel, type SmmuModel, type SmmuModelOptions } from '../model/smmuv3/build';
import { describeSmmuAssumptions, resolveSmmuAssumptions } from '../model/smmuv3/assumptions';
import type { AssumptionValue } from '../model/assumptions';
import type { ScenarioInput } from '../model/build';
import type { Trace, TraceStep } from '../model/trace';
import type { CheckResult } from './result';

export interface SmmuCheckOptions extends SmmuModelOptions {
  budget?: Partial<Budget>;
}

/** The SMMU's names for the lanes VT-d calls PASID cache, IOTLB and invalidation queue. */
const SMMU_LANE_TITLES = { 'pasid-cache': 'Config cache', iotlb: 'TLB', queue: 'Cmd queue' } as const;

type Counterexample = NonNullable<SearchResult<SmmuState, () => StepLabel>['counterexample']>;

export function toSmmuTrace(model: SmmuModel, cx: Counterexample): Trace {
  let prev = model.describe(cx.initial);
  const steps: TraceStep[] = cx.path.map((p, i) => {
    const label = p.label();
    const now = model.describe(p.state);
    // Only what changed, one phrase per part; the queue's own steps say which command moved.
    const changes = Object.keys(now).filter((k) => k !== 'queue' && now[k] !== prev[k]).map((k) => `${k}: ${now[k]}`);
    prev = now;
    return { index: i + 1, lane: label.lane, text: label.text, changes, ...(label.message ? { message: label.message } : {}) };
  });
  return { title: model.name, laneTitles: SMMU_LANE_TITLES, steps, violation: { property: cx.violation.property, step: steps.length, reason: cx.violation.reason } };
}

export function checkSmmuModel(model: SmmuModel, options: SmmuCheckOptions = {}): CheckResult {
  // No partial-order reduction for SMMUv3 (model/smmuv3/footprint.ts): plain search.
  const result = search(model.system, { budget: options.budget, reduction: 'none' });
  const cx = result.counterexample;
  return {
    arch: 'smmuv3',
    name: model.name,
    from: model.input.from,
    to: model.input.to,
    pasid: model.ctx.pasid,
    strategy: model.strategy.name,
    assume: describeSmmuAssumptions(model.assumptions),
    assumptions: model.assumptions,
    requests: model.requests,
    dmas: model.dmas,
    cold: model.cold,
    verdict: result.verdict,
    states: result.states,
    transitions: result.transitions,
    millis: result.millis,
    properties: [...model.properties.map((p) => p.name), ...(model.checkTermination ? ['termination'] : [])],
    violations: result.verdict === 'unsafe' && cx ? [{ property: cx.violation.property, trace: toSmmuTrace(model, cx) }] : [],
    notHitlessByDesign: model.ctx.program.vCleared,
    cost: model.ctx.program.cost,
    ...(result.shortest === false ? { shortest: false as const } : {}),
    ...(result.exhausted ? { exhausted: result.exhausted } : {}),
    ...(result.stopReason ? { stopReason: result.stopReason } : {}),
  };
}

export function checkSmmuScenario(input: ScenarioInput, options: SmmuCheckOptions = {}): CheckResult {
  return checkSmmuModel(buildSmmuModel(input, options), options);
}

/** sweep.ts RowAnswer, written out here (sweep.ts imports this file: no cycle). */
export interface SmmuRowAnswer {
  verdict: Verdict;
  states: number;
  property?: string;
  consulted: string[] | null;
}

/**
 * One row of an SMMUv3 sweep (sweep.ts checkRow): the base resolved with SMMUv3's table,
 * the row's values over it; which swept assumptions the check read, for RowMemo.
 */
export function checkSmmuRow(input: ScenarioInput, base: string, variables: readonly string[], assignment: Record<string, AssumptionValue>, options: SmmuCheckOptions): SmmuRowAnswer {
  const assumptions = resolveSmmuAssumptions(base);
  for (const v of variables) assumptions[v] = assignment[v];
  const model = buildSmmuModel({ ...input, assume: base }, { ...options, assumptions });
  const result = checkSmmuModel(model, options);
  const read = new Set<string>(model.ctx.hw.consulted());
  return {
    verdict: result.verdict,
    states: result.states,
    ...(result.violations[0] ? { property: result.violations[0].property } : {}),
    consulted: result.exhausted === 'time' || result.exhausted === 'memory' ? null : variables.filter((v) => read.has(v)),
  };
}
