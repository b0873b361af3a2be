/**
 * The minimal condition under which something is safe, as a one-line formula over boolean
 * variables: evaluate every assignment, then minimise the set of safe rows to a DNF with
 * Quine–McCluskey (all prime implicants) and an exact, deterministic cover choice.
 *
 * Inconclusive rows are never counted as safe: the formula covers exactly the rows proven
 * safe (so it is a sufficient condition that was proven) and says how many rows are
 * unknown, e.g. `a || (b && !c) (3 rows inconclusive)`.
 */
import type { Verdict } from './types';

export interface ConditionRow {
  assignment: Record<string, boolean>;
  verdict: Verdict;
}

export interface Condition {
  /** `always`, `never`, or a DNF such as `a || (b && !c)`, plus the inconclusive suffix. */
  formula: string;
  /** Every possible assignment, in binary counting order with the first variable most significant. */
  rows: ConditionRow[];
  /** Rows whose verdict is inconclusive (counted as not safe in the formula). */
  inconclusive: number;
  /** False only if the exact cover search hit its node limit and kept the best found. */
  minimal: boolean;
}

/** More variables than this would mean 2^n checks; the sweep should not go there. */
export const MAX_CONDITION_VARIABLES = 16;
/** Nodes of the branch-and-bound cover search before settling for the best found. */
const COVER_NODE_LIMIT = 200_000;

export function minimalCondition(
  variables: string[],
  isSafe: (assignment: Record<string, boolean>) => boolean | 'inconclusive',
): Condition {
  const assignments = allAssignments(variables);
  return conditionFromRows(variables, assignments.map((a) => toVerdict(isSafe(a))));
}

/** The same, for checks that run asynchronously (e.g. on worker threads), all at once. */
export async function minimalConditionAsync(
  variables: string[],
  isSafe: (assignment: Record<string, boolean>) => Promise<boolean | 'inconclusive'>,
): Promise<Condition> {
  const assignments = allAssignments(variables);
  const answers = await Promise.all(assignments.map((a) => isSafe(a)));
  return conditionFromRows(variables, answers.map(toVerdict));
}

/**
 * Builds the condition from verdicts already computed, one per row in counting order. A
 * row marked `impossible` (an assignment that cannot occur, e.g. two booleans that encode
 * one enum) is a don't-care: the formula may cover it or not, whichever is shorter.
 */
export function conditionFromRows(variables: string[], verdicts: readonly (Verdict | 'impossible')[]): Condition {
  const n = variables.length;
  checkVariables(variables);
  const size = 2 ** n;
  if (verdicts.length !== size) throw new RangeError(`expected ${size} verdicts for ${n} variables, got ${verdicts.length}`);
  const assignments = allAssignments(variables);
  const rows: ConditionRow[] = [];
  const onset: number[] = [];
  const dontCare: number[] = [];
  let inconclusive = 0;
  for (let r = 0; r < size; r++) {
    const v = verdicts[r];
    if (v === 'impossible') {
      dontCare.push(r);
      continue;
    }
    rows.push({ assignment: assignments[r], verdict: v });
    if (v === 'safe') onset.push(r);
    else if (v === 'inconclusive') inconclusive++;
  }
  let formula: string;
  let minimal = true;
  if (onset.length === 0) formula = 'never';
  else if (onset.length + dontCare.length === size) formula = 'always';
  else {
    const primes = primeImplicants(n, [...onset, ...dontCare].sort((a, b) => a - b));
    const cover = minimumCover(n, onset, primes);
    minimal = cover.exact;
    const terms = cover.cubes.slice().sort((a, b) => compareCubes(n, a, b));
    const texts = terms.map((c) => termText(variables, c));
    formula = texts.length === 1 ? texts[0] : texts.map((t, i) => (literalCount(n, terms[i]) > 1 ? `(${t})` : t)).join(' || ');
  }
  if (inconclusive > 0) formula += ` (${inconclusive} ${inconclusive === 1 ? 'row' : 'rows'} inconclusive)`;
  return { formula, rows, inconclusive, minimal };
}

function toVerdict(answer: boolean | 'inconclusive'): Verdict {
  if (answer === 'inconclusive') return 'inconclusive';
  if (answer === true) return 'safe';
  if (answer === false) return 'unsafe';
  throw new TypeError(`isSafe must return true, false or 'inconclusive', got ${String(answer)}`);
}

function checkVariables(variables: string[]): void {
  if (variables.length > MAX_CONDITION_VARIABLES) throw new RangeError(`at most ${MAX_CONDITION_VARIABLES} variables, got ${variables.length}`);
  const seen = new Set<string>();
  for (const v of variables) {
    if (seen.has(v)) throw new RangeError(`variable ${v} given twice`);
    if (!/^[^\s()!|&]+$/.test(v)) throw new RangeError(`variable name ${JSON.stringify(v)} would not read unambiguously in a formula`);
    seen.add(v);
  }
}

/** Row r gives variable j the bit n-1-j of r: the first variable is the most significant. */
function allAssignments(variables: string[]): Record<string, boolean>[] {
  checkVariables(variables);
  const n = variables.length;
  const out: Record<string, boolean>[] = [];
  for (let r = 0; r < 2 ** n; r++) {
    const a: Record<string, boolean> = {};
    for (let j = 0; j < n; j++) a[variables[j]] = ((r >> (n - 1 - j)) & 1) === 1;
    out.push(a);
  }
  return out;
}

