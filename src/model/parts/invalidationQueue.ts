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
import { cloneState, cloneWalk, type IotlbEntry, type QueuedDescriptor, type State, type Walk } from '../state';
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

/**
 * A copy of `s` with queue entry `i` replaced by `entry` (one of ctx.queueEntries[i]:
 * entries never change, so every state shares them instead of allocating its own).
 */
function withEntry(s: State, i: number, entry: QueuedDescriptor): State {
  const next = cloneState(s);
  next.queue = s.queue.slice();
  next.queue[i] = entry;
  return next;
}

/**
 * Walk `w` with fence bits added and its drain flag set as given: `w` itself when that
 * changes nothing (most successors are already visited; a copy would be garbage).
 */
function flagged(w: Walk, pcFences: number, iotlbFences: number, mustDrain: boolean): Walk {
  if ((w.pcFences | pcFences) === w.pcFences && (w.iotlbFences | iotlbFences) === w.iotlbFences && w.mustDrain === mustDrain) return w;
  const next = cloneWalk(w);
  next.pcFences |= pcFences;
  next.iotlbFences |= iotlbFences;
  next.mustDrain = mustDrain;
  return next;
}

/** `walks` with walk k replaced by `changed`: the same array when nothing changed. */
function replaced(walks: Walk[], k: number, changed: Walk, copy: Walk[] | null): Walk[] | null {
  if (changed === walks[k] && !copy) return null;
  const out = copy ?? walks.slice(0, k);
  out.push(changed);
  return out;
}

/** The IOTLB without the entries `d` removes: the same array when it removes none. */
function iotlbWithout(ctx: ModelContext, iotlb: IotlbEntry[], d: Descriptor): IotlbEntry[] {
  for (let k = 0; k < iotlb.length; k++) {
    if (iotlbInvMatches(ctx, iotlb[k], d)) return iotlb.filter((e) => !iotlbInvMatches(ctx, e, d));
  }
  return iotlb;
}

function anyHoldsEntry(walks: readonly Walk[]): boolean {
  for (const w of walks) if (holdsEntry(w)) return true;
  return false;
}

function anyMustDrain(walks: readonly Walk[]): boolean {
  for (const w of walks) if (w.mustDrain) return true;
  return false;
}

/** An ATS walk has left stage `start` (its translation began). */
function atsBegun(walks: readonly Walk[], start: Walk['stage']): boolean {
  for (const w of walks) if (w.kind === 'ats' && w.stage !== start) return true;
  return false;
}

function anyDma(walks: readonly Walk[]): boolean {
  for (const w of walks) if (w.kind === 'dma') return true;
  return false;
}

export function queueMoves(s: State, ctx: ModelContext, out: Move[]): void {
  // The loop only picks the descriptors that may start; the steps are built in
  // startMoves, so the loop body captures nothing (a closure over a loop variable costs a
  // context allocation per iteration, for every descriptor of every state).
  for (let i = 0; i < s.queue.length; i++) {
    if (s.queue[i].status === 'pending' && mayStart(s, ctx, i)) startMoves(s, ctx, i, out);
  }
  // The Invalidate Completion at the head of the upstream path completes its descriptor.
  if (s.up.length > 0) completeMove(s, ctx, out);
}

