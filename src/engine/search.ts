/**
 * Explicit-state breadth-first search with state hashing and an optional partial-order
 * reduction. Knows nothing of any hardware: it sees opaque states, keys and labelled steps.
 *
 * Shortest counterexamples. States get ids in discovery order, so every BFS level is a
 * contiguous range of ids and the first violating state discovered is one at the smallest
 * depth, ties broken by parent order and then by successor order. Invariants are checked
 * when a state is discovered (depth d+1, while level d is expanded); a deadlock only shows
 * when a state is expanded (depth d). So after finding an invariant violation the rest of
 * level d is still expanded, without discovering anything, to look for a deadlock, which
 * would be one step shorter. Paths are not stored: each state keeps its parent id and the
 * index of the step that reached it, and the path is replayed from the initial state.
 *
 * The `ample` reduction (Peled's ample sets; Clarke, Grumberg, Peled, "Model Checking",
 * ch. 10). In a state s the search may explore only the enabled steps T of one actor P
 * instead of every enabled step, when all of the following hold:
 *
 * - C0 (T empty iff nothing is enabled): T is all the enabled steps of an actor that has
 *   at least one, so it is never empty; a deadlock stays a deadlock.
 * - C1 (along every path from s, no step dependent on T happens before a step of T). Two
 *   steps are independent when neither writes what the other reads or writes; with the
 *   footprint contract (a step's enabledness and effect depend only on what it reads, and
 *   it changes only what it writes) independent steps commute and neither enables nor
 *   disables the other. Let R, W be the union of the reads and writes of T, G the guards of
 *   P (ActorFootprint.guards: the variables that decide which steps P can take next), and
 *   for every other actor Q let RQ, WQ be its actorFootprint — everything Q could touch in
 *   s or later. We require WQ ∩ (R ∪ W ∪ G) = ∅ and RQ ∩ W = ∅ for every Q ≠ P, and the
 *   same of every enabled step of Q (a check that does not trust actorFootprint alone).
 *   Then every step another actor can take before P moves is independent of T, and,
 *   since nobody else writes G, P's own set of possible steps cannot change before it
 *   moves, so no other step of P (all dependent on T) can come first either. Every enabled
 *   step must have a footprint, and every actor with an enabled step must be in actors(s).
 *   Only actors that can move before P moves need checking: those with an enabled step in
 *   s, and, added until nothing changes, any actor without one whose guards some actor
 *   already in the set may write (an actor with no enabled step takes none until one of
 *   its guards changes, and P does not move). An actor that only P can wake, directly or
 *   through others only P can wake, is left out: e.g. a driver spinning on a wait status
 *   that only the wait's own completion writes.
 * - C2 (T invisible unless it is everything): every step of T has `visible: false`, i.e.
 *   cannot change the truth of any invariant. Invariants are only checked in reached
 *   states, so a visible step must never be postponed.
 * - C3 (no step postponed forever: every cycle of the reduced graph has a fully expanded
 *   state). In a breadth-first search the depth grows by at most one along an edge, so
 *   every cycle has an edge s -> t with depth(t) <= depth(s); every such t was discovered
 *   before level depth(s) started expanding. So: if a successor through T is already
 *   known with an id below the start of the next level, T is rejected. (This is the BFS
 *   proviso of Bošnački and Holzmann, sharpened from "already visited" to "visited at a
 *   depth no greater than s's": a successor found earlier in this same level cannot close
 *   a cycle through s.)
 *
 * If no actor qualifies, s is expanded fully. Among actors that qualify the one with the
 * fewest enabled steps is chosen, ties by first appearance in the successor list
 * (deterministic). Invariant violations and deadlocks are preserved (the reduced graph is
 * stuttering-equivalent for the invariants' truth values and keeps every reachable
 * deadlock), so `none` and `ample` give the same verdict. A counterexample found in the
 * reduced graph can be longer than the shortest one, so by default (`shortest`) an unsafe
 * answer is re-searched without reduction up to its length, which yields the true shortest.
 */
import { DEFAULT_BUDGET, IntColumn, PackedStateTable } from './stateTable';
import { Meter } from './meter';
import type { ActorFootprint, Budget, Footprint, SearchResult, Successor, TransitionSystem, Violation } from './types';

export { DEFAULT_BUDGET } from './stateTable';