/** A cube: `value` on the cared-for bits, `mask` = don't-care bits (value is 0 there). */
interface Cube {
  value: number;
  mask: number;
}

function literalCount(n: number, c: Cube): number {
  let k = 0;
  for (let b = 0; b < n; b++) if (!(c.mask & (1 << b))) k++;
  return k;
}

/** Literal j per variable order: 0 positive, 1 negative, 2 absent. */
function literalCodes(n: number, c: Cube): number[] {
  const codes: number[] = [];
  for (let j = 0; j < n; j++) {
    const bit = 1 << (n - 1 - j);
    codes.push(c.mask & bit ? 2 : c.value & bit ? 0 : 1);
  }
  return codes;
}

/** Shorter terms first, then in variable order (positive before negative before absent). */
function compareCubes(n: number, a: Cube, b: Cube): number {
  const d = literalCount(n, a) - literalCount(n, b);
  if (d !== 0) return d;
  const ca = literalCodes(n, a);
  const cb = literalCodes(n, b);
  for (let j = 0; j < n; j++) if (ca[j] !== cb[j]) return ca[j] - cb[j];
  return 0;
}

function termText(variables: string[], c: Cube): string {
  const n = variables.length;
  return literalCodes(n, c)
    .map((code, j) => (code === 2 ? '' : code === 0 ? variables[j] : `!${variables[j]}`))
    .filter((s) => s !== '')
    .join(' && ');
}

/** Quine–McCluskey: merge cubes differing in one cared-for bit until nothing merges. */
function primeImplicants(n: number, onset: number[]): Cube[] {
  const size = 2 ** n;
  const keyOf = (value: number, mask: number) => mask * size + value;
  let current = new Set<number>(onset.map((m) => keyOf(m, 0)));
  const primes: Cube[] = [];
  while (current.size > 0) {
    const next = new Set<number>();
    const merged = new Set<number>();
    for (const key of current) {
      const mask = Math.floor(key / size);
      const value = key % size;
      for (let b = 0; b < n; b++) {
        const bit = 1 << b;
        if (mask & bit || value & bit) continue;
        const other = keyOf(value | bit, mask);
        if (current.has(other)) {
          next.add(keyOf(value, mask | bit));
          merged.add(key);
          merged.add(other);
        }
      }
    }
    for (const key of current) if (!merged.has(key)) primes.push({ value: key % size, mask: Math.floor(key / size) });
    current = next;
  }
  return primes.sort((a, b) => compareCubes(n, a, b));
}

/**
 * The fewest terms, then the fewest literals: essential primes, then branch and bound
 * on the uncovered row with the fewest covering primes. Deterministic (primes sorted).
 */
function minimumCover(n: number, onset: number[], primes: Cube[]): { cubes: Cube[]; exact: boolean } {
  const covers = primes.map((p) => onset.filter((m) => (m & ~p.mask) === p.value));
  const coveredBy = new Map<number, number[]>();
  for (const m of onset) coveredBy.set(m, []);
  covers.forEach((ms, i) => ms.forEach((m) => coveredBy.get(m)!.push(i)));
  const lits = primes.map((p) => literalCount(n, p));
  const minLits = Math.min(...lits);

  const chosen: number[] = [];
  const uncovered = new Set(onset);
  const take = (i: number) => {
    chosen.push(i);
    for (const m of covers[i]) uncovered.delete(m);
  };
  // Essential primes: the only cover of some row, in every solution.
  for (const m of onset) {
    const by = coveredBy.get(m)!;
    if (by.length === 1 && !chosen.includes(by[0])) take(by[0]);
  }

  let best: number[] | null = null;
  let bestTerms = Infinity;
  let bestLits = Infinity;
  let nodes = 0;
  let exact = true;
  const better = (t: number, l: number) => t < bestTerms || (t === bestTerms && l < bestLits);
  const rec = (picked: number[], open: Set<number>, t: number, l: number): void => {
    if (++nodes > COVER_NODE_LIMIT && best) {
      exact = false;
      return;
    }
    if (open.size === 0) {
      if (better(t, l)) {
        best = picked.slice();
        bestTerms = t;
        bestLits = l;
      }
      return;
    }
    if (!better(t + 1, l + minLits)) return;
    let pivot = -1;
    let fewest = Infinity;
    for (const m of open) {
      const k = coveredBy.get(m)!.length;
      if (k < fewest || (k === fewest && m < pivot)) {
        fewest = k;
        pivot = m;
      }
    }
    for (const i of coveredBy.get(pivot)!) {
      const rest = new Set(open);
      for (const m of covers[i]) rest.delete(m);
      picked.push(i);
      rec(picked, rest, t + 1, l + lits[i]);
      picked.pop();
    }
  };
  const baseLits = chosen.reduce((s, i) => s + lits[i], 0);
  rec([], uncovered, chosen.length, baseLits);
  const all = [...chosen, ...(best ?? [])];
  return { cubes: all.map((i) => primes[i]), exact };
}
