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

export function stateKey(s: State): string {
  const walks = s.walks.map((w) => `${w.id}${w.kind[0]}${w.stage}${w.fetchImage}.${w.chunksRead}.${w.image}.${w.result}${w.pcStale ? 'p' : ''}${w.iotlbStale ? 'i' : ''}${w.mustDrain ? 'd' : ''}`).join(',');
  const queue = s.queue.map((q) => q.status[0]).join('');
  const down = s.down.map((m) => (m.kind === 'completion' ? `c${m.request}.${m.image}` : `i${m.descriptor}`)).join(',');
  const out = s.outstanding.map((o) => `${o.request}${o.discard ? 'x' : ''}`).join(',');
  return `${s.pc}${s.returned ? 'R' : ''}|${s.memory}.${s.line}|${s.pasidCache ? s.pasidCache.image : '-'}|${s.iotlb.map((e) => e.image).join(',')}|${walks}|${queue}|${down}|${s.up.join(',')}|${s.atc}.${s.answering.join(',')}|${out}|${s.requestsIssued}.${s.dmasIssued}|${s.dmaUses.map(dmaUseKey).join(',')}`;
}
