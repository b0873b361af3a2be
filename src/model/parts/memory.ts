/**
 * Memory and the CPU cache line holding the PASID entry.
 * VT-d 5.10 §3.10 Table 5 (ECAP.C): a coherent IOMMU snoops CPU caches, so a CPU store is
 * visible to it at once; a non-coherent one reads memory and sees a store only after
 * clflush or a spontaneous write-back of the whole line, which may happen at any moment.
 */
import type { QuantumStore } from '../../writer/writer';
import { move, type Move } from '../context';
import type { ModelContext } from '../modelContext';
import { cloneState, type State } from '../state';

/** One single-copy-atomic CPU store of a quantum (WRITE_ONCE / cmpxchg128_local). */
export function cpuStore(s: State, ctx: ModelContext, store: QuantumStore, pc: number): State {
  const base = ctx.hw.coherent || s.line < 0 ? s.memory : s.line;
  // Memoised by the program operation (pc): each store is one fixed change of the entry.
  const id = ctx.images.derive(base, -1 - pc, (words) => {
    const per = store.words.length;
    store.words.forEach((w, i) => { words[store.quantum * per + i] = w; });
  });
  const next = cloneState(s);
  if (ctx.hw.coherent) next.memory = id;
  else next.line = id;
  return next;
}

/** clflush: the dirty line reaches memory (kernel clflush_cache_range when !ecap_coherent). */
export function flushLine(s: State): State {
  if (s.line < 0) return s;
  const next = cloneState(s);
  next.memory = s.line;
  next.line = -1;
  return next;
}

/** The cache may write the dirty line back on its own at any moment (whole line at once). */
export function writebackMoves(s: State, ctx: ModelContext, out: Move[]): void {
  if (ctx.hw.coherent || s.line < 0) return;
  // Memory is what a property reads only under `iotlb-lookup-uses-did` (the current entry's DID).
  out.push(move(flushLine(s), () => ({ lane: 'memory', text: `CPU cache: spontaneous write-back of the entry's line (${ctx.images.name(s.line)})` }),
    ctx.footprints.writeback(ctx.hw.iotlbLookupUsesDid)));
}

/**
 * The IOMMU reads one chunk of the entry from memory into a fetch in progress. A fetch's
 * chunks are read at different moments, in any order (docs/model.md#entry-fetch: fetch atomicity is
 * not specified beyond the chunk; Linux c3b1edea3791).
 */
export function readChunk(s: State, ctx: ModelContext, partial: number, chunk: number): number {
  // Memoised by (memory image, chunk); chunk < 8.
  return ctx.images.derive(partial, s.memory * 8 + chunk, (words) => {
    const mem = ctx.images.words(s.memory);
    for (const w of ctx.chunks[chunk].words) words[w] = mem[w];
  });
}

/** Which words each chunk covers, for a fetch granularity (64/128/512 bits). Only words
 * 0..2 hold bits any PGTT uses (docs/kernel.md#used-bits), so later chunks are never read. */
export function fetchChunks(bits: number): { words: number[] }[] {
  if (bits >= 512) return [{ words: [0, 1, 2, 3, 4, 5, 6, 7] }];
  if (bits === 128) return [{ words: [0, 1] }, { words: [2, 3] }];
  return [{ words: [0] }, { words: [1] }, { words: [2] }];
}
