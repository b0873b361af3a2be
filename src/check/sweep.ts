/**
 * The sweep: a strategy over every combination of the open assumptions (the ones the spec
 * does not settle), reporting the minimal condition under which it is safe as a formula a
 * person can read in one line.
 */
import { ASSUMPTIONS, resolveAssumptions, type AssumptionValue } from '../model/assumptions';
import { conditionFromRows } from '../engine/condition';
import type { Verdict } from '../engine/types';
import { buildModel } from '../model/build';
import { checkModel, type CheckOptions } from './check';
import type { ScenarioInput } from './result';
import type { Arch } from '../model/build';
import { SMMU_ASSUMPTIONS, SMMU_OPEN_ASSUMPTIONS } from '../model/smmuv3/assumptions';
import { checkSmmuRow } from './smmuv3';

export interface SweepRow {
  /** The swept assumptions' values in this row (booleans, or an enum's value). */
  assumptions: Record<string, AssumptionValue>;
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
  /**
   * Reuse a checked row's answer for rows that agree with it on every assumption its check
   * read (RowMemo). Default true; false checks every row afresh (the test that the memo
   * changes nothing compares the two: test/model/sweep-memo.test.ts).
   */
  memo?: boolean;
}

export const OPEN_ASSUMPTIONS: readonly string[] = ASSUMPTIONS.filter((a) => a.open).map((a) => a.name);

/** An architecture's open assumptions, in declaration order (VT-d: OPEN_ASSUMPTIONS). */
export function openAssumptionsOf(arch: Arch | undefined): readonly string[] {
  return arch === 'smmuv3' ? SMMU_OPEN_ASSUMPTIONS : OPEN_ASSUMPTIONS;
}

/**
 * The values a swept assumption takes, in the order rows count them: false then true for
 * a boolean; an enum's values as declared (weakest guarantee first).
 */
export function sweepDomain(name: string): readonly AssumptionValue[] {
  // Either architecture's row: names are unique across both (the shared PCIe rows are VT-d's).
  const a = ASSUMPTIONS.find((x) => x.name === name) ?? SMMU_ASSUMPTIONS.find((x) => x.name === name);
  if (!a) throw new Error(`cannot sweep '${name}': no such assumption`);
  return a.type === 'boolean' ? [false, true] : a.values!;
}

/** How many rows a sweep over these variables has (the product of their domains' sizes). */
export function rowCount(variables: readonly string[]): number {
  return variables.reduce((n, v) => n * sweepDomain(v).length, 1);
}

/** Row r's assignment: mixed-radix counting, first variable most significant (binary counting for booleans). */
export function assignmentOf(variables: readonly string[], r: number): Record<string, AssumptionValue> {
  const assignment: Record<string, AssumptionValue> = {};
  for (let i = variables.length - 1; i >= 0; i--) {
    const dom = sweepDomain(variables[i]);
    assignment[variables[i]] = dom[r % dom.length];
    r = Math.floor(r / dom.length);
  }
  // Key order as given, not as filled.
  return Object.fromEntries(variables.map((v) => [v, assignment[v]]));
}

/**
 * The boolean variables the condition is written over: a boolean assumption stands for
 * itself; an enum with values v0 < v1 < ... becomes the thresholds `name>=v1`, `name>=v2`, ...
 * (declared order: each value promises at least what the one before it does).
 */
function conditionVariables(variables: readonly string[]): { names: string[]; of: { variable: string; threshold: number }[] } {
  const names: string[] = [];
  const of: { variable: string; threshold: number }[] = [];
  for (const v of variables) {
    const dom = sweepDomain(v);
    if (dom.length === 2 && dom[0] === false) {
      names.push(v);
      of.push({ variable: v, threshold: -1 });
      continue;
    }
    for (let k = 1; k < dom.length; k++) {
      names.push(`${v}>=${String(dom[k])}`);
      of.push({ variable: v, threshold: k });
    }
  }
  return { names, of };
}

/**
 * The minimal condition of a sweep's rows: every boolean assignment of the condition
 * variables is either one row (thresholds read off the enum's value) or impossible
 * (thresholds out of order), which the minimisation may treat as it likes.
 */
export function sweepCondition(variables: readonly string[], rows: readonly SweepRow[]): string {
  const { names, of } = conditionVariables(variables);
  const n = names.length;
  const verdicts: (Verdict | 'impossible')[] = [];
  for (let r = 0; r < 2 ** n; r++) {
    const bit = (j: number) => ((r >> (n - 1 - j)) & 1) === 1;
    // Recover each variable's value; thresholds must be monotone (>=v2 implies >=v1).
    const index: Record<string, number> = {};
    let possible = true;
    of.forEach((o, j) => {
      if (o.threshold < 0) index[o.variable] = bit(j) ? 1 : 0;
      else if (bit(j)) {
        if ((index[o.variable] ?? 0) !== o.threshold - 1) possible = false;
        index[o.variable] = o.threshold;
      } else index[o.variable] ??= 0;
    });
    if (!possible) {
      verdicts.push('impossible');
      continue;
    }
    let row = 0;
    for (const v of variables) row = row * sweepDomain(v).length + (index[v] ?? 0);
    verdicts.push(rows[row].verdict);
  }
  return conditionFromRows(names, verdicts).formula;
}

