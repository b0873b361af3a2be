/**
 * The properties on SMMUv3, the same four as on VT-d (../properties.ts,
 * docs/model.md#properties) read over the SMMU's parts (docs/model-smmuv3.md#properties).
 */
import type { PropertyName } from '../properties';
import type { SmmuContext, SmmuState } from './state';
import type { DmaUse } from '../state';
import { currentConfig, tlbLookup } from './tlb';
import { tagText } from './images';

export interface SmmuPropertyCheck {
  name: PropertyName;
  check(s: SmmuState): string | null;
}

function stale(ctx: SmmuContext, image: number): boolean {
  const via = ctx.images.outcome(image).via;
  return via === 'old' || via === 'mixed';
}

function neither(ctx: SmmuContext, image: number): boolean {
  return ctx.images.outcome(image).via === 'mixed';
}

/**
 * Can a DMA use ever make a state violate a property here? As on VT-d (../properties.ts
 * useMayViolate): each property tests a use by itself, so one no test objects to is not kept.
 */
export function smmuUseMayViolate(ctx: SmmuContext, u: DmaUse): boolean {
  if (u.afterReturn ? stale(ctx, u.image) : !ctx.images.outcome(u.image).present) return true;
  return neither(ctx, u.image);
}

/**
 * stale-after-return: once the strategy returns, no DMA uses an old translation, and none
 * is left in the ATC, in flight to the device untagged, in the configuration cache, or in
 * the TLB under the tags current lookups use — or under any tag, unless the old ASID/VMID
 * is flushed before reuse (`old-tag-flushed-before-reuse`).
 */
export function smmuStaleAfterReturn(ctx: SmmuContext): SmmuPropertyCheck {
  const im = ctx.images;
  return {
    name: 'stale-after-return',
    check(s) {
      if (!s.returned) return null;
      for (const u of s.dmaUses) {
        if (u.afterReturn && stale(ctx, u.image)) return `an untranslated DMA translated with the old configuration (${im.name(u.image)}) reached memory after the strategy returned and freed its pages`;
      }
      if (s.atc >= 0 && stale(ctx, s.atc)) return `the device ATC still holds the old translation (${im.name(s.atc)}) after the strategy returned; DMA through it reaches the freed pages`;
      for (const m of s.down) {
        if (m.kind !== 'completion' || !stale(ctx, m.image)) continue;
        const o = s.outstanding.find((x) => x.request === m.request);
        if (o && !o.discard) return `Translation Completion #${m.request} with the old translation (${im.name(m.image)}) is in flight to the device, untagged, after the strategy returned`;
      }
      const current = currentConfig(ctx, s);
      if ((s.steCache >= 0 || s.cdCache >= 0) && stale(ctx, current)) {
        const which = [s.steCache >= 0 ? 'STE' : '', s.cdCache >= 0 ? 'CD' : ''].filter(Boolean).join(' and ');
        return `the configuration cache (${which}) still gives the old configuration (${im.name(current)}) after the strategy returned`;
      }
      const o = im.outcome(current);
      const hit = o.tag >= 0 ? tlbLookup(s.tlb, ctx, o.tag) : -1;
      if (hit >= 0 && stale(ctx, hit)) return `the TLB entry ${tagText(im.outcome(hit))} with the old translation (${im.name(hit)}) is still hit by lookups after the strategy returned`;
      if (!ctx.hw.oldTagFlushedBeforeReuse) {
        for (const e of s.tlb) {
          if (stale(ctx, e)) return `the TLB still holds a stale entry ${tagText(im.outcome(e))} (${im.name(e)}) after the strategy returned, and that ASID/VMID may be reused without a flush`;
        }
      }
      return null;
    },
  };
}

/**
 * uses-stale (`check --trace uses-stale`'s goal, as VT-d's usesStale, ../properties.ts):
 * after the return, the device's DMA uses the old translation, untranslated through the
 * SMMU or through its ATC. Every such state violates stale-after-return.
 */
export function smmuUsesStale(ctx: SmmuContext): { name: 'uses-stale'; check(s: SmmuState): string | null } {
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

/** hitless: while both configurations translate, no DMA faults or uses a translation neither old nor new. */
export function smmuHitless(ctx: SmmuContext): SmmuPropertyCheck {
  const im = ctx.images;
  return {
    name: 'hitless',
    check(s) {
      for (const u of s.dmaUses) {
        if (u.afterReturn) continue;
        if (!im.outcome(u.image).present) return `a DMA faulted during a hitless update (${im.name(u.image)})`;
        if (neither(ctx, u.image)) return `a DMA used a translation that is neither the old nor the new one (${im.name(u.image)}) during the update`;
      }
      if (s.atc >= 0 && !s.returned && neither(ctx, s.atc)) return `the device ATC holds a translation that is neither the old nor the new one (${im.name(s.atc)}) during the update`;
      return null;
    },
  };
}

/**
 * torn-fill: no translation neither old nor new is used or reaches the ATC, and no
 * configuration-cache entry (STE or CD) built from a torn read survives the return.
 */
export function smmuTornFill(ctx: SmmuContext): SmmuPropertyCheck {
  const im = ctx.images;
  return {
    name: 'torn-fill',
    check(s) {
      for (const u of s.dmaUses) if (neither(ctx, u.image)) return `a DMA used a translation that is neither the old nor the new one (${im.name(u.image)}), built from a torn read`;
      if (s.atc >= 0 && neither(ctx, s.atc)) return `the device ATC holds a translation that is neither the old nor the new one (${im.name(s.atc)}), built from a torn read`;
      if (!s.returned) return null;
      // Each cached structure judged with the other one new: is it torn by itself?
      for (const [c, what] of [[s.steCache, 'STE'], [s.cdCache, 'CD']] as const) {
        if (c < 0) continue;
        const alone = what === 'STE' ? im.combine(c, im.newId) : im.combine(im.newId, c);
        if (im.outcome(alone).torn) return `the configuration cache still holds the ${what} of a torn read (${im.name(alone)}) after the strategy returned`;
      }
      // A TLB entry from a torn read is not judged here: its tags come from the same
      // configuration as the tables it walks (§3.17), so unlike a VT-d IOTLB entry (DID
      // from one entry, tables from another) it is hit only under those tags; one that
      // walks the old tables under the current tags is stale-after-return's.
      return null;
    },
  };
}

export function smmuTerminationReason(s: SmmuState, ctx: SmmuContext): string | null {
  if (s.returned) return null;
  const op = ctx.program.ops[s.pc];
  return op.op === 'poll' ? `the driver waits forever: ${op.context}'s CMD_SYNC never completes` : 'the driver can never continue';
}
