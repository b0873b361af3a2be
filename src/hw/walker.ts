/**
 * Translation at the IOMMU, one step at a time so invalidations can fall between steps
 * (VT-d 5.10 §6.3, §4.2.3; QEMU vtd_do_iommu_translate):
 *   lookup (IOTLB) → entry (PASID cache, or memory chunk by chunk) → fill (page walk,
 *   IOTLB fill) → answer (Translation Completion, or the untranslated DMA is processed)
 *   → commit (untranslated DMA reaches memory).
 * With `iotlb-lookup-uses-did` the entry is read first and the lookup uses its DID.
 */
import type { ModelContext, Move } from './context';
import { iotlbFill, iotlbLookup } from './iotlb';
import { pasidCacheable } from './pasidCache';
import { readChunk } from './memory';
import { dmaUseKey, type DmaUse, type State, type Walk } from './state';

function replaceWalk(s: State, w: Walk, next: Walk | null): Walk[] {
  return next ? s.walks.map((x) => (x === w ? next : x)) : s.walks.filter((x) => x !== w);
}

function who(w: Walk): string {
  return w.kind === 'ats' ? `Translation Request #${w.id}` : `untranslated DMA #${w.id}`;
}

export function recordDma(s: State, use: DmaUse): DmaUse[] {
  const k = dmaUseKey(use);
  if (s.dmaUses.some((u) => dmaUseKey(u) === k)) return s.dmaUses;
  return [...s.dmaUses, use].sort((a, b) => (dmaUseKey(a) < dmaUseKey(b) ? -1 : 1));
}

/** Where a new walk starts: the IOTLB lookup, or the entry first when lookups use its DID. */
export function initialStage(ctx: ModelContext): Walk['stage'] {
  return ctx.hw.iotlbLookupUsesDid ? 'entry' : 'lookup';
}

/** The stage after the entry is in hand. */
function afterEntry(ctx: ModelContext): Walk['stage'] {
  return ctx.hw.iotlbLookupUsesDid ? 'lookup' : 'fill';
}

export function walkMoves(s: State, ctx: ModelContext): Move[] {
  const moves: Move[] = [];
  const im = ctx.images;
  for (const w of s.walks) {
    switch (w.stage) {
      case 'lookup': {
        const did = ctx.hw.iotlbLookupUsesDid ? im.outcome(w.image).did : null;
        const hit = iotlbLookup(s, ctx, did);
        const tag = did === null ? '' : ` DID=${did}`;
        const missStage: Walk['stage'] = ctx.hw.iotlbLookupUsesDid ? 'fill' : 'entry';
        if (hit) {
          moves.push({
            label: () => ({ lane: 'iotlb', text: `IOMMU: IOTLB lookup${tag} for ${who(w)}: hit (${im.name(hit.image)}, DID=${im.outcome(hit.image).did})` }),
            next: { ...s, walks: replaceWalk(s, w, { ...w, stage: 'answer', result: hit.image }) },
          });
          // Eviction (§6.2.4: entries may be dropped at any time) matters only to a lookup
          // that would hit, so it is taken right there: a later eviction only removes stale
          // data, which no property can be broken by.
          moves.push({
            label: () => ({ lane: 'iotlb', text: `IOMMU: IOTLB evicts DID=${im.outcome(hit.image).did} (${im.name(hit.image)}); lookup${tag} for ${who(w)}: miss` }),
            next: { ...s, iotlb: s.iotlb.filter((e) => e !== hit), walks: replaceWalk(s, w, { ...w, stage: missStage }) },
          });
        } else {
          moves.push({
            label: () => ({ lane: 'iotlb', text: `IOMMU: IOTLB lookup${tag} for ${who(w)}: miss` }),
            next: { ...s, walks: replaceWalk(s, w, { ...w, stage: missStage }) },
          });
        }
        break;
      }
      case 'entry': {
        // Miss (or eviction just before this lookup, as for the IOTLB): the fetch starts
        // with whichever chunk is read first.
        const blank = im.intern(new Array<bigint>(8).fill(0n));
        const fetching: Walk = { ...w, stage: 'fetch', fetchImage: blank, chunksRead: 0, pcStale: false };
        const cached = s.pasidCache;
        if (cached) {
          moves.push({
            label: () => ({ lane: 'pasid-cache', text: `IOMMU: PASID-cache hit for ${who(w)} (${im.name(cached.image)})` }),
            next: { ...s, walks: replaceWalk(s, w, { ...w, stage: afterEntry(ctx), image: cached.image }) },
          });
          const evicted: State = { ...s, pasidCache: null };
          moves.push(...chunkMoves(evicted, ctx, fetching, w, `PASID cache evicts ${im.name(cached.image)}; `));
          break;
        }
        moves.push(...chunkMoves(s, ctx, fetching, w));
        break;
      }
      case 'fetch':
        moves.push(...chunkMoves(s, ctx, w, w));
        break;
      case 'fill': {
        const o = im.outcome(w.image);
        if (o.via === 'fault') {
          // A fault is decided here: an ATS request gets a completion granting no access; an
          // untranslated DMA is aborted (recorded as a use of the not-present entry).
          moves.push({
            label: () => ({ lane: 'walker', text: `IOMMU: ${who(w)} faults (entry ${im.name(w.image)} not present)` }),
            next: w.kind === 'ats'
              ? { ...s, walks: replaceWalk(s, w, { ...w, stage: 'answer', result: w.image }) }
              : { ...s, walks: replaceWalk(s, w, null), dmaUses: recordDma(s, { image: w.image, afterReturn: s.returned, path: 'iommu' }) },
          });
          break;
        }
        // VT-d 6.2.3.1: fills carry the DID of the entry the walk used; with
        // `iotlb-inv-blocks-late-fills` a walk that began before an IOTLB invalidation
        // completed does not fill after it.
        const blocked = w.iotlbStale && ctx.hw.iotlbInvBlocksLateFills;
        const next = blocked ? s : iotlbFill(s, ctx, w.image);
        moves.push({
          label: () => ({ lane: 'walker', text: `IOMMU: page walk for ${who(w)} with ${im.name(w.image)}${blocked ? ', IOTLB fill dropped (invalidated meanwhile)' : `, IOTLB fill DID=${o.did}`}` }),
          next: { ...next, walks: replaceWalk(next, w, { ...w, stage: 'answer', result: w.image }) },
        });
        break;
      }
      case 'answer': {
        if (w.kind === 'ats') {
          const id = `tc${w.id}`;
          moves.push({
            label: () => ({
              lane: 'walker', text: `IOMMU: sends Translation Completion #${w.id} (${im.name(w.result)})`,
              message: { id, kind: 'send', peer: 'device', label: `TC #${w.id} (${im.name(w.result)})` },
            }),
            next: { ...s, walks: replaceWalk(s, w, null), down: [...s.down, { kind: 'completion', request: w.id, image: w.result }] },
          });
        } else {
          // Processed: the DMA is forwarded with its translation and reaches memory later.
          moves.push({
            label: () => ({ lane: 'walker', text: `IOMMU: untranslated DMA #${w.id} translated with ${im.name(w.result)}` }),
            next: { ...s, walks: replaceWalk(s, w, { ...w, stage: 'commit' }) },
          });
        }
        break;
      }
      case 'commit':
        // The access reaches memory: this is when a write to a freed page does harm.
        moves.push({
          label: () => ({ lane: 'walker', text: `IOMMU: untranslated DMA #${w.id} reaches memory via ${im.name(w.result)}` }),
          next: { ...s, walks: replaceWalk(s, w, null), dmaUses: recordDma(s, { image: w.result, afterReturn: s.returned, path: 'iommu' }) },
        });
        break;
    }
  }
  return moves;
}

