/**
 * The invalidation queue (VT-d 5.10 §6.5.2). Descriptors are fetched in order, but
 * executed under exactly the ordering rules of §6.5.2.12 and no more: where the rules
 * leave two descriptors unordered, both orders are explored.
 *
 * An invalidation of the IOMMU's own caches is one step, taken at the moment it completes:
 * it removes matching entries then (an entry surviving until completion is the worst case
 * the spec allows) and, where the assumptions say so, fences fills by walks begun before.
 * A Device-TLB invalidation is two steps: the Invalidate Request is sent, and the
 * descriptor completes when the Invalidate Completion comes back (§4.3, §6.5.2.5/6).
 */
import type { Descriptor } from '../../formats/descriptors';
import { describeDescriptor } from '../../formats/descriptors';
import { move, type Move } from '../context';
import type { ModelContext } from '../modelContext';
import { iotlbInvMatches } from './iotlb';
import { pcInvMatches } from './pasidCache';
import { cloneState, cloneWalk, type DescriptorStatus, type State, type Walk } from '../state';
import { initialStage, iotlbChangeVisible, pasidCacheChangeVisible } from './walker';
import { DescriptorStep } from '../footprintVars';
import { blocks } from './queueOrder';

/** Is descriptor `i` allowed to start now by the ordering rules? */
function mayStart(s: State, ctx: ModelContext, i: number): boolean {
  for (let j = 0; j < i; j++) {
    if (s.queue[j].status !== 'done' && blocks(ctx, j, i)) return false;
  }
  return true;
}

/**
 * A walk has read (part of) the entry, from memory or the PASID cache, and has not
 * answered yet: what `pc-inv-waits-for-walks` makes a PASID-cache invalidation wait for.
 */
export function holdsEntry(w: Walk): boolean {
  return w.stage === 'fetch' || (w.image >= 0 && (w.stage === 'lookup' || w.stage === 'fill' || w.stage === 'answer'));
}

/** A copy of `s` with descriptor `i` in status `status`. */
function withStatus(s: State, i: number, status: DescriptorStatus): State {
  const next = cloneState(s);
  next.queue = s.queue.slice();
  next.queue[i] = { descriptor: s.queue[i].descriptor, status };
  return next;
}

/** A copy of walk `w` with fence bits added and its drain flag set as given. */
function flagged(w: Walk, pcFences: number, iotlbFences: number, mustDrain: boolean): Walk {
  const next = cloneWalk(w);
  next.pcFences |= pcFences;
  next.iotlbFences |= iotlbFences;
  next.mustDrain = mustDrain;
  return next;
}

