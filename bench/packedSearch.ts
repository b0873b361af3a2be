/**
 * The all-packed breadth-first search, for the engine benchmark only (bench/engine.ts): the
 * model runs on src/engine/search.ts with a packing, whose visited table
 * (src/engine/stateTable.ts) this search shares.
 *
 * States are fixed-size vectors of 32-bit words; successors are written into a reusable
 * buffer, so exploring a state allocates nothing (the only allocations are the amortised
 * doublings of the arrays). The set keeps only the state's words per slot (no id, no hash:
 * 4 bytes a slot for a one-word state, load factor up to 3/4, so the toy's table is 16 MB
 * and fits the L3), and successors are produced for a batch of states first and their
 * slots read ahead of the lookups, so the CPU overlaps those misses instead of taking them
 * one at a time.
 */
import type { Budget, SearchResult, Violation } from '../src/engine/types';
import { DEFAULT_BUDGET, IntColumn, hashWords } from '../src/engine/stateTable';
import { Meter } from '../src/engine/meter';

/** A model whose states are fixed-size vectors of 32-bit words. */
export interface PackedTransitionSystem {
  /** 32-bit words per state. */
  readonly words: number;
  /** An upper bound on the successors of any state (sizes the reusable buffers). */
  readonly maxSuccessors: number;
  /** Writes the initial state into out[0 .. words). */
  initial(out: Uint32Array): void;
  /**
   * Writes successor i of the state src[at .. at + words) into out[i*words .. (i+1)*words)
   * and its label code into labels[i]; returns the number of successors. Deterministic:
   * same state, same successors in the same order. Must not keep `src` (it may move).
   */
  successors(src: Uint32Array, at: number, out: Uint32Array, labels: Int32Array): number;
  /** Checked in every reached state (null = holds). */
  invariants?: readonly PackedInvariant[];
  /** For a state without successors: a violation, or null when the end is acceptable. */
  deadlock?(src: Uint32Array, at: number): Violation | null;
}

export interface PackedInvariant {
  name: string;
  check(src: Uint32Array, at: number): string | null;
}

/**
 * The visited set of `searchPacked`: slot i holds a state's words, all-zero = empty (the
 * all-zero state itself is a flag). No ids: the packed search never needs the id of a
 * state it has seen, only whether it is new.
 */
export class PackedStateSet {
  readonly words: number;
  size = 0;
  private table: Uint32Array;
  private mask: number;
  private zero = false;

  constructor(words: number, expectedStates = 1 << 16) {
    if (!Number.isInteger(words) || words < 1) throw new RangeError(`words must be a positive integer, got ${words}`);
    this.words = words;
    let slots = 1024;
    while (slots * 3 < expectedStates * 4) slots *= 2;
    this.table = new Uint32Array(slots * words);
    this.mask = slots - 1;
  }

  /** Reads the slot the lookup of this hash will start at (see `searchPacked`). */
  touch(h: number): number {
    return this.table[(h & this.mask) * this.words];
  }

