/**
 * What a step function is given: the scenario's setup (context.ts) and every step's
 * footprint for the reduction (footprints.ts). Its own file because the footprints are
 * computed from the setup: context.ts -> footprints.ts -> here, no cycle.
 */
import type { ModelSetup } from './context';
import type { Footprints } from './footprints';

export interface ModelContext extends ModelSetup {
  /** Every step's footprint, and every actor's, for the reduction. */
  footprints: Footprints;
}
