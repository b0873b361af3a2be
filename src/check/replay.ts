/**
 * Why a `safe` verdict is safe (`check --why`): the counterexample of the nearest weaker
 * strategy, replayed against this one, and the descriptor and step that block it.
 *
 * Nearest weaker strategy: a built-in strategy that is unsafe on the same scenario and
 * whose driver program is a part of this one's: its stores, clflushes and non-wait
 * descriptors, in program order, are a subsequence of this strategy's (same writer, fewer
 * or the same invalidations, in the same order). The nearest is the one with the most of
 * them (ties: the order of `flushlab strategies`). When no such strategy is unsafe,
 * `no-flush` (the writer alone) if it is.
 *
 * The replay follows the weaker run step by step in this strategy's model. A hardware step
 * is taken when a step with the same text is enabled; a driver step when this driver's
 * next step is of the same kind in the same context (`submit ... (after the writer)`: this
 * one may submit more descriptors). When the next step is not enabled, this strategy's own
 * extra steps (its driver, queue, memory write-back and the device's answers to
 * invalidations; never a new request or DMA, which would change the run) are taken, the
 * fewest that enable it (breadth-first, bounded); a weaker driver step this driver has in
 * no form (another context) is passed over. The replay is blocked at the first
 * weaker step that no such steps enable, or, if every step replays, at the violation when
 * the last state does not violate the property. The blocker is the last descriptor this
 * strategy executed that the weaker one does not and that removes what the blocked step
 * needs or else what the violation names (the ATC: a Device-TLB inv; the IOTLB: an IOTLB
 * inv; the PASID cache: a PC inv),
 * else its last such descriptor, else its last step of its own; with the submission it
 * came from.
 */
import { describeDescriptor } from '../formats/descriptors';
import { buildModel, type Model } from '../model/build';
import type { StepLabel } from '../model/context';
import type { DriverProgram } from '../model/program';
import type { State } from '../model/state';
import { STRATEGIES } from '../model/strategies';
import type { Trace, TraceStep } from '../model/trace';
import { changedParts, checkModel, describeParts, type CheckOptions } from './check';
import type { CheckResult, ScenarioInput } from './result';
import type { TransitionSystem } from '../engine/types';
import { buildSmmuModel, type SmmuModel } from '../model/smmuv3/build';
import { describeCommand, type SmmuProgram } from '../model/smmuv3/program';
import { SMMU_STRATEGIES } from '../model/smmuv3/strategies';
import { checkSmmuModel } from './smmuv3';

export interface ReplayStep {
  /** 1-based step of the replay in this strategy's model. */
  step: number;
  text: string;
  /** The weaker run's step it replays, or undefined for a step of this strategy's own. */
  weakerStep?: number;
  /** A driver step of the same kind as the weaker one's, but not the same (more descriptors). */
  differs?: boolean;
}

export interface Blocked {
  /** The weaker strategy, its violated property and the length of its counterexample. */
  weaker: string;
  property: string;
  weakerSteps: number;
  /** Whether the replay blocks (false only when this strategy is not safe, e.g. itself). */
  blocked: boolean;
  /** The weaker run's step that cannot happen here (its violating step when all replay). */
  at?: { step: number; text: string; violationGone: boolean };
  /** This strategy's step that blocks it, and the submission it came from. */
  by?: { step: number; text: string; submittedAt?: { step: number; text: string } };
  replay: ReplayStep[];
  /** The replay as a run to draw (notebooks: side by side with the weaker counterexample). */
  trace?: Trace;
}

/** Most extra steps taken to enable one weaker step, and states looked at for them. */
const EXTRA_DEPTH = 24;
const EXTRA_STATES = 20_000;

/** A program's stores, clflushes and non-wait descriptors, in order. */
export function programAtoms(p: DriverProgram): string[] {
  const atoms: string[] = [];
  for (const op of p.ops) {
    if (op.op === 'store') atoms.push(`store ${op.store.quantum} ${op.store.words.join(',')}`);
    else if (op.op === 'clflush') atoms.push('clflush');
    else if (op.op === 'submit') for (const d of op.descriptors) if (d.type !== 'inv_wait') atoms.push(describeDescriptor(d));
  }
  return atoms;
}

