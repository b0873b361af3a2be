/**
 * The interface between a model and the search. The search knows nothing of VT-d: it sees
 * opaque states, a key per state, and labelled steps. (Shape taken from explicit-state
 * checkers such as Spin and Murphi: the model says which steps are enabled and what each
 * does; the search only explores; the printer only sees a trace.)
 */
export interface TransitionSystem<S, L> {
  /** The initial state. */
  initial(): S;
  /**
   * Every step enabled in `s`, each with its successor. Must be deterministic: the same
   * state yields the same steps in the same order (reproducible output depends on it).
   */
  successors(s: S): Successor<S, L>[];
  /** A canonical key: two states with the same key are the same state. */
  key(s: S): string;
  /** Safety properties checked in every reached state (null = holds). */
  invariants: Invariant<S>[];
  /**
   * A state with no successors that is not an acceptable end (e.g. a wait that never
   * completes): return the property name and reason, or null if the end is fine.
   */
  deadlock?(s: S): Violation | null;
}

export interface Successor<S, L> {
  label: L;
  next: S;
  /**
   * For the reduction: which actor takes the step, and which shared variables it reads
   * and writes. A step with no footprint is treated as dependent on everything.
   */
  footprint?: Footprint;
}

export interface Footprint {
  actor: string;
  reads: readonly string[];
  writes: readonly string[];
  /** A visible step may change the truth of an invariant; the reduction never hides it. */
  visible: boolean;
}

export interface Invariant<S> {
  name: string;
  check(s: S): string | null;
}

export interface Violation {
  property: string;
  reason: string;
}

export interface Budget {
  /** Stop after this many distinct states (answer: inconclusive). */
  maxStates: number;
  /** Stop after this many milliseconds of wall time (answer: inconclusive). */
  maxMillis: number;
}

export type Verdict = 'safe' | 'unsafe' | 'inconclusive';

export interface SearchResult<S, L> {
  verdict: Verdict;
  /** Distinct states reached. */
  states: number;
  /** Transitions explored. */
  transitions: number;
  /** For `unsafe`: the shortest path from the initial state to the violation. */
  counterexample?: { violation: Violation; path: { label: L; state: S }[]; initial: S };
  /** For `inconclusive`: which budget was hit. */
  exhausted?: 'states' | 'time';
  millis: number;
}
