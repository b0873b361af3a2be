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

export interface HardwareAssumptions {
  iotlbLookupUsesDid: boolean;
  pcInvDropsIotlb: boolean;
  pcInvBlocksLateFills: boolean;
  pcInvWaitsForWalks: boolean;
  iotlbInvBlocksLateFills: boolean;
  iotlbInvDrainsTranslations: boolean;
  deviceDiscardsRacingCompletions: boolean;
  invMayPassCompletion: boolean;
  completionMayPassInv: boolean;
  devtlbAfterPcInv: boolean;
  waitDrainsUntranslatedDma: boolean;
  /** 64, 128 or 512. */
  entryFetchBits: number;
  entryFetchInOrder: boolean;
  coherent: boolean;
  cachingMode: boolean;
  deviceAnswersInvalidations: boolean;
}

export function readAssumptions(a: Assumptions): HardwareAssumptions {
  const bits = a['entry-fetch-bits'];
  return {
    iotlbLookupUsesDid: flag(a, 'iotlb-lookup-uses-did'),
    pcInvDropsIotlb: flag(a, 'pc-inv-drops-iotlb'),
    pcInvBlocksLateFills: flag(a, 'pc-inv-blocks-late-fills'),
    pcInvWaitsForWalks: flag(a, 'pc-inv-waits-for-walks'),
    iotlbInvBlocksLateFills: flag(a, 'iotlb-inv-blocks-late-fills'),
    iotlbInvDrainsTranslations: flag(a, 'iotlb-inv-drains-translations'),
    deviceDiscardsRacingCompletions: flag(a, 'device-discards-racing-completions'),
    invMayPassCompletion: flag(a, 'inv-may-pass-completion'),
    completionMayPassInv: flag(a, 'completion-may-pass-inv'),
    devtlbAfterPcInv: flag(a, 'devtlb-after-pc-inv'),
    waitDrainsUntranslatedDma: flag(a, 'wait-drains-untranslated-dma'),
    entryFetchBits: typeof bits === 'number' ? bits : 128,
    entryFetchInOrder: flag(a, 'entry-fetch-in-order'),
    coherent: flag(a, 'coherent'),
    cachingMode: flag(a, 'caching-mode'),
    deviceAnswersInvalidations: flag(a, 'device-answers-invalidations'),
  };
}

export interface ModelContext {
  images: EntryImages;
  hw: HardwareAssumptions;
  program: DriverProgram;
  /** Every descriptor the program submits, in queue order (queue index → descriptor). */
  descriptors: Descriptor[];
  sid: number;
  pasid: number;
  requests: number;
  dmas: number;
  /** Chunks of the entry a fetch reads (only those holding bits any PGTT uses: val[0..2]). */
  chunks: { words: number[] }[];
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
