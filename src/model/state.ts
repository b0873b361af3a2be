/**
 * The whole system at one moment: CPU cache line and memory, the IOMMU's caches and
 * in-flight walks, the invalidation queue, the PCIe link, the device, and the driver's
 * program counter. States are immutable values: a step builds a new one.
 * Entries are interned image numbers (see entryImages.ts); a translation is an image's
 * outcome, carried by number too.
 */
import type { Descriptor } from '../formats/descriptors';

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
  /**
   * PASID-cache invalidations completed since this fetch began, as a set of fence scopes
   * (bit b: ModelContext.fences[b]): the fetched entry is not cached if one covers it.
   */
  pcFences: number;
  /**
   * IOTLB invalidations (and, when the PASID cache is inclusive, PASID-cache ones)
   * completed since this walk began, as fence scopes: its fill is dropped if one covers it.
   */
  iotlbFences: number;
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
  /**
   * In canonical order: ATS requests by id, then DMAs by id. Which was issued first says
   * nothing a later step depends on, so two issue orders are one state (see footprints.ts:
   * steps the reduction treats as independent must lead to the same state in either order).
   */
  walks: Walk[];
  queue: QueuedDescriptor[];
  /**
   * In order, except that within a run of consecutive Translation Completions (they may
   * pass each other, PCIe §10.1.1) they are kept sorted by request: see `canonicalDown`.
   */
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

/**
 * The fields the PCIe link and the device ATC (parts/device.ts) read and write: shared by
 * every architecture's state (VT-d's State, SMMUv3's SmmuState in smmuv3/state.ts).
 */
export type LinkState = Pick<State, 'walks' | 'down' | 'up' | 'atc' | 'answering' | 'outstanding' | 'requestsIssued' | 'dmasIssued'>;

/**
 * A copy of `s` for a step to change (states are immutable once a step returns them). Spelt
 * out field by field on purpose: V8 gives objects built by `{ ...s, x }` a fresh hidden
 * class per construction site, and with dozens of them every property read in the model
 * becomes a slow megamorphic lookup; one literal keeps every state on one hidden class.
 */
export function cloneState(s: State): State {
  return {
    pc: s.pc, returned: s.returned, memory: s.memory, line: s.line, pasidCache: s.pasidCache, iotlb: s.iotlb,
    walks: s.walks, queue: s.queue, down: s.down, up: s.up, atc: s.atc, answering: s.answering,
    outstanding: s.outstanding, requestsIssued: s.requestsIssued, dmasIssued: s.dmasIssued, dmaUses: s.dmaUses,
  };
}

/**
 * The canonical form of the downstream messages: each run of consecutive completions sorted
 * by request. Completions may pass each other (PCIe §10.1.1), so the order inside a run
 * decides nothing: a completion is deliverable when no Invalidate Request ahead of it
 * blocks it, and an Invalidate Request looks only at whether a completion is ahead of it.
 * Changes `down` in place (callers pass a fresh copy) and returns it.
 */
export function canonicalDown(down: DownMessage[]): DownMessage[] {
  for (let i = 1; i < down.length; i++) {
    const m = down[i];
    if (m.kind !== 'completion') continue;
    // Insertion sort within the run: move m left past completions of later requests.
    let j = i;
    while (j > 0) {
      const prev = down[j - 1];
      if (prev.kind !== 'completion' || prev.request < m.request) break;
      down[j] = prev;
      j--;
    }
    down[j] = m;
  }
  return down;
}

/** A copy of walk `w` for a step to change (one hidden class for every walk, as cloneState). */
export function cloneWalk(w: Walk): Walk {
  return {
    id: w.id, kind: w.kind, stage: w.stage, fetchImage: w.fetchImage, chunksRead: w.chunksRead, image: w.image,
    result: w.result, pcFences: w.pcFences, iotlbFences: w.iotlbFences, mustDrain: w.mustDrain,
  };
}

const STAGE_CODE: Record<Walk['stage'], number> = { lookup: 1, entry: 2, fetch: 3, fill: 4, answer: 5, commit: 6 };
const STATUS_CODE: Record<DescriptorStatus, number> = { pending: 1, sent: 2, done: 3 };

