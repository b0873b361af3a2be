/**
 * The vocabulary the parts' footprint declarations (parts/*Footprints.ts) are written in:
 * the kinds of step, a set of variable names, the scope of a scenario (its walk slots and
 * the variable groups over them), and the visibility helpers the step functions share.
 * The variables themselves and why the footprints are sound: footprints.ts. Its own file
 * so the parts can declare their footprints without importing the machinery that
 * assembles them (footprints.ts imports the parts' declarations, not the other way round).
 */
import type { ModelSetup } from './context';
import type { Walk } from './state';
import type { Via } from './entryImages';

/**
 * What the visibility helpers read of a scenario: how each image translates. VT-d's
 * EntryImages and SMMUv3's configuration images (smmuv3/images.ts) both provide it.
 */
export interface ImageOutcomes {
  images: { outcome(id: number): { via: Via; torn: boolean } };
}

/** The kinds of walk (and per-request device) steps, each with a fixed footprint shape. */
export enum WalkStep {
  Issue,
  Lookup,
  LookupEvict,
  PasidCacheHit,
  Fill,
  FillBlocked,
  Fault,
  Answer,
  Commit,
  Deliver,
  DeliverDrop,
  /** Chunk reads: + ChunkFirst (first chunk, from the entry stage), + ChunkLast, + ChunkEvict. */
  Chunk,
}
export const CHUNK_FIRST = 1;
export const CHUNK_LAST = 2;
export const CHUNK_EVICT = 4;
/** Step-cache slots a walk takes: every WalkStep, the chunk read with each flag combination. */
export const WALK_KINDS = WalkStep.Chunk + 8;

export enum DescriptorStep {
  Execute,
  /** The device receives descriptor i's Invalidate Request. */
  Receive,
  /** The device sends the Invalidate Completion (head of `answering`). */
  Answer,
  /** The queue receives the Invalidate Completion (head of `up`). */
  Complete,
}
export const DESC_KINDS = 4;

/** A set of variable names under construction (insertion order kept, no duplicates). */
export class VarSet {
  private readonly set = new Set<string>();
  add(...names: string[]): this {
    for (const n of names) this.set.add(n);
    return this;
  }
  addAll(names: Iterable<string>): this {
    for (const n of names) this.set.add(n);
    return this;
  }
  list(): readonly string[] {
    return [...this.set];
  }
}

/** One walk actor: ats1..atsR then dma1..dmaD, each with its own W variables. */
export interface WalkSlot {
  name: string;
  kind: Walk['kind'];
  id: number;
}

/** A step's variables before the footprint's actor and visibility are attached. */
export interface StepVars {
  actor: string;
  reads: readonly string[];
  writes: readonly string[];
}

/** What a part's footprint declarations see of a scenario: its setup and variable groups. */
export interface FootprintScope {
  readonly ctx: ModelSetup;
  readonly walkSlots: readonly WalkSlot[];
  /** `<W>.<fact>` for every walk slot W. */
  allWalks(fact: string): string[];
  /** tc<k> of every ATS request k (its Translation Completion on the link). */
  allTc(): string[];
  /** ir<i> of every Device-TLB descriptor i (its Invalidate Request on the link). */
  allIr(): string[];
  /** out<k> of every ATS request k (outstanding at the device). */
  allOut(): string[];
}

/**
 * A translation no property can object to wherever it turns up: the new entry's own
 * translation, untorn. Visibility of DMA uses and completions is decided with this rather
 * than with each property's exact test, so it stays sound if a property gets stricter
 * about old, mixed, torn or faulting translations.
 */
export function harmless(ctx: ImageOutcomes, image: number): boolean {
  const o = ctx.images.outcome(image);
  return o.via === 'new' && !o.torn;
}

/**
 * Does a cache going from holding `before` to holding `after` (images) matter to a
 * property? Not when every translation on both sides is harmless: no property objects to
 * a harmless translation being cached, dropped or replaced by another harmless one. (The
 * PASID cache under `iotlb-lookup-uses-did` is the exception the callers handle: its
 * entry's DID selects which IOTLB entry a lookup hits.)
 */
export function cacheChangeVisible(ctx: ImageOutcomes, before: readonly number[], after: readonly number[]): boolean {
  for (const x of before) if (x >= 0 && !harmless(ctx, x)) return true;
  for (const x of after) if (x >= 0 && !harmless(ctx, x)) return true;
  return false;
}

/** A completion granting no access (the device caches nothing from it). */
export function noAccess(ctx: ImageOutcomes, image: number): boolean {
  return ctx.images.outcome(image).via === 'fault';
}
