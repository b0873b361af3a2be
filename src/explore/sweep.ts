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
}

export const OPEN_ASSUMPTIONS: readonly string[] = ASSUMPTIONS.filter((a) => a.open).map((a) => a.name);

export function sweepScenario(input: ScenarioInput, options: SweepOptions = {}): SweepResult {
  const variables = options.variables ?? [...OPEN_ASSUMPTIONS];
  for (const v of variables) {
    const a = ASSUMPTIONS.find((x) => x.name === v);
    if (!a || a.type !== 'boolean') throw new Error(`cannot sweep '${v}': not a boolean assumption`);
  }
  const base = input.assume ?? 'spec';
  const t0 = Date.now();
  const total = 2 ** variables.length;
  const rows: SweepRow[] = [];
  let states = 0;
  for (let r = 0; r < total; r++) {
    // Binary counting order, first variable most significant (as conditionFromRows expects).
    const assignment: Record<string, boolean> = {};
    variables.forEach((v, i) => { assignment[v] = ((r >> (variables.length - 1 - i)) & 1) === 1; });
    const assume = `${base},${variables.map((v) => `${v}=${String(assignment[v])}`).join(',')}`;
    const result = checkModel(buildModel({ ...input, assume }, options), options);
    states += result.states;
    rows.push({ assumptions: assignment, verdict: result.verdict, states: result.states, ...(result.violations[0] ? { property: result.violations[0].property } : {}) });
    options.onProgress?.(r + 1, total);
  }
  const condition = conditionFromRows(variables, rows.map((x) => x.verdict));
  const strategy = typeof input.strategy === 'string' ? input.strategy : input.strategy.name;
  return { strategy, from: input.from, to: input.to, base, condition: condition.formula, variables, rows, states, millis: Date.now() - t0 };
}

export type { AssumptionValue };
