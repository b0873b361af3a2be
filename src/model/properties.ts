/**
 * The properties checked in every reached state (docs/model.md#properties).
 * Each returns the one-sentence reason it fails, or null.
 */
import type { ModelContext } from './modelContext';
import type { DmaUse, State } from './state';
import { iotlbLookup } from './parts/iotlb';

export const PROPERTY_NAMES = ['stale-after-return', 'hitless', 'torn-fill', 'termination'] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

export interface PropertyCheck {
  name: PropertyName;
  check(s: State): string | null;
}

function stale(ctx: ModelContext, image: number): boolean {
  const via = ctx.images.outcome(image).via;
  return via === 'old' || via === 'mixed' || via === 'leftover';
}

/**
 * stale-after-return: once the strategy returns, no DMA uses an old-domain translation,
 * and no old translation is left in the ATC, hittable in the IOTLB, cached in the PASID
 * cache, or in flight to the device where it would be used.
 */
export function staleAfterReturn(ctx: ModelContext): PropertyCheck {
  const im = ctx.images;
  const newPresent = im.outcome(im.newId).present;
  return {
    name: 'stale-after-return',
    check(s) {
      if (!s.returned) return null;
      for (const u of s.dmaUses) {
        if (!u.afterReturn) continue;
        if (stale(ctx, u.image)) return `an untranslated DMA translated with the old entry (${im.name(u.image)}) reached memory after the strategy returned and freed its pages`;
      }
      // The device may DMA through its ATC at any moment: an old translation there is used.
      if (s.atc >= 0 && stale(ctx, s.atc)) return `the device ATC still holds the old translation (${im.name(s.atc)}) after the strategy returned; DMA through it reaches the freed pages`;
      for (const m of s.down) {
        if (m.kind !== 'completion' || !stale(ctx, m.image)) continue;
        const out = s.outstanding.find((o) => o.request === m.request);
        if (out && !out.discard) return `Translation Completion #${m.request} with the old translation (${im.name(m.image)}) is in flight to the device, untagged, after the strategy returned`;
      }
      const current = s.pasidCache ? s.pasidCache.image : s.memory;
      if (s.pasidCache && stale(ctx, s.pasidCache.image)) return `the PASID cache still holds the old entry (${im.name(s.pasidCache.image)}) after the strategy returned`;
      // Caching mode may cache a not-present entry (VT-d §6.2.3): still there, it hides the new one.
      if (s.pasidCache && newPresent && !im.outcome(s.pasidCache.image).present) return `the PASID cache still holds a not-present entry (${im.name(s.pasidCache.image)}) after the strategy returned`;
      const did = ctx.hw.iotlbLookupUsesDid ? im.outcome(current).did : null;
      const hit = iotlbLookup(s, ctx, did);
      if (hit && stale(ctx, hit.image)) return `the IOTLB entry DID=${im.outcome(hit.image).did} with the old translation (${im.name(hit.image)}) is still hit by lookups after the strategy returned`;
      // `did-reused-after-return` (docs/kernel.md#old-domain-after-return): a stale entry
      // under another DID is missed by today's lookups only while lookups use the DID; the
      // kernel may hand that DID to the next domain attached to this PASID, whose lookups
      // hit it (VT-d Table 28, "Re-use a Domain-ID"). Without DID in the lookup, `hit` above
      // already covers every entry.
      if (did !== null) {
        for (const e of s.iotlb) {
          if (!stale(ctx, e.image) || im.outcome(e.image).did === did || !ctx.hw.didReusedAfterReturn) continue;
          return `the IOTLB still holds a stale entry under DID=${im.outcome(e.image).did} (${im.name(e.image)}) after the strategy returned; the kernel may give that DID to the next domain on this PASID, whose lookups hit it`;
        }
      }
      return null;
    },
  };
}

/**
 * Can a DMA use ever make a state violate a property (the four checked ones, or the
 * uses-stale goal below)? Each reads a use only through a test of the use alone, fixed
 * when it is recorded: stale-after-return and uses-stale a stale translation used after
 * the return, hitless a fault or a translation neither old nor new used before it,
 * torn-fill one neither old nor new at any time. A use for which every test is false can
 * never matter, and no step reads the record, so the walker does not keep it
 * (parts/walker.ts recordDma): states that differ only in such uses are one state, with
 * the same steps and the same violations at the same depths (a dead-variable reduction).
 */
export function useMayViolate(ctx: ModelContext, u: DmaUse): boolean {
  const via = ctx.images.outcome(u.image).via;
  if (u.afterReturn ? stale(ctx, u.image) : via === 'fault') return true;
  return neither(ctx, u.image);
}