/** The same for SMMUv3: the writer's stores and the commands but CMD_SYNC, in order. */
export function smmuProgramAtoms(p: SmmuProgram): string[] {
  const atoms: string[] = [];
  for (const op of p.ops) {
    if (op.op === 'store') atoms.push(`store ${op.word} ${op.value}`);
    else if (op.op === 'submit') for (const c of op.commands) if (c.op !== 'SYNC') atoms.push(describeCommand(c));
  }
  return atoms;
}

function isSubsequence(small: readonly string[], big: readonly string[]): boolean {
  let i = 0;
  for (const x of big) if (i < small.length && small[i] === x) i++;
  return i === small.length;
}

/** A model of either arch. */
type AnyModel = Model | SmmuModel;
const isSmmu = (m: AnyModel): m is SmmuModel => 'arch' in m && m.arch === 'smmuv3';
const atomsOf = (m: AnyModel): string[] => (isSmmu(m) ? smmuProgramAtoms(m.ctx.program) : programAtoms(m.ctx.program));
const buildLike = (m: AnyModel, strategy: string): AnyModel => (isSmmu(m) ? buildSmmuModel({ ...m.input, strategy }) : buildModel({ ...m.input, strategy }));

/** Built-in strategies weaker than `model`'s on its scenario (of its arch), nearest first. */
export function weakerCandidates(model: AnyModel): string[] {
  const mine = atomsOf(model);
  const list: { name: string; size: number; order: number }[] = [];
  Object.keys(isSmmu(model) ? SMMU_STRATEGIES : STRATEGIES).forEach((name, order) => {
    if (name === model.strategy.name && typeof model.input.strategy === 'string') return;
    let other: AnyModel;
    try { other = buildLike(model, name); } catch { return; }
    const atoms = atomsOf(other);
    if (atoms.length < mine.length && isSubsequence(atoms, mine)) list.push({ name, size: atoms.length, order });
  });
  list.sort((a, b) => b.size - a.size || a.order - b.order);
  return list.map((c) => c.name);
}

/** The nearest weaker strategy that is unsafe here, with its check, or undefined. */
export function nearestWeaker(model: AnyModel, options: CheckOptions = {}): { name: string; result: CheckResult } | undefined {
  const tried = new Set<string>();
  for (const name of [...weakerCandidates(model), 'no-flush']) {
    if (tried.has(name) || (name === model.strategy.name && typeof model.input.strategy === 'string')) continue;
    tried.add(name);
    const other = buildLike(model, name);
    const result = isSmmu(other) ? checkSmmuModel(other, options) : checkModel(other, options);
    if (result.verdict === 'unsafe') return { name, result };
  }
  return undefined;
}

/** A driver step's kind and context: `submit|after the writer`, `wait|sync 1 (P1->P1)`. */
function driverKey(text: string): string {
  const ctx = /\(([^()]*(?:\([^()]*\))?[^()]*)\)$/.exec(text)?.[1] ?? '';
  if (text.startsWith('CPU: submit ')) return `submit|${ctx}`;
  if (text.startsWith('CPU: wait status seen') || text.startsWith('CPU: CMD_SYNC seen complete')) return `wait|${ctx}`;
  return text;
}

/**
 * Steps this strategy may take on its own during a replay: never a new request or DMA.
 * On SMMUv3 the memory lane is the SMMU's own reads for a translation, not a CPU write-back.
 */
function ownStep(label: StepLabel, smmu = false): boolean {
  if (label.lane === 'driver' || label.lane === 'queue' || (label.lane === 'memory' && !smmu)) return true;
  return label.lane === 'device' && /Invalidate Request received|Invalidate Completion/.test(label.text);
}

type Succ = { label: StepLabel; next: State };

/** What the replay reads of a model, either arch's (its states are opaque here). */
interface Replayable {
  system: TransitionSystem<State, () => StepLabel>;
  smmu: boolean;
}

