/**
 * Small models for the engine's tests, written in a tiny guarded-command language so that
 * footprints are derived from what each command declares it reads and writes (the same
 * contract a real model follows). Processes have a program counter `pc:<name>`; a
 * command's footprint is its declared reads/writes plus that pc.
 */
import type { ActorFootprint, Successor, TransitionSystem, Violation } from '../../src/engine/types';

export type Vars = Record<string, number>;

export interface Command {
  label: string;
  from: number;
  to: number;
  /** Every variable the guard or the action reads (guard included: C1 depends on it). */
  reads: string[];
  /** Every variable the action may change. */
  writes: string[];
  when?: (v: Vars) => boolean;
  act?: (v: Vars) => void;
}

export interface Process {
  name: string;
  commands: Command[];
  /** Locations where the process may stop (a state with every process there is no deadlock). */
  final?: number[];
}

export interface ProgramSpec {
  vars: Vars;
  processes: Process[];
  /** Each invariant declares the variables it reads; steps writing them are visible. */
  invariants: { name: string; reads: string[]; check: (v: Vars) => string | null }[];
  /** Report a deadlock when no process can move and some process is not at a final location. */
  deadlocks?: boolean;
  /** Give the system a packing (fixed-size encoding) so the packed visited set is used. */
  packed?: boolean;
  /** Drop the footprints (then `ample` must behave as `none`). */
  noFootprints?: boolean;
}

export type ProgramState = Vars;

export function program(spec: ProgramSpec): TransitionSystem<ProgramState, string> {
  const names = [...Object.keys(spec.vars), ...spec.processes.map((p) => `pc:${p.name}`)];
  const visibleVars = new Set(spec.invariants.flatMap((i) => i.reads));
  const staticFootprint = new Map<string, ActorFootprint>();
  for (const p of spec.processes) {
    const pc = `pc:${p.name}`;
    staticFootprint.set(p.name, {
      reads: [...new Set([pc, ...p.commands.flatMap((c) => c.reads)])],
      writes: [...new Set([pc, ...p.commands.flatMap((c) => c.writes)])],
    });
  }
  const system: TransitionSystem<ProgramState, string> = {
    initial() {
      const s: Vars = { ...spec.vars };
      for (const p of spec.processes) s[`pc:${p.name}`] = 0;
      return s;
    },
    successors(s) {
      const out: Successor<ProgramState, string>[] = [];
      for (const p of spec.processes) {
        const pc = `pc:${p.name}`;
        for (const c of p.commands) {
          if (s[pc] !== c.from || (c.when && !c.when(s))) continue;
          const next = { ...s };
          c.act?.(next);
          next[pc] = c.to;
          const succ: Successor<ProgramState, string> = { label: `${p.name}: ${c.label}`, next };
          if (!spec.noFootprints) {
            succ.footprint = {
              actor: p.name,
              reads: [pc, ...c.reads],
              writes: [pc, ...c.writes],
              visible: c.writes.some((w) => visibleVars.has(w)),
            };
          }
          out.push(succ);
        }
      }
      return out;
    },
    key: (s) => names.map((n) => s[n]).join(','),
    invariants: spec.invariants.map((i) => ({ name: i.name, check: i.check })),
    actors: () => spec.processes.map((p) => p.name),
    actorFootprint(s, actor) {
      const p = spec.processes.find((q) => q.name === actor)!;
      const pc = `pc:${actor}`;
      const here = p.commands.filter((c) => c.from === s[pc]);
      return { ...staticFootprint.get(actor)!, guards: [...new Set([pc, ...here.flatMap((c) => c.reads)])] };
    },
  };
  if (spec.deadlocks) {
    system.deadlock = (s): Violation | null => {
      const stuck = spec.processes.filter((p) => !(p.final ?? []).includes(s[`pc:${p.name}`]));
      return stuck.length === 0 ? null : { property: 'deadlock', reason: `stuck: ${stuck.map((p) => `${p.name}@${s[`pc:${p.name}`]}`).join(', ')}` };
    };
  }
  if (spec.packed) {
    system.packing = {
      words: names.length,
      encode: (s, out, at) => names.forEach((n, i) => (out[at + i] = s[n])),
    };
  }
  if (spec.noFootprints) {
    delete system.actors;
    delete system.actorFootprint;
  }
  return system;
}

/** n counters of m values; process i increments counter i modulo m. */
export function counters(n: number, m: number, opts: { bad?: (v: Vars) => boolean; reads?: string[]; packed?: boolean } = {}) {
  const vars: Vars = {};
  for (let i = 0; i < n; i++) vars[`c${i}`] = 0;
  return program({
    vars,
    packed: opts.packed,
    processes: Array.from({ length: n }, (_, i) => ({
      name: `p${i}`,
      commands: [{ label: `c${i}++`, from: 0, to: 0, reads: [`c${i}`], writes: [`c${i}`], act: (v: Vars) => void (v[`c${i}`] = (v[`c${i}`] + 1) % m) }],
    })),
    invariants: opts.bad ? [{ name: 'not-bad', reads: opts.reads ?? Object.keys(vars), check: (v) => (opts.bad!(v) ? 'bad state reached' : null) }] : [],
  });
}

