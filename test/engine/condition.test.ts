/**
 * The minimal condition: the formula must evaluate exactly to the safe rows (fast-check
 * over random truth tables, checked by a brute-force evaluator written here), be minimal
 * (compared with every cover by prime implicants for small n), name variables in the given
 * order, and never count an inconclusive row as safe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { conditionFromRows, minimalCondition, minimalConditionAsync } from '../../src/engine/condition';
import type { Verdict } from '../../src/engine/types';

/** An evaluator independent of the implementation: parses `a || (b && !c)`. */
function evaluate(formula: string, assignment: Record<string, boolean>): boolean {
  const f = formula.replace(/ \(\d+ rows? inconclusive\)$/, '');
  if (f === 'always') return true;
  if (f === 'never') return false;
  return f.split(' || ').some((term) =>
    term
      .replace(/^\((.*)\)$/, '$1')
      .split(' && ')
      .every((lit) => {
        const neg = lit.startsWith('!');
        const name = neg ? lit.slice(1) : lit;
        assert.ok(name in assignment, `unknown variable ${name} in ${formula}`);
        return assignment[name] !== neg;
      }),
  );
}

function terms(formula: string): string[][] {
  const f = formula.replace(/ \(\d+ rows? inconclusive\)$/, '');
  if (f === 'always' || f === 'never') return [];
  return f.split(' || ').map((t) => t.replace(/^\((.*)\)$/, '$1').split(' && '));
}

const names = ['iotlb-lookup-uses-did', 'pc-inv-drops-iotlb', 'inv-may-pass-completion', 'coherent', 'caching-mode', 'e', 'f', 'g'];

test('the example of the brief: a || (b && !c)', () => {
  const vars = ['iotlb-lookup-uses-did', 'pc-inv-drops-iotlb', 'inv-may-pass-completion'];
  const c = minimalCondition(vars, (a) => a['iotlb-lookup-uses-did'] || (a['pc-inv-drops-iotlb'] && !a['inv-may-pass-completion']));
  assert.equal(c.formula, 'iotlb-lookup-uses-did || (pc-inv-drops-iotlb && !inv-may-pass-completion)');
  assert.equal(c.rows.length, 8);
  assert.deepEqual(c.rows[0], { assignment: { 'iotlb-lookup-uses-did': false, 'pc-inv-drops-iotlb': false, 'inv-may-pass-completion': false }, verdict: 'unsafe' });
  assert.deepEqual(c.rows[4].assignment, { 'iotlb-lookup-uses-did': true, 'pc-inv-drops-iotlb': false, 'inv-may-pass-completion': false });
  assert.equal(c.minimal, true);
});

test('always, never, a single term, no variables', () => {
  assert.equal(minimalCondition(['a', 'b'], () => true).formula, 'always');
  assert.equal(minimalCondition(['a', 'b'], () => false).formula, 'never');
  assert.equal(minimalCondition(['a', 'b', 'c'], (v) => v.a && !v.c).formula, 'a && !c');
  assert.equal(minimalCondition(['a', 'b'], (v) => !v.b).formula, '!b');
  assert.equal(minimalCondition([], () => true).formula, 'always');
  assert.equal(minimalCondition([], () => false).formula, 'never');
  // Exclusive or has no shorter DNF than its two minterms.
  assert.equal(minimalCondition(['a', 'b'], (v) => v.a !== v.b).formula, '(a && !b) || (!a && b)');
});

test('variables appear in the order given, whatever their names', () => {
  const c = minimalCondition(['zeta', 'alpha'], (v) => v.alpha && v.zeta);
  assert.equal(c.formula, 'zeta && alpha');
  assert.equal(minimalCondition(['zeta', 'alpha'], (v) => v.alpha || v.zeta).formula, 'zeta || alpha');
});

test('inconclusive rows are never counted as safe, and are announced', () => {
  const c = minimalCondition(['a', 'b'], (v) => (v.a && v.b ? 'inconclusive' : v.a));
  // Rows: a=1,b=0 safe; a=1,b=1 unknown. The formula covers only the proven row.
  assert.equal(c.formula, 'a && !b (1 row inconclusive)');
  assert.equal(c.inconclusive, 1);
  assert.equal(c.rows[3].verdict, 'inconclusive');
  assert.equal(minimalCondition(['a'], () => 'inconclusive').formula, 'never (2 rows inconclusive)');
  assert.equal(minimalCondition(['a', 'b'], (v) => (v.a ? 'inconclusive' : true)).formula, '!a (2 rows inconclusive)');
});