export interface SearchOptions {
  budget?: Partial<Budget>;
  /** `ample`: the partial-order reduction above (needs the model's footprints). */
  reduction?: 'none' | 'ample';
  /**
   * With `ample`, re-search an unsafe answer without reduction, bounded by its length, so
   * the counterexample is the shortest of the full graph (same as `none`). Default true.
   */
  shortest?: boolean;
  /**
   * With `ample`: expand every state fully until this many states are known, then reduce
   * (default 0: from the start). One search, not a plain one thrown away and a reduced one
   * started over: a full expansion always satisfies the ample conditions, so the states
   * expanded before the switch are simply states the reduction chose not to reduce. If no
   * state had been reduced when a violation was found, the search so far is exactly the
   * plain breadth-first search, and its counterexample is already the shortest.
   */
  reduceAfter?: number;
}

/** The visited set: state -> id in discovery order. */
interface Visited<S> {
  size: number;
  /** Bytes of typed arrays that double when full (0 when unknown). */
  bytes: number;
  /** The id of s, or -1. */
  find(s: S): number;
  /** The id of s if known; otherwise adds it and returns -(newId + 1). */
  findOrAdd(s: S): number;
}

/** V8's Map holds at most 2^24 entries; past half of that a new map is started. */
const MAP_SHARD = 1 << 23;

class KeyVisited<S> implements Visited<S> {
  size = 0;
  bytes = 0;
  private maps: Map<string, number>[] = [new Map()];
  // find() then findOrAdd() of the same state (the reduction's proviso) computes one key.
  private lastState: S | undefined;
  private lastKey = '';
  constructor(private readonly key: (s: S) => string) {}
  private keyOf(s: S): string {
    if (s === this.lastState) return this.lastKey;
    this.lastState = s;
    this.lastKey = this.key(s);
    return this.lastKey;
  }
  find(s: S): number {
    const k = this.keyOf(s);
    for (const m of this.maps) {
      const id = m.get(k);
      if (id !== undefined) return id;
    }
    return -1;
  }
  findOrAdd(s: S): number {
    const found = this.find(s);
    if (found >= 0) return found;
    let m = this.maps[this.maps.length - 1];
    if (m.size >= MAP_SHARD) this.maps.push((m = new Map()));
    const id = this.size++;
    m.set(this.lastKey, id);
    return -(id + 1);
  }
}

class PackedVisited<S> implements Visited<S> {
  private readonly table: PackedStateTable;
  private readonly scratch: Uint32Array;
  constructor(private readonly encode: (s: S, out: Uint32Array, at: number) => void, words: number) {
    // Small to start with: a sweep runs thousands of checks of a few thousand states, and
    // zeroing a table sized for 64 K states each time cost more than the searches.
    this.table = new PackedStateTable(words, 1024);
    this.scratch = new Uint32Array(words);
  }
  get size(): number {
    return this.table.count;
  }
  get bytes(): number {
    return this.table.bytes();
  }
  find(s: S): number {
    this.encode(s, this.scratch, 0);
    return this.table.find(this.scratch, 0);
  }
  findOrAdd(s: S): number {
    this.encode(s, this.scratch, 0);
    return this.table.findOrAdd(this.scratch, 0);
  }
}

type Counterexample<S, L> = NonNullable<SearchResult<S, L>['counterexample']>;

/**
 * Breadth-first search of `system` for the first invariant violation or bad deadlock.
 * Always ends: `inconclusive` with `exhausted` when the state or time budget runs out.
 */
export function search<S, L>(system: TransitionSystem<S, L>, options: SearchOptions = {}): SearchResult<S, L> {
  const started = performance.now();
  const budget: Budget = { ...DEFAULT_BUDGET, ...options.budget };
  const reduce = options.reduction === 'ample';
  const result = bfs(system, budget, reduce, Infinity, started, options.reduceAfter ?? 0);
  // Nothing reduced before the violation: it is the plain search's, the shortest.
  if (result.verdict !== 'unsafe' || !reduce || options.shortest === false || result.reducedStates === 0) return result;
  // The reduced graph is a subgraph of the full one, so an unreduced search bounded by
  // the same length finds a violation no longer than this one (maybe shorter).
  const length = result.counterexample!.path.length;
  const left = budget.maxMillis - (performance.now() - started);
  // Out of budget before or during the re-search: the reduced graph's counterexample
  // stands, but nothing shows that none is shorter, and the result says so.
  if (left <= 0) return { ...result, shortest: false };
  const exact = bfs(system, { ...budget, maxMillis: left }, false, length, performance.now(), 0);
  if (exact.verdict !== 'unsafe') return { ...result, shortest: false, millis: Math.round(performance.now() - started) };
  return { ...result, counterexample: exact.counterexample, millis: Math.round(performance.now() - started) };
}

