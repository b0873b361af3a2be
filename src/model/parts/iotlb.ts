/**
 * The IOTLB (VT-d 5.10 §6.2.4, Table 17). Lookup tags: Source-ID, PASID and page — one of
 * each per scenario — so every entry is hit by every lookup unless the assumption
 * `iotlb-lookup-uses-did` adds the DID of the current PASID entry. Invalidation tags: DID,
 * PGTT, PASID, page (Tables 23 and 24).
 */
import type { Descriptor } from '../../formats/descriptors';
import type { ModelContext } from '../modelContext';
import { cloneState, type IotlbEntry, type State } from '../state';

/** The entry a lookup hits, if any. `did` is the current entry's DID when lookups use it. */
export function iotlbLookup(s: State, ctx: ModelContext, did: number | null): IotlbEntry | null {
  for (const e of s.iotlb) {
    if (did === null || ctx.images.outcome(e.image).did === did) return e;
  }
  return null;
}

/**
 * Fill from a walk. CM=0 hardware caches only successful translations (§6.2.4.1). A fill
 * replaces the entry with the same lookup tag (QEMU vtd_update_iotlb keys by
 * {gfn, pasid, sid, level}); with DID in the lookup, entries of other DIDs stay.
 */
export function iotlbFill(s: State, ctx: ModelContext, image: number): State {
  const next = cloneState(s);
  next.iotlb = iotlbFilled(s, ctx, image);
  return next;
}

/**
 * The IOTLB after iotlbFill: `s.iotlb` itself when it already holds exactly this entry
 * for the lookup tag (a refill of the same translation; most successors are already
 * visited, so a fresh array would be garbage).
 */
export function iotlbFilled(s: State, ctx: ModelContext, image: number): IotlbEntry[] {
  const did = ctx.images.outcome(image).did;
  const usesDid = ctx.hw.iotlbLookupUsesDid;
  let same = 0;
  let replaced = 0;
  for (const e of s.iotlb) {
    if (usesDid && ctx.images.outcome(e.image).did !== did) continue;
    if (e.image === image) same++;
    else replaced++;
  }
  if (same === 1 && replaced === 0) return s.iotlb;
  const kept = usesDid ? s.iotlb.filter((e) => ctx.images.outcome(e.image).did !== did) : [];
  return [...kept, { image }].sort((a, b) => a.image - b.image);
}

/**
 * Which entries an invalidation removes. iotlb_inv (§6.5.2.3, Table 23): global; domain
 * (DID, any PGTT); page-selective (DID+page for SS/PT, every FS/nested entry of the DID).
 * p_iotlb_inv (§6.5.2.4, Table 24): PASID-selective (DID+PASID, any PGTT);
 * page-selective-within-PASID removes FS/nested entries only — SS/PT entries stay.
 * The scenario's one page is page 0, which every page-selective descriptor here names.
 */
export function iotlbInvMatches(ctx: ModelContext, e: IotlbEntry, d: Descriptor): boolean {
  const o = ctx.images.outcome(e.image);
  switch (d.type) {
    case 'iotlb_inv':
      return d.granularity === 'global' || o.did === d.did;
    case 'p_iotlb_inv':
      if (o.did !== d.did || d.pasid !== ctx.pasid) return false;
      return d.granularity === 'pasid' || o.pgtt === 'fl' || o.pgtt === 'nested';
    case 'pc_inv':
      // Only under `pc-inv-drops-iotlb` (an inclusive implementation).
      return d.granularity === 'global' || (o.did === d.did && (d.granularity === 'domain' || d.pasid === ctx.pasid));
    default:
      return false;
  }
}
