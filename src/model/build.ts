/**
 * Assembles one scenario into a transition system for the search: the initial state
 * (warm or cold caches), every part's enabled steps, the properties as invariants, and
 * termination as the deadlock check. The search sees only this.
 */
import { entryDid, entryFsptptr, entryPgtt, entryPresent, entrySsptptr, parseEntry, validatePasidEntry } from '../formats/pasidEntry';
import { resolveAssumptions, type AssumptionValue, type AssumptionValues } from './assumptions';
import { readAssumptions, type Move, type StepLabel } from './context';
import type { ModelContext } from './modelContext';
import { EntryImages } from './entryImages';
import { Footprints } from './footprints';
import { fetchChunks, writebackMoves } from './parts/memory';
import { walkMoves } from './parts/walker';
import { queueMoves } from './parts/invalidationQueue';
import { deviceMoves } from './parts/device';
import { KEEP_ALL, canonicalState, cloneState, stateKey, statePacking, type DeadValues, type State, type StateBounds } from './state';
import { driverMoves } from './parts/driver';
import { compileProgram } from './program';
import { getStrategy, validateStrategy, type Strategy } from './strategies';
import type { TransitionSystem } from '../engine/types';
import type { Descriptor } from '../formats/descriptors';
import { harmless } from './footprintVars';
import { PROPERTY_NAMES, hitless, staleAfterReturn, terminationReason, tornFill, type PropertyCheck, type PropertyName } from './properties';

/** The scenario as given by a user (CLI flags, a scenario file, or a notebook cell). */
/** Which hardware a scenario runs on: VT-d (the default) or SMMUv3 (smmuv3/build.ts). */
export type Arch = 'vtd' | 'smmuv3';
export const ARCHES: readonly Arch[] = ['vtd', 'smmuv3'];

export interface ScenarioInput {
  /** Stable name; used in result blocks and file names. */
  name?: string;
  /** `smmuv3` for the SMMUv3 model; absent or `vtd`: VT-d. */
  arch?: Arch;
  /** Old PASID entry in the compact syntax (`fl:did=5,fsptptr=0x1000`, `off`). */
  from: string;
  /** New PASID entry in the compact syntax. */
  to: string;
  /** A strategy name (`baolu`, `jason`, ...) or a strategy value written in a cell. */
  strategy: string | Strategy;
  /** A preset with refinements: `spec`, `jason,coherent=false`. Default `spec`. */
  assume?: string;
  /** ATS Translation Requests the device issues over the check, in total, each at any moment. Default 2. */
  requests?: number;
  /** Untranslated DMAs the device issues over the check, in total, each at any moment. Default 1. */
  dmas?: number;
  /** The PASID the device uses (default 0x10); 0 is RID_PASID, requests without PASID. */
  pasid?: number;
  /** Start with empty caches instead of the old translation cached everywhere. */
  cold?: boolean;
  /**
   * An IOTLB entry left from when a domain with the new entry's DID last used this PASID
   * (compact entry syntax; its DID must be the new entry's): the A->B->A case, where A's
   * old mappings were never flushed for this device after it left A (docs/kernel.md#old-domain-after-return).
   */
  leftover?: string;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** The fixed parts of every scenario: one device, one PASID, one 4 KiB page. */
export const SCENARIO_SID = 0x0100;
export const SCENARIO_PASID = 0x10;
export const DEFAULT_REQUESTS = 2;
export const DEFAULT_DMAS = 1;
/** Most ATS Translation Requests, and most DMAs, a check lets the device issue. */
export const MAX_COUNT = 4;

export interface Model {
  name: string;
  input: ScenarioInput;
  strategy: Strategy;
  ctx: ModelContext;
  assume: string;
  assumptions: Record<string, AssumptionValue>;
  requests: number;
  dmas: number;
  cold: boolean;
  properties: PropertyCheck[];
  checkTermination: boolean;
  system: TransitionSystem<State, () => StepLabel>;
}

function entry(text: string, which: string): bigint[] {
  let words: bigint[];
  try {
    words = parseEntry(text);
  } catch (e) {
    throw new ScenarioError(`${which} entry: ${e instanceof Error ? e.message : String(e)}`);
  }
  const broken = validatePasidEntry(words);
  if (broken.length) throw new ScenarioError(`${which} entry '${text}': ${broken[0]}`);
  return words;
}

function bound(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) throw new ScenarioError(`${what} must be an integer from 0 to ${MAX_COUNT}, not ${String(value)}`);
  return n;
}

