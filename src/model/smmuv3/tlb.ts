/**
 * The SMMUv3 TLB and configuration cache rules (docs/model-smmuv3.md#tlb-lookup).
 *
 * TLB (IHI 0070 G.b §3.17): an entry is tagged with the StreamWorld, VMID and (stage 1)
 * ASID of the configuration it was filled through; a lookup uses the tags of the
 * configuration the translation found — the STE and CD in force, from the configuration
 * cache or memory. This is the contrast with VT-d Table 17, whose IOTLB lookup uses
 * Source-ID, PASID and address only and carries the DID as an invalidation tag.
 * Invalidation (§4.4): CMD_TLBI_NH_ASID removes the stage-1 (and nested) entries of one
 * ASID and VMID; CMD_TLBI_S12_VMALL every entry of one VMID; CMD_TLBI_NSNH_ALL all.
 */
import type { SmmuCommand } from './program';
import type { SmmuContext } from './state';

/** The entry a lookup with `tag` hits, or -1. One page: one entry per tag at most. */
export function tlbLookup(tlb: readonly number[], ctx: SmmuContext, tag: number): number {
  for (const e of tlb) if (ctx.images.outcome(e).tag === tag) return e;
  return -1;
}

/** A fill replaces the entry with the same tag; entries under other tags stay. */
export function tlbFill(tlb: readonly number[], ctx: SmmuContext, image: number): number[] {
  const tag = ctx.images.outcome(image).tag;
  return [...tlb.filter((e) => ctx.images.outcome(e).tag !== tag), image].sort((a, b) => a - b);
}

/** Does TLBI command `c` remove an entry filled through `image`? */
export function tlbiMatches(ctx: SmmuContext, image: number, c: SmmuCommand): boolean {
  const o = ctx.images.outcome(image);
  switch (c.op) {
    case 'TLBI_NH_ASID': return (o.stage === 's1' || o.stage === 'nested') && o.vmid === c.vmid && o.asid === c.asid;
    case 'TLBI_S12_VMALL': return o.stage !== null && o.vmid === c.vmid;
    case 'TLBI_NSNH_ALL': return o.stage !== null;
    default: return false;
  }
}

export function isTlbi(c: SmmuCommand): boolean {
  return c.op === 'TLBI_NH_ASID' || c.op === 'TLBI_S12_VMALL' || c.op === 'TLBI_NSNH_ALL';
}

export function isCfgi(c: SmmuCommand): boolean {
  return c.op === 'CFGI_STE' || c.op === 'CFGI_CD';
}

/**
 * The configuration a translation would use now: the cached STE and CD where cached,
 * memory's otherwise (the configuration cache is looked up by StreamID and SubstreamID,
 * §3.21.3, §4.3).
 */
export function currentConfig(ctx: SmmuContext, s: { memory: number; steCache: number; cdCache: number }): number {
  return ctx.images.combine(s.steCache >= 0 ? s.steCache : s.memory, s.cdCache >= 0 ? s.cdCache : s.memory);
}
