/**
 * The PASID cache (VT-d 5.10 §6.2.3): scalable-mode PASID-table entries, looked up by
 * (Source-ID, PASID), invalidated by (DID, PASID) (Table 17). A scenario has one device and
 * one PASID, so the cache holds at most one entry.
 */
import type { Descriptor } from '../../formats/descriptors';
import type { ModelContext } from '../modelContext';

/** The DID an entry is tagged with: CM=1 tags entries that would fault with DID 0 (§6.2.3). */
export function pasidCacheTag(ctx: ModelContext, image: number): number {
  const o = ctx.images.outcome(image);
  return o.present && o.pgtt !== null ? o.did : 0;
}

/**
 * May this image be cached? CM=0 hardware caches only entries that translate (§6.2.2,
 * §6.2.3); CM=1 may also cache not-present ones.
 */
export function pasidCacheable(ctx: ModelContext, image: number): boolean {
  const o = ctx.images.outcome(image);
  return ctx.hw.cachingMode || (o.present && o.pgtt !== null);
}

/** pc_inv_dsc (§6.5.2.2): global, domain-selective (DID), or PASID-selective within a DID. */
export function pcInvMatches(ctx: ModelContext, image: number, d: Extract<Descriptor, { type: 'pc_inv' }>): boolean {
  if (d.granularity === 'global') return true;
  if (pasidCacheTag(ctx, image) !== d.did) return false;
  return d.granularity === 'domain' || d.pasid === ctx.pasid;
}
