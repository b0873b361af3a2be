/**
 * Stepping the hardware by hand, for notebooks: build a scenario, list the steps enabled
 * now (each named by its part), take one by number or by a piece of its text, and see what
 * every part holds. The same model the checker explores, one chosen step at a time.
 */
import { buildModel, type Model } from '../model/build';
import { changedParts, describeParts } from './check';
import type { ScenarioInput } from './result';
import type { Trace, TraceStep } from '../model/trace';
import type { State } from '../model/state';
import type { StepLabel } from '../model/context';

export interface Stepper {
  model: Model;
  /** The steps enabled now, in the checker's order: "Device: ATS Translation Request #1 …". */
  enabled(): string[];
  /** Take the step with this number (from enabled()) or the only one whose text contains this. */
  take(which: number | string): Stepper;
  /** What every part holds now, one line each. */
  parts(): Record<string, string>;
  /** Properties that fail in the current state (empty when all hold). */
  violations(): { property: string; reason: string }[];
  /** The steps taken so far, as a trace the presentation layer draws. */
  trace(title?: string): Trace;
  state(): State;
}

export function stepper(input: ScenarioInput): Stepper {
  const model = buildModel(input);
  let state = model.system.initial();
  const taken: TraceStep[] = [];
  const self: Stepper = {
    model,
    enabled: () => model.system.successors(state).map((m) => (m.label as () => StepLabel)().text),
    take(which) {
      const moves = model.system.successors(state);
      const texts = moves.map((m) => (m.label as () => StepLabel)().text);
      let i: number;
      if (typeof which === 'number') i = which;
      else {
        const found = texts.map((t, k) => (t.includes(which) ? k : -1)).filter((k) => k >= 0);
        if (found.length !== 1) {
          throw new Error(found.length === 0
            ? `no enabled step matches '${which}'; enabled: ${texts.join(' | ')}`
            : `'${which}' matches ${found.length} steps: ${found.map((k) => texts[k]).join(' | ')}`);
        }
        i = found[0];
      }
      if (i < 0 || i >= moves.length) throw new Error(`step ${i} is not enabled (0..${moves.length - 1})`);
      const before = describeParts(state, model);
      state = moves[i].next;
      const after = describeParts(state, model);
      const label = (moves[i].label as () => StepLabel)();
      taken.push({
        index: taken.length + 1, lane: label.lane, text: label.text,
        changes: changedParts(before, after),
        ...(label.message ? { message: label.message } : {}),
      });
      return self;
    },
    parts: () => describeParts(state, model),
    violations() {
      const out = model.system.invariants.map((inv) => ({ property: inv.name, reason: inv.check(state) })).filter((v): v is { property: string; reason: string } => v.reason !== null);
      if (model.system.successors(state).length === 0) {
        const d = model.system.deadlock?.(state);
        if (d) out.push(d);
      }
      return out;
    },
    trace(title) {
      const v = self.violations()[0];
      return {
        title: title ?? model.name, steps: [...taken],
        ...(v && taken.length ? { violation: { property: v.property, step: taken.length, reason: v.reason } } : {}),
      };
    },
    state: () => state,
  };
  return self;
}