/** Descriptor `i`, pending and free to start by the ordering rules, starts (or completes). */
function startMoves(s: State, ctx: ModelContext, i: number, out: Move[]): void {
  const fps = ctx.footprints;
  const d = s.queue[i].descriptor;
  const done = ctx.queueEntries[i].done;
  switch (d.type) {
    case 'pc_inv': {
      // `pc-inv-waits-for-walks`: completion waits for walks that already read the entry.
      if (anyHoldsEntry(s.walks) && ctx.hw.pcInvWaitsForWalks) return;
      const next = withEntry(s, i, done);
      if (s.pasidCache && pcInvMatches(ctx, s.pasidCache.image, d)) next.pasidCache = null;
      const fence = 1 << ctx.fenceBit[i];
      // `pc-inv-drops-iotlb`: an inclusive implementation drops the (DID, PASID) IOTLB
      // entries too, and so also fences IOTLB fills by walks already under way (begun:
      // see the IOTLB invalidation below).
      const inclusive = (s.iotlb.length > 0 || s.walks.length > 0) && ctx.hw.pcInvDropsIotlb;
      const start = initialStage(ctx);
      // A fetch in progress must not cache what this invalidation covers afterwards
      // (`pc-inv-blocks-late-fills`, scoped in walker.ts).
      let walks: Walk[] | null = null;
      for (let k = 0; k < s.walks.length; k++) {
        const w = s.walks[k];
        const flags = w.stage === 'fetch' || inclusive ? flagged(w, w.stage === 'fetch' ? fence : 0, inclusive && w.stage !== start ? fence : 0, w.mustDrain) : w;
        walks = replaced(s.walks, k, flags, walks);
      }
      if (walks) next.walks = walks;
      if (inclusive) next.iotlb = iotlbWithout(ctx, s.iotlb, d);
      // Visible when it drops a cache entry a property may care about; fences are not.
      const visible = (next.pasidCache !== s.pasidCache && pasidCacheChangeVisible(ctx, s.pasidCache, null)) || iotlbChangeVisible(ctx, s, next);
      out.push(move(next, () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }), fps.descriptor(i, DescriptorStep.Execute, visible)));
      return;
    }
    case 'iotlb_inv':
    case 'p_iotlb_inv': {
      const start = initialStage(ctx);
      // `drain-scope` in-flight (§6.6): the invalidation completes only once ATS
      // Translation Requests whose translation began before it have been answered.
      if (atsBegun(s.walks, start) && ctx.hw.drainScope === 'in-flight') return;
      const next = withEntry(s, i, done);
      next.iotlb = iotlbWithout(ctx, s.iotlb, d);
      // Walks begun before may not fill its scope afterwards (§6.2.3.1). A request still
      // at its first stage has read nothing yet (as for `drain-scope` below): it reads
      // after this invalidation, so it is not fenced (SMMUv3's TLBI likewise). Untranslated
      // DMA is drained before the next wait completes (§6.5.2.3/§6.5.2.4, VER>=2; §6.5.4):
      // with `drain-scope` in-flight every DMA whose translation began, with processed only
      // those already translated and on their way to memory.
      const fence = 1 << ctx.fenceBit[i];
      const scope = anyDma(s.walks) ? ctx.hw.drainScope : 'none';
      let walks: Walk[] | null = null;
      for (let k = 0; k < s.walks.length; k++) {
        const w = s.walks[k];
        const drains = w.kind === 'dma' && (scope === 'in-flight' ? w.stage !== start : scope === 'processed' && w.stage === 'commit');
        walks = replaced(s.walks, k, flagged(w, 0, w.stage !== start ? fence : 0, w.mustDrain || drains), walks);
      }
      if (walks) next.walks = walks;
      out.push(move(next, () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }),
        fps.descriptor(i, DescriptorStep.Execute, iotlbChangeVisible(ctx, s, next))));
      return;
    }
    case 'dev_tlb_inv':
    case 'p_dev_tlb_inv': {
      const next = withEntry(s, i, ctx.queueEntries[i].sent);
      next.down = s.down.slice();
      next.down.push({ kind: 'invalidate', descriptor: i });
      out.push(move(next, () => ({
        lane: 'queue', text: `IOMMU: ${describeDescriptor(d)}: sends Invalidate Request`,
        message: { id: `ir${i}`, kind: 'send', peer: 'device', label: `Inv Req (${d.type === 'p_dev_tlb_inv' ? `PASID=0x${d.pasid.toString(16)}` : 'no PASID'}, all)` },
      }), fps.descriptor(i, DescriptorStep.Execute, false)));
      return;
    }
    case 'inv_wait': {
      // VER>=2 drain (§6.5.4): the DMA an IOTLB invalidation marked must reach memory first.
      if (anyMustDrain(s.walks)) return;
      out.push(move(withEntry(s, i, done), () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} completes (status written)` }),
        fps.descriptor(i, DescriptorStep.Execute, false)));
      return;
    }
    default:
      // cc_inv / iec: no such caches in this model; they complete at once.
      out.push(move(withEntry(s, i, done), () => ({ lane: 'queue', text: `IOMMU: ${describeDescriptor(d)} done` }),
        fps.descriptor(i, DescriptorStep.Execute, false)));
  }
}

/** The Invalidate Completion at the head of `up` completes its descriptor. */
function completeMove(s: State, ctx: ModelContext, out: Move[]): void {
  const i = s.up[0];
  const next = withEntry(s, i, ctx.queueEntries[i].done);
  next.up = s.up.slice(1);
  out.push(move(next, () => ({
    lane: 'queue', text: `IOMMU: Invalidate Completion received, ${describeDescriptor(s.queue[i].descriptor)} done`,
    message: { id: `ic${i}`, kind: 'receive', peer: 'device', label: 'Inv Cpl' },
  }), ctx.footprints.descriptor(i, DescriptorStep.Complete, false)));
}
