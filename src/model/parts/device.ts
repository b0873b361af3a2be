/**
 * The endpoint: its ATC, its ATS Translation Requests and its DMA (PCIe 6.2 §10), and the
 * downstream half of the link it receives from. One page, so the ATC holds at most one
 * translation; every Invalidate Request here covers the whole range.
 *
 * Shared by both architectures: VT-d (build.ts) and SMMUv3 (smmuv3/build.ts) run these
 * same steps over their own states, through LinkContext and LinkState.
 */
import { move, type Move, type StepLabel } from '../context';
import type { HardwareAssumptions } from '../assumptions';
import type { Footprint } from '../../engine/types';
import { canonicalDown, cloneState, type DownMessage, type LinkState, type State, type Walk } from '../state';
import { imageChangeVisible, initialStage } from './walker';
import { DescriptorStep, WalkStep, harmless, noAccess, type ImageOutcomes } from '../footprintVars';

/**
 * What the link and the device need of a scenario. VT-d's ModelContext provides it as it
 * is; another architecture's context adds `cloneState` for its own state type.
 */
export interface LinkContext<S extends LinkState = State> extends ImageOutcomes {
  images: ImageOutcomes['images'] & { name(id: number): string };
  hw: Pick<HardwareAssumptions, 'completionMayPassInv' | 'invMayPassCompletion' | 'deviceDiscardsRacingCompletions' | 'deviceAnswersInvalidations' | 'iotlbLookupUsesDid'>;
  requests: number;
  dmas: number;
  pasid: number;
  footprints: {
    walk(slot: number, step: WalkStep, visible: boolean, chunk?: number): Footprint;
    descriptor(i: number, step: DescriptorStep, visible: boolean): Footprint;
    slotOf(kind: Walk['kind'], id: number): number;
  };
  /** A copy of a state for a step to change; VT-d's cloneState when absent. */
  cloneState?: (s: S) => S;
}

function copy<S extends LinkState>(ctx: LinkContext<S>, s: S): S {
  return ctx.cloneState ? ctx.cloneState(s) : (cloneState(s as unknown as State) as unknown as S);
}

function newWalk<S extends LinkState>(ctx: LinkContext<S>, id: number, kind: Walk['kind']): Walk {
  return {
    id, kind, stage: initialStage(ctx),
    fetchImage: -1, chunksRead: 0, image: -1, result: -1, pcFences: 0, iotlbFences: 0, mustDrain: false,
  };
}

/**
 * Link ordering (docs/model.md#link-order): Translation Completions may pass each other (§10.1.1);
 * an Invalidate Request may pass a completion (`inv-may-pass-completion`; A5a, §10.3.6);
 * a completion may pass an Invalidate Request only with `completion-may-pass-inv` (D2a);
 * posted Invalidate Requests stay in order.
 */
function deliverable<S extends LinkState>(ctx: LinkContext<S>, down: readonly DownMessage[], i: number): boolean {
  const m = down[i];
  for (let j = 0; j < i; j++) {
    const e = down[j];
    if (m.kind === 'completion' && e.kind === 'invalidate' && !ctx.hw.completionMayPassInv) return false;
    if (m.kind === 'invalidate' && e.kind === 'completion' && !ctx.hw.invMayPassCompletion) return false;
    if (m.kind === 'invalidate' && e.kind === 'invalidate') return false;
  }
  return true;
}

/**
 * Would tagging the outstanding requests change what a property sees? Only for a
 * completion on the link that is not harmless, of a request not yet tagged.
 */
function taggingMatters<S extends LinkState>(ctx: LinkContext<S>, s: S): boolean {
  for (const m of s.down) {
    if (m.kind !== 'completion' || harmless(ctx, m.image) || noAccess(ctx, m.image)) continue;
    for (const o of s.outstanding) if (o.request === m.request && !o.discard) return true;
  }
  return false;
}

