/**
 * The budgets a search reads while it runs: wall time and memory. (The state budget is a
 * count the search keeps itself.) `over()` is called once per expanded state: reading the
 * clock costs well under a microsecond, a state of a real model tens of microseconds, so
 * a slow model (a large hand-written strategy) overshoots its time budget by at most one
 * state's expansion. Reading the memory use costs tens of microseconds (process.memoryUsage
 * walks the heap's spaces), so it is read at most every MEMORY_EVERY_MS of wall time.
 *
 * Memory. The budget is compared with the process's resident set size on the main thread,
 * and with this thread's own heap plus array buffers on a worker thread (sweep workers
 * share the process; each gets its share of the budget, see parallel.ts). Independently of
 * any budget the search stops before V8's own heap limit (--max-old-space-size; about 4 GB
 * by default on 64-bit Node 20), which would otherwise abort the process with a native
 * trace instead of answering `inconclusive`.
 */
import { isMainThread } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { totalmem } from 'node:os';
import type { Budget } from './types';

export const MEMORY_EVERY_MS = 50;
/** Stop at this fraction of V8's heap limit (a full heap is a fatal error, not an exception). */
export const HEAP_FRACTION = 0.85;
const MB = 1024 * 1024;

/** The default memory budget: half the machine's memory, at most 4 GB. */
export function defaultMemoryMB(): number {
  return Math.min(4096, Math.floor(totalmem() / MB / 2));
}

export type Exhausted = 'time' | 'memory';

/**
 * process.memoryUsage(), read at most every MEMORY_EVERY_MS per thread: a sweep runs
 * thousands of checks of a few milliseconds, and a reading at the start of each (a search
 * reads at its start) cost as much as a small check's search. A reading is then at most as
 * old as one a search takes between its own readings.
 */
let lastReading: { at: number; m: NodeJS.MemoryUsage } | null = null;
let heapLimitOnce: number | undefined;
function memoryReading(now = performance.now()): NodeJS.MemoryUsage {
  if (lastReading === null || now - lastReading.at >= MEMORY_EVERY_MS) lastReading = { at: now, m: process.memoryUsage() };
  return lastReading.m;
}

export class Meter {
  private nextMemory: number;
  // Fixed for the life of a thread: read once, not once per search.
  private readonly heapLimit = (heapLimitOnce ??= getHeapStatistics().heap_size_limit * HEAP_FRACTION);
  /** After `over()` returned 'memory': why, in words (`memory budget of 64 MB reached`). */
  reason = '';

  constructor(private readonly budget: Budget, private readonly started: number) {
    this.nextMemory = started;
  }

  /**
   * `growth`: bytes the search may allocate at once before the next reading (its tables
   * double when full: a 512 MB store becomes a new 1 GB one), kept free within the budget.
   */
  over(growth = 0, now = performance.now()): Exhausted | null {
    if (now - this.started > this.budget.maxMillis) return 'time';
    if (now >= this.nextMemory) {
      this.nextMemory = now + MEMORY_EVERY_MS;
      return this.memoryOver(growth);
    }
    return null;
  }

  private memoryOver(growth: number): Exhausted | null {
    const m = memoryReading();
    const budgetMB = this.budget.maxMemoryMB;
    if (budgetMB !== undefined) {
      const used = (isMainThread ? m.rss : m.heapTotal + m.arrayBuffers) + growth;
      if (used > budgetMB * MB) {
        this.reason = `memory budget of ${budgetMB} MB reached`;
        return 'memory';
      }
    }
    if (m.heapUsed > this.heapLimit) {
      this.reason = `memory budget reached: Node's heap limit of ${Math.round(this.heapLimit / HEAP_FRACTION / MB)} MB (node --max-old-space-size)`;
      return 'memory';
    }
    return null;
  }
}