test('bad input is refused', () => {
  assert.throws(() => minimalCondition(['a', 'a'], () => true), /twice/);
  assert.throws(() => minimalCondition(['a b'], () => true), /unambiguously/);
  assert.throws(() => minimalCondition(['a'], () => 'yes' as unknown as boolean), /true, false or 'inconclusive'/);
  assert.throws(() => conditionFromRows(['a'], ['safe']), /expected 2 verdicts/);
});

test('async checks give the same condition', async () => {
  const f = (v: Record<string, boolean>) => v.a || !v.c;
  const sync = minimalCondition(['a', 'b', 'c'], f);
  const asyncC = await minimalConditionAsync(['a', 'b', 'c'], async (v) => f(v));
  assert.deepEqual(asyncC, sync);
});

const table = fc.integer({ min: 0, max: 6 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.constantFrom<Verdict>('safe', 'unsafe', 'safe', 'unsafe', 'inconclusive'), { minLength: 2 ** n, maxLength: 2 ** n })),
);

test('property: the formula is true exactly on the safe rows', () => {
  fc.assert(
    fc.property(table, ([n, verdicts]) => {
      const vars = names.slice(0, n);
      const c = conditionFromRows(vars, verdicts);
      const unknown = verdicts.filter((v) => v === 'inconclusive').length;
      assert.equal(c.inconclusive, unknown);
      if (unknown > 0) assert.ok(c.formula.endsWith(` (${unknown} ${unknown === 1 ? 'row' : 'rows'} inconclusive)`));
      else assert.ok(!c.formula.includes('inconclusive'));
      c.rows.forEach((row, r) => {
        assert.equal(row.verdict, verdicts[r]);
        assert.equal(evaluate(c.formula, row.assignment), verdicts[r] === 'safe', `row ${r} of ${c.formula}`);
      });
      // Literals inside a term follow the given variable order.
      for (const t of terms(c.formula)) {
        const idx = t.map((lit) => vars.indexOf(lit.replace(/^!/, '')));
        assert.deepEqual(idx, [...idx].sort((a, b) => a - b));
      }
    }),
    { numRuns: 500, seed: 5 },
  );
});

/** Brute force: every prime implicant, then the cheapest cover over all subsets. */
function bruteMinimum(n: number, safe: boolean[]): { terms: number; literals: number } {
  const cubes: { lits: number; rows: number[] }[] = [];
  // A cube assigns each variable 0, 1 or "absent" (3^n of them).
  for (let code = 0; code < 3 ** n; code++) {
    const digits: number[] = [];
    for (let j = 0, c = code; j < n; j++, c = Math.floor(c / 3)) digits.push(c % 3);
    const rows: number[] = [];
    for (let r = 0; r < 2 ** n; r++) {
      if (digits.every((d, j) => d === 2 || d === ((r >> (n - 1 - j)) & 1))) rows.push(r);
    }
    if (rows.every((r) => safe[r])) cubes.push({ lits: digits.filter((d) => d !== 2).length, rows });
  }
  const onset = safe.flatMap((s, r) => (s ? [r] : []));
  let best = { terms: Infinity, literals: Infinity };
  const k = cubes.length;
  for (let mask = 1; mask < 1 << k; mask++) {
    let t = 0;
    let l = 0;
    const covered = new Set<number>();
    for (let i = 0; i < k; i++) if (mask & (1 << i)) ((t += 1), (l += cubes[i].lits), cubes[i].rows.forEach((r) => covered.add(r)));
    if (t > best.terms) continue;
    if (onset.every((r) => covered.has(r)) && (t < best.terms || l < best.literals)) best = { terms: t, literals: l };
  }
  return best;
}

test('property: minimal (fewest terms, then literals) for up to 3 variables', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.boolean(), { minLength: 2 ** n, maxLength: 2 ** n }))), ([n, safe]) => {
      const c = conditionFromRows(names.slice(0, n), safe.map((s) => (s ? 'safe' : 'unsafe')));
      if (c.formula === 'always' || c.formula === 'never') return;
      const got = terms(c.formula);
      const best = bruteMinimum(n, safe);
      assert.equal(got.length, best.terms, c.formula);
      assert.equal(got.flat().length, best.literals, c.formula);
    }),
    { numRuns: 300, seed: 11 },
  );
});

test('twelve variables: all 4096 rows in well under a second, and deterministic', () => {
  const vars = Array.from({ length: 12 }, (_, i) => `v${i}`);
  const f = (v: Record<string, boolean>) => (v.v0 && !v.v3) || (v.v5 && v.v7 && v.v11) || (!v.v1 && !v.v2 && v.v9);
  const t0 = performance.now();
  const c = minimalCondition(vars, f);
  assert.ok(performance.now() - t0 < 2000);
  assert.equal(c.formula, '(v0 && !v3) || (!v1 && !v2 && v9) || (v5 && v7 && v11)');
  assert.deepEqual(minimalCondition(vars, f), c);
});