/** STAGE_CODE as a switch: the packing runs for every successor, and a keyed lookup by a
 * variable string costs several times a few compares. */
function stageCode(stage: Walk['stage']): number {
  switch (stage) {
    case 'lookup': return 1;
    case 'entry': return 2;
    case 'fetch': return 3;
    case 'fill': return 4;
    case 'answer': return 5;
    case 'commit': return 6;
  }
}

/** STATUS_CODE as a switch (see stageCode). */
function statusCode(status: DescriptorStatus): number {
  return status === 'pending' ? 1 : status === 'sent' ? 2 : 3;
}

/**
 * Values the key may treat as equal because no later step or property tells them apart
 * (build.ts ModelOptions.deadValues has the arguments): an ATC holding a translation for
 * which `atcAsEmpty` is true keys as an empty ATC; with `spentFences`, a walk past its fill
 * keys with no fences (they are read only by the fill and the fetch's last chunk).
 */
export interface DeadValues {
  atcAsEmpty: (image: number) => boolean;
  spentFences: boolean;
}

export const KEEP_ALL: DeadValues = { atcAsEmpty: () => false, spentFences: false };

/** Are a walk's fences still to be read at this stage (by its fill or its fetch)? */
function fencesLive(stage: Walk['stage']): boolean {
  return stage !== 'answer' && stage !== 'commit';
}

/**
 * The state's canonical key: every field as a small integer (images, indexes and counts are
 * all far below 0xfff0), lists length-prefixed, packed into a string one UTF-16 unit per
 * number. Cheaper to build and to hash than a readable key; -1 is stored as 0xffff.
 * `merge`: values keyed alike (DeadValues; none by default).
 */
export function stateKey(s: State, merge: DeadValues = KEEP_ALL): string {
  const atcAsEmpty = merge.atcAsEmpty;
  const k: number[] = [s.pc, s.returned ? 1 : 0, s.memory, s.line & 0xffff, s.pasidCache ? s.pasidCache.image : 0xffff, s.iotlb.length];
  for (const e of s.iotlb) k.push(e.image);
  k.push(s.walks.length);
  for (const w of s.walks) {
    const fences = !merge.spentFences || fencesLive(w.stage);
    k.push(w.id, w.kind === 'ats' ? 1 : 2, STAGE_CODE[w.stage], w.fetchImage & 0xffff, w.chunksRead, w.image & 0xffff, w.result & 0xffff,
      w.mustDrain ? 1 : 0, fences ? w.pcFences : 0, fences ? w.iotlbFences : 0);
  }
  k.push(s.queue.length);
  for (const q of s.queue) k.push(STATUS_CODE[q.status]);
  k.push(s.down.length);
  for (const m of s.down) {
    if (m.kind === 'completion') k.push(1, m.request, m.image);
    else k.push(2, m.descriptor);
  }
  k.push(s.up.length, ...s.up, (s.atc >= 0 && atcAsEmpty(s.atc) ? -1 : s.atc) & 0xffff, s.answering.length, ...s.answering, s.outstanding.length);
  for (const o of s.outstanding) k.push(o.request, o.discard ? 1 : 0);
  k.push(s.requestsIssued, s.dmasIssued, s.dmaUses.length);
  for (const u of s.dmaUses) k.push(u.image, (u.afterReturn ? 1 : 0) | (u.path === 'atc' ? 2 : 0));
  return String.fromCharCode(...k);
}

/**
 * How many of each list a scenario's states can hold: the fixed sizes of the packed
 * encoding below. Every bound follows from the scenario (see model.ts, where they are
 * computed); `packState` checks them anyway and refuses a state that breaks one.
 */
export interface StateBounds {
  /** ATS Translation Requests and untranslated DMAs the device may issue. */
  requests: number;
  dmas: number;
  /** Descriptors the program submits (the queue never holds more). */
  descriptors: number;
  /** Device-TLB descriptors among them (each sends one Invalidate Request, answered once). */
  devtlbs: number;
  /** IOTLB entries at most (one per DID with `iotlb-lookup-uses-did`, else one). */
  iotlbEntries: number;
}