/**
 * The most of each list a state of this scenario can hold (the packed encoding's sizes).
 * IOTLB: a fill replaces the entry with the same lookup tags, so one entry, or one per DID
 * when lookups use the DID. Every cached DID comes from an entry the IOMMU read from
 * memory, and memory only ever holds the old entry with a prefix of the program's stores
 * applied (a dirty line too: it is written back whole), so those images' DIDs bound it.
 */
function stateBounds(ctx: ModelContext): StateBounds {
  const dids = new Set<number>();
  const words = [...ctx.images.oldEntry];
  dids.add(entryDid(words));
  if (ctx.images.leftoverEntry) dids.add(entryDid(ctx.images.leftoverEntry));
  for (const op of ctx.program.ops) {
    if (op.op !== 'store') continue;
    op.store.words.forEach((w, i) => { words[op.store.quantum * op.store.words.length + i] = w; });
    dids.add(entryDid(words));
  }
  return {
    requests: ctx.requests,
    dmas: ctx.dmas,
    descriptors: ctx.descriptors.length,
    devtlbs: ctx.descriptors.filter((d) => d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv').length,
    iotlbEntries: ctx.hw.iotlbLookupUsesDid ? dids.size : 1,
  };
}

/**
 * A short, stable test name in the style of litmus test names: `SL5-to-SL6` (PGTT and DID
 * of each entry), with a prime on the new entry when only its page-table pointers differ
 * (`FL5-to-FL5'`), `off` for a not-present entry.
 */
export function transitionName(oldEntry: readonly bigint[], newEntry: readonly bigint[]): string {
  const short = (w: readonly bigint[]): string => {
    const pgtt = entryPgtt(w);
    return entryPresent(w) && pgtt ? `${pgtt.toUpperCase()}${entryDid(w)}` : 'off';
  };
  const a = short(oldEntry);
  const b = short(newEntry);
  const same = oldEntry.every((w, i) => w === newEntry[i]);
  return `${a}-to-${b}${a === b && !same ? "'" : ''}`;
}

/** Same PGTT and page-table pointers: the two entries translate the page identically. */
function walksSameTables(a: readonly bigint[], b: readonly bigint[]): boolean {
  return entryPgtt(a) === entryPgtt(b) && entryFsptptr(a) === entryFsptptr(b) && entrySsptptr(a) === entrySsptptr(b);
}

/**
 * The IOTLB at the start: the old translation when warm; plus the leftover entry when
 * lookups use the DID (one entry per DID then; VT-d Table 17 gives one per lookup tag).
 */
function initialIotlb(images: EntryImages, warm: boolean, hw: ModelContext['hw']): { image: number }[] {
  const entries = warm ? [{ image: images.oldId }] : [];
  // Without DID in the lookup the old domain's own lookups would have hit the leftover,
  // so the switch to it must already have removed it: only with DID in the lookup can it
  // have survived unseen (Jason's reading of Table 17).
  if (images.leftoverId >= 0 && hw.iotlbLookupUsesDid) entries.push({ image: images.leftoverId });
  return entries.sort((a, b) => a.image - b.image);
}

/** The PASID of the scenario: 0 is RID_PASID (requests without PASID); 20 bits (VT-d §9.6). */
function pasidOf(value: number | undefined): number {
  const p = value ?? SCENARIO_PASID;
  if (!Number.isInteger(p) || p < 0 || p > 0xfffff) throw new ScenarioError(`pasid must be an integer from 0 to 0xfffff, not ${String(value)}`);
  return p;
}

/** The most distinct fence scopes a walk can record (16 bits each in the packed state). */
const MAX_FENCES = 16;

/**
 * The distinct invalidation scopes of a program, for the late-fill fences (walker.ts):
 * identical PASID-cache, IOTLB and P_IOTLB descriptors fence the same fills, so they share a bit.
 */
function fenceScopes(descriptors: readonly Descriptor[]): { fences: Descriptor[]; fenceBit: number[] } {
  const fences: Descriptor[] = [];
  const keys: string[] = [];
  const fenceBit = descriptors.map((d) => {
    if (d.type !== 'pc_inv' && d.type !== 'iotlb_inv' && d.type !== 'p_iotlb_inv') return -1;
    const k = JSON.stringify(d, (_, v: unknown) => (typeof v === 'bigint' ? v.toString(16) : v));
    let b = keys.indexOf(k);
    if (b < 0) {
      b = keys.length;
      keys.push(k);
      fences.push(d);
    }
    return b;
  });
  if (fences.length > MAX_FENCES) throw new ScenarioError(`the strategy names ${fences.length} distinct invalidation scopes; the model tracks at most ${MAX_FENCES}`);
  return { fences, fenceBit };
}

export interface ModelOptions {
  /** Check only these properties (default: all that apply), e.g. for a negative control. */
  properties?: readonly PropertyName[];
  /**
   * The assumptions as resolved values (e.g. a sweep row's). When given they are used
   * as they are and `input.assume` only names the model; default: `input.assume` resolved.
   */
  assumptions?: Readonly<AssumptionValues>;
  /**
   * Symmetry reduction (state.ts canonicalState): states that differ only in how the
   * requests, or the DMAs, are numbered are one state for the search. Default true; false
   * keys every numbering apart (the differential test compares the two:
   * test/check/symmetry.test.ts).
   */
  symmetry?: boolean;
  /**
   * Dead-value merging: values no later step or property can tell apart are not kept
   * apart. A DMA use no property can object to is not recorded (properties.ts
   * useMayViolate); the visited key ignores a walk's fences once it has filled (only its
   * fill and its fetch read them: walker.ts) and keys an ATC holding a harmless
   * translation as an empty one (harmlessAtcIsEmpty). The key merges are a bisimulation:
   * merged states take the same steps to merged states and break the same properties, so
   * verdicts and shortest counterexample lengths are those of the search that keeps them
   * apart, and the search keeps the concrete state it reached first, so a trace shows the
   * real values. Default true; false keeps every value (the differential test compares
   * the two: test/check/deadValues.test.ts).
   */
  deadValues?: boolean;
}

/**
 * An ATC holding a harmless translation (footprintVars.ts `harmless`: the new entry's own,
 * untorn) behaves as an empty one: no step reads the ATC's contents but to replace or drop
 * them (device.ts: a completion fills it, an Invalidate Request drops it, an untranslated
 * DMA is issued on a miss or after evicting it), and no property objects to a harmless
 * translation. Only the visited key merges the two: the search keeps the concrete state it
 * reached first, so a trace still shows what the ATC held.
 */
function harmlessAtcIsEmpty(ctx: ModelContext): (image: number) => boolean {
  return (image) => harmless(ctx, image);
}

export function buildModel(input: ScenarioInput, options: ModelOptions = {}): Model {
  if (input.arch !== undefined && input.arch !== 'vtd') throw new ScenarioError(`arch ${String(input.arch)}: only check and run take it for now (sweep, compare and --why are VT-d only)`);
  const oldEntry = entry(input.from, 'from');
  const newEntry = entry(input.to, 'to');
  const strategy = typeof input.strategy === 'string' ? getStrategy(input.strategy) : validateStrategy(input.strategy);
  const assumptions: Record<string, AssumptionValue> = options.assumptions ? { ...options.assumptions } : resolveAssumptions(input.assume ?? 'spec');
  const hw = readAssumptions(assumptions);
  const requests = bound(input.requests, DEFAULT_REQUESTS, 'requests');
  const dmas = bound(input.dmas, DEFAULT_DMAS, 'dmas');
  const cold = input.cold ?? false;
  const leftover = input.leftover === undefined ? null : entry(input.leftover, 'leftover');
  if (leftover && (!entryPresent(leftover) || entryDid(leftover) !== entryDid(newEntry))) {
    throw new ScenarioError(`leftover entry '${input.leftover}': must be present and carry the new entry's DID (${entryDid(newEntry)}): it stands for what that DID cached before`);
  }
  if (leftover && entryPresent(newEntry) && walksSameTables(leftover, newEntry)) {
    throw new ScenarioError(`leftover entry '${input.leftover}': walks the same tables as the new entry, so it is not stale; give it another table pointer`);
  }
  const images = new EntryImages(oldEntry, newEntry, leftover);
  const pasid = pasidOf(input.pasid);
  const program = compileProgram(strategy, {
    oldEntry, newEntry, sid: SCENARIO_SID, pasid, coherent: hw.coherent, cachingMode: hw.cachingMode,
  });
  const descriptors = program.ops.flatMap((op) => (op.op === 'submit' ? op.descriptors : []));
  const { fences, fenceBit } = fenceScopes(descriptors);
  const dead = options.deadValues ?? true;
  const parts = {
    images, hw, program, descriptors, sid: SCENARIO_SID, pasid, requests, dmas,
    chunks: fetchChunks(hw.entryFetchBits), fences, fenceBit, deadValues: dead,
    queueEntries: descriptors.map((descriptor) => ({
      pending: { descriptor, status: 'pending' as const }, sent: { descriptor, status: 'sent' as const }, done: { descriptor, status: 'done' as const },
    })),
  };
  const ctx: ModelContext = { ...parts, footprints: new Footprints(parts) };

  // Warm: the old translation is cached in the PASID cache, the IOTLB and the ATC, as after
  // the device has been using the old domain (CM=0 caches only present entries).
  const oldPresent = images.outcome(images.oldId).present;
  const warm = !cold && oldPresent;
  const initial: State = cloneState({
    pc: 0, returned: false, memory: images.oldId, line: -1,
    pasidCache: warm ? { image: images.oldId } : null,
    iotlb: initialIotlb(images, warm, hw),
    walks: [], queue: [], down: [], up: [],
    atc: warm ? images.oldId : -1, answering: [], outstanding: [],
    requestsIssued: 0, dmasIssued: 0, dmaUses: [],
  });

  // hitless is only meaningful when both entries are present and the writer keeps P set.
  const bothPresent = oldPresent && images.outcome(images.newId).present;
  const all: PropertyCheck[] = [staleAfterReturn(ctx), ...(bothPresent && !program.vCleared ? [hitless(ctx)] : []), tornFill(ctx)];
  const only = options.properties;
  if (only) for (const p of only) if (!(PROPERTY_NAMES as readonly string[]).includes(p)) throw new ScenarioError(`unknown property '${p}' (${PROPERTY_NAMES.join(', ')})`);
  const properties = only ? all.filter((p) => only.includes(p.name)) : all;
  const checkTermination = !only || only.includes('termination');

  const symmetric = options.symmetry ?? true;
  const merge: DeadValues = dead ? { atcAsEmpty: harmlessAtcIsEmpty(ctx), spentFences: true } : KEEP_ALL;
  const packing = statePacking(stateBounds(ctx), merge);
  const system: TransitionSystem<State, () => StepLabel> = {
    initial: () => initial,
    successors(s) {
      // Order is part of the output: driver first, then the IOMMU, the link and device,
      // then spontaneous evictions (deterministic, so counterexamples are reproducible).
      const moves: Move[] = [];
      driverMoves(s, ctx, moves);
      queueMoves(s, ctx, moves);
      walkMoves(s, ctx, moves);
      deviceMoves(s, ctx, moves);
      writebackMoves(s, ctx, moves);
      return moves;
    },
    key: symmetric ? (s) => stateKey(canonicalState(s), merge) : (s) => stateKey(s, merge),
    packing: symmetric ? { words: packing.words, encode: packing.encodeCanonical } : packing,
    actors: (s) => ctx.footprints.actors(s),
    actorFootprint: (s, actor) => ctx.footprints.actorFootprint(s, actor),
    invariants: properties.map((p) => ({ name: p.name, check: (s: State) => p.check(s) })),
    deadlock(s) {
      if (!checkTermination) return null;
      const reason = terminationReason(s, ctx);
      return reason ? { property: 'termination', reason } : null;
    },
  };
  const where = `${pasid === SCENARIO_PASID ? '' : `/pasid${pasid.toString(16)}`}${leftover ? '/leftover' : ''}`;
  const name = input.name ?? `${transitionName(oldEntry, newEntry)}${where}+${strategy.name}+${(input.assume ?? 'spec').replace(/\s+/g, '')}`;
  return {
    name, input, strategy, ctx, assume: input.assume ?? 'spec', assumptions, requests, dmas, cold,
    properties, checkTermination, system,
  };
}
