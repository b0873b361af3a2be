/**
 * The fast path of the search: states as a fixed number of 32-bit words, kept in one typed
 * array, found again through an open-addressing hash table on another typed array.
 * Successors are written into a reusable buffer, so exploring a state allocates nothing
 * (the only allocations are the amortised doublings of the arrays). This is what lets a
 * JavaScript checker keep up with Spin's compiled C: the per-state cost of the generic
 * `search` is object creation, key strings and Map probing, none of which happen here.
 */
import type { Budget, SearchResult, Violation } from './types';

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

export const DEFAULT_BUDGET: Budget = { maxStates: 2_000_000, maxMillis: 60_000 };

/** Read the clock every this many expansions: performance.now() costs ~50 ns, a state ~100. */
export const CLOCK_EVERY = 1024;

/**
 * Murmur3's 32-bit mixing over the words of one state. Linear probing needs a hash whose
 * low bits depend on every input bit (packed counters differ only in a few bits).
 */
export function hashWords(src: Uint32Array, at: number, words: number): number {
  let h = 0x9747b28c | 0;
  for (let i = 0; i < words; i++) {
    let k = Math.imul(src[at + i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= words;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A growable Int32Array (doubling; no per-element allocation). */
export class IntColumn {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/**
 * The visited set: state i lives at store[i*words ..]; slots hold id+1 (0 = empty). The
 * hash of every state is kept so that growing the table rehashes without re-reading the
 * states and a probe compares one word before comparing the whole state.
 */
export class PackedStateTable {
  readonly words: number;
  /** State i at store[i*words .. (i+1)*words). Replaced when it grows: re-read after add. */
  store: Uint32Array;
  count = 0;
  private hashes: Uint32Array;
  private slots: Int32Array;
  private mask: number;

  constructor(words: number, expectedStates = 1 << 16) {
    if (!Number.isInteger(words) || words < 1) throw new RangeError(`words must be a positive integer, got ${words}`);
    this.words = words;
    const cap = Math.max(1024, expectedStates);
    this.store = new Uint32Array(cap * words);
    this.hashes = new Uint32Array(cap);
    // Load factor at most 1/2: linear probing stays at ~1.5 probes per successful lookup.
    let slots = 2048;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The id of the state at src[at ..], or -1 when it was never added. */
  find(src: Uint32Array, at: number): number {
    return this.probe(src, at, hashWords(src, at, this.words), false);
  }

  /** The id of the state when present; otherwise adds it and returns -(newId + 1). */
  findOrAdd(src: Uint32Array, at: number): number {
    return this.probe(src, at, hashWords(src, at, this.words), true);
  }

  private probe(src: Uint32Array, at: number, h: number, add: boolean): number {
    const words = this.words;
    const slots = this.slots;
    const mask = this.mask;
    const hashes = this.hashes;
    const store = this.store;
    let i = h & mask;
    for (;;) {
      const e = slots[i];
      if (e === 0) break;
      const id = e - 1;
      if (hashes[id] === h) {
        let j = 0;
        const base = id * words;
        while (j < words && store[base + j] === src[at + j]) j++;
        if (j === words) return id;
      }
      i = (i + 1) & mask;
    }
    if (!add) return -1;
    const id = this.count;
    if (id === this.hashes.length) this.growStore();
    this.store.set(src.subarray(at, at + words), id * words);
    this.hashes[id] = h;
    this.count = id + 1;
    if (this.count * 2 > this.slots.length) this.growSlots();
    else slots[i] = id + 1;
    return -(id + 1);
  }

  private growStore(): void {
    const cap = this.hashes.length * 2;
    const store = new Uint32Array(cap * this.words);
    store.set(this.store);
    this.store = store;
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  /** Doubles the slots and re-inserts every id (including the one just added). */
  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let i = this.hashes[id] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = id + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Bytes held by the typed arrays (for the benchmark's memory line). */
  bytes(): number {
    return this.store.byteLength + this.hashes.byteLength + this.slots.byteLength;
  }
}

export interface PackedSearchOptions {
  budget?: Partial<Budget>;
  /** Capacity to allocate up front (avoids doublings when the size is known). */
  expectedStates?: number;
}

/**
 * Breadth-first search over a packed model. Same contract as `search` (invariants on every
 * reached state, deadlock on states without successors, the first violation in level
 * order, the shortest counterexample, a budget that always ends the search), without the
 * reduction. Ids are assigned in discovery order, so the store itself is the BFS queue.
 */
export function searchPacked(
  system: PackedTransitionSystem,
  options: PackedSearchOptions = {},
): SearchResult<Uint32Array, number> {
  const started = performance.now();
  const budget: Budget = { ...DEFAULT_BUDGET, ...options.budget };
  const words = system.words;
  const expected = Math.min(options.expectedStates ?? 1 << 16, budget.maxStates + 1);
  const table = new PackedStateTable(words, expected);
  const parent = new IntColumn(expected);
  const via = new IntColumn(expected);
  const out = new Uint32Array(system.maxSuccessors * words);
  const labels = new Int32Array(system.maxSuccessors);
  const invariants = system.invariants ?? [];
  const nInv = invariants.length;
  let transitions = 0;
  const done = (r: Omit<SearchResult<Uint32Array, number>, 'millis' | 'states' | 'transitions'>) => ({
    ...r,
    // The state that broke the budget was added to the table but does not count.
    states: Math.min(table.count, budget.maxStates),
    transitions,
    millis: Math.round(performance.now() - started),
  });

  const init = new Uint32Array(words);
  system.initial(init);
  table.findOrAdd(init, 0);
  parent.push(-1);
  via.push(-1);
  for (let k = 0; k < nInv; k++) {
    const reason = invariants[k].check(init, 0);
    if (reason !== null) return done({ verdict: 'unsafe', depth: 0, counterexample: packedPath(system, init, parent, via, 0, { property: invariants[k].name, reason }) });
  }

  let levelEnd = 1; // ids [head, levelEnd) are the current level
  let depth = 0;
  let head = 0;
  // A violation found in the next level; the rest of this level is still scanned for
  // deadlocks, which are one step shorter (see search.ts).
  let pending: { id: number; violation: Violation } | null = null;
  while (head < levelEnd) {
    for (; head < levelEnd; head++) {
      if ((head & (CLOCK_EVERY - 1)) === 0 && head > 0 && performance.now() - started > budget.maxMillis) {
        if (pending) return done({ verdict: 'unsafe', depth: depth + 1, counterexample: packedPath(system, init, parent, via, pending.id, pending.violation) });
        return done({ verdict: 'inconclusive', exhausted: 'time', depth });
      }
      const n = system.successors(table.store, head * words, out, labels);
      if (n === 0) {
        const v = system.deadlock ? system.deadlock(table.store, head * words) : null;
        if (v) return done({ verdict: 'unsafe', depth, counterexample: packedPath(system, init, parent, via, head, v) });
        continue;
      }
      if (pending) continue;
      for (let i = 0; i < n; i++) {
        transitions++;
        const at = i * words;
        const found = table.findOrAdd(out, at);
        if (found >= 0) continue;
        if (table.count > budget.maxStates) return done({ verdict: 'inconclusive', exhausted: 'states', depth });
        const id = -found - 1;
        parent.push(head);
        via.push(i);
        for (let k = 0; k < nInv; k++) {
          const reason = invariants[k].check(out, at);
          if (reason !== null) {
            pending = { id, violation: { property: invariants[k].name, reason } };
            break;
          }
        }
        if (pending) break;
      }
    }
    if (pending) return done({ verdict: 'unsafe', depth: depth + 1, counterexample: packedPath(system, init, parent, via, pending.id, pending.violation) });
    levelEnd = table.count;
    if (head < levelEnd) depth++;
  }
  return done({ verdict: 'safe', depth });
}

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
