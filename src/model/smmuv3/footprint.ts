/**
 * The SMMUv3 model gives the search no actors, so it is always expanded fully (no
 * partial-order reduction: engine/search.ts reduces only with `actors` and
 * `actorFootprint`). The steps still carry a footprint, as the shared device part builds
 * them: one that depends on everything and is visible.
 */
import type { Footprint } from '../../engine/types';

export const FP: Footprint = { actor: 'smmu', reads: ['*'], writes: ['*'], visible: true };

export const STUB_FOOTPRINTS = {
  walk: (): Footprint => FP,
  descriptor: (): Footprint => FP,
  slotOf: (): number => 0,
};
