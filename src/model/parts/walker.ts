/**
 * Translation at the IOMMU, one step at a time so invalidations can fall between steps
 * (VT-d 5.10 §6.3, §4.2.3; QEMU vtd_do_iommu_translate):
 *   lookup (IOTLB) → entry (PASID cache, or memory chunk by chunk) → fill (page walk,
 *   IOTLB fill) → answer (Translation Completion, or the untranslated DMA is processed)
 *   → commit (untranslated DMA reaches memory).
 * With `iotlb-lookup-uses-did` the entry is read first and the lookup uses its DID.
 */
import { move, type Move, type StepLabel } from '../context';
import type { ModelContext } from '../modelContext';
import { CHUNK_EVICT, CHUNK_FIRST, CHUNK_LAST, WalkStep, cacheChangeVisible, harmless, noAccess, type ImageOutcomes } from '../footprintVars';
import { iotlbFilled, iotlbInvMatches, iotlbLookup } from './iotlb';
import type { Descriptor } from '../../formats/descriptors';
import { pasidCacheable, pcInvMatches } from './pasidCache';
import { readChunk } from './memory';
import { useMayViolate } from '../properties';
import { canonicalDown, cloneState, cloneWalk, dmaUseKey, type DmaUse, type State, type Walk } from '../state';

/** A copy of `s` with walk `i` replaced by `next`, or removed when `next` is null. */
function withWalk(s: State, i: number, next: Walk | null): State {
  const t = cloneState(s);
  t.walks = s.walks.slice();
  if (next) t.walks[i] = next;
  else t.walks.splice(i, 1);
  return t;
}

/** A copy of walk `w` moved on to `stage`. */
function atStage(w: Walk, stage: Walk['stage']): Walk {
  const next = cloneWalk(w);
  next.stage = stage;
  return next;
}

/** A copy of walk `w` moved on to `answer` with the translation it found. */
function answered(w: Walk, result: number): Walk {
  const next = atStage(w, 'answer');
  next.result = result;
  return next;
}

function who(w: Walk): string {
  return w.kind === 'ats' ? `Translation Request #${w.id}` : `untranslated DMA #${w.id}`;
}

/**
 * The DMA-use record after `use`: unchanged when no property can object to the use
 * (`mayViolate`, properties.ts useMayViolate: the record only feeds properties).
 */
export function recordDma(s: Pick<State, 'dmaUses'>, use: DmaUse, mayViolate: (u: DmaUse) => boolean): DmaUse[] {
  if (!mayViolate(use)) return s.dmaUses;
  // Already recorded (same key: the same three fields)?
  for (const u of s.dmaUses) if (u.image === use.image && u.afterReturn === use.afterReturn && u.path === use.path) return s.dmaUses;
  return [...s.dmaUses, use].sort((a, b) => (dmaUseKey(a) < dmaUseKey(b) ? -1 : 1));
}

/** Where a new walk starts: the IOTLB lookup, or the entry first when lookups use its DID. */
export function initialStage(ctx: { hw: { readonly iotlbLookupUsesDid: boolean } }): Walk['stage'] {
  return ctx.hw.iotlbLookupUsesDid ? 'entry' : 'lookup';
}

/** The stage after the entry is in hand. */
function afterEntry(ctx: ModelContext): Walk['stage'] {
  return ctx.hw.iotlbLookupUsesDid ? 'lookup' : 'fill';
}