/** A row's answer, and which swept assumptions its check read (see RowMemo). */
export interface RowAnswer {
  verdict: Verdict;
  states: number;
  property?: string;
  /** Swept assumptions the check read; null: do not reuse (a time budget ran out). */
  consulted: string[] | null;
}

/**
 * Checks one row of a sweep. The row's values go to the model as values (the base
 * resolved, the row's assignment over it), not as text for it to parse again.
 */
export function checkRow(input: ScenarioInput, base: string, variables: readonly string[], assignment: Record<string, AssumptionValue>, options: CheckOptions & { deadline?: number }): RowAnswer {
  if (options.deadline !== undefined) {
    const left = options.deadline - Date.now();
    if (left <= 0) return { verdict: 'inconclusive', states: 0, consulted: null };
    const { deadline: _d, ...rest } = options;
    options = { ...rest, budget: { ...rest.budget, maxMillis: Math.min(rest.budget?.maxMillis ?? Infinity, left) } };
  }
  if (input.arch === 'smmuv3') return checkSmmuRow(input, base, variables, assignment, options);
  const assumptions = resolveAssumptions(base);
  for (const v of variables) (assumptions as Record<string, AssumptionValue>)[v] = assignment[v];
  const model = buildModel({ ...input, assume: base }, { ...options, assumptions });
  const result = checkModel(model, options);
  const read = new Set<string>(model.ctx.hw.consulted());
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
 * of the assumption values it read (model/context.ts TrackedAssumptions): a row that agrees
 * with a checked row on every swept assumption that check read would run the very same
 * search, step for step, and gets its answer (verdict, states, property) without running
 * it. Rows are looked up in sweep order, so which rows are reused, and the output, never
 * depend on timing.
 */
export class RowMemo {
  private readonly entries: { assignment: Record<string, AssumptionValue>; answer: RowAnswer }[] = [];

  /** The answer of a checked row this one agrees with on everything that row's check read. */
  answer(assignment: Record<string, AssumptionValue>): RowAnswer | null {
    for (const e of this.entries) {
      if (e.answer.consulted!.every((v) => e.assignment[v] === assignment[v])) return e.answer;
    }
    return null;
  }

  remember(assignment: Record<string, AssumptionValue>, answer: RowAnswer): RowAnswer {
    if (answer.consulted) this.entries.push({ assignment, answer });
    return answer;
  }
}

export function toRow(assignment: Record<string, AssumptionValue>, a: RowAnswer): SweepRow {
  return { assumptions: assignment, verdict: a.verdict, states: a.states, ...(a.property ? { property: a.property } : {}) };
}

/** The swept variables (default: every open assumption of the arch), checked to exist. */
export function sweepVariables(options: SweepOptions, arch?: Arch): string[] {
  const variables = options.variables ?? [...openAssumptionsOf(arch)];
  const table = arch === 'smmuv3' ? SMMU_ASSUMPTIONS : ASSUMPTIONS;
  for (const v of variables) {
    sweepDomain(v);
    if (!table.some((a) => a.name === v)) throw new Error(`cannot sweep '${v}': no such assumption${arch === 'smmuv3' ? ' for --arch smmuv3' : ''}`);
  }
  return variables;
}

/** A sweep's answer from its rows (in counting order). */
export function sweepResult(input: ScenarioInput, base: string, variables: string[], rows: SweepRow[], millis: number): SweepResult {
  const condition = { formula: sweepCondition(variables, rows) };
  const strategy = typeof input.strategy === 'string' ? input.strategy : input.strategy.name;
  const states = rows.reduce((n, r) => n + r.states, 0);
  return { strategy, from: input.from, to: input.to, base, condition: condition.formula, variables, rows, states, millis };
}

export function sweepScenario(input: ScenarioInput, options: SweepOptions = {}): SweepResult {
  const variables = sweepVariables(options, input.arch);
  const base = input.assume ?? 'spec';
  const t0 = Date.now();
  const rows = sweepRows(input, base, variables, options, 0, rowCount(variables));
  return sweepResult(input, base, variables, rows, Date.now() - t0);
}

/**
 * Rows from..to-1 of a sweep, in counting order (a shard of it, or all of it). A row's
 * answer does not depend on which other rows were checked (RowMemo only reuses answers a
 * check would give anyway), so shards put side by side are the whole sweep, row for row.
 */
export function sweepRows(input: ScenarioInput, base: string, variables: readonly string[], options: SweepOptions, from: number, to: number): SweepRow[] {
  const total = rowCount(variables);
  const rows: SweepRow[] = [];
  const known = options.memo === false ? null : new RowMemo();
  for (let r = from; r < to; r++) {
    const assignment = assignmentOf(variables, r);
    const fresh = (): RowAnswer => checkRow(input, base, variables, assignment, options);
    const row = toRow(assignment, known ? known.answer(assignment) ?? known.remember(assignment, fresh()) : fresh());
    rows.push(row);
    options.onProgress?.(r + 1 - from, total);
  }
  return rows;
}

export type { AssumptionValue };
