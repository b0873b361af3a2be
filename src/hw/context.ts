/**
 * What every hardware part needs to know about the scenario being checked: the interned
 * entry images, the assumptions (read once, here, into typed fields), the driver's program
 * and the workload bounds.
 */
import type { Descriptor } from '../spec/descriptors';
import type { DriverProgram } from '../driver/program';
import type { Lane } from '../explore/trace';
import { flag, type Assumptions } from './assumptions';
import type { EntryImages } from './entryImages';
import type { State } from './state';
import type { Footprints } from './footprints';
import type { Footprint } from '../explore/engine/types';

/** `drain-scope` (assumptions.ts): what an IOTLB or P_IOTLB invalidation fences. */
export type DrainScope = 'none' | 'processed' | 'in-flight';

export interface HardwareAssumptions {
  iotlbLookupUsesDid: boolean;
  pcInvDropsIotlb: boolean;
  pcInvBlocksLateFills: boolean;
  pcInvWaitsForWalks: boolean;
  iotlbInvBlocksLateFills: boolean;
  invBlocksFillsOfOtherDids: boolean;
  drainScope: DrainScope;
  deviceDiscardsRacingCompletions: boolean;
  invMayPassCompletion: boolean;
  completionMayPassInv: boolean;
  devtlbAfterPcInv: boolean;
  devtlbOrderedAfterPIotlb: boolean;
  /** 64, 128 or 512. */
  entryFetchBits: number;
  entryFetchInOrder: boolean;
  coherent: boolean;
  cachingMode: boolean;
  deviceAnswersInvalidations: boolean;
}

/**
 * The assumptions as the model reads them, remembering which ones it has read. A check is
 * a deterministic computation, so its result depends only on the values it read: a sweep
 * reuses one row's result for every row that agrees with it on those (sweep.ts). Each
 * getter costs a load and an OR; the flags are read where they can matter and no sooner
 * (e.g. `devtlb-after-pc-inv` only when a PASID-cache invalidation is ahead of a
 * Device-TLB one), which is what makes the reuse pay.
 */
export class TrackedAssumptions implements HardwareAssumptions {
  /** Bit i set: field i of ASSUMPTION_FIELDS has been read. */
  private read = 0;
  constructor(private readonly values: HardwareAssumptions) {}

  get iotlbLookupUsesDid(): boolean {
    this.read |= 1;
    return this.values.iotlbLookupUsesDid;
  }

  get pcInvDropsIotlb(): boolean {
    this.read |= 2;
    return this.values.pcInvDropsIotlb;
  }

  get pcInvBlocksLateFills(): boolean {
    this.read |= 4;
    return this.values.pcInvBlocksLateFills;
  }

  get pcInvWaitsForWalks(): boolean {
    this.read |= 8;
    return this.values.pcInvWaitsForWalks;
  }

  get iotlbInvBlocksLateFills(): boolean {
    this.read |= 16;
    return this.values.iotlbInvBlocksLateFills;
  }

  get invBlocksFillsOfOtherDids(): boolean {
    this.read |= 32;
    return this.values.invBlocksFillsOfOtherDids;
  }

  get drainScope(): DrainScope {
    this.read |= 65536;
    return this.values.drainScope;
  }

  get deviceDiscardsRacingCompletions(): boolean {
    this.read |= 64;
    return this.values.deviceDiscardsRacingCompletions;
  }

  get invMayPassCompletion(): boolean {
    this.read |= 128;
    return this.values.invMayPassCompletion;
  }

  get completionMayPassInv(): boolean {
    this.read |= 256;
    return this.values.completionMayPassInv;
  }

  get devtlbAfterPcInv(): boolean {
    this.read |= 512;
    return this.values.devtlbAfterPcInv;
  }

  get devtlbOrderedAfterPIotlb(): boolean {
    this.read |= 1024;
    return this.values.devtlbOrderedAfterPIotlb;
  }

  get entryFetchBits(): number {
    this.read |= 2048;
    return this.values.entryFetchBits;
  }

  get entryFetchInOrder(): boolean {
    this.read |= 4096;
    return this.values.entryFetchInOrder;
  }

  get coherent(): boolean {
    this.read |= 8192;
    return this.values.coherent;
  }

  get cachingMode(): boolean {
    this.read |= 16384;
    return this.values.cachingMode;
  }

  get deviceAnswersInvalidations(): boolean {
    this.read |= 32768;
    return this.values.deviceAnswersInvalidations;
  }

  /** Names of the assumptions read so far. */
  consulted(): string[] {
    return ASSUMPTION_FIELDS.filter((_, i) => (this.read & (1 << i)) !== 0);
  }
}

/** Assumption names in the order of TrackedAssumptions' bits. */
const ASSUMPTION_FIELDS: readonly string[] = [
  'iotlb-lookup-uses-did',
  'pc-inv-drops-iotlb',
  'pc-inv-blocks-late-fills',
  'pc-inv-waits-for-walks',
  'iotlb-inv-blocks-late-fills',
  'inv-blocks-fills-of-other-dids',
  'device-discards-racing-completions',
  'inv-may-pass-completion',
  'completion-may-pass-inv',
  'devtlb-after-pc-inv',
  'devtlb-ordered-after-p-iotlb',
  'entry-fetch-bits',
  'entry-fetch-in-order',
  'coherent',
  'caching-mode',
  'device-answers-invalidations',
  'drain-scope',
];

export function readAssumptions(a: Assumptions): TrackedAssumptions {
  const bits = a['entry-fetch-bits'];
  return new TrackedAssumptions({
    iotlbLookupUsesDid: flag(a, 'iotlb-lookup-uses-did'),
    pcInvDropsIotlb: flag(a, 'pc-inv-drops-iotlb'),
    pcInvBlocksLateFills: flag(a, 'pc-inv-blocks-late-fills'),
    pcInvWaitsForWalks: flag(a, 'pc-inv-waits-for-walks'),
    iotlbInvBlocksLateFills: flag(a, 'iotlb-inv-blocks-late-fills'),
    invBlocksFillsOfOtherDids: flag(a, 'inv-blocks-fills-of-other-dids'),
    drainScope: a['drain-scope'] as DrainScope,
    deviceDiscardsRacingCompletions: flag(a, 'device-discards-racing-completions'),
    invMayPassCompletion: flag(a, 'inv-may-pass-completion'),
    completionMayPassInv: flag(a, 'completion-may-pass-inv'),
    devtlbAfterPcInv: flag(a, 'devtlb-after-pc-inv'),
    devtlbOrderedAfterPIotlb: flag(a, 'devtlb-ordered-after-p-iotlb'),
    entryFetchBits: typeof bits === 'number' ? bits : 128,
    entryFetchInOrder: flag(a, 'entry-fetch-in-order'),
    coherent: flag(a, 'coherent'),
    cachingMode: flag(a, 'caching-mode'),
    deviceAnswersInvalidations: flag(a, 'device-answers-invalidations'),
  });
}

export interface ModelContext {
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
  /** Every step's footprint, and every actor's, for the reduction. */
  footprints: Footprints;
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
export interface Move {
  label: () => StepLabel;
  next: State;
  /** Actor, reads, writes, visibility: for the partial-order reduction (footprints.ts). */
  footprint: Footprint;
}

/**
 * Builds a Move. The label closure is passed in as an argument on purpose: tsx (esbuild
 * keepNames) wraps every arrow written as an object property in a naming call, which costs
 * more than the step itself; an argument is left alone.
 */
export function move(next: State, label: () => StepLabel, footprint: Footprint): Move {
  return { label, next, footprint };
}
