/**
 * Seeded random walks through a transition system: the independent witness for the
 * differential test "random simulation never finds a violation the exhaustive search calls
 * safe". It shares nothing with the search but the model (no hashing, no reduction).
 */
import type { SearchResult, TransitionSystem, Violation } from './types';

export interface SimulateOptions {
  /** Same seed, same walks, same answer. */
  seed: number;
  /** Number of walks, each from the initial state. */
  runs: number;
  /** Steps per walk at most. */
  maxDepth: number;
  /** Wall-time budget; the walks stop early when it runs out. Default 60 s. */
  maxMillis?: number;
}

export interface SimulationResult<S, L> {
  /** Walks started (fewer than asked when a violation or the time budget stopped them). */
  runs: number;
  /** Steps taken over all walks. */
  steps: number;
  /** The first violation found, with the walk that led to it (not the shortest). */
  counterexample?: NonNullable<SearchResult<S, L>['counterexample']>;
  /** The walk (0-based) that found it. */
  run?: number;
  /** Set when the time budget stopped the walks. */
  exhausted?: 'time';
  millis: number;
}

/**
 * mulberry32: a 32-bit PRNG in four lines. Written inline rather than taken from a library
 * because its whole behaviour must stay fixed for recorded seeds to keep reproducing, and
 * a dependency's generator may change between versions.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function simulate<S, L>(system: TransitionSystem<S, L>, options: SimulateOptions): SimulationResult<S, L> {
  const started = performance.now();
  const maxMillis = options.maxMillis ?? 60_000;
  const random = mulberry32(options.seed);
  const check = (s: S): Violation | null => {
    for (const inv of system.invariants) {
      const reason = inv.check(s);
      if (reason !== null) return { property: inv.name, reason };
    }
    return null;
  };
  let steps = 0;
  const finish = (r: Omit<SimulationResult<S, L>, 'steps' | 'millis'>): SimulationResult<S, L> => ({
    ...r,
    steps,
    millis: Math.round(performance.now() - started),
  });
  for (let run = 0; run < options.runs; run++) {
    if (performance.now() - started > maxMillis) return finish({ runs: run, exhausted: 'time' });
    const initial = system.initial();
    const path: { label: L; state: S }[] = [];
    let v = check(initial);
    let cur = initial;
    for (let d = 0; !v && d < options.maxDepth; d++) {
      const succ = system.successors(cur);
      if (succ.length === 0) {
        v = system.deadlock ? system.deadlock(cur) : null;
        break;
      }
      const step = succ[Math.floor(random() * succ.length)];
      path.push({ label: step.label, state: step.next });
      cur = step.next;
      steps++;
      v = check(cur);
    }
    // A walk cut by maxDepth in a state without successors still gets its deadlock check.
    if (!v && path.length === options.maxDepth && system.deadlock && system.successors(cur).length === 0) {
      v = system.deadlock(cur);
    }
    if (v) return finish({ runs: run + 1, run, counterexample: { violation: v, path, initial } });
  }
  return finish({ runs: options.runs });
}
