/**
 * The SMMUv3 system at one moment. The link and the device are VT-d's (LinkState, shared
 * with parts/device.ts); the rest is the SMMU's own: the configuration in memory, the
 * configuration cache (STE and CD apart: CMD_CFGI_STE and CMD_CFGI_CD invalidate them
 * apart, IHI 0070 G.b §4.3), the TLB and the command queue. Walks are VT-d's Walk, read
 * as: `entry` = configuration lookup, `fetch` = its qwords being read, `lookup` = TLB
 * lookup with the configuration's tags, `fill`, `answer`, `commit`; `pcFences` are the
 * CFGI commands and `iotlbFences` the TLBI commands completed since the walk began;
 * `mustDrain`: a CMD_SYNC ahead waits for this walk to finish.
 */
import type { DescriptorStatus, DmaUse, LinkState, Walk } from '../state';
import type { SmmuCommand } from './program';
import type { StepLabel } from '../context';
import type { ConfigImages } from './images';
import type { SmmuHw } from './assumptions';
import type { SmmuProgram } from './program';
import type { LinkContext } from '../parts/device';

export interface SmmuState extends LinkState {
  pc: number;
  returned: boolean;
  /** The configuration image in memory (STE + CD words). */
  memory: number;
  /** Configuration cache: the image whose STE is cached, or -1; the image whose CD is cached, or -1. */
  steCache: number;
  cdCache: number;
  /** TLB entries: the image each was walked through (its tag is that image's), sorted. */
  tlb: number[];
  /** Status of each submitted command, by queue index. */
  queue: DescriptorStatus[];
  dmaUses: DmaUse[];
}

export function cloneSmmuState(s: SmmuState): SmmuState {
  return {
    pc: s.pc, returned: s.returned, memory: s.memory, steCache: s.steCache, cdCache: s.cdCache, tlb: s.tlb, queue: s.queue,
    walks: s.walks, down: s.down, up: s.up, atc: s.atc, answering: s.answering, outstanding: s.outstanding,
    requestsIssued: s.requestsIssued, dmasIssued: s.dmasIssued, dmaUses: s.dmaUses,
  };
}

export function cloneWalk(w: Walk): Walk {
  return { ...w };
}

const STAGE: Record<Walk['stage'], number> = { lookup: 1, entry: 2, fetch: 3, fill: 4, answer: 5, commit: 6 };
const STATUS: Record<DescriptorStatus, number> = { pending: 1, sent: 2, done: 3 };

/** Canonical key: every field as a number, joined (small states; no packing needed). */
export function smmuStateKey(s: SmmuState): string {
  const k: number[] = [s.pc, s.returned ? 1 : 0, s.memory, s.steCache, s.cdCache, s.tlb.length, ...s.tlb, s.queue.length];
  for (const q of s.queue) k.push(STATUS[q]);
  k.push(s.walks.length);
  for (const w of s.walks) {
    k.push(w.id, w.kind === 'ats' ? 1 : 2, STAGE[w.stage], w.fetchImage, w.chunksRead, w.image, w.result, w.mustDrain ? 1 : 0, w.pcFences, w.iotlbFences);
  }
  k.push(s.down.length);
  for (const m of s.down) {
    if (m.kind === 'completion') k.push(1, m.request, m.image);
    else k.push(2, m.descriptor);
  }
  k.push(s.up.length, ...s.up, s.atc, s.answering.length, ...s.answering, s.outstanding.length);
  for (const o of s.outstanding) k.push(o.request, o.discard ? 1 : 0);
  k.push(s.requestsIssued, s.dmasIssued, s.dmaUses.length);
  for (const u of s.dmaUses) k.push(u.image, (u.afterReturn ? 1 : 0) | (u.path === 'atc' ? 2 : 0));
  return k.join(',');
}

/** What every SMMUv3 part sees of the scenario (and what the shared device part needs). */
export interface SmmuContext extends LinkContext<SmmuState> {
  images: ConfigImages;
  hw: SmmuHw;
  program: SmmuProgram;
  /** Every command the program submits, in queue order. */
  commands: SmmuCommand[];
  sid: number;
  pasid: number;
  requests: number;
  dmas: number;
  /** Configuration words the program stores (the only ones a fetch can see change): one 64-bit read each. */
  chunks: number[];
  /** Distinct CFGI/TLBI commands (walks record completed ones as bits), and queue index -> bit or -1. */
  fences: SmmuCommand[];
  fenceBit: number[];
  cloneState: (s: SmmuState) => SmmuState;
  /** Merge dead values (build.ts SmmuModelOptions.deadValues): uses no property objects to are not recorded. */
  deadValues: boolean;
}

export type { StepLabel };
