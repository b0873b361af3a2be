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
  /**
   * For the `ample` reduction (optional; without both `actors` and `actorFootprint` the
   * search expands every state fully). Every actor that may take a step from `s` or from
   * any state reachable from it — an over-approximation is fine (a constant list is).
   */
  actors?(s: S): readonly string[];
  /**
   * For the `ample` reduction: an upper bound of what `actor` could touch from `s` on. See
   * ActorFootprint; an under-approximation makes the reduction unsound.
   */
  actorFootprint?(s: S, actor: string): ActorFootprint;
  /**
   * Optional fixed-size encoding of a state into 32-bit words, used for the visited set
   * instead of `key` (no key strings on the hot path). Must agree with `key`: two states
   * encode to the same words exactly when their keys are equal.
   */
  packing?: StatePacking<S>;
}

export interface ActorFootprint {
  /** Every variable any step of the actor could read, in `s` or any state reachable from it. */
  reads: readonly string[];
  /** Every variable any step of the actor could write, in `s` or any state reachable from it. */
  writes: readonly string[];
  /**
   * The variables that decide which steps the actor can take next (enabled or not) while
   * it does not move itself: typically its own program counter and whatever shared
   * variable its current location waits on. Defaults to `reads` (always sound, but then an
   * actor that will ever read a variable others write is never chosen for a reduction).
   * For an actor with no enabled step in `s` it may be narrower: variables one of which
   * must change before the actor can take any step (the search then knows that an actor
   * nobody but P can wake does not move before P does).
   */
  guards?: readonly string[];
}

export interface StatePacking<S> {
  /** 32-bit words per state (fixed). */
  words: number;
  /** Writes the state into out[at .. at + words). */
  encode(s: S, out: Uint32Array, at: number): void;
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
  /** Stop when the memory in use passes this many MB (answer: inconclusive); see meter.ts. */
  maxMemoryMB?: number;
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
  /**
   * For `unsafe` with the `ample` reduction: false when the counterexample is not shown to
   * be the shortest, because the re-search without the reduction ran out of budget (absent:
   * it is the shortest).
   */
  shortest?: false;
  /** For `inconclusive`: which budget was hit. */
  exhausted?: 'states' | 'time' | 'memory';
  /** For `exhausted: 'memory'`: the budget in words (`memory budget of 64 MB reached`). */
  stopReason?: string;
  millis: number;
  /** Breadth-first depth reached (the longest shortest path explored). */
  depth?: number;
  /** With the `ample` reduction: states expanded with fewer than all enabled steps. */
  reducedStates?: number;
}