/** A fixed-size encoding of the states of one scenario into 32-bit words. */
export interface StatePacking {
  words: number;
  encode(s: State, out: Uint32Array, at: number): void;
  /**
   * The encoding of the state's orbit under renumbering requests and DMAs (see
   * canonicalState for the symmetry and why it is sound): `encode`, then the numbers
   * rewritten in the words to the canonical numbering, with no object built. Two states
   * encode alike exactly when canonicalState gives them equal keys: both identify orbits.
   */
  encodeCanonical(s: State, out: Uint32Array, at: number): void;
}


/** Image or -1 as 16 bits: 0 is -1, n + 1 is image n (images stay far below 0xffff). */
function img(n: number): number {
  if (n >= 0xfffe) throw new RangeError(`state packing: image ${n} out of range`);
  return (n + 1) & 0xffff;
}

/**
 * The packed form of a state: every field of `stateKey`, so two states encode to the same
 * words exactly when their keys are equal (the search's visited set keeps these words
 * instead of key strings). Layout, with images stored as image + 1 in 16 bits:
 *
 *   word 0      pc (10 bits) | returned | requestsIssued (3) | dmasIssued (3) |
 *               per request r: outstanding (bit 17 + 2(r-1)) and tagged for discard (next bit)
 *   word 1      memory | line << 16
 *   word 2      PASID cache | ATC << 16
 *   iotlb       two entries a word, in list order (0 = none)
 *   queue       2 bits a descriptor: 0 not submitted, else STATUS_CODE
 *   walks       three words a walk, in list order: present | kind | id | STAGE_CODE | chunks read |
 *               must drain | fetch image << 16; image | result << 16; PASID-cache fences |
 *               IOTLB fences << 16
 *   down        a word a message: kind (1 completion, 2 invalidate) | request or
 *               descriptor << 2 | image << 16
 *   up, answering   descriptor + 1, two a word
 *   DMA uses    a word each: image | after return << 16 | through the ATC << 17
 */