/** A lock protocol; with `buggy` the test and the set of the lock are separate steps. */
export function mutex(buggy: boolean, thinkSteps = 2) {
  const procs: Process[] = [0, 1].map((i) => {
    const cs = `cs${i}`;
    const work = `work${i}`;
    const enter: Command[] = buggy
      ? [
          { label: 'test lock', from: 0, to: 1, reads: ['lock'], writes: [], when: (v) => v.lock === 0 },
          { label: 'set lock', from: 1, to: 2, reads: [], writes: ['lock', cs], act: (v) => ((v.lock = 1), (v[cs] = 1)) },
        ]
      : [
          { label: 'test-and-set lock', from: 0, to: 2, reads: ['lock'], writes: ['lock', cs], when: (v) => v.lock === 0, act: (v) => ((v.lock = 1), (v[cs] = 1)) },
        ];
    const think: Command[] = Array.from({ length: thinkSteps }, (_, k) => ({
      label: `think ${k}`,
      from: 3 + k,
      to: k === thinkSteps - 1 ? 0 : 4 + k,
      reads: [work],
      writes: [work],
      act: (v: Vars) => void (v[work] = (v[work] + 1) % 3),
    }));
    return {
      name: `P${i}`,
      commands: [
        ...enter,
        { label: 'release', from: 2, to: thinkSteps > 0 ? 3 : 0, reads: [], writes: ['lock', cs], act: (v) => ((v.lock = 0), (v[cs] = 0)) },
        ...think,
      ],
    };
  });
  return program({
    vars: { lock: 0, cs0: 0, cs1: 0, work0: 0, work1: 0 },
    processes: procs,
    invariants: [{ name: 'mutual-exclusion', reads: ['cs0', 'cs1'], check: (v) => (v.cs0 && v.cs1 ? 'both in the critical section' : null) }],
  });
}

/** Peterson's algorithm; `buggy` sets turn before its own flag (the classic mistake). */
export function peterson(buggy: boolean) {
  const procs: Process[] = [0, 1].map((i) => {
    const j = 1 - i;
    const flag = `flag${i}`;
    const cs = `cs${i}`;
    const local = `local${i}`;
    const setFlag: Command = { label: `${flag} = 1`, from: buggy ? 1 : 0, to: buggy ? 2 : 1, reads: [], writes: [flag], act: (v) => void (v[flag] = 1) };
    const setTurn: Command = { label: `turn = ${j}`, from: buggy ? 0 : 1, to: buggy ? 1 : 2, reads: [], writes: ['turn'], act: (v) => void (v.turn = j) };
    return {
      name: `P${i}`,
      commands: [
        setFlag,
        setTurn,
        { label: 'enter', from: 2, to: 3, reads: [`flag${j}`, 'turn'], writes: [cs], when: (v) => v[`flag${j}`] === 0 || v.turn === i, act: (v) => void (v[cs] = 1) },
        { label: 'leave', from: 3, to: 4, reads: [], writes: [cs, flag], act: (v) => ((v[cs] = 0), (v[flag] = 0)) },
        { label: 'local work', from: 4, to: 5, reads: [local], writes: [local], act: (v) => void (v[local] = (v[local] + 1) % 2) },
        { label: 'more local work', from: 5, to: 0, reads: [local], writes: [local], act: (v) => void (v[local] = (v[local] + 1) % 2) },
      ],
    };
  });
  return program({
    vars: { flag0: 0, flag1: 0, turn: 0, cs0: 0, cs1: 0, local0: 0, local1: 0 },
    processes: procs,
    invariants: [{ name: 'mutual-exclusion', reads: ['cs0', 'cs1'], check: (v) => (v.cs0 && v.cs1 ? 'both in the critical section' : null) }],
  });
}

/**
 * A bounded buffer of `size`; producers check for room and then add in a second step, so
 * two producers can overfill it. A counter actor ticks independently (reduction fodder).
 */
export function producerConsumer(producers: number, size = 2) {
  const procs: Process[] = Array.from({ length: producers }, (_, i) => ({
    name: `producer${i}`,
    commands: [
      { label: 'make item', from: 0, to: 1, reads: [`made${i}`], writes: [`made${i}`], act: (v) => void (v[`made${i}`] = (v[`made${i}`] + 1) % 2) },
      { label: 'check room', from: 1, to: 2, reads: ['count'], writes: [], when: (v) => v.count < size },
      { label: 'put', from: 2, to: 0, reads: ['count'], writes: ['count'], act: (v) => void v.count++ },
    ],
  }));
  procs.push({
    name: 'consumer',
    commands: [
      { label: 'take', from: 0, to: 1, reads: ['count'], writes: ['count'], when: (v) => v.count > 0, act: (v) => void v.count-- },
      { label: 'use item', from: 1, to: 0, reads: ['used'], writes: ['used'], act: (v) => void (v.used = (v.used + 1) % 3) },
    ],
  });
  procs.push({
    name: 'ticker',
    commands: [{ label: 'tick', from: 0, to: 0, reads: ['tick'], writes: ['tick'], act: (v) => void (v.tick = (v.tick + 1) % 4) }],
  });
  const vars: Vars = { count: 0, used: 0, tick: 0 };
  for (let i = 0; i < producers; i++) vars[`made${i}`] = 0;
  return program({
    vars,
    processes: procs,
    invariants: [{ name: 'no-overflow', reads: ['count'], check: (v) => (v.count > size ? `buffer holds ${v.count} > ${size}` : null) }],
  });
}