export function deviceMoves<S extends LinkState = State>(s: S, ctx: LinkContext<S>, out: Move<S>[]): void {
  const im = ctx.images;
  const fps = ctx.footprints;
  // ATS Translation Request (a Non-Posted read, §10.1.1), at any moment, up to the total bound
  // (a total keeps the search finite; README says so).
  if (s.requestsIssued < ctx.requests) {
    const id = s.requestsIssued + 1;
    const next = copy(ctx, s);
    next.requestsIssued = id;
    next.outstanding = s.outstanding.slice();
    next.outstanding.push({ request: id, discard: false });
    // Canonical order (state.ts): after the ATS requests issued before it, ahead of any DMA.
    next.walks = s.walks.slice();
    let at = 0;
    while (at < next.walks.length && next.walks[at].kind === 'ats') at++;
    next.walks.splice(at, 0, newWalk(ctx, id, 'ats'));
    out.push(move(next,
      () => ({
        lane: 'device', text: `Device: ATS Translation Request #${id} (${ctx.pasid === 0 ? 'no PASID' : `PASID=0x${ctx.pasid.toString(16)}`}, page 0)`,
        message: { id: `tr${id}`, kind: 'send', peer: ctx.hw.iotlbLookupUsesDid ? 'pasid-cache' : 'iotlb', label: `TR #${id}` },
      }),
      fps.walk(fps.slotOf('ats', id), WalkStep.Issue, false)));
  }
  // DMA through the ATC (AT=10b) needs no step of its own: the device may use its ATC at
  // any moment, so the properties judge what the ATC holds in every state. An untranslated
  // DMA (AT=00b) is issued on an ATC miss; the ATC may drop its entry at any time, which
  // matters only to such a DMA, so that eviction is taken in the same step.
  if (s.dmasIssued < ctx.dmas) {
    const id = s.dmasIssued + 1;
    const atc = s.atc;
    const next = copy(ctx, s);
    next.atc = -1;
    next.dmasIssued = id;
    next.walks = s.walks.slice();
    next.walks.push(newWalk(ctx, id, 'dma'));
    out.push(move(next,
      () => ({ lane: 'device', text: `Device: DMA #${id}, ${atc >= 0 ? `ATC evicts ${im.name(atc)}; ` : 'ATC miss: '}untranslated request to the IOMMU` }),
      fps.walk(fps.slotOf('dma', id), WalkStep.Issue, imageChangeVisible(ctx, atc, -1))));
  }
  // The loop only picks the deliverable messages; downMove builds the step, so the loop
  // body captures nothing (a closure over a loop variable costs a context per iteration).
  for (let i = 0; i < s.down.length; i++) if (deliverable(ctx, s.down, i)) downMove(s, ctx, i, out);
  // Invalidate Completion (§10.3.2), once the §10.3.3 conditions hold: a compliant device
  // has tagged racing requests; translated writes before it are pushed ahead (posted order).
  if (s.answering.length > 0) {
    const d = s.answering[0];
    const next = copy(ctx, s);
    next.answering = s.answering.slice(1);
    next.up = [...s.up, d];
    out.push(move(next,
      () => ({ lane: 'device', text: 'Device: sends Invalidate Completion', message: { id: `ic${d}`, kind: 'send', peer: 'queue', label: 'Inv Cpl' } }),
      fps.descriptor(d, DescriptorStep.Answer, false)));
  }
}

/** Was request `request` tagged for discard by an Invalidate Request? */
function taggedForDiscard(s: LinkState, request: number): boolean {
  for (const o of s.outstanding) if (o.request === request && o.discard) return true;
  return false;
}

/** The device takes message `i` (deliverable) off the downstream link. */
function downMove<S extends LinkState>(s: S, ctx: LinkContext<S>, i: number, out: Move<S>[]): void {
  const im = ctx.images;
  const fps = ctx.footprints;
  const m = s.down[i];
  const next = copy(ctx, s);
  next.down = s.down.slice();
  next.down.splice(i, 1);
  // Removing an Invalidate Request may join two runs of completions.
  if (m.kind === 'invalidate') canonicalDown(next.down);
  if (m.kind === 'completion') {
    const discard = taggedForDiscard(s, m.request);
    next.outstanding = s.outstanding.filter((o) => o.request !== m.request);
    // Built only when the label is asked for (most moves are never shown).
    const message = (): StepLabel['message'] => ({ id: `tc${m.request}`, kind: 'receive', peer: 'walker', label: `TC #${m.request}` });
    const slot = fps.slotOf('ats', m.request);
    // Dropping a tagged or no-access completion changes nothing a property sees; filling
    // the ATC may, and so may taking an untagged completion that is not harmless off the
    // link (then the fill is visible too: the ATC gets something not harmless).
    if (discard) {
      out.push(move(next, () => ({ lane: 'device', text: `Device: Translation Completion #${m.request} discarded (tagged by an Invalidate Request)`, message: message() }),
        fps.walk(slot, WalkStep.DeliverDrop, false)));
    } else if (im.outcome(m.image).via === 'fault') {
      out.push(move(next, () => ({ lane: 'device', text: `Device: Translation Completion #${m.request}: no access (entry not present)`, message: message() }),
        fps.walk(slot, WalkStep.DeliverDrop, false)));
    } else {
      next.atc = m.image;
      out.push(move(next, () => ({ lane: 'device', text: `Device: Translation Completion #${m.request} fills the ATC (${im.name(m.image)})`, message: message() }),
        fps.walk(slot, WalkStep.Deliver, imageChangeVisible(ctx, s.atc, m.image))));
    }
    return;
  }
  // Invalidate Request (§10.3): drop matching entries; a compliant ATC tags overlapping
  // outstanding Translation Requests for discard (§10.3.6); it answers in a later step.
  // (Nothing to tag without outstanding requests: the flag is read only when it matters.)
  const discards = s.outstanding.length > 0 && ctx.hw.deviceDiscardsRacingCompletions;
  next.atc = -1;
  if (discards) next.outstanding = s.outstanding.map((x) => ({ request: x.request, discard: true }));
  if (ctx.hw.deviceAnswersInvalidations) next.answering = [...s.answering, m.descriptor];
  out.push(move(next, () => ({
    lane: 'device',
    text: `Device: Invalidate Request received: ATC dropped${discards ? `, Translation Request${s.outstanding.length > 1 ? 's' : ''} #${s.outstanding.map((x) => x.request).join(', #')} tagged for discard` : ''}`,
    message: { id: `ir${m.descriptor}`, kind: 'receive', peer: 'queue', label: 'Inv Req' },
  }), fps.descriptor(m.descriptor, DescriptorStep.Receive, imageChangeVisible(ctx, s.atc, -1) || (discards && taggingMatters(ctx, s)))));
}
