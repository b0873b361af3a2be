/**
 * The whole system at one moment: CPU cache line and memory, the IOMMU's caches and
 * in-flight walks, the invalidation queue, the PCIe link, the device, and the driver's
 * program counter. States are immutable values: a step builds a new one.
 * Entries are interned image numbers (see entryImages.ts); a translation is an image's
 * outcome, carried by number too.
 */
import type { Descriptor } from '../spec/descriptors';

/** PASID-cache entry (VT-d 6.2.3): the fetched image; DID/PASID are its invalidation tags. */
export interface PasidCacheEntry {
  image: number;
}

/**
 * IOTLB entry (VT-d 6.2.4, Table 17). Lookup tags are Source-ID, PASID and page — all
 * fixed in a scenario (one device, one PASID, one page) — so only the invalidation tags
 * (DID, PGTT, PASID) and the translation (the image it was walked from) vary.
 */
export interface IotlbEntry {
  image: number;
}

export type WalkKind = 'ats' | 'dma';

/**
 * One translation in progress at the IOMMU (VT-d 6.3; QEMU vtd_do_iommu_translate):
 * IOTLB lookup → PASID entry from the PASID cache or from memory (chunk by chunk) → page
 * walk and IOTLB fill → answer. Invalidations may fall between any two of these steps.
 */
export interface Walk {
  /** Request number: ATS Translation Requests and DMAs are numbered as the device issues them. */
  id: number;
  kind: WalkKind;
  stage: 'lookup' | 'entry' | 'fetch' | 'fill' | 'answer' | 'commit';
  /** Fetch in progress: the image assembled so far and which chunks are read (bit mask). */
  fetchImage: number;
  chunksRead: number;
  /** The image the walk translates with (once obtained), or -1. */
  image: number;
  /** The translation found (the image it was walked from, via an IOTLB hit or a walk), or -1. */
  result: number;
  /** A PASID-cache invalidation completed since this fetch began: do not cache it. */
  pcStale: boolean;
  /** An IOTLB invalidation completed since this walk began: do not fill the IOTLB. */
  iotlbStale: boolean;
  /** Untranslated DMA processed before an IOTLB invalidation: the next wait drains it. */
  mustDrain: boolean;
}

export type DescriptorStatus = 'pending' | 'sent' | 'done';

export interface QueuedDescriptor {
  descriptor: Descriptor;
  status: DescriptorStatus;
}

/** Downstream PCIe messages: Translation Completions and Invalidate Requests. */
export type DownMessage =
  | { kind: 'completion'; request: number; image: number }
  | { kind: 'invalidate'; descriptor: number };

/** Outstanding ATS Translation Request at the device (PCIe 6.2 §10.1, §10.3.6). */
export interface Outstanding {
  request: number;
  /** Tagged by an overlapping Invalidate Request: its completion will be discarded. */
  discard: boolean;
}

/**
 * Every DMA records the translation it used: the image it was translated through, whether
 * the strategy had returned, and how it was translated (through the ATC or untranslated
 * through the IOMMU). Properties judge these records; a set, kept sorted.
 */
export interface DmaUse {
  image: number;
  afterReturn: boolean;
  path: 'atc' | 'iommu';
}

export function dmaUseKey(u: DmaUse): string {
  return `${u.image}${u.afterReturn ? 'a' : 'w'}${u.path === 'atc' ? 't' : 'u'}`;
}

export interface State {
  /** Driver: index of the next program operation; `returned` once the strategy is done. */
  pc: number;
  returned: boolean;
  /** The entry as memory holds it (what a non-snooping IOMMU reads). */
  memory: number;
  /** Non-coherent only: the CPU's dirty copy of the entry's cache line, or -1 when clean. */
  line: number;
  pasidCache: PasidCacheEntry | null;
  iotlb: IotlbEntry[];
  walks: Walk[];
  queue: QueuedDescriptor[];
  down: DownMessage[];
  /** Upstream Invalidate Completions (descriptor index), in order. */
  up: number[];
  /** ATC entry: the image of the translation it holds, or -1. */
  atc: number;
  /** Invalidate Requests received and not yet answered (descriptor index). */
  answering: number[];
  outstanding: Outstanding[];
  requestsIssued: number;
  dmasIssued: number;
  /** Distinct DMA uses so far (see DmaUse), sorted by key. */
  dmaUses: DmaUse[];
}

const STAGE_CODE: Record<Walk['stage'], number> = { lookup: 1, entry: 2, fetch: 3, fill: 4, answer: 5, commit: 6 };
const STATUS_CODE: Record<DescriptorStatus, number> = { pending: 1, sent: 2, done: 3 };

/**
 * The state's canonical key: every field as a small integer (images, indexes and counts are
 * all far below 0xfff0), lists length-prefixed, packed into a string one UTF-16 unit per
 * number. Cheaper to build and to hash than a readable key; -1 is stored as 0xffff.
 */
export function stateKey(s: State): string {
  const k: number[] = [s.pc, s.returned ? 1 : 0, s.memory, s.line & 0xffff, s.pasidCache ? s.pasidCache.image : 0xffff, s.iotlb.length];
  for (const e of s.iotlb) k.push(e.image);
  k.push(s.walks.length);
  for (const w of s.walks) {
    k.push(w.id, w.kind === 'ats' ? 1 : 2, STAGE_CODE[w.stage], w.fetchImage & 0xffff, w.chunksRead, w.image & 0xffff, w.result & 0xffff,
      (w.pcStale ? 1 : 0) | (w.iotlbStale ? 2 : 0) | (w.mustDrain ? 4 : 0));
  }
  k.push(s.queue.length);
  for (const q of s.queue) k.push(STATUS_CODE[q.status]);
  k.push(s.down.length);
  for (const m of s.down) {
    if (m.kind === 'completion') k.push(1, m.request, m.image);
    else k.push(2, m.descriptor);
  }
  k.push(s.up.length, ...s.up, s.atc & 0xffff, s.answering.length, ...s.answering, s.outstanding.length);
  for (const o of s.outstanding) k.push(o.request, o.discard ? 1 : 0);
  k.push(s.requestsIssued, s.dmasIssued, s.dmaUses.length);
  for (const u of s.dmaUses) k.push(u.image, (u.afterReturn ? 1 : 0) | (u.path === 'atc' ? 2 : 0));
  return String.fromCharCode(...k);
}