function bfs<S, L>(
  system: TransitionSystem<S, L>,
  budget: Budget,
  reduce: boolean,
  maxDepth: number,
  started: number,
  reduceAfter: number,
): SearchResult<S, L> {
  const visited: Visited<S> = system.packing
    ? new PackedVisited(system.packing.encode, system.packing.words)
    : new KeyVisited((s: S) => system.key(s));
  const parent = new IntColumn();
  const via = new IntColumn();
  const invariants = system.invariants;
  const canReduce = reduce && typeof system.actors === 'function' && typeof system.actorFootprint === 'function';
  const reducer = new Reducer();
  const meter = new Meter(budget, started);
  let transitions = 0;
  let reducedStates = 0;
  let depth = 0;

  const check = (s: S): Violation | null => {
    for (const inv of invariants) {
      const reason = inv.check(s);
      if (reason !== null) return { property: inv.name, reason };
    }
    return null;
  };
  const done = (r: Pick<SearchResult<S, L>, 'verdict' | 'exhausted'>, cex?: { id: number; violation: Violation }) => {
    const out: SearchResult<S, L> = {
      verdict: r.verdict,
      // The state that broke the budget was added but does not count.
      states: Math.min(visited.size, budget.maxStates),
      transitions,
      millis: 0,
      depth,
    };
    if (r.exhausted) out.exhausted = r.exhausted;
    if (r.exhausted === 'memory') out.stopReason = meter.reason;
    if (reduce) out.reducedStates = reducedStates;
    if (cex) out.counterexample = replay(system, init, parent, via, cex.id, cex.violation);
    out.millis = Math.round(performance.now() - started);
    return out;
  };

  const init = system.initial();
  visited.findOrAdd(init);
  parent.push(-1);
  via.push(-1);
  const v0 = check(init);
  if (v0) return done({ verdict: 'unsafe' }, { id: 0, violation: v0 });

  let level: S[] = [init];
  let levelStart = 0;
  while (level.length > 0) {
    const nextStart = levelStart + level.length;
    const next: S[] = [];
    let pending: { id: number; violation: Violation } | null = null;
    const discover = depth < maxDepth;
    for (let i = 0; i < level.length; i++) {
      const s = level[i];
      const id = levelStart + i;
      // Every state: one slow state (a large strategy) must not overrun the budget (meter.ts).
      const over = meter.over(visited.bytes + parent.data.byteLength + via.data.byteLength);
      if (over) {
        if (pending) {
          depth++;
          return done({ verdict: 'unsafe' }, pending);
        }
        return done({ verdict: 'inconclusive', exhausted: over });
      }
      const succ = system.successors(s);
      if (succ.length === 0) {
        const v = system.deadlock ? system.deadlock(s) : null;
        if (v) return done({ verdict: 'unsafe' }, { id, violation: v });
        continue;
      }
      if (pending || !discover) continue;
      const ample = canReduce && visited.size > reduceAfter ? chooseAmple(system, s, succ, visited, nextStart, reducer) : null;
      if (ample) reducedStates++;
      const count = ample ? ample.length : succ.length;
      for (let j = 0; j < count; j++) {
        const k = ample ? ample[j] : j;
        transitions++;
        const t = succ[k].next;
        const found = visited.findOrAdd(t);
        if (found >= 0) continue;
        if (visited.size > budget.maxStates) return done({ verdict: 'inconclusive', exhausted: 'states' });
        parent.push(id);
        via.push(k);
        const v = check(t);
        if (v) {
          pending = { id: -found - 1, violation: v };
          break;
        }
        next.push(t);
      }
    }
    if (pending) {
      depth++;
      return done({ verdict: 'unsafe' }, pending);
    }
    if (next.length > 0) depth++;
    level = next;
    levelStart = nextStart;
  }
  // A depth-bounded search (the shortest re-search) that found nothing proves nothing.
  return done({ verdict: depth >= maxDepth ? 'inconclusive' : 'safe' });
}

/**
 * The reduction's working data for one search. Variable sets become bitsets, so its set
 * algebra costs a few word operations instead of building string Sets for every state:
 * variable names are numbered on first sight, and a footprint's bitsets are cached by the
 * footprint object (a model that hands out the same footprint objects for the same step, as
 * the VT-d model does, pays for each once per search). Actors are numbered the same way.
 */
