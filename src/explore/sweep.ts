/**
 * The sweep: a strategy over every combination of the open assumptions (the ones the spec
 * does not settle), reporting the minimal condition under which it is safe as a formula a
 * person can read in one line.
 */
import { ASSUMPTIONS, type AssumptionValue } from '../hw/assumptions';
import { conditionFromRows } from './engine/condition';
import type { Verdict } from './engine/types';
import { buildModel } from './model';
import { checkModel, type CheckOptions } from './check';
import type { ScenarioInput } from './result';

export interface SweepRow {
  assumptions: Record<string, boolean>;
  verdict: Verdict;
  states: number;
  /** The violated property, when unsafe. */
  property?: string;
}

export interface SweepResult {
  strategy: string;
  from: string;
  to: string;
  /** The fixed (non-swept) settings the sweep ran under, canonical text. */
  base: string;
  condition: string;
  variables: string[];
  rows: SweepRow[];
  states: number;
  millis: number;
}

export interface SweepOptions extends CheckOptions {
  /** Which open assumptions to vary (default: all open ones, in declaration order). */
  variables?: string[];
  /** Called after each row, e.g. to update a notebook display in place. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The whole sweep's time budget, as a Date.now() time (the same clock in every worker
   * thread): each row's check gets what is left, and rows reached after it are
   * inconclusive without a check.
   */
  deadline?: number;
}

export const OPEN_ASSUMPTIONS: readonly string[] = ASSUMPTIONS.filter((a) => a.open).map((a) => a.name);

/** Row r's assignment: binary counting, first variable most significant (as conditionFromRows expects). */
export function assignmentOf(variables: readonly string[], r: number): Record<string, boolean> {
  const assignment: Record<string, boolean> = {};
  variables.forEach((v, i) => { assignment[v] = ((r >> (variables.length - 1 - i)) & 1) === 1; });
  return assignment;
}

/** A row's answer, and which swept assumptions its check read (see RowMemo). */
export interface RowAnswer {
  verdict: Verdict;
  states: number;
  property?: string;
  /** Swept assumptions the check read; null: do not reuse (a time budget ran out). */
  consulted: string[] | null;
}

/** Checks one row of a sweep. */
export function checkRow(input: ScenarioInput, base: string, variables: readonly string[], assignment: Record<string, boolean>, options: CheckOptions & { deadline?: number }): RowAnswer {
  if (options.deadline !== undefined) {
    const left = options.deadline - Date.now();
    if (left <= 0) return { verdict: 'inconclusive', states: 0, consulted: null };
    const { deadline: _d, ...rest } = options;
    options = { ...rest, budget: { ...rest.budget, maxMillis: Math.min(rest.budget?.maxMillis ?? Infinity, left) } };
  }
  const assume = `${base},${variables.map((v) => `${v}=${String(assignment[v])}`).join(',')}`;
  const model = buildModel({ ...input, assume }, options);
  const result = checkModel(model, options);
  const read = new Set(model.ctx.hw.consulted());
  return {
    verdict: result.verdict,
    states: result.states,
    ...(result.violations[0] ? { property: result.violations[0].property } : {}),
    // A time or memory budget makes the answer depend on the machine, not only on what was read.
    consulted: result.exhausted === 'time' || result.exhausted === 'memory' ? null : variables.filter((v) => read.has(v)),
  };
}

/**
 * Rows already checked, for reuse. A check is deterministic, so its answer is a function
 * of the assumption values it read (hw/context.ts TrackedAssumptions): a row that agrees
 * with a checked row on every swept assumption that check read would run the very same
 * search, step for step, and gets its answer (verdict, states, property) without running
 * it. Rows are looked up in sweep order, so which rows are reused, and the output, never
 * depend on timing.
 */
export class RowMemo {
  private readonly entries: { assignment: Record<string, boolean>; answer: RowAnswer }[] = [];

  /** The answer of a checked row this one agrees with on everything that row's check read. */
  answer(assignment: Record<string, boolean>): RowAnswer | null {
    for (const e of this.entries) {
      if (e.answer.consulted!.every((v) => e.assignment[v] === assignment[v])) return e.answer;
    }
    return null;
  }

  remember(assignment: Record<string, boolean>, answer: RowAnswer): RowAnswer {
    if (answer.consulted) this.entries.push({ assignment, answer });
    return answer;
  }
}

export function toRow(assignment: Record<string, boolean>, a: RowAnswer): SweepRow {
  return { assumptions: assignment, verdict: a.verdict, states: a.states, ...(a.property ? { property: a.property } : {}) };
}

/** The swept variables (default: every open assumption), checked to be booleans. */
export function sweepVariables(options: SweepOptions): string[] {
  const variables = options.variables ?? [...OPEN_ASSUMPTIONS];
  for (const v of variables) {
    const a = ASSUMPTIONS.find((x) => x.name === v);
    if (!a || a.type !== 'boolean') throw new Error(`cannot sweep '${v}': not a boolean assumption`);
  }
  return variables;
}

/** A sweep's answer from its rows (in counting order). */
export function sweepResult(input: ScenarioInput, base: string, variables: string[], rows: SweepRow[], millis: number): SweepResult {
  const condition = conditionFromRows(variables, rows.map((x) => x.verdict));
  const strategy = typeof input.strategy === 'string' ? input.strategy : input.strategy.name;
  const states = rows.reduce((n, r) => n + r.states, 0);
  return { strategy, from: input.from, to: input.to, base, condition: condition.formula, variables, rows, states, millis };
}

export function sweepScenario(input: ScenarioInput, options: SweepOptions = {}): SweepResult {
  const variables = sweepVariables(options);
  const base = input.assume ?? 'spec';
  const t0 = Date.now();
  const total = 2 ** variables.length;
  const rows: SweepRow[] = [];
  const known = new RowMemo();
  for (let r = 0; r < total; r++) {
    const assignment = assignmentOf(variables, r);
    const row = toRow(assignment, known.answer(assignment) ?? known.remember(assignment, checkRow(input, base, variables, assignment, options)));
    rows.push(row);
    options.onProgress?.(r + 1, total);
  }
  return sweepResult(input, base, variables, rows, Date.now() - t0);
}

export type { AssumptionValue };