export function statePacking(b: StateBounds, merge: DeadValues = KEEP_ALL): StatePacking {
  const { atcAsEmpty, spentFences } = merge;
  const half = (n: number) => (n + 1) >> 1;
  const IOTLB = 3;
  const QUEUE = IOTLB + half(b.iotlbEntries);
  const WALKS = QUEUE + ((b.descriptors + 15) >> 4);
  const walkSlots = b.requests + b.dmas;
  const DOWN = WALKS + 3 * walkSlots;
  const downSlots = b.requests + b.devtlbs;
  const UP = DOWN + downSlots;
  const ANSWERING = UP + half(b.devtlbs);
  const USES = ANSWERING + half(b.devtlbs);
  const words = USES + b.dmas;
  const bound = (what: string, n: number, max: number) => {
    if (n > max) throw new RangeError(`state packing: ${n} ${what}, bound ${max}`);
  };
  /** Descriptor indexes + 1, two a word. */
  const halves = (xs: readonly number[], out: Uint32Array, at: number, max: number, what: string) => {
    bound(what, xs.length, max);
    for (let k = 0; k < xs.length; k++) out[at + (k >> 1)] |= ((xs[k] + 1) << (k & 1 ? 16 : 0)) >>> 0;
  };
  // Scratch for encodeCanonical: per request number, its signature words (walk's three
  // words without the id, then outstanding bits | completion's place << 2 | image << 16).
  const R = b.requests;
  const sigA = new Uint32Array(R + 1);
  const sigB = new Uint32Array(R + 1);
  const sigC = new Uint32Array(R + 1);
  const sigD = new Uint32Array(R + 1);
  const order = new Int32Array(R + 1);
  const newId = new Int32Array(R + 1);
  const dmaTriples = new Uint32Array(3 * b.dmas);
  const dmaOrder = new Int32Array(b.dmas);
  const ID_MASK = 7 << 2;
  const lessSig = (x: number, y: number): boolean => (sigA[x] !== sigA[y] ? sigA[x] < sigA[y] : sigB[x] !== sigB[y] ? sigB[x] < sigB[y]
    : sigC[x] !== sigC[y] ? sigC[x] < sigC[y] : sigD[x] < sigD[y]);
  const lessDma = (x: number, y: number): boolean => {
    for (let j = 0; j < 3; j++) if (dmaTriples[3 * x + j] !== dmaTriples[3 * y + j]) return dmaTriples[3 * x + j] < dmaTriples[3 * y + j];
    return false;
  };
  const encode = (s: State, out: Uint32Array, at: number): void => {
      // A loop, not fill(): fill() of a few words costs more than the loop (profile).
      for (let i = at; i < at + words; i++) out[i] = 0;
      if (s.pc > 0x3ff) throw new RangeError(`state packing: pc ${s.pc} out of range`);
      let w0 = s.pc | (s.returned ? 1 << 10 : 0) | (s.requestsIssued << 11) | (s.dmasIssued << 14);
      for (const o of s.outstanding) w0 |= (1 | (o.discard ? 2 : 0)) << (17 + 2 * (o.request - 1));
      out[at] = w0 >>> 0;
      out[at + 1] = (img(s.memory) | (img(s.line) << 16)) >>> 0;
      out[at + 2] = (img(s.pasidCache ? s.pasidCache.image : -1) | (img(s.atc >= 0 && atcAsEmpty(s.atc) ? -1 : s.atc) << 16)) >>> 0;
      bound('IOTLB entries', s.iotlb.length, b.iotlbEntries);
      for (let k = 0; k < s.iotlb.length; k++) out[at + IOTLB + (k >> 1)] |= (img(s.iotlb[k].image) << (k & 1 ? 16 : 0)) >>> 0;
      bound('queued descriptors', s.queue.length, b.descriptors);
      for (let i = 0; i < s.queue.length; i++) out[at + QUEUE + (i >> 4)] |= statusCode(s.queue[i].status) << (2 * (i & 15));
      bound('walks', s.walks.length, walkSlots);
      for (let i = 0; i < s.walks.length; i++) {
        const w = s.walks[i];
        if (w.pcFences > 0xffff || w.iotlbFences > 0xffff) throw new RangeError('state packing: more than 16 fence scopes');
        out[at + WALKS + 3 * i] = (1 | (w.kind === 'dma' ? 2 : 0) | (w.id << 2) | (stageCode(w.stage) << 5)
          | (w.chunksRead << 8) | ((w.mustDrain ? 1 : 0) << 12) | (img(w.fetchImage) << 16)) >>> 0;
        out[at + WALKS + 3 * i + 1] = (img(w.image) | (img(w.result) << 16)) >>> 0;
        out[at + WALKS + 3 * i + 2] = !spentFences || fencesLive(w.stage) ? (w.pcFences | (w.iotlbFences << 16)) >>> 0 : 0;
      }
      bound('messages down', s.down.length, downSlots);
      for (let i = 0; i < s.down.length; i++) {
        const m = s.down[i];
        out[at + DOWN + i] = (m.kind === 'completion' ? 1 | (m.request << 2) | (img(m.image) << 16) : 2 | (m.descriptor << 2)) >>> 0;
      }
      halves(s.up, out, at + UP, b.devtlbs, 'messages up');
      halves(s.answering, out, at + ANSWERING, b.devtlbs, 'invalidations being answered');
      bound('DMA uses', s.dmaUses.length, b.dmas);
      for (let i = 0; i < s.dmaUses.length; i++) {
        const u = s.dmaUses[i];
        out[at + USES + i] = (img(u.image) | (u.afterReturn ? 1 << 16 : 0) | (u.path === 'atc' ? 1 << 17 : 0)) >>> 0;
      }
  };
  /** Requests renumbered 1, 2, ... in signature order (live ones; see canonicalState). */
  const canonicalAts = (s: State, out: Uint32Array, at: number, atsWalks: number): void => {
    const issued = s.requestsIssued;
    for (let r = 1; r <= issued; r++) sigA[r] = sigB[r] = sigC[r] = sigD[r] = 0;
    for (let i = 0; i < atsWalks; i++) {
      const id = s.walks[i].id;
      const base = at + WALKS + 3 * i;
      sigA[id] = (out[base] & ~ID_MASK) >>> 0;
      sigB[id] = out[base + 1];
      sigC[id] = out[base + 2];
    }
    for (const o of s.outstanding) sigD[o.request] |= o.discard ? 3 : 1;
    let run = 0;
    for (const m of s.down) {
      if (m.kind === 'invalidate') run++;
      else sigD[m.request] = (sigD[m.request] | ((run + 1) << 2) | (img(m.image) << 16)) >>> 0;
    }
    // Live requests in signature order (insertion sort: at most MAX_COUNT of them).
    let live = 0;
    for (let r = 1; r <= issued; r++) {
      if (sigA[r] === 0 && sigD[r] === 0) continue;
      let k = live++;
      while (k > 0 && lessSig(r, order[k - 1])) {
        order[k] = order[k - 1];
        k--;
      }
      order[k] = r;
    }
    let identity = true;
    for (let k = 0; k < live; k++) {
      newId[order[k]] = k + 1;
      if (order[k] !== k + 1) identity = false;
    }
    if (identity) return;
    // Walks: ATS ones in new-number order.
    let slot = 0;
    for (let k = 0; k < live; k++) {
      const r = order[k];
      if (sigA[r] === 0) continue;
      const base = at + WALKS + 3 * slot++;
      out[base] = (sigA[r] | ((k + 1) << 2)) >>> 0;
      out[base + 1] = sigB[r];
      out[base + 2] = sigC[r];
    }
    // Outstanding bits in word 0.
    let w0 = out[at] & ((1 << 17) - 1);
    for (let k = 0; k < live; k++) w0 |= (sigD[order[k]] & 3) << (17 + 2 * k);
    out[at] = w0 >>> 0;
    // Completions renumbered; each run sorted by number again (canonicalDown).
    for (let i = 0; i < s.down.length; i++) {
      const w = out[at + DOWN + i];
      if ((w & 3) !== 1) continue;
      const renamed = ((w & ~(0x3fff << 2)) | (newId[(w >>> 2) & 0x3fff] << 2)) >>> 0;
      let j = i;
      while (j > 0 && (out[at + DOWN + j - 1] & 3) === 1 && ((out[at + DOWN + j - 1] >>> 2) & 0x3fff) > newId[(w >>> 2) & 0x3fff]) {
        out[at + DOWN + j] = out[at + DOWN + j - 1];
        j--;
      }
      out[at + DOWN + j] = renamed;
    }
  };
  /** DMA walks renumbered 1, 2, ... in the order of their words without the id. */
  const canonicalDma = (out: Uint32Array, at: number, from: number, count: number): void => {
    for (let i = 0; i < count; i++) {
      const base = at + WALKS + 3 * (from + i);
      dmaTriples[3 * i] = (out[base] & ~ID_MASK) >>> 0;
      dmaTriples[3 * i + 1] = out[base + 1];
      dmaTriples[3 * i + 2] = out[base + 2];
      let k = i;
      while (k > 0 && lessDma(i, dmaOrder[k - 1])) {
        dmaOrder[k] = dmaOrder[k - 1];
        k--;
      }
      dmaOrder[k] = i;
    }
    for (let k = 0; k < count; k++) {
      const x = dmaOrder[k];
      const base = at + WALKS + 3 * (from + k);
      out[base] = (dmaTriples[3 * x] | ((k + 1) << 2)) >>> 0;
      out[base + 1] = dmaTriples[3 * x + 1];
      out[base + 2] = dmaTriples[3 * x + 2];
    }
  };
  return {
    words,
    encode,
    encodeCanonical(s, out, at) {
      encode(s, out, at);
      let atsWalks = 0;
      while (atsWalks < s.walks.length && s.walks[atsWalks].kind === 'ats') atsWalks++;
      if (s.requestsIssued >= 2) canonicalAts(s, out, at, atsWalks);
      if (s.walks.length > atsWalks) canonicalDma(out, at, atsWalks, s.walks.length - atsWalks);
    },
  };
}

