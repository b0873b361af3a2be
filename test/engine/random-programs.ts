/**
 * Random small guarded-command programs (fast-check arbitraries) for the differential
 * tests: footprints are derived from the generated guards and actions, as a model would.
 */
import fc from 'fast-check';
import { program, type Command, type Process, type Vars } from './models';

const DOMAIN = 3;

interface Expr {
  guard?: { v: string; op: '==' | '!=' | '<'; k: number };
  action?: { target: string; source?: string; k: number };
}

const exprFor = (vars: string[]) =>
  fc.record(
    {
      guard: fc.option(fc.record({ v: fc.constantFrom(...vars), op: fc.constantFrom('==' as const, '!=' as const, '<' as const), k: fc.integer({ min: 0, max: DOMAIN - 1 }) }), { nil: undefined }),
      action: fc.option(fc.record({ target: fc.constantFrom(...vars), source: fc.option(fc.constantFrom(...vars), { nil: undefined }), k: fc.integer({ min: 0, max: DOMAIN - 1 }) }), { nil: undefined }),
    },
    { requiredKeys: [] },
  );

function command(i: number, from: number, to: number, e: Expr): Command {
  const reads = new Set<string>();
  const writes = new Set<string>();
  if (e.guard) reads.add(e.guard.v);
  if (e.action?.source) reads.add(e.action.source);
  if (e.action) writes.add(e.action.target);
  const g = e.guard;
  const a = e.action;
  const label = `${g ? `[${g.v}${g.op}${g.k}] ` : ''}${a ? `${a.target}:=${a.source ? `${a.source}+` : ''}${a.k}` : 'skip'} #${i}`;
  return {
    label,
    from,
    to,
    reads: [...reads],
    writes: [...writes],
    when: g ? (v: Vars) => (g.op === '==' ? v[g.v] === g.k : g.op === '!=' ? v[g.v] !== g.k : v[g.v] < g.k) : undefined,
    act: a ? (v: Vars) => void (v[a.target] = ((a.source ? v[a.source] : 0) + a.k) % DOMAIN) : undefined,
  };
}

export interface RandomProgramOptions {
  packed?: boolean;
}

/** 2–3 processes, 2–12 commands in all, over 2 shared and 2 local variables per process. */
export const randomProgram = fc
  .record({
    procs: fc.integer({ min: 2, max: 3 }),
    commands: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { minLength: 2, maxLength: 12 }),
    // Local variables are drawn more often than shared ones so that many programs have
    // independent steps for the reduction to prune.
    seedExprs: fc.array(exprFor(['x0', 'x1', 'own', 'own', 'own2', 'own2']), { minLength: 12, maxLength: 12 }),
    // A bad state on one shared variable, or on two at once (only reached by interleaving).
    bad: fc.option(fc.array(fc.tuple(fc.constantFrom('x0', 'x1', 'l0', 'l1'), fc.integer({ min: 1, max: DOMAIN - 1 })), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    deadlocks: fc.boolean(),
  })
  .map((r) => {
    const processes: Process[] = [];
    for (let p = 0; p < r.procs; p++) processes.push({ name: `P${p}`, commands: [], final: [0] });
    r.commands.forEach(([p, from, to], i) => {
      const proc = processes[p % r.procs];
      const e = r.seedExprs[i];
      // `own` is the process's local variable: only it touches it.
      const rename = (v: string) => (v === 'own' ? `l${p % r.procs}` : v === 'own2' ? `m${p % r.procs}` : v);
      const expr: Expr = {
        guard: e.guard ? { ...e.guard, v: rename(e.guard.v) } : undefined,
        action: e.action ? { ...e.action, target: rename(e.action.target), source: e.action.source ? rename(e.action.source) : undefined } : undefined,
      };
      proc.commands.push(command(i, from, to, expr));
    });
    const vars: Vars = { x0: 0, x1: 0 };
    for (let p = 0; p < r.procs; p++) vars[`l${p}`] = vars[`m${p}`] = 0;
    const bad = r.bad;
    const badText = bad ? bad.map(([v, k]) => `${v}=${k}`).join(' && ') : 'none';
    const describe = `${r.procs} processes; ${processes.map((p) => `${p.name}: ${p.commands.map((c) => `${c.from}->${c.to} ${c.label}`).join('; ')}`).join(' | ')}; bad ${badText}; deadlocks ${r.deadlocks}`;
    return {
      describe,
      build: (opts: RandomProgramOptions = {}) =>
        program({
          vars,
          processes,
          deadlocks: r.deadlocks,
          packed: opts.packed,
          invariants: bad ? [{ name: 'not-bad', reads: bad.map(([v]) => v), check: (v) => (bad.every(([x, k]) => v[x] === k) ? badText : null) }] : [],
        }),
    };
  });
