/**
 * What every hardware part needs to know about the scenario being checked: the interned
 * entry images, the assumptions (read once, here, into typed fields), the driver's program
 * and the workload bounds.
 */
import type { Descriptor } from '../formats/descriptors';
import type { DriverProgram } from './program';
import type { Lane } from './trace';
import { ASSUMPTIONS, ASSUMPTION_NAMES, ASSUMPTION_TABLE, AssumptionError, fieldOf, flag, type Assumption, type AssumptionName, type AssumptionValue, type AssumptionValues, type Assumptions, type HardwareAssumptions } from './assumptions';
import type { EntryImages } from './entryImages';
import type { QueuedDescriptor, State } from './state';
import type { Footprint } from '../engine/types';

/**
 * The assumptions as the model reads them, remembering which ones it has read. A check is
 * a deterministic computation, so its result depends only on the values it read: a sweep
 * reuses one row's result for every row that agrees with it on those (sweep.ts). Each
 * getter costs a load and an OR; the flags are read where they can matter and no sooner
 * (e.g. `devtlb-after-pc-inv` only when a PASID-cache invalidation is ahead of a
 * Device-TLB one), which is what makes the reuse pay.
 *
 * The fields and their bits come from the assumption table (assumptions.ts): row i is the
 * camelCase field of that name and sets bit i. The getters are defined once on the
 * prototype, in a loop over the table, so every instance keeps one hidden class and each
 * getter stays a monomorphic load (a Proxy would cost a trap per read on the hot path).
 */
export interface TrackedAssumptions extends HardwareAssumptions {}
export class TrackedAssumptions {
  /** Bit i set: row i of ASSUMPTIONS has been read. */
  private read = 0;
  /** Row i's value. */
  private readonly values: readonly AssumptionValue[];

  constructor(values: Readonly<AssumptionValues>) {
    this.values = ASSUMPTION_TABLE.map((a) => values[a.name]);
  }

  /** Names of the assumptions read so far, in table order. */
  consulted(): AssumptionName[] {
    return ASSUMPTION_NAMES.filter((_, i) => (this.read & (1 << i)) !== 0);
  }
}

/**
 * The getter of row `index`, recording bit `bit` (always 1 << index, except in the test
 * that shows a mis-numbered bit is caught: test/model/sweep-memo.test.ts).
 */
export function trackedGetter(index: number, bit: number): PropertyDescriptor {
  return {
    get(this: { read: number; values: readonly AssumptionValue[] }) {
      this.read |= bit;
      return this.values[index];
    },
    configurable: true,
    enumerable: false,
  };
}

if (ASSUMPTIONS.length > 31) throw new Error('TrackedAssumptions: more than 31 assumptions do not fit its bit mask');
ASSUMPTION_TABLE.forEach((a, i) => Object.defineProperty(TrackedAssumptions.prototype, fieldOf(a.name), trackedGetter(i, 1 << i)));

/** The model's view of resolved assumptions (types checked: a boolean must be a boolean). */
export function readAssumptions(a: Assumptions): TrackedAssumptions {
  const values: Record<string, AssumptionValue> = {};
  for (const row of ASSUMPTIONS as readonly Assumption[]) {
    const v = a[row.name];
    if (row.type === 'boolean') values[row.name] = flag(a, row.name);
    else if (v === undefined) values[row.name] = row.default;
    else if (row.values!.includes(v as number | string)) values[row.name] = v;
    else throw new AssumptionError(`assumption '${row.name}' is one of ${row.values!.join(', ')}, not '${String(v)}'`);
  }
  return new TrackedAssumptions(values as AssumptionValues);
}

/**
 * The scenario as every part sees it, but for the footprints (modelContext.ts adds them;
 * apart so footprints.ts can read the setup without an import cycle).
 */
export interface ModelSetup {
  images: EntryImages;
  hw: TrackedAssumptions;
  program: DriverProgram;
  /** Every descriptor the program submits, in queue order (queue index → descriptor). */
  descriptors: Descriptor[];
  sid: number;
  pasid: number;
  requests: number;
  dmas: number;
  /** Chunks of the entry a fetch reads (only those holding bits any PGTT uses: val[0..2]). */
  chunks: { words: number[] }[];
  /**
   * The distinct scopes of the program's PASID-cache, IOTLB and P_IOTLB invalidations
   * (identical descriptors share one): walks record which have completed since they began
   * as a bit set over this list (state.ts Walk.pcFences / iotlbFences).
   */
  fences: Descriptor[];
  /** Queue index -> bit index in `fences`, or -1 for descriptors that fence nothing. */
  fenceBit: number[];
  /** Merge dead values (build.ts ModelOptions.deadValues): DMA uses no property objects to are not recorded. */
  deadValues: boolean;
  /**
   * Queue index -> its queue entry in each status. Entries never change once in a state,
   * so states share these instead of each step allocating its own.
   */
  queueEntries: Record<QueuedDescriptor['status'], QueuedDescriptor>[];
}

/** A step's name: the part that takes it and what it does, with its parameters. */
export interface StepLabel {
  lane: Lane;
  text: string;
  message?: { id: string; kind: 'send' | 'receive'; peer: Lane; label: string };
}

/**
 * A step and the state it leads to. The label is built only when a counterexample is
 * printed (most successors are never shown, and naming them costs more than taking them).
 */
export interface Move<S = State> {
  label: () => StepLabel;
  next: S;
  /** Actor, reads, writes, visibility: for the partial-order reduction (footprints.ts). */
  footprint: Footprint;
}

/**
 * Builds a Move. The label closure is passed in as an argument on purpose: tsx (esbuild
 * keepNames) wraps every arrow written as an object property in a naming call, which costs
 * more than the step itself; an argument is left alone.
 */
export function move<S = State>(next: S, label: () => StepLabel, footprint: Footprint): Move<S> {
  return { label, next, footprint };
}
