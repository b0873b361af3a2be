/**
 * The visited table of the search when the model gives a `packing` (src/model/state.ts
 * `statePacking`): states as a fixed number of 32-bit words, kept in one typed array,
 * found again through an open-addressing hash table on another typed array, so a lookup
 * costs no object, no key string and no Map probe.
 *
 * What the profile says (6 counters x 12 values, 3 M states, 18 M transitions, 2-core VM):
 * the time goes into random reads of the visited table, ~130 ns each once the table is
 * larger than the caches (TLB misses under nested paging cost as much as the cache miss).
 * The all-packed search that measured it (no objects at all, successors read ahead in
 * batches) serves only the benchmark and lives in bench/packedSearch.ts.
 */
import type { Budget } from './types';

/**
 * A state count, not a time: the same input gives the same answer on every machine. A
 * time budget is an option (`maxMillis`); the memory budget (meter.ts) is a safety net.
 */
export const DEFAULT_BUDGET: Budget = { maxStates: 2_000_000, maxMillis: Infinity };

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
 * A visited set that also knows each state's id (discovery order), for the generic
 * `search` with a `packing` (its reduction's cycle proviso asks for ids). Each slot holds
 * id+1 (0 = empty), the state's hash, then its words, so a probe touches one cache line,
 * most mismatches are rejected on the hash, and growing the table re-hashes nothing.
 * The search keeps its frontier as objects and replays paths from the initial state, so
 * states are not also kept by id (a second copy cost a tenth of the table's time).
 */
export class PackedStateTable {
  readonly words: number;
  count = 0;
  private table: Uint32Array;
  private readonly stride: number;
  /** Slots - 1 (a power of two minus one). */
  private mask: number;

  constructor(words: number, expectedStates = 1 << 16) {
    if (!Number.isInteger(words) || words < 1) throw new RangeError(`words must be a positive integer, got ${words}`);
    this.words = words;
    this.stride = words + 2;
    const cap = Math.max(1024, expectedStates);
    // Load factor at most 1/2: linear probing stays at ~1.5 probes per successful lookup.
    let slots = 2048;
    while (slots < cap * 2) slots *= 2;
    this.table = new Uint32Array(slots * this.stride);
    this.mask = slots - 1;
  }

  /** The id of the state at src[at ..], or -1 when it was never added. */
  find(src: Uint32Array, at: number): number {
    return this.probe(src, at, false);
  }

  /** The id of the state when present; otherwise adds it and returns -(newId + 1). */
  findOrAdd(src: Uint32Array, at: number): number {
    return this.probe(src, at, true);
  }

  private probe(src: Uint32Array, at: number, add: boolean): number {
    const words = this.words;
    const stride = this.stride;
    const table = this.table;
    const mask = this.mask;
    const h = hashWords(src, at, words);
    let i = h & mask;
    for (;;) {
      const base = i * stride;
      const e = table[base];
      if (e === 0) break;
      if (table[base + 1] === h) {
        let j = 0;
        while (j < words && table[base + 2 + j] === src[at + j]) j++;
        if (j === words) return e - 1;
      }
      i = (i + 1) & mask;
    }
    if (!add) return -1;
    const id = this.count;
    const base = i * stride;
    table[base] = id + 1;
    table[base + 1] = h;
    for (let j = 0; j < words; j++) table[base + 2 + j] = src[at + j];
    this.count = id + 1;
    if (this.count * 2 > mask + 1) this.growTable();
    return -(id + 1);
  }

  /** Doubles the slots and re-inserts every entry (scanning the old table in order). */
  private growTable(): void {
    const old = this.table;
    const stride = this.stride;
    const slots = (this.mask + 1) * 2;
    const table = new Uint32Array(slots * stride);
    const mask = slots - 1;
    // Element by element: a subarray per entry cost an object each (a tenth of a large search).
    for (let base = 0; base < old.length; base += stride) {
      if (old[base] === 0) continue;
      let i = old[base + 1] & mask;
      while (table[i * stride] !== 0) i = (i + 1) & mask;
      const to = i * stride;
      for (let j = 0; j < stride; j++) table[to + j] = old[base + j];
    }
    this.table = table;
    this.mask = mask;
  }

  /** Bytes held by the typed arrays (for the benchmark's memory line). */
  bytes(): number {
    return this.table.byteLength;
  }
}