export function queueMoves(s: State, ctx: ModelContext, out: Move[]): void {
  const fps = ctx.footprints;
  for (let i = 0; i < s.queue.length; i++) {
    const q = s.queue[i];
    if (q.status !== 'pending' || !mayStart(s, ctx, i)) continue;
    const d = q.descriptor;
    switch (d.type) {
      case 'pc_inv': {
        // `pc-inv-waits-for-walks`: completion waits for walks that already read the entry.
        if (s.walks.some(holdsEntry) && ctx.hw.pcInvWaitsForWalks) continue;
        const next = withStatus(s, i, 'done');
        if (s.pasidCache && pcInvMatches(ctx, s.pasidCache.image, d)) next.pasidCache = null;
        const fence = 1 << ctx.fenceBit[i];
        // `pc-inv-drops-iotlb`: an inclusive implementation drops the (DID, PASID) IOTLB
        // entries too, and so also fences IOTLB fills by walks already under way (begun:
        // see the IOTLB invalidation below).
        const inclusive = (s.iotlb.length > 0 || s.walks.length > 0) && ctx.hw.pcInvDropsIotlb;
        const start = initialStage(ctx);
        // A fetch in progress must not cache what this invalidation covers afterwards
        // (`pc-inv-blocks-late-fills`, scoped in walker.ts).
        next.walks = s.walks.map((w) => (w.stage === 'fetch' || inclusive ? flagged(w, w.stage === 'fetch' ? fence : 0, inclusive && w.stage !== start ? fence : 0, w.mustDrain) : w));
        if (inclusive) next.iotlb = s.iotlb.filter((e) => !iotlbInvMatches(ctx, e, d));
        // Visible when it drops a cache entry a property may care about; fences are not.
        const visible = (next.pasidCache !== s.pasidCache && pasidCacheChangeVisible(ctx, s.pasidCache, null)) || iotlbChangeVisible(ctx, s, next);
        out.push(move(next, () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }), fps.descriptor(i, DescriptorStep.Execute, visible)));
        continue;
      }
      case 'iotlb_inv':
      case 'p_iotlb_inv': {
        const start = initialStage(ctx);
        // `drain-scope` in-flight (§6.6): the invalidation completes only once ATS
        // Translation Requests whose translation began before it have been answered.
        if (s.walks.some((w) => w.kind === 'ats' && w.stage !== start) && ctx.hw.drainScope === 'in-flight') continue;
        const next = withStatus(s, i, 'done');
        next.iotlb = s.iotlb.filter((e) => !iotlbInvMatches(ctx, e, d));
        // Walks begun before may not fill its scope afterwards (§6.2.3.1). A request still
        // at its first stage has read nothing yet (as for `drain-scope` below): it reads
        // after this invalidation, so it is not fenced (SMMUv3's TLBI likewise). Untranslated
        // DMA is drained before the next wait completes (§6.5.2.3/§6.5.2.4, VER>=2; §6.5.4):
        // with `drain-scope` in-flight every DMA whose translation began, with processed only
        // those already translated and on their way to memory.
        const fence = 1 << ctx.fenceBit[i];
        const scope = s.walks.some((w) => w.kind === 'dma') ? ctx.hw.drainScope : 'none';
        const drains = (w: Walk): boolean => w.kind === 'dma' && (scope === 'in-flight' ? w.stage !== start : scope === 'processed' && w.stage === 'commit');
        next.walks = s.walks.map((w) => flagged(w, 0, w.stage !== start ? fence : 0, w.mustDrain || drains(w)));
        out.push(move(next, () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }),
          fps.descriptor(i, DescriptorStep.Execute, iotlbChangeVisible(ctx, s, next))));
        continue;
      }
      case 'dev_tlb_inv':
      case 'p_dev_tlb_inv': {
        const next = withStatus(s, i, 'sent');
        next.down = s.down.slice();
        next.down.push({ kind: 'invalidate', descriptor: i });
        out.push(move(next, () => ({
          lane: 'queue', text: `IOMMU: ${describeDescriptor(d)}: sends Invalidate Request`,
          message: { id: `ir${i}`, kind: 'send', peer: 'device', label: `Inv Req (${d.type === 'p_dev_tlb_inv' ? `PASID=0x${d.pasid.toString(16)}` : 'no PASID'}, all)` },
        }), fps.descriptor(i, DescriptorStep.Execute, false)));
        continue;
      }
      case 'inv_wait': {
        // VER>=2 drain (§6.5.4): the DMA an IOTLB invalidation marked must reach memory first.
        if (s.walks.some((w) => w.mustDrain)) continue;
        out.push(move(withStatus(s, i, 'done'), () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} completes (status written)` }),
          fps.descriptor(i, DescriptorStep.Execute, false)));
        continue;
      }
      default:
        // cc_inv / iec: no such caches in this model; they complete at once.
        out.push(move(withStatus(s, i, 'done'), () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }),
          fps.descriptor(i, DescriptorStep.Execute, false)));
    }
  }
  // The Invalidate Completion at the head of the upstream path completes its descriptor.
  if (s.up.length > 0) {
    const i = s.up[0];
    const next = withStatus(s, i, 'done');
    next.up = s.up.slice(1);
    out.push(move(next, () => ({
      lane: 'queue', text: `IOMMU: Invalidate Completion received, ${describeDescriptor(s.queue[i].descriptor)} done`,
      message: { id: `ic${i}`, kind: 'receive', peer: 'device', label: 'Inv Cpl' },
    }), fps.descriptor(i, DescriptorStep.Complete, false)));
  }
}