  /** Adds the state at src[at ..] with hash h (hashWords); true when it was new. */
  add(src: Uint32Array, at: number, h: number): boolean {
    const words = this.words;
    const table = this.table;
    const mask = this.mask;
    let zero = true;
    for (let j = 0; j < words; j++) if (src[at + j] !== 0) zero = false;
    if (zero) {
      if (this.zero) return false;
      this.zero = true;
      this.size++;
      return true;
    }
    let i = h & mask;
    for (;;) {
      const base = i * words;
      let empty = true;
      let same = true;
      for (let j = 0; j < words; j++) {
        const e = table[base + j];
        if (e !== 0) empty = false;
        if (e !== src[at + j]) same = false;
      }
      if (same) return false;
      if (empty) {
        for (let j = 0; j < words; j++) table[base + j] = src[at + j];
        if (++this.size * 4 > (mask + 1) * 3) this.grow();
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  has(src: Uint32Array, at: number): boolean {
    const words = this.words;
    let zero = true;
    for (let j = 0; j < words; j++) if (src[at + j] !== 0) zero = false;
    if (zero) return this.zero;
    for (let i = hashWords(src, at, words) & this.mask; ; i = (i + 1) & this.mask) {
      const base = i * words;
      let empty = true;
      let same = true;
      for (let j = 0; j < words; j++) {
        const e = this.table[base + j];
        if (e !== 0) empty = false;
        if (e !== src[at + j]) same = false;
      }
      if (same) return true;
      if (empty) return false;
    }
  }

  private grow(): void {
    const words = this.words;
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    const mask = slots - 1;
    const table = new Uint32Array(slots * words);
    for (let base = 0; base < old.length; base += words) {
      let empty = true;
      for (let j = 0; j < words; j++) if (old[base + j] !== 0) empty = false;
      if (empty) continue;
      let i = hashWords(old, base, words) & mask;
      for (;;) {
        let free = true;
        for (let j = 0; j < words; j++) if (table[i * words + j] !== 0) free = false;
        if (free) break;
        i = (i + 1) & mask;
      }
      table.set(old.subarray(base, base + words), i * words);
    }
    this.table = table;
    this.mask = mask;
  }

  bytes(): number {
    return this.table.byteLength;
  }
}

export interface PackedSearchOptions {
  budget?: Partial<Budget>;
  /** Capacity to allocate up front (avoids doublings when the size is known). */
  expectedStates?: number;
}

/** States expanded together: their successors' slots are read ahead of the lookups. */
const BATCH = 64;

/**
 * Breadth-first search over a packed model. Same contract as `search` (invariants on every
 * reached state, deadlock on states without successors, the first violation in level
 * order, the shortest counterexample, a budget that always ends the search), without the
 * reduction. Ids are assigned in discovery order, so the store itself is the BFS queue.
 *
 * A batch of up to BATCH states of one level is expanded at once: first every successor
 * is generated, hashed and its slot read (independent loads the CPU overlaps); then the
 * successors are looked up and added in their original order, so ids, and therefore
 * counterexamples, are exactly those of one-state-at-a-time BFS.
 */
export function searchPacked(
  system: PackedTransitionSystem,
  options: PackedSearchOptions = {},
): SearchResult<Uint32Array, number> {
  const started = performance.now();
  const budget: Budget = { ...DEFAULT_BUDGET, ...options.budget };
  const meter = new Meter(budget, started);
  const words = system.words;
  const maxSucc = system.maxSuccessors;
  const expected = Math.max(1024, Math.min(options.expectedStates ?? 1 << 16, budget.maxStates + 1));
  const seen = new PackedStateSet(words, expected);
  let store = new Uint32Array(expected * words);
  let count = 0;
  const parent = new IntColumn(expected);
  const via = new IntColumn(expected);
  // The batch: successors of up to BATCH states, with their hash, parent and step index.
  const out = new Uint32Array(BATCH * maxSucc * words);
  const labels = new Int32Array(BATCH * maxSucc);
  const hashes = new Uint32Array(BATCH * maxSucc);
  const from = new Int32Array(BATCH * maxSucc);
  const step = new Int32Array(BATCH * maxSucc);
  const scratch = new Uint32Array(maxSucc * words);
  const scratchLabels = new Int32Array(maxSucc);
  const invariants = system.invariants ?? [];
  const nInv = invariants.length;
  let transitions = 0;
  let depth = 0;
  // Keeps the read-ahead loads alive (an unused result could be optimised away).
  let sink = 0;

  const push = (src: Uint32Array, at: number): number => {
    if ((count + 1) * words > store.length) {
      const bigger = new Uint32Array(store.length * 2);
      bigger.set(store);
      store = bigger;
    }
    for (let j = 0; j < words; j++) store[count * words + j] = src[at + j];
    return count++;
  };
  const done = (r: Pick<SearchResult<Uint32Array, number>, 'verdict' | 'exhausted' | 'counterexample'>): SearchResult<Uint32Array, number> => {
    const result: SearchResult<Uint32Array, number> = {
      verdict: r.verdict,
      // The state that broke the budget was added but does not count.
      states: Math.min(count, budget.maxStates),
      transitions,
      millis: Math.round(performance.now() - started),
      depth,
    };
    if (r.exhausted) result.exhausted = r.exhausted;
    if (r.exhausted === 'memory') result.stopReason = meter.reason;
    if (r.counterexample) result.counterexample = r.counterexample;
    return result;
  };
  const unsafe = (id: number, violation: Violation) => done({ verdict: 'unsafe', counterexample: packedPath(system, init, parent, via, id, violation) });
  const checkInvariants = (src: Uint32Array, at: number): Violation | null => {
    for (let k = 0; k < nInv; k++) {
      const reason = invariants[k].check(src, at);
      if (reason !== null) return { property: invariants[k].name, reason };
    }
    return null;
  };

  const init = new Uint32Array(words);
  system.initial(init);
  seen.add(init, 0, hashWords(init, 0, words));
  push(init, 0);
  parent.push(-1);
  via.push(-1);
  const v0 = checkInvariants(init, 0);
  if (v0) return unsafe(0, v0);

  let head = 0;
  let levelEnd = 1;
  // A violation found in the next level; the rest of this level is still expanded to look
  // for a deadlock, which is one step shorter (see search.ts).
  let pending: { id: number; violation: Violation } | null = null;
  while (head < levelEnd) {
    const over = meter.over(seen.bytes() + store.byteLength + parent.data.byteLength + via.data.byteLength);
    if (over) {
      if (pending) {
        depth++;
        return unsafe(pending.id, pending.violation);
      }
      return done({ verdict: 'inconclusive', exhausted: over });
    }
    const batchEnd = Math.min(levelEnd, head + BATCH);
    let n = 0;
    for (let s = head; s < batchEnd; s++) {
      // Into a scratch buffer, then copied into the batch: a subarray view per state
      // would be an allocation per state.
      const m = system.successors(store, s * words, scratch, scratchLabels);
      if (m === 0) {
        const v = system.deadlock ? system.deadlock(store, s * words) : null;
        if (v) return unsafe(s, v);
        continue;
      }
      if (pending) continue;
      for (let j = 0, base = n * words; j < m * words; j++) out[base + j] = scratch[j];
      for (let i = n; i < n + m; i++) {
        labels[i] = scratchLabels[i - n];
        hashes[i] = hashWords(out, i * words, words);
        from[i] = s;
        step[i] = i - n;
      }
      n += m;
    }
    head = batchEnd;
    // The read-ahead, in a loop of its own: with nothing else between the loads, many of
    // them are in flight at once (interleaved with the model's code, few were).
    for (let i = 0; i < n; i++) sink ^= seen.touch(hashes[i]);
    for (let i = 0; i < n && !pending; i++) {
      transitions++;
      if (!seen.add(out, i * words, hashes[i])) continue;
      const id = push(out, i * words);
      if (count > budget.maxStates) return done({ verdict: 'inconclusive', exhausted: 'states' });
      parent.push(from[i]);
      via.push(step[i]);
      if (nInv > 0) {
        const v = checkInvariants(out, i * words);
        if (v) pending = { id, violation: v };
      }
    }
    if (head === levelEnd) {
      if (pending) {
        depth++;
        return unsafe(pending.id, pending.violation);
      }
      levelEnd = count;
      if (head < levelEnd) depth++;
    }
  }
  readAheadSink = sink;
  return done({ verdict: 'safe' });
}

/** Where the read-ahead's loads end up, so the compiler cannot drop them as unused. */
export let readAheadSink = 0;

/** Replays the successor indexes from the initial state (the model is deterministic). */
function packedPath(
  system: PackedTransitionSystem,
  init: Uint32Array,
  parent: IntColumn,
  via: IntColumn,
  id: number,
  violation: Violation,
): NonNullable<SearchResult<Uint32Array, number>['counterexample']> {
  const steps: number[] = [];
  for (let i = id; parent.data[i] >= 0; i = parent.data[i]) steps.push(via.data[i]);
  steps.reverse();
  const words = system.words;
  const out = new Uint32Array(system.maxSuccessors * words);
  const labels = new Int32Array(system.maxSuccessors);
  let cur = init.slice();
  const path: { label: number; state: Uint32Array }[] = [];
  for (const k of steps) {
    system.successors(cur, 0, out, labels);
    cur = out.slice(k * words, (k + 1) * words);
    path.push({ label: labels[k], state: cur });
  }
  return { violation, path, initial: init.slice() };
}