export function walkMoves(s: State, ctx: ModelContext, out: Move[]): void {
  const im = ctx.images;
  const fps = ctx.footprints;
  for (let i = 0; i < s.walks.length; i++) {
    const w = s.walks[i];
    const slot = fps.slotOf(w.kind, w.id);
    const first = out.length;
    switch (w.stage) {
      case 'lookup': {
        const did = ctx.hw.iotlbLookupUsesDid ? im.outcome(w.image).did : null;
        const hit = iotlbLookup(s, ctx, did);
        const tag = did === null ? '' : ` DID=${did}`;
        const missStage: Walk['stage'] = ctx.hw.iotlbLookupUsesDid ? 'fill' : 'entry';
        if (hit) {
          out.push(move(withWalk(s, i, answered(w, hit.image)),
            () => ({ lane: 'iotlb', text: `IOMMU: IOTLB lookup${tag} for ${who(w)}: hit (${im.name(hit.image)}, DID=${im.outcome(hit.image).did})` }),
            fps.walk(slot, WalkStep.Lookup, false)));
          // Eviction (§6.2.4: entries may be dropped at any time) matters only to a lookup
          // that would hit, so it is taken right there: a later eviction only removes stale
          // data, which no property can be broken by.
          const evicted = withWalk(s, i, atStage(w, missStage));
          evicted.iotlb = s.iotlb.filter((e) => e !== hit);
          out.push(move(evicted,
            () => ({ lane: 'iotlb', text: `IOMMU: IOTLB evicts DID=${im.outcome(hit.image).did} (${im.name(hit.image)}); lookup${tag} for ${who(w)}: miss` }),
            fps.walk(slot, WalkStep.LookupEvict, imageChangeVisible(ctx, hit.image, -1))));
        } else {
          out.push(move(withWalk(s, i, atStage(w, missStage)),
            () => ({ lane: 'iotlb', text: `IOMMU: IOTLB lookup${tag} for ${who(w)}: miss` }),
            fps.walk(slot, WalkStep.Lookup, false)));
        }
        break;
      }
      case 'entry': {
        // Miss (or eviction just before this lookup, as for the IOTLB): the fetch starts
        // with whichever chunk is read first.
        const fetching = atStage(w, 'fetch');
        fetching.fetchImage = im.blank();
        fetching.chunksRead = 0;
        fetching.pcFences = 0;
        const cached = s.pasidCache;
        if (cached) {
          const hit = atStage(w, afterEntry(ctx));
          hit.image = cached.image;
          out.push(move(withWalk(s, i, hit),
            () => ({ lane: 'pasid-cache', text: `IOMMU: PASID-cache hit for ${who(w)} (${im.name(cached.image)})` }),
            fps.walk(slot, WalkStep.PasidCacheHit, false)));
          const evicted = cloneState(s);
          evicted.pasidCache = null;
          chunkMoves(evicted, ctx, i, fetching, out, cached.image, s);
          break;
        }
        chunkMoves(s, ctx, i, fetching, out, -1, s);
        break;
      }
      case 'fetch':
        chunkMoves(s, ctx, i, w, out, -1, null);
        break;
      case 'fill': {
        const o = im.outcome(w.image);
        if (o.via === 'fault') {
          // A fault is decided here: an ATS request gets a completion granting no access; an
          // untranslated DMA is aborted (recorded as a use of the not-present entry).
          let next: State;
          if (w.kind === 'ats') next = withWalk(s, i, answered(w, w.image));
          else {
            next = withWalk(s, i, null);
            next.dmaUses = recordDma(s, { image: w.image, afterReturn: s.returned, path: 'iommu' }, (u) => !ctx.deadValues || useMayViolate(ctx, u));
          }
          // A recorded fault is visible (hitless); an ATS request's fault only goes to its answer.
          out.push(move(next, () => ({ lane: 'walker', text: `IOMMU: ${who(w)} faults (entry ${im.name(w.image)} not present)` }),
            fps.walk(slot, WalkStep.Fault, w.kind === 'dma')));
          break;
        }
        // VT-d 6.2.3.1: fills carry the DID of the entry the walk used; with
        // `iotlb-inv-blocks-late-fills` a walk that began before an IOTLB invalidation
        // completed does not fill what that invalidation would have removed.
        const blocked = w.iotlbFences !== 0 && ctx.hw.iotlbInvBlocksLateFills && fenced(ctx, w.iotlbFences, (d) => iotlbInvMatches(ctx, { image: w.image }, d));
        const next = withWalk(s, i, answered(w, w.image));
        if (!blocked) next.iotlb = iotlbFilled(s, ctx, w.image);
        out.push(move(next,
          () => ({ lane: 'walker', text: `IOMMU: page walk for ${who(w)} with ${im.name(w.image)}${blocked ? ', IOTLB fill dropped (invalidated meanwhile)' : `, IOTLB fill DID=${o.did}`}` }),
          blocked ? fps.walk(slot, WalkStep.FillBlocked, false) : fps.walk(slot, WalkStep.Fill, iotlbChangeVisible(ctx, s, next))));
        break;
      }
      case 'answer': {
        if (w.kind === 'ats') {
          const next = withWalk(s, i, null);
          next.down = s.down.slice();
          next.down.push({ kind: 'completion', request: w.id, image: w.result });
          canonicalDown(next.down);
          out.push(move(next, () => ({
            lane: 'walker', text: `IOMMU: sends Translation Completion #${w.id} (${im.name(w.result)})`,
            message: { id: `tc${w.id}`, kind: 'send', peer: 'device', label: `TC #${w.id} (${im.name(w.result)})` },
          }), fps.walk(slot, WalkStep.Answer, !harmless(ctx, w.result) && !noAccess(ctx, w.result))));
        } else {
          // Processed: the DMA is forwarded with its translation and reaches memory later.
          out.push(move(withWalk(s, i, atStage(w, 'commit')),
            () => ({ lane: 'walker', text: `IOMMU: untranslated DMA #${w.id} translated with ${im.name(w.result)}` }),
            fps.walk(slot, WalkStep.Answer, false)));
        }
        break;
      }
      case 'commit': {
        // The access reaches memory: this is when a write to a freed page does harm.
        const next = withWalk(s, i, null);
        next.dmaUses = recordDma(s, { image: w.result, afterReturn: s.returned, path: 'iommu' }, (u) => !ctx.deadValues || useMayViolate(ctx, u));
        out.push(move(next, () => ({ lane: 'walker', text: `IOMMU: untranslated DMA #${w.id} reaches memory via ${im.name(w.result)}` }),
          fps.walk(slot, WalkStep.Commit, !harmless(ctx, w.result))));
        break;
      }
    }
    // An ATS Translation Request arrives with the walk's first step: drawn as an arrow from
    // the device (PCIe 6.2 §10.1: a Non-Posted read upstream).
    // The moves are this call's own, so their label is replaced in place (a spread copy
    // would also put these moves on another hidden class than move()'s).
    if (w.kind === 'ats' && w.stage === initialStage(ctx)) {
      for (let k = first; k < out.length; k++) out[k].label = arrival(out[k].label, w.id);
    }
  }
}

