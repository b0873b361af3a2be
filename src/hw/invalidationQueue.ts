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
import type { Descriptor } from '../spec/descriptors';
import { describeDescriptor } from '../spec/descriptors';
import type { ModelContext, Move } from './context';
import { iotlbInvMatches } from './iotlb';
import { pcInvMatches } from './pasidCache';
import type { State, Walk } from './state';
import { initialStage } from './walker';

type Type = Descriptor['type'];

/** §6.5.2.12 rules 1-4: which earlier descriptor types must be complete first. */
function mustFollow(ctx: ModelContext, t: Type): readonly Type[] {
  switch (t) {
    case 'pc_inv': return ['cc_inv']; // rule 1
    case 'iotlb_inv':
    case 'p_iotlb_inv': return ['cc_inv', 'pc_inv']; // rule 2
    // rule 3 (dev_tlb after iotlb and iec) / rule 4 (p_dev_tlb after iotlb, p_iotlb, iec);
    // pc_inv is not in the list — `devtlb-after-pc-inv` adds it.
    case 'dev_tlb_inv': return ctx.hw.devtlbAfterPcInv ? ['iotlb_inv', 'pc_inv'] : ['iotlb_inv'];
    case 'p_dev_tlb_inv': return ctx.hw.devtlbAfterPcInv ? ['iotlb_inv', 'p_iotlb_inv', 'pc_inv'] : ['iotlb_inv', 'p_iotlb_inv'];
    default: return [];
  }
}

/** Is descriptor `i` allowed to start now by the ordering rules? */
function mayStart(s: State, ctx: ModelContext, i: number): boolean {
  const d = s.queue[i].descriptor;
  const after = mustFollow(ctx, d.type);
  for (let j = 0; j < i; j++) {
    const e = s.queue[j];
    if (e.status === 'done') continue;
    // rule 5: a wait completes only after every descriptor ahead of it.
    if (d.type === 'inv_wait') return false;
    // rule 6: nothing behind a wait with FN=1 starts before the wait completes.
    if (e.descriptor.type === 'inv_wait' && e.descriptor.fn) return false;
    if (after.includes(e.descriptor.type)) return false;
  }
  return true;
}

/**
 * A walk has read (part of) the entry, from memory or the PASID cache, and has not
 * answered yet: what `pc-inv-waits-for-walks` makes a PASID-cache invalidation wait for.
 */
function holdsEntry(w: Walk): boolean {
  return w.stage === 'fetch' || (w.image >= 0 && (w.stage === 'lookup' || w.stage === 'fill' || w.stage === 'answer'));
}

export function queueMoves(s: State, ctx: ModelContext): Move[] {
  const moves: Move[] = [];
  s.queue.forEach((q, i) => {
    if (q.status !== 'pending' || !mayStart(s, ctx, i)) return;
    const d = q.descriptor;
    const text = describeDescriptor(d);
    const done = (next: State): State => ({ ...next, queue: next.queue.map((x, j) => (j === i ? { ...x, status: 'done' as const } : x)) });
    switch (d.type) {
      case 'pc_inv': {
        // `pc-inv-waits-for-walks`: completion waits for walks that already read the entry.
        if (ctx.hw.pcInvWaitsForWalks && s.walks.some(holdsEntry)) return;
        let next: State = s;
        if (s.pasidCache && pcInvMatches(ctx, s.pasidCache.image, d)) next = { ...next, pasidCache: null };
        // A fetch in progress must not refill the cache afterwards (`pc-inv-blocks-late-fills`).
        next = { ...next, walks: next.walks.map((w) => (w.stage === 'fetch' ? { ...w, pcStale: true } : w)) };
        // `pc-inv-drops-iotlb`: an inclusive implementation also drops the (DID, PASID) IOTLB entries.
        if (ctx.hw.pcInvDropsIotlb) next = { ...next, iotlb: next.iotlb.filter((e) => !iotlbInvMatches(ctx, e, d)) };
        moves.push({ label: () => ({ lane: 'queue', text: `IOMMU: ${text} done` }), next: done(next) });
        return;
      }
      case 'iotlb_inv':
      case 'p_iotlb_inv': {
        // `iotlb-inv-drains-translations` (Baolu): completes only once in-flight ATS
        // Translation Requests have been answered.
        if (ctx.hw.iotlbInvDrainsTranslations && s.walks.some((w) => w.kind === 'ats')) return;
        const iotlb = s.iotlb.filter((e) => !iotlbInvMatches(ctx, e, d));
        // Walks begun before may not fill afterwards (§6.2.3.1); untranslated DMA already
        // processed is drained before the next wait completes (§6.5.2.3/§6.5.2.4, VER>=2).
        // A DMA counts as processed once its translation has begun (its first lookup or entry read).
        const walks = s.walks.map((w) => ({ ...w, iotlbStale: true, mustDrain: w.mustDrain || (w.kind === 'dma' && w.stage !== initialStage(ctx)) }));
        moves.push({ label: () => ({ lane: 'queue', text: `IOMMU: ${text} done` }), next: done({ ...s, iotlb, walks }) });
        return;
      }
      case 'dev_tlb_inv':
      case 'p_dev_tlb_inv': {
        const id = `ir${i}`;
        moves.push({
          label: () => ({
            lane: 'queue', text: `IOMMU: ${text}: sends Invalidate Request`,
            message: { id, kind: 'send', peer: 'device', label: `Inv Req (${d.type === 'p_dev_tlb_inv' ? `PASID=0x${d.pasid.toString(16)}` : 'no PASID'}, all)` },
          }),
          next: { ...s, queue: s.queue.map((x, j) => (j === i ? { ...x, status: 'sent' as const } : x)), down: [...s.down, { kind: 'invalidate', descriptor: i }] },
        });
        return;
      }
      case 'inv_wait': {
        // VER>=2 drain (§6.5.4): processed untranslated DMA must reach memory first.
        if (ctx.hw.waitDrainsUntranslatedDma && s.walks.some((w) => w.mustDrain)) return;
        moves.push({ label: () => ({ lane: 'queue', text: `IOMMU: ${text} completes (status written)` }), next: done(s) });
        return;
      }
      default:
        // cc_inv / iec: no such caches in this model; they complete at once.
        moves.push({ label: () => ({ lane: 'queue', text: `IOMMU: ${text} done` }), next: done(s) });
    }
  });
  // The Invalidate Completion at the head of the upstream path completes its descriptor.
  if (s.up.length > 0) {
    const i = s.up[0];
    moves.push({
      label: () => ({
        lane: 'queue', text: `IOMMU: Invalidate Completion received, ${describeDescriptor(s.queue[i].descriptor)} done`,
        message: { id: `ic${i}`, kind: 'receive', peer: 'device', label: 'Inv Cpl' },
      }),
      next: { ...s, up: s.up.slice(1), queue: s.queue.map((x, j) => (j === i ? { ...x, status: 'done' as const } : x)) },
    });
  }
  return moves;
}