/**
 * A translation that is neither the old one nor the new one: a walk through a mix of the
 * two entries' page tables (e.g. a nested entry with the new first stage over the old
 * second stage). A torn read that still walks the old or the new tables is not one: Jason
 * (2026-03-12): "During a hitless update both translations are unpredictably combined,
 * this is unavoidable and OK" (docs/thread.md#j3).
 */
function neither(ctx: ModelContext, image: number): boolean {
  const via = ctx.images.outcome(image).via;
  return via === 'mixed' || via === 'leftover';
}

/**
 * hitless: while both entries are present (before the strategy returns), no DMA faults and
 * none uses a translation that is neither the old nor the new one. Only checked when the
 * writer keeps P set throughout.
 */
export function hitless(ctx: ModelContext): PropertyCheck {
  const im = ctx.images;
  return {
    name: 'hitless',
    check(s) {
      for (const u of s.dmaUses) {
        if (u.afterReturn) continue;
        const o = im.outcome(u.image);
        if (o.via === 'fault') return `a DMA faulted during a hitless update (entry ${im.name(u.image)})`;
        if (neither(ctx, u.image)) return `a DMA used a translation that is neither the old nor the new one (${im.name(u.image)}) during the update`;
      }
      // The device may DMA through its ATC at any moment.
      if (!s.returned && s.atc >= 0 && neither(ctx, s.atc)) return `the ATC holds a translation that is neither the old nor the new one (${im.name(s.atc)}) and DMA may use it during the update`;
      return null;
    },
  };
}

/**
 * torn-fill: a torn read of the entry may be cached during the update (J3), but (a) no
 * translation that is neither the old nor the new one is ever used, and (b) no PASID-cache
 * or IOTLB entry built from a torn read survives the return: its tags (DID, PGTT: Table 17)
 * do not match the tables it walks, so the invalidations that later name the new DID miss it.
 * The ATC is looked up and invalidated by PASID and address only, so (b) does not apply to it.
 */
export function tornFill(ctx: ModelContext): PropertyCheck {
  const im = ctx.images;
  return {
    name: 'torn-fill',
    check(s) {
      for (const u of s.dmaUses) if (neither(ctx, u.image)) return `a DMA used a translation that is neither the old nor the new one (${im.name(u.image)}), built from a torn read`;
      if (s.atc >= 0 && neither(ctx, s.atc)) return `the device ATC holds a translation that is neither the old nor the new one (${im.name(s.atc)}), built from a torn read`;
      if (!s.returned) return null;
      if (s.pasidCache && im.outcome(s.pasidCache.image).torn) return `the PASID cache still holds an entry from a torn read (${im.name(s.pasidCache.image)}) after the strategy returned: its DID does not match the tables it walks`;
      for (const e of s.iotlb) if (im.outcome(e.image).torn) return `the IOTLB still holds an entry filled from a torn read (${im.name(e.image)}) after the strategy returned: invalidations of the new DID miss it`;
      return null;
    },
  };
}

/** termination: a state where nothing can move and the driver has not returned is a wait that never completes. */
export function terminationReason(s: State, ctx: ModelContext): string | null {
  if (s.returned) return null;
  const op = ctx.program.ops[s.pc];
  return op.op === 'poll' ? `the driver waits forever: ${op.context}'s wait descriptor never completes` : 'the driver can never continue';
}

/**
 * uses-stale (docs/model.md#uses-stale): not a property the checks report but the goal of
 * `check --trace uses-stale`, the shortest run in which the device's DMA actually uses a
 * stale translation. A translation is stale once the strategy has returned (the old
 * domain's pages are freed: docs/kernel.md#old-domain-after-return) if it walks other
 * tables than the new entry's: the old entry's, a mix of both, or a leftover's (`via` old,
 * mixed or leftover, as `stale` above). It is used when an untranslated DMA translated with
 * it reaches memory after the return, or when the ATC holds it after the return: a DMA
 * through the ATC (AT=10b) takes no step of its own (docs/model.md#atc-use), so that state
 * is the one in which the device uses it. Every such state violates stale-after-return;
 * not every violation of it is a use (a stale PASID-cache or IOTLB entry that no request
 * reaches after the return is not).
 */
export function usesStale(ctx: ModelContext): { name: 'uses-stale'; check(s: State): string | null } {
  const im = ctx.images;
  return {
    name: 'uses-stale',
    check(s) {
      if (!s.returned) return null;
      for (const u of s.dmaUses) {
        if (u.afterReturn && stale(ctx, u.image)) return `an untranslated DMA reached memory through the stale translation (${im.name(u.image)}) after the strategy returned and freed its pages`;
      }
      if (s.atc >= 0 && stale(ctx, s.atc)) return `the device's DMA through its ATC (AT=10b, at any moment) uses the stale translation it holds (${im.name(s.atc)}), after the strategy returned and freed its pages`;
      return null;
    },
  };
}