/** `label` with the ATS Translation Request's arrival from the device drawn on it. */
function arrival(label: () => StepLabel, id: number): () => StepLabel {
  return () => ({ ...label(), message: { id: `tr${id}`, kind: 'receive', peer: 'device', label: `TR #${id}` } });
}

/**
 * The chunk reads walk `i` may take next, for its fetch in progress `w`. `evicted` is the
 * image the PASID cache dropped just before this lookup (as for the IOTLB), or -1.
 * `entered`: the state the walk left its entry stage from (this is the fetch's first
 * chunk), or null; its PASID cache decides whether a fill changes anything.
 */
function chunkMoves(s: State, ctx: ModelContext, i: number, w: Walk, out: Move[], evicted: number, entered: State | null): void {
  const im = ctx.images;
  const chunks = ctx.chunks.length;
  const all = (1 << chunks) - 1;
  const slot = ctx.footprints.slotOf(w.kind, w.id);
  const before = entered ? entered.pasidCache : s.pasidCache;
  const shape = (entered ? CHUNK_FIRST : 0) | (evicted >= 0 ? CHUNK_EVICT : 0);
  for (let c = 0; c < chunks; c++) {
    if (w.chunksRead & (1 << c)) continue;
    // `entry-fetch-in-order`: only the lowest unread chunk may be read next.
    if (c > 0 && !(w.chunksRead & (1 << (c - 1))) && ctx.hw.entryFetchInOrder) continue;
    const fetchImage = readChunk(s, ctx, w.fetchImage, c);
    const chunksRead = w.chunksRead | (1 << c);
    if (chunksRead !== all) {
      const reading = cloneWalk(w);
      reading.fetchImage = fetchImage;
      reading.chunksRead = chunksRead;
      // Visible only when the PASID cache dropped its entry for this read.
      out.push(move(withWalk(s, i, reading),
        () => ({ lane: 'memory', text: `IOMMU: ${evictedPrefix(ctx, evicted)}reads ${chunkName(ctx, c)} for ${who(w)}` }),
        ctx.footprints.walk(slot, WalkStep.Chunk, evicted >= 0 && pasidCacheChangeVisible(ctx, before, null), shape)));
      continue;
    }
    // Last chunk: the entry is complete; cache it unless a PASID-cache invalidation
    // completed since the fetch began (`pc-inv-blocks-late-fills`) or it cannot be cached.
    const cache = pasidCacheable(ctx, fetchImage)
      && !(w.pcFences !== 0 && ctx.hw.pcInvBlocksLateFills && fenced(ctx, w.pcFences, (d) => d.type === 'pc_inv' && pcInvMatches(ctx, fetchImage, d)));
    const done = atStage(w, afterEntry(ctx));
    done.fetchImage = -1;
    done.chunksRead = 0;
    done.image = fetchImage;
    done.pcFences = 0;
    const next = withWalk(s, i, done);
    if (cache) next.pasidCache = { image: fetchImage };
    const changed = (next.pasidCache ? next.pasidCache.image : -1) !== (before ? before.image : -1);
    out.push(move(next,
      () => ({ lane: 'memory', text: `IOMMU: ${evictedPrefix(ctx, evicted)}reads ${chunkName(ctx, c)} for ${who(w)}: ${im.name(fetchImage)}${cache ? ', PASID-cache fill' : ''}` }),
      ctx.footprints.walk(slot, WalkStep.Chunk, changed && pasidCacheChangeVisible(ctx, before, next.pasidCache), shape | CHUNK_LAST)));
  }
}