class Reducer {
  private readonly varIds = new Map<string, number>();
  private readonly stepSets = new WeakMap<Footprint, StepSets>();
  private readonly actorSets = new WeakMap<ActorFootprint, ActorSets>();
  private readonly actorIds = new Map<string, number>();
  /** Words every bitset built so far fits in. */
  words = 1;
  /** Scratch bitsets (grown with `words`). */
  reads = new Uint32Array(1);
  writes = new Uint32Array(1);
  touched = new Uint32Array(1);
  /** Scratch of chooseAmple, per step and per actor (reused from state to state). */
  readonly steps: StepSets[] = [];
  readonly stepActor: number[] = [];
  readonly count: number[] = [];
  readonly first: number[] = [];
  readonly candidates: number[] = [];
  readonly footprints: ActorSets[] = [];
  readonly movable: boolean[] = [];
  /** wakes[r * a + q]: actor r may write a guard of actor q (this state's actors; see chooseAmple). */
  readonly wakes: boolean[] = [];
  /** By actor id: its place in this state's actor list, valid when listedIn[id] === stamp. */
  readonly placeOf: number[] = [];
  readonly listedIn: number[] = [];
  stamp = 0;

  private bits(list: readonly string[]): Uint32Array {
    let max = 0;
    const ids: number[] = [];
    for (const name of list) {
      let id = this.varIds.get(name);
      if (id === undefined) this.varIds.set(name, (id = this.varIds.size));
      ids.push(id);
      if (id > max) max = id;
    }
    const m = new Uint32Array((max >> 5) + 1);
    for (const id of ids) m[id >> 5] |= 1 << (id & 31);
    if (m.length > this.words) {
      this.words = m.length;
      this.reads = new Uint32Array(m.length);
      this.writes = new Uint32Array(m.length);
      this.touched = new Uint32Array(m.length);
    }
    return m;
  }

  step(f: Footprint): StepSets {
    let b = this.stepSets.get(f);
    if (!b) this.stepSets.set(f, (b = { reads: this.bits(f.reads), writes: this.bits(f.writes), actor: this.actorId(f.actor) }));
    return b;
  }

  actor(f: ActorFootprint): ActorSets {
    let b = this.actorSets.get(f);
    if (!b) this.actorSets.set(f, (b = { reads: this.bits(f.reads), writes: this.bits(f.writes), guards: this.bits(f.guards ?? f.reads) }));
    return b;
  }

  actorId(name: string): number {
    let id = this.actorIds.get(name);
    if (id === undefined) this.actorIds.set(name, (id = this.actorIds.size));
    return id;
  }
}

function intersects(a: Uint32Array, b: Uint32Array): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] & b[i]) return true;
  return false;
}

/** acc |= m (acc is at least as long as every bitset). */
function orInto(acc: Uint32Array, m: Uint32Array): void {
  for (let i = 0; i < m.length; i++) acc[i] |= m[i];
}

/** acc = 0, word by word (fill() costs more than the loop for the few words a set has). */
function clear(acc: Uint32Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = 0;
}

interface StepSets {
  reads: Uint32Array;
  writes: Uint32Array;
  /** Reducer.actorId of the step's actor. */
  actor: number;
}

interface ActorSets {
  reads: Uint32Array;
  writes: Uint32Array;
  guards: Uint32Array;
}

/**
 * The ample set of s as indexes into succ, or null to expand fully. See the comment at
 * the top of the file for the conditions and why they suffice.
 */