/** Two processes take locks a and b; with `opposite` in opposite orders (deadlock). */
export function lockOrder(opposite: boolean) {
  const proc = (name: string, first: string, second: string): Process => ({
    name,
    final: [5],
    commands: [
      { label: `warm up`, from: 0, to: 1, reads: [`w${name}`], writes: [`w${name}`], act: (v) => void (v[`w${name}`] = 1) },
      { label: `take ${first}`, from: 1, to: 2, reads: [first], writes: [first], when: (v) => v[first] === 0, act: (v) => void (v[first] = 1) },
      { label: `take ${second}`, from: 2, to: 3, reads: [second], writes: [second], when: (v) => v[second] === 0, act: (v) => void (v[second] = 1) },
      { label: `drop ${second}`, from: 3, to: 4, reads: [], writes: [second], act: (v) => void (v[second] = 0) },
      { label: `drop ${first}`, from: 4, to: 5, reads: [], writes: [first], act: (v) => void (v[first] = 0) },
    ],
  });
  return program({
    vars: { a: 0, b: 0, wA: 0, wB: 0 },
    processes: [proc('A', 'a', 'b'), opposite ? proc('B', 'b', 'a') : proc('B', 'a', 'b')],
    invariants: [],
    deadlocks: true,
  });
}

/**
 * Two processes each raise and lower their own flag; both up at once is bad. The bad
 * state is only reached by interleaving the two visible raises: a reduction that postponed
 * visible steps (no C2) would run one process to the end first and miss it.
 */
export function toggles() {
  const proc = (name: string, flag: string): Process => ({
    name,
    final: [2],
    commands: [
      { label: `${flag} = 1`, from: 0, to: 1, reads: [], writes: [flag], act: (v) => void (v[flag] = 1) },
      { label: `${flag} = 0`, from: 1, to: 2, reads: [], writes: [flag], act: (v) => void (v[flag] = 0) },
    ],
  });
  return program({
    vars: { x: 0, y: 0 },
    processes: [proc('P', 'x'), proc('Q', 'y')],
    invariants: [{ name: 'not-both', reads: ['x', 'y'], check: (v) => (v.x && v.y ? 'both flags up' : null) }],
  });
}

/**
 * P can take a local step to a dead end, or — once Q has set `go` — a guarded step that
 * breaks the invariant. The guarded step is disabled in the initial state; a reduction
 * that looked only at P's enabled steps (no guards) would let P wander off first.
 */
export function enabledLater() {
  return program({
    vars: { go: 0, bad: 0, l: 0 },
    processes: [
      {
        name: 'P',
        commands: [
          { label: 'wander off', from: 0, to: 3, reads: ['l'], writes: ['l'], act: (v) => void (v.l = 1) },
          { label: 'go', from: 0, to: 2, reads: ['go'], writes: ['bad'], when: (v) => v.go === 1, act: (v) => void (v.bad = 1) },
        ],
      },
      { name: 'Q', commands: [{ label: 'set go', from: 0, to: 1, reads: [], writes: ['go'], act: (v) => void (v.go = 1) }] },
    ],
    invariants: [{ name: 'not-bad', reads: ['bad'], check: (v) => (v.bad ? 'bad set' : null) }],
  });
}

/**
 * S sets `go` (invisible); W waits for `go`, then sets `w`; C counts c modulo 3 on its own.
 * Bad: W has set w while c is 2. W cannot move before S does, since only S writes `go`, so
 * S's step may be taken alone even though W will read `go` later (the search's C1 leaves
 * out actors only P can wake). With `rival`, a second process R also sets `go`: then W
 * could move first through R, and S's step is no longer independent of everything that
 * can happen before it.
 */
export function handoff(rival = false) {
  const setter = (name: string): Process => ({
    name,
    final: [1],
    commands: [{ label: 'go = 1', from: 0, to: 1, reads: [], writes: ['go'], act: (v) => void (v.go = 1) }],
  });
  return program({
    vars: { go: 0, w: 0, c: 0 },
    processes: [
      setter('S'),
      ...(rival ? [setter('R')] : []),
      {
        name: 'W',
        final: [1],
        commands: [{ label: 'w = 1', from: 0, to: 1, reads: ['go'], writes: ['w'], when: (v) => v.go === 1, act: (v) => void (v.w = 1) }],
      },
      { name: 'C', commands: [{ label: 'c++', from: 0, to: 0, reads: ['c'], writes: ['c'], act: (v) => void (v.c = (v.c + 1) % 3) }] },
    ],
    invariants: [{ name: 'not-bad', reads: ['w', 'c'], check: (v) => (v.w === 1 && v.c === 2 ? 'w set while c is 2' : null) }],
  });
}
