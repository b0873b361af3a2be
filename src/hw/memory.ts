/**
 * Memory and the CPU cache line holding the PASID entry.
 * VT-d 5.10 §3.10 Table 5 (ECAP.C): a coherent IOMMU snoops CPU caches, so a CPU store is
 * visible to it at once; a non-coherent one reads memory and sees a store only after
 * clflush or a spontaneous write-back of the whole line, which may happen at any moment.
 */
import type { QuantumStore } from '../driver/writer';
import type { ModelContext, Move } from './context';
import type { State } from './state';

/** One single-copy-atomic CPU store of a quantum (WRITE_ONCE / cmpxchg128_local). */
export function cpuStore(s: State, ctx: ModelContext, store: QuantumStore): State {
  const base = ctx.hw.coherent || s.line < 0 ? s.memory : s.line;
  const id = ctx.images.derive(base, `s${store.quantum}:${store.words.join(':')}`, (words) => {
    const per = store.words.length;
    store.words.forEach((w, i) => { words[store.quantum * per + i] = w; });
  });
  return ctx.hw.coherent ? { ...s, memory: id } : { ...s, line: id };
}

/** clflush: the dirty line reaches memory (kernel clflush_cache_range when !ecap_coherent). */
export function flushLine(s: State): State {
  return s.line < 0 ? s : { ...s, memory: s.line, line: -1 };
}

/** The cache may write the dirty line back on its own at any moment (whole line at once). */
export function writebackMoves(s: State, ctx: ModelContext): Move[] {
  if (ctx.hw.coherent || s.line < 0) return [];
  return [{
    label: () => ({ lane: 'memory', text: `CPU cache: spontaneous write-back of the entry's line (${ctx.images.name(s.line)})` }),
    next: flushLine(s),
  }];
}

/**
 * The IOMMU reads one chunk of the entry from memory into a fetch in progress. A fetch's
 * chunks are read at different moments, in any order (hardware.md §2: fetch atomicity is
 * not specified beyond the chunk; Linux c3b1edea3791).
 */
export function readChunk(s: State, ctx: ModelContext, partial: number, chunk: number): number {
  return ctx.images.derive(partial, `c${chunk}:${s.memory}`, (words) => {
    const mem = ctx.images.words(s.memory);
    for (const w of ctx.chunks[chunk].words) words[w] = mem[w];
  });
}

/** Which words each chunk covers, for a fetch granularity (64/128/512 bits). Only words
 * 0..2 hold bits any PGTT uses (kernel.md §2), so later chunks are never read. */
export function fetchChunks(bits: number): { words: number[] }[] {
  if (bits >= 512) return [{ words: [0, 1, 2, 3, 4, 5, 6, 7] }];
  if (bits === 128) return [{ words: [0, 1] }, { words: [2, 3] }];
  return [{ words: [0] }, { words: [1] }, { words: [2] }];
}