function successors(model: Replayable, s: State): Succ[] {
  return model.system.successors(s).map((x) => ({ label: x.label(), next: x.next }));
}

function matches(label: StepLabel, w: TraceStep): 'exact' | 'kind' | null {
  if (label.text === w.text) return 'exact';
  if (w.lane === 'driver' && label.lane === 'driver' && driverKey(label.text) === driverKey(w.text)) return 'kind';
  return null;
}

/** The enabled step that replays `w`: exact text first. */
function find(model: Replayable, s: State, w: TraceStep): Succ | undefined {
  const all = successors(model, s);
  return all.find((x) => matches(x.label, w) === 'exact') ?? all.find((x) => matches(x.label, w) === 'kind');
}

/** The fewest own steps from `s` after which `w` is enabled (breadth-first, bounded). */
function enable(model: Replayable, s: State, w: TraceStep): Succ[] | undefined {
  const seen = new Set<string>([model.system.key(s)]);
  let level: { state: State; path: Succ[] }[] = [{ state: s, path: [] }];
  for (let depth = 0; depth < EXTRA_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { state, path } of level) {
      for (const x of successors(model, state)) {
        if (!ownStep(x.label, model.smmu)) continue;
        const k = model.system.key(x.next);
        if (seen.has(k)) continue;
        seen.add(k);
        if (seen.size > EXTRA_STATES) return undefined;
        const p = [...path, x];
        if (find(model, x.next, w)) return p;
        next.push({ state: x.next, path: p });
      }
    }
    level = next;
  }
  return undefined;
}

/** The weaker counterexample replayed against `model`'s strategy. */
export function replayAgainst(anyModel: AnyModel, weaker: string, counterexample: { property: string; reason: string; steps: readonly TraceStep[] }): Blocked {
  const smmu = isSmmu(anyModel);
  // Either arch's system, its states opaque to the replay; parts described as its traces do.
  const model: Replayable = { system: anyModel.system as unknown as Replayable['system'], smmu };
  const describe = (x: State): Record<string, string> => (isSmmu(anyModel) ? anyModel.describe(x as unknown as Parameters<SmmuModel['describe']>[0]) : describeParts(x, anyModel));
  const out: Blocked = { weaker, property: counterexample.property, weakerSteps: counterexample.steps.length, blocked: true, replay: [] };
  let s = model.system.initial();
  const steps: TraceStep[] = [];
  let parts = describe(s);
  const take = (x: Succ, w?: TraceStep) => {
    const differs = w !== undefined && x.label.text !== w.text;
    out.replay.push({ step: out.replay.length + 1, text: x.label.text, ...(w ? { weakerStep: w.index } : {}), ...(differs ? { differs } : {}) });
    const now = describe(x.next);
    steps.push({ index: steps.length + 1, lane: x.label.lane, text: x.label.text, changes: changedParts(parts, now), ...(x.label.message ? { message: x.label.message } : {}) });
    parts = now;
    s = x.next;
  };
  const done = (b: Blocked): Blocked => {
    const where = !b.blocked ? 'not blocked' : b.at?.violationGone ? `the violation is gone at its step ${b.at.step}` : `blocked at its step ${b.at?.step}`;
    b.trace = { title: `${anyModel.strategy.name}: ${weaker}'s run replayed, ${where}`, steps };
    return b;
  };
  for (const w of counterexample.steps) {
    let x = find(model, s, w);
    if (!x) {
      const extra = enable(model, s, w);
      if (extra) {
        for (const e of extra) take(e);
        x = find(model, s, w);
      }
    }
    // A driver step of the weaker strategy that this one has not in any form (another
    // context: posted-v1 flushes the Device-TLB in the sync, jason after the writer) has
    // no counterpart: this driver runs its own program, taken as extra steps when needed.
    if (!x && w.lane === 'driver' && !w.text.startsWith('CPU: strategy returns')) continue;
    if (!x) {
      out.at = { step: w.index, text: w.text, violationGone: false };
      return done(withBlocker(out, counterexample.reason, smmu));
    }
    take(x, w);
  }
  const inv = model.system.invariants.find((i) => i.name === counterexample.property);
  const deadlock = counterexample.property === 'termination' && model.system.deadlock?.(s) && successors(model, s).length === 0;
  if ((inv && inv.check(s) !== null) || deadlock) {
    out.blocked = false;
    return done(out);
  }
  const last = counterexample.steps[counterexample.steps.length - 1];
  out.at = { step: last?.index ?? 0, text: last?.text ?? '', violationGone: true };
  return done(withBlocker(out, counterexample.reason, smmu));
}

