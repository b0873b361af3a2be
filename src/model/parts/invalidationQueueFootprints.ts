/**
 * Footprints of the invalidation queue's steps (invalidationQueue.ts), for the
 * partial-order reduction: a descriptor's execution, by type, and the receipt of its
 * Invalidate Completion; which statuses ahead of it its start reads (§6.5.2.12, through
 * queueOrder.ts `blocks`, the same function the queue uses); and what a pending descriptor
 * waits on. Variables and the soundness argument: ../footprints.ts.
 */
import type { VarSet, FootprintScope } from '../footprintVars';
import type { ModelSetup } from '../context';
import type { State } from '../state';
import { blocks } from './queueOrder';

/**
 * Statuses a descriptor's start reads: its own, and those of the descriptors ahead of it
 * that the §6.5.2.12 rules make it wait for (queueOrder.ts `blocks`).
 */
export function queueAhead(ctx: ModelSetup, i: number): string[] {
  const q: string[] = [];
  for (let j = 0; j < i; j++) if (blocks(ctx, j, i)) q.push(`q${j}`);
  q.push(`q${i}`);
  return q;
}

/** Descriptor i executes: its start's reads, and what its type reads and writes. */
export function executeStepVars(sc: FootprintScope, i: number, r: VarSet, wr: VarSet): void {
  const hw = sc.ctx.hw;
  const d = sc.ctx.descriptors[i];
  r.addAll(queueAhead(sc.ctx, i));
  wr.add(`q${i}`);
  switch (d.type) {
    case 'pc_inv':
      r.add('pcache').addAll(sc.allWalks('fetching'));
      if (hw.pcInvWaitsForWalks) r.addAll(sc.allWalks('holds'));
      // Adding a fence to a walk's set reads the set (the result is old | bit).
      r.addAll(sc.allWalks('pcFences'));
      wr.add('pcache').addAll(sc.allWalks('pcFences'));
      if (hw.pcInvDropsIotlb) {
        // Inclusive: drops IOTLB entries and fences the IOTLB fill of every walk begun.
        r.add('iotlb').addAll(sc.allWalks('iotlbFences')).addAll(sc.allWalks('started'));
        wr.add('iotlb').addAll(sc.allWalks('iotlbFences'));
      }
      break;
    case 'iotlb_inv':
    case 'p_iotlb_inv':
      r.add('iotlb');
      // drain-scope in-flight: waits for ATS walks that have begun (W.started) and not
      // answered (W.alive).
      if (hw.drainScope === 'in-flight') for (const w of sc.walkSlots) if (w.kind === 'ats') r.add(`${w.name}.started`, `${w.name}.alive`);
      for (const w of sc.walkSlots) {
        if (w.kind !== 'dma') continue;
        // processed: which DMAs are already translated depends on the walk's stage itself.
        r.add(hw.drainScope === 'processed' ? w.name : `${w.name}.started`, `${w.name}.mustDrain`);
      }
      // Fences the walks that have begun (W.started).
      r.addAll(sc.allWalks('iotlbFences')).addAll(sc.allWalks('started'));
      wr.add('iotlb').addAll(sc.allWalks('iotlbFences'));
      for (const w of sc.walkSlots) if (w.kind === 'dma') wr.add(`${w.name}.mustDrain`);
      break;
    case 'dev_tlb_inv':
    case 'p_dev_tlb_inv':
      // Sends the Invalidate Request: it lands behind everything on the link.
      r.addAll(sc.allTc()).addAll(sc.allIr());
      wr.add(`ir${i}`);
      break;
    case 'inv_wait':
      r.addAll(sc.allWalks('mustDrain'));
      break;
    default:
      break;
  }
}

/** The queue receives descriptor i's Invalidate Completion (head of `up`): i is done. */
export function completeStepVars(i: number, r: VarSet, wr: VarSet): void {
  r.add('up');
  wr.add('up', `q${i}`);
}

/** The first descriptor ahead of i, not complete, that keeps i from starting; or -1. */
export function blocker(ctx: ModelSetup, s: State, i: number): number {
  for (let j = 0; j < i; j++) if (s.queue[j].status !== 'done' && blocks(ctx, j, i)) return j;
  return -1;
}

/** What a pending descriptor free to start waits on: the statuses ahead and its drain conditions. */
export function pendingGuards(sc: FootprintScope, i: number, g: VarSet): void {
  const hw = sc.ctx.hw;
  const d = sc.ctx.descriptors[i];
  g.addAll(queueAhead(sc.ctx, i));
  if (d.type === 'pc_inv' && hw.pcInvWaitsForWalks) g.addAll(sc.allWalks('holds'));
  if ((d.type === 'iotlb_inv' || d.type === 'p_iotlb_inv') && hw.drainScope === 'in-flight') {
    for (const w of sc.walkSlots) if (w.kind === 'ats') g.add(`${w.name}.started`, `${w.name}.alive`);
  }
  if (d.type === 'inv_wait') g.addAll(sc.allWalks('mustDrain'));
}
