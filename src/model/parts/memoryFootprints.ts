/**
 * Footprint of memory's one spontaneous step (memory.ts writebackMoves): the CPU cache
 * writes the dirty line back, whole. Variables and the soundness argument: ../footprints.ts.
 */
import type { StepVars } from '../footprintVars';

export const WRITEBACK: StepVars = { actor: 'memory', reads: ['line'], writes: ['line', 'mem'] };

/** The memory actor can only ever write the line back, and waits on the line being dirty. */
export const MEMORY_ACTOR = { reads: ['line'], writes: ['line', 'mem'], guards: ['line'] };