/** Which descriptors remove what a violation names (as why.ts remedyFor: VT-d 6.5.2.4-6.5.2.6). */
function remedyPattern(reason: string, smmu = false): RegExp | undefined {
  if (smmu) return smmuRemedyPattern(reason);
  if (/ATC|Translation Completion/.test(reason)) return /DEV_TLB_INV/;
  if (/IOTLB/.test(reason)) return /IOTLB/;
  if (/PASID cache/.test(reason)) return /PC_INV/;
  return undefined;
}

/** The same on SMMUv3 (as why.ts smmuRemedyFor): the ATC, the TLB, the configuration cache. */
function smmuRemedyPattern(text: string): RegExp | undefined {
  if (/ATC|Translation Completion/.test(text)) return /CMD_ATC_INV/;
  if (/TLB/.test(text)) return /CMD_TLBI_/;
  if (/configuration/.test(text)) return /CMD_CFGI_/;
  return undefined;
}

/** The descriptor a queue step executes (`IOMMU: P_IOTLB ... done`), if it is one and not a wait. */
function descriptorOf(text: string, smmu = false): string | undefined {
  if (smmu) return /^SMMU: (?:Invalidate Completion received, )?(CMD_(?!SYNC).*?)(?: done|: sends Invalidate Request)$/.exec(text)?.[1];
  const m = /^IOMMU: (?:Invalidate Completion received, )?(.*?)(?: done|: sends Invalidate Request)$/.exec(text);
  return m && !m[1].startsWith('INV_WAIT') ? m[1] : undefined;
}

/**
 * The blocker: among this strategy's own steps, the last descriptor executed that removes
 * what the violation names (else the last descriptor, else the last own step), with the
 * submission it came from.
 */
function withBlocker(out: Blocked, reason: string, smmu = false): Blocked {
  const own = out.replay.filter((r) => r.weakerStep === undefined || r.differs).reverse();
  const descriptors = own.filter((r) => r.weakerStep === undefined && descriptorOf(r.text, smmu) !== undefined);
  // What the blocked step needs (an IOTLB hit: an IOTLB inv removed it), else what the violation names.
  const pattern = (out.at && !out.at.violationGone ? remedyPattern(out.at.text, smmu) : undefined) ?? remedyPattern(reason, smmu);
  const queue = (pattern && descriptors.find((r) => pattern.test(descriptorOf(r.text, smmu)!))) ?? descriptors[0];
  const pick = queue ?? own[0];
  if (!pick) return out;
  out.by = { step: pick.step, text: pick.text };
  const name = queue && descriptorOf(queue.text, smmu);
  if (queue && name) {
    const sub = out.replay.slice(0, queue.step - 1).reverse().find((r) => r.text.startsWith('CPU: submit ') && r.text.includes(name));
    if (sub) out.by.submittedAt = { step: sub.step, text: sub.text };
  }
  return out;
}

/** For `check --why` on a safe verdict: find the nearest weaker strategy and replay it. */
export function explainSafe(input: ScenarioInput, options: CheckOptions = {}, against?: { name: string; result: CheckResult }): Blocked | undefined {
  const model: AnyModel = input.arch === 'smmuv3' ? buildSmmuModel(input, options) : buildModel(input, options);
  // A given unsafe check (notebooks: the one drawn beside), else the nearest weaker one.
  const weaker = against ?? nearestWeaker(model, options);
  const trace = weaker?.result.violations[0]?.trace;
  if (!weaker || !trace) return undefined;
  return replayAgainst(model, weaker.name, { property: weaker.result.violations[0].property, reason: trace.violation?.reason ?? '', steps: trace.steps });
}