function chunkMoves(s: State, ctx: ModelContext, w: Walk, original: Walk, prefix = ''): Move[] {
  const moves: Move[] = [];
  const im = ctx.images;
  const all = (1 << ctx.chunks.length) - 1;
  for (let c = 0; c < ctx.chunks.length; c++) {
    if (w.chunksRead & (1 << c)) continue;
    // `entry-fetch-in-order`: only the lowest unread chunk may be read next.
    if (ctx.hw.entryFetchInOrder && c > 0 && !(w.chunksRead & (1 << (c - 1)))) continue;
    const fetchImage = readChunk(s, ctx, w.fetchImage, c);
    const chunksRead = w.chunksRead | (1 << c);
    const words = ctx.chunks[c].words;
    const what = ctx.chunks.length === 1 ? 'the entry' : `entry chunk ${c} (val[${words[0]}${words.length > 1 ? `..${words[words.length - 1]}` : ''}])`;
    if (chunksRead !== all) {
      moves.push({
        label: () => ({ lane: 'memory', text: `IOMMU: ${prefix}reads ${what} for ${who(w)}` }),
        next: { ...s, walks: replaceWalk(s, original, { ...w, fetchImage, chunksRead }) },
      });
      continue;
    }
    // Last chunk: the entry is complete; cache it unless a PASID-cache invalidation
    // completed since the fetch began (`pc-inv-blocks-late-fills`) or it cannot be cached.
    const cache = pasidCacheable(ctx, fetchImage) && !(w.pcStale && ctx.hw.pcInvBlocksLateFills);
    const done: Walk = { ...w, stage: afterEntry(ctx), fetchImage: -1, chunksRead: 0, image: fetchImage, pcStale: false };
    moves.push({
      label: () => ({ lane: 'memory', text: `IOMMU: ${prefix}reads ${what} for ${who(w)}: ${im.name(fetchImage)}${cache ? ', PASID-cache fill' : ''}` }),
      next: { ...s, pasidCache: cache ? { image: fetchImage } : s.pasidCache, walks: replaceWalk(s, original, done) },
    });
  }
  return moves;
}