/**
 * Symmetry reduction over interchangeable ATS Translation Requests and interchangeable
 * untranslated DMAs: the canonical representative of a state's orbit under renumbering
 * the requests among themselves and the DMAs among themselves.
 *
 * The symmetry. A request's number is only a name: it is handed out in issue order
 * (device.ts, `requestsIssued + 1`) and from then on the model only ever compares it for
 * equality — a walk's id with its completion's `request` and its `outstanding` entry. No
 * step, guard, property or deadlock test orders requests by number: walks are kept in
 * number order and completion runs sorted by number (canonicalDown) only to make the
 * representation canonical, and each step looks at one walk, one message or all of them
 * alike. DMAs carry a number only in their walk (a DmaUse records no number). So for a
 * permutation π of the numbers already issued (the next number to issue is fixed by the
 * count, which π leaves alone), renaming every occurrence of each number r as π(r) and
 * restoring the canonical orders maps a state s to π(s) with
 *   - successors(π(s)) = π(successors(s)), step for step (same footprints up to the
 *     renaming, same visibility);
 *   - every property and the deadlock test true of π(s) exactly when of s (they quantify
 *     over all walks, messages and uses alike and read no number).
 * Hence π(path) is a path of the same length from π(init) = init (no request issued), a
 * violation is reachable within n steps from s exactly when from π(s), and a breadth-first
 * search that keeps one state per orbit (this key) finds a violation at the same least
 * depth as the full search: same verdict, same shortest counterexample length. (Clarke,
 * Emerson, Sistla, "Symmetry reductions in model checking", CAV 1998; Ip and Dill,
 * "Better verification through symmetry", 1996, the scalarset of Murphi.) With the
 * partial-order reduction on top, the ample conditions are checked in the concrete state
 * the search expands and the cycle proviso on orbits (the visited set holds orbits), which
 * is how Emerson, Jha and Peled combine the two ("Combining partial order and symmetry
 * reductions", TACAS 1997).
 *
 * The trace. Only the key is canonical: the search keeps the concrete state it first
 * reached of each orbit, and every kept state was reached from its kept parent by the
 * recorded successor index, so replaying those indexes from the initial state gives a
 * concrete run of the model, whose last state violates the property (it is the state the
 * invariant was checked in).
 *
 * The canonical numbering. Each live request (one with a walk, an outstanding entry or a
 * completion on the link) gets a signature that holds everything about it but its number:
 * its walk's packed words without the id, its outstanding/discard bits, and its
 * completion's place (how many Invalidate Requests are ahead of it) and image. Live
 * requests are renumbered 1, 2, ... in signature order (requests no longer live have left
 * no trace and take the numbers after them). Two states of one orbit have the same
 * multiset of signatures, so the same canonical form; requests with equal signatures are
 * interchangeable, so their order does not matter. DMAs likewise by their walks.
 * Returns `s` itself when the numbering is already canonical (no allocation).
 */
