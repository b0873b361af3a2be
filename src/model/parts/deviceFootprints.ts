/**
 * Footprints of the device's steps (device.ts), for the partial-order reduction: issuing a
 * request or DMA, a Translation Completion's delivery, an Invalidate Request's receipt and
 * the Invalidate Completion sent back; and what the device waits on for each.
 * Variables and the soundness argument: ../footprints.ts.
 */
import { WalkStep, VarSet, type FootprintScope, type StepVars } from '../footprintVars';

/** Issuing request or DMA `slot` (r and wr already hold W): creating the walk writes its facts. */
export function issueStepVars(sc: FootprintScope, slot: number, r: VarSet, wr: VarSet): void {
  const w = sc.walkSlots[slot];
  const W = w.name;
  r.add(`issued:${w.kind}`);
  wr.add(`issued:${w.kind}`, `${W}.alive`, `${W}.pcFences`, `${W}.iotlbFences`);
  if (w.kind === 'ats') wr.add(`out${w.id}`);
  else wr.add('atc'); // the DMA's ATC miss drops the entry
}

/** Request k's completion reaches the device (Deliver: cached; DeliverDrop: dropped): the walk is gone, W is not touched. */
export function deliveryStep(sc: FootprintScope, slot: number, step: WalkStep.Deliver | WalkStep.DeliverDrop): StepVars {
  const w = sc.walkSlots[slot];
  return {
    actor: w.name,
    reads: new VarSet().add(`tc${w.id}`, `out${w.id}`).addAll(sc.ctx.hw.completionMayPassInv ? [] : sc.allIr()).list(),
    writes: new VarSet().add(`tc${w.id}`, `out${w.id}`).addAll(step === WalkStep.Deliver ? ['atc'] : []).list(),
  };
}

/**
 * Descriptor i's Invalidate Request delivered: when nothing ahead of it blocks it; drops
 * the ATC, tags outstanding requests (reads and writes every out<k>), queues the answer.
 * Every tc<k> too: whether tagging is visible depends on the completions in flight
 * (device.ts taggingMatters), even when the request may pass them.
 */
export function receiveStepVars(sc: FootprintScope, i: number, r: VarSet, wr: VarSet): void {
  r.add(`ir${i}`, 'answering').addAll(sc.allIr()).addAll(sc.allOut()).addAll(sc.allTc());
  wr.add(`ir${i}`, 'atc', 'answering').addAll(sc.allOut());
}

/** The device sends the Invalidate Completion at the head of `answering` up the link. */
export function answerStepVars(r: VarSet, wr: VarSet): void {
  r.add('answering', 'up');
  wr.add('answering', 'up');
}

/** A request or DMA not issued yet waits on the device's count of issued ones. */
export function unissuedGuards(sc: FootprintScope, slot: number, g: VarSet): void {
  g.add(`issued:${sc.walkSlots[slot].kind}`);
}

/** A completion on the link waits on itself and, unless it may pass them, the Invalidate Requests ahead. */
export function deliveringGuards(sc: FootprintScope, slot: number, g: VarSet): void {
  g.add(`tc${sc.walkSlots[slot].id}`);
  if (!sc.ctx.hw.completionMayPassInv) g.addAll(sc.allIr());
}

/** An Invalidate Request on the link waits on the messages that may be ahead of it. */
export function downGuards(sc: FootprintScope, i: number, g: VarSet): void {
  g.add(`ir${i}`).addAll(sc.allIr());
  if (!sc.ctx.hw.invMayPassCompletion) g.addAll(sc.allTc());
}
