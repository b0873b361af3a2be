/**
 * Footprints of the walker's steps (walker.ts), for the partial-order reduction: what each
 * stage of a walk reads and writes, which stages can follow which, and what a walk standing
 * at a stage waits on. Variables and the soundness argument: ../footprints.ts.
 */
import { CHUNK_EVICT, CHUNK_FIRST, CHUNK_LAST, WalkStep, type FootprintScope, type VarSet } from '../footprintVars';
import type { Walk } from '../state';

/**
 * Adds the variables of walk `slot`'s step (one of the walker's: lookup to commit, and the
 * chunk reads) to r and wr, which already hold W itself. `chunk` flags apply to Chunk.
 */
export function walkerStepVars(sc: FootprintScope, slot: number, step: WalkStep, chunk: number, r: VarSet, wr: VarSet): void {
  const hw = sc.ctx.hw;
  const w = sc.walkSlots[slot];
  const W = w.name;
  const initial = hw.iotlbLookupUsesDid ? 'entry' : 'lookup';
  // Leaving the first stage makes an untranslated DMA count as processed (W.started).
  const leavesFirst = (stage: Walk['stage']) => { if (stage === initial) wr.add(`${W}.started`); };
  switch (step) {
    case WalkStep.Lookup:
    case WalkStep.LookupEvict:
      // Hit → answer or miss → next stage: W.holds does not change (the image is set in
      // both stages or in neither).
      r.add('iotlb');
      if (step === WalkStep.LookupEvict) wr.add('iotlb');
      leavesFirst('lookup');
      break;
    case WalkStep.PasidCacheHit:
      r.add('pcache');
      wr.add(`${W}.holds`);
      leavesFirst('entry');
      break;
    case WalkStep.Fill:
    case WalkStep.FillBlocked:
      r.add(`${W}.iotlbFences`);
      if (step === WalkStep.Fill) {
        wr.add('iotlb');
        // With DID in the lookup a fill keeps the entries of other DIDs.
        if (hw.iotlbLookupUsesDid) r.add('iotlb');
      }
      break;
    case WalkStep.Fault:
      if (w.kind === 'dma') {
        r.add('returned');
        wr.add(`${W}.alive`, `${W}.holds`, `${W}.mustDrain`, 'dmaUses');
      }
      break;
    case WalkStep.Answer:
      if (w.kind === 'ats') {
        r.addAll(sc.allIr()); // lands behind the Invalidate Requests on the link
        wr.add(`${W}.alive`, `${W}.holds`, `tc${w.id}`);
      } else {
        wr.add(`${W}.holds`);
      }
      break;
    case WalkStep.Commit:
      r.add('returned');
      wr.add(`${W}.alive`, `${W}.mustDrain`, 'dmaUses');
      break;
    case WalkStep.Chunk:
      // A chunk read of the entry.
      r.add('mem');
      if (chunk & CHUNK_FIRST) {
        // From the entry stage: taken when the PASID cache missed (or evicts here).
        r.add('pcache');
        wr.add(`${W}.holds`, `${W}.pcFences`);
        if (!(chunk & CHUNK_LAST)) wr.add(`${W}.fetching`);
        leavesFirst('entry');
      }
      if (chunk & CHUNK_EVICT) wr.add('pcache');
      if (chunk & CHUNK_LAST) {
        r.add(`${W}.pcFences`);
        wr.add('pcache', `${W}.pcFences`);
        if (!(chunk & CHUNK_FIRST)) wr.add(`${W}.fetching`);
      }
      break;
    default:
      throw new Error(`walker step footprints: ${WalkStep[step]} is the device's (deviceFootprints.ts)`);
  }
}

/** The walk's first stage: the IOTLB lookup, or the entry when lookups use its DID. */
export function firstStage(sc: FootprintScope): Walk['stage'] {
  return sc.ctx.hw.iotlbLookupUsesDid ? 'entry' : 'lookup';
}

/** Walk stages reachable from a stage, itself included (stages only go forward). */
export function laterStages(sc: FootprintScope, stage: Walk['stage'], kind: Walk['kind']): Walk['stage'][] {
  const did = sc.ctx.hw.iotlbLookupUsesDid;
  const order: Walk['stage'][] = did ? ['entry', 'fetch', 'lookup', 'fill', 'answer', 'commit'] : ['lookup', 'entry', 'fetch', 'fill', 'answer', 'commit'];
  const from = order.indexOf(stage);
  return order.slice(from).filter((x) => kind === 'dma' || x !== 'commit');
}

/** Every step kind a walk can take at a stage (over-approximated), with its chunk flags. */
export function stepsAt(stage: Walk['stage']): [WalkStep, number][] {
  switch (stage) {
    case 'lookup': return [[WalkStep.Lookup, 0], [WalkStep.LookupEvict, 0]];
    case 'entry': {
      const steps: [WalkStep, number][] = [[WalkStep.PasidCacheHit, 0]];
      for (const evict of [0, CHUNK_EVICT]) for (const last of [0, CHUNK_LAST]) steps.push([WalkStep.Chunk, CHUNK_FIRST | evict | last]);
      return steps;
    }
    case 'fetch': return [[WalkStep.Chunk, 0], [WalkStep.Chunk, CHUNK_LAST]];
    case 'fill': return [[WalkStep.Fill, 0], [WalkStep.FillBlocked, 0], [WalkStep.Fault, 0]];
    case 'answer': return [[WalkStep.Answer, 0]];
    case 'commit': return [[WalkStep.Commit, 0]];
  }
}

/** What a walk at `stage` waits on while it stands still: itself, and the cache it looks up. */
export function stageGuards(W: string, stage: Walk['stage'], g: VarSet): void {
  switch (stage) {
    case 'lookup': g.add(W, 'iotlb'); break;
    case 'entry': g.add(W, 'pcache'); break;
    default: g.add(W);
  }
}