export function canonicalState(s: State): State {
  const atsWalks = countAts(s.walks);
  const dmaWalks = s.walks.length - atsWalks;
  const relabelAts = s.requestsIssued >= 2 && atsNeedsRelabel(s);
  const relabelDma = dmaWalks >= 1 && !dmaSorted(s.walks, atsWalks);
  if (!relabelAts && !relabelDma) return s;
  const t = cloneState(s);
  let walks = s.walks;
  if (relabelAts) {
    const order = liveRequests(s);
    order.sort((a, b) => compareSig(s, a, b));
    const map = new Map<number, number>();
    order.forEach((r, i) => map.set(r, i + 1));
    walks = walks.map((w) => {
      if (w.kind !== 'ats') return w;
      const x = cloneWalk(w);
      x.id = map.get(w.id)!;
      return x;
    });
    t.outstanding = s.outstanding.map((o) => ({ request: map.get(o.request)!, discard: o.discard })).sort((a, b) => a.request - b.request);
    t.down = canonicalDown(s.down.map((m) => (m.kind === 'completion' ? { kind: 'completion' as const, request: map.get(m.request)!, image: m.image } : m)));
  }
  if (relabelDma) {
    const dmas = walks.slice(atsWalks).sort((a, b) => compareWalk(a, b));
    walks = walks.slice(0, atsWalks).concat(dmas.map((w, i) => {
      const x = cloneWalk(w);
      x.id = i + 1;
      return x;
    }));
  }
  // Canonical order (ATS by id, then DMAs by id) for the renumbered walks.
  t.walks = walks.slice().sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'ats' ? -1 : 1));
  return t;
}