function chooseAmple<S, L>(
  system: TransitionSystem<S, L>,
  s: S,
  succ: Successor<S, L>[],
  visited: Visited<S>,
  nextStart: number,
  red: Reducer,
): number[] | null {
  // Every step's footprint bitsets (first, so the scratch bitsets are wide enough), and
  // its actor as an index into `actors`.
  const n = succ.length;
  // Scratch arrays kept by the reducer (this runs for every expanded state).
  const { steps, stepActor, count, first, candidates, footprints, movable } = red;
  for (let k = 0; k < n; k++) {
    const fp = succ[k].footprint;
    if (!fp) return null; // a step without footprint depends on everything
    steps[k] = red.step(fp);
  }
  const actors = system.actors!(s);
  const a = actors.length;
  // Each actor's place in `actors`, by actor id: a stamp per state instead of clearing.
  const { placeOf, listedIn } = red;
  const stamp = ++red.stamp;
  for (let p = 0; p < a; p++) {
    const id = red.actorId(actors[p]);
    placeOf[id] = p;
    listedIn[id] = stamp;
  }
  for (let k = 0; k < n; k++) {
    const id = steps[k].actor;
    if (listedIn[id] !== stamp) return null; // every actor with an enabled step must be listed
    stepActor[k] = placeOf[id];
  }
  // Enabled steps per actor; candidates: actors with steps, fewest steps first, ties by
  // first appearance in the successor list (deterministic; an insertion sort, as there
  // are a handful).
  for (let p = 0; p < a; p++) {
    count[p] = 0;
    first[p] = n;
  }
  for (let k = 0; k < n; k++) {
    const p = stepActor[k];
    if (count[p]++ === 0) first[p] = k;
  }
  let ncand = 0;
  for (let p = 0; p < a; p++) {
    if (count[p] === 0) continue;
    let i = ncand++;
    while (i > 0 && (count[candidates[i - 1]] > count[p] || (count[candidates[i - 1]] === count[p] && first[candidates[i - 1]] > first[p]))) {
      candidates[i] = candidates[i - 1];
      i--;
    }
    candidates[i] = p;
  }
  if (ncand < 2) return null; // one actor: its steps are everything anyway
  for (let p = 0; p < a; p++) footprints[p] = red.actor(system.actorFootprint!(s, actors[p]));
  const { reads, writes, touched, wakes } = red;
  // Who may wake whom (r writes a guard of q), worked out once per state when first needed.
  let wakesKnown = false;
  next: for (let c = 0; c < ncand; c++) {
    const p = candidates[c];
    clear(reads);
    clear(writes);
    for (let k = first[p]; k < n; k++) {
      if (stepActor[k] !== p) continue;
      if (succ[k].footprint!.visible) continue next; // C2
      orInto(reads, steps[k].reads);
      orInto(writes, steps[k].writes);
    }
    touched.set(reads);
    orInto(touched, writes);
    orInto(touched, footprints[p].guards);
    // C1 against what the others can do right now (cheap, and rejects most candidates) ...
    for (let k = 0; k < n; k++) {
      if (stepActor[k] === p) continue;
      if (intersects(steps[k].writes, touched) || intersects(steps[k].reads, writes)) continue next;
    }
    // ... and against everything each actor that can move before P could do from here on:
    // those with an enabled step, then, until nothing changes, those they can wake.
    if (!wakesKnown) {
      for (let r = 0; r < a; r++) for (let q = 0; q < a; q++) wakes[r * a + q] = intersects(footprints[r].writes, footprints[q].guards);
      wakesKnown = true;
    }
    for (let q = 0; q < a; q++) movable[q] = q !== p && count[q] > 0;
    for (let grew = true; grew;) {
      grew = false;
      for (let q = 0; q < a; q++) {
        if (movable[q] || q === p) continue;
        for (let r = 0; r < a; r++) {
          if (movable[r] && wakes[r * a + q]) {
            movable[q] = true;
            grew = true;
            break;
          }
        }
      }
    }
    for (let q = 0; q < a; q++) {
      if (!movable[q]) continue;
      const f = footprints[q];
      if (intersects(f.writes, touched) || intersects(f.reads, writes)) continue next;
    }
    // C3: no successor through T may close a cycle.
    const ample: number[] = [];
    for (let k = first[p]; k < n; k++) {
      if (stepActor[k] !== p) continue;
      const id = visited.find(succ[k].next);
      if (id >= 0 && id < nextStart) continue next;
      ample.push(k);
    }
    return ample;
  }
  return null;
}

/** Rebuilds the path to state `id` by replaying the recorded successor indexes. */
function replay<S, L>(
  system: TransitionSystem<S, L>,
  init: S,
  parent: IntColumn,
  via: IntColumn,
  id: number,
  violation: Violation,
): Counterexample<S, L> {
  const steps: number[] = [];
  for (let i = id; parent.data[i] >= 0; i = parent.data[i]) steps.push(via.data[i]);
  steps.reverse();
  const path: { label: L; state: S }[] = [];
  let cur = init;
  for (const k of steps) {
    const step = system.successors(cur)[k];
    path.push({ label: step.label, state: step.next });
    cur = step.next;
  }
  return { violation, path, initial: init };
}