/**
 * Does one of the fences in `bits` (scopes of invalidations completed since the walk or
 * fetch began) cover the entry about to be cached? Each fence covers what its invalidation
 * would have removed (`covers`, Table 17 invalidation tags); with
 * `inv-blocks-fills-of-other-dids` every fence covers every fill.
 */
function fenced(ctx: ModelContext, bits: number, covers: (d: Descriptor) => boolean): boolean {
  for (let b = 0; b < ctx.fences.length; b++) {
    if (!(bits & (1 << b))) continue;
    if (covers(ctx.fences[b]) || ctx.hw.invBlocksFillsOfOtherDids) return true;
  }
  return false;
}

/**
 * cacheChangeVisible (footprintVars.ts) for a cache holding one image or none (-1) before
 * and after, without building the two one-element arrays on every step.
 */
export function imageChangeVisible(ctx: ImageOutcomes, before: number, after: number): boolean {
  return (before >= 0 && !harmless(ctx, before)) || (after >= 0 && !harmless(ctx, after));
}

/** Is an IOTLB change from `s` to `next` one a property can see (footprints.ts)? */
export function iotlbChangeVisible(ctx: ModelContext, s: State, next: State): boolean {
  const a = s.iotlb;
  const b = next.iotlb;
  let same = a.length === b.length;
  for (let k = 0; same && k < a.length; k++) same = a[k].image === b[k].image;
  return !same && cacheChangeVisible(ctx, a.map((e) => e.image), b.map((e) => e.image));
}

/**
 * Is a PASID-cache change (already known to be a change) one a property can see? Under
 * `iotlb-lookup-uses-did` always: the cached entry's DID decides which IOTLB entry is hit.
 */
export function pasidCacheChangeVisible(ctx: ModelContext, before: { image: number } | null, after: { image: number } | null): boolean {
  return ctx.hw.iotlbLookupUsesDid || imageChangeVisible(ctx, before ? before.image : -1, after ? after.image : -1);
}

function evictedPrefix(ctx: ModelContext, evicted: number): string {
  return evicted >= 0 ? `PASID cache evicts ${ctx.images.name(evicted)}; ` : '';
}

/** "the entry", or "entry chunk 1 (val[2..3])". */
function chunkName(ctx: ModelContext, c: number): string {
  const words = ctx.chunks[c].words;
  return ctx.chunks.length === 1 ? 'the entry' : `entry chunk ${c} (val[${words[0]}${words.length > 1 ? `..${words[words.length - 1]}` : ''}])`;
}