function countAts(walks: readonly Walk[]): number {
  let n = 0;
  while (n < walks.length && walks[n].kind === 'ats') n++;
  return n;
}

/** The live requests' numbers (walk, outstanding entry or completion), ascending. */
function liveRequests(s: State): number[] {
  const live: number[] = [];
  const add = (r: number) => { if (!live.includes(r)) live.push(r); };
  for (const w of s.walks) if (w.kind === 'ats') add(w.id);
  for (const o of s.outstanding) add(o.request);
  for (const m of s.down) if (m.kind === 'completion') add(m.request);
  return live.sort((a, b) => a - b);
}

/** Is the requests' numbering other than 1, 2, ... in signature order? */
function atsNeedsRelabel(s: State): boolean {
  const live = liveRequests(s);
  if (live.length === 0) return false;
  for (let i = 0; i < live.length; i++) if (live[i] !== i + 1) return true;
  for (let i = 1; i < live.length; i++) if (compareSig(s, live[i - 1], live[i]) > 0) return true;
  return false;
}

/** Are the DMA walks numbered 1, 2, ... in walk order, and is that order the canonical one? */
function dmaSorted(walks: readonly Walk[], from: number): boolean {
  for (let i = from; i < walks.length; i++) {
    if (walks[i].id !== i - from + 1) return false;
    if (i > from && compareWalk(walks[i - 1], walks[i]) > 0) return false;
  }
  return true;
}

/** A walk's fields but its id, compared in a fixed order (the id is the only name). */
function compareWalk(a: Walk, b: Walk): number {
  return (stageCode(a.stage) - stageCode(b.stage)) || (a.fetchImage - b.fetchImage) || (a.chunksRead - b.chunksRead)
    || (a.image - b.image) || (a.result - b.result) || (a.pcFences - b.pcFences) || (a.iotlbFences - b.iotlbFences)
    || ((a.mustDrain ? 1 : 0) - (b.mustDrain ? 1 : 0));
}

/** Request r's signature compared with q's: walk (none first), outstanding bits, completion's place and image. */
function compareSig(s: State, r: number, q: number): number {
  const wr = s.walks.find((w) => w.kind === 'ats' && w.id === r);
  const wq = s.walks.find((w) => w.kind === 'ats' && w.id === q);
  if (wr && !wq) return 1;
  if (!wr && wq) return -1;
  if (wr && wq) {
    const c = compareWalk(wr, wq);
    if (c !== 0) return c;
  }
  const c = outBits(s, r) - outBits(s, q);
  if (c !== 0) return c;
  const [pr, ir] = completionPlace(s, r);
  const [pq, iq] = completionPlace(s, q);
  return (pr - pq) || (ir - iq);
}

/** 0 not outstanding, 1 outstanding, 3 outstanding and tagged for discard. */
function outBits(s: State, r: number): number {
  for (const o of s.outstanding) if (o.request === r) return o.discard ? 3 : 1;
  return 0;
}

/** [Invalidate Requests ahead of request r's completion, its image], or [-1, -1] with none on the link. */
function completionPlace(s: State, r: number): [number, number] {
  let ahead = 0;
  for (const m of s.down) {
    if (m.kind === 'invalidate') ahead++;
    else if (m.request === r) return [ahead, m.image];
  }
  return [-1, -1];
}
