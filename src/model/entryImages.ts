/**
 * Every PASID-entry image the hardware can see in one scenario (the old entry, the new one,
 * each intermediate the writer stores, and every torn mix a chunked fetch can assemble) is
 * interned to a small number, so states stay small and keys stay short. The table also
 * says what translating through an image yields.
 */
import { entryDid, entryFsptptr, entryPgtt, entryPresent, entrySsptptr, pasidEntryUsedBits } from '../formats/pasidEntry';
import type { Pgtt } from '../formats/pasidEntry';

/**
 * Which page tables a walk through an image uses: the old domain's, the new one's, a mix,
 * none, or (`leftover`) the tables a domain with the new entry's DID had when it last used
 * this PASID — an IOTLB entry left from then (scenario `leftover:`, the A->B->A case).
 */
export type Via = 'old' | 'new' | 'mixed' | 'fault' | 'leftover';

/** What translating through one image yields (the page is mapped by both domains). */
export interface Outcome {
  via: Via;
  /** The image is neither the old nor the new entry under its own used bits (a torn read). */
  torn: boolean;
  /** DID and PGTT: the tags a cache entry built from this image carries (VT-d Table 17). */
  did: number;
  pgtt: Pgtt | null;
  present: boolean;
}

function equalUnder(a: readonly bigint[], b: readonly bigint[], mask: readonly bigint[]): boolean {
  for (let i = 0; i < mask.length; i++) if (((a[i] ?? 0n) & mask[i]) !== ((b[i] ?? 0n) & mask[i])) return false;
  return true;
}

/**
 * The walk key: PGTT plus the page-table pointers that PGTT walks (VT-d 9.6: FL uses
 * FSPTPTR, SL uses SSPTPTR, nested both, PT none). Two images with the same walk key
 * translate the page identically.
 */
function walkKey(w: readonly bigint[]): string {
  const pgtt = entryPgtt(w);
  const fs = entryFsptptr(w).toString(16);
  const ss = entrySsptptr(w).toString(16);
  switch (pgtt) {
    case 'fl': return `fl:${fs}`;
    case 'sl': return `sl:${ss}`;
    case 'nested': return `nested:${fs}:${ss}`;
    case 'pt': return 'pt';
    default: return 'none';
  }
}

export class EntryImages {
  private readonly images: bigint[][] = [];
  private readonly index = new Map<string, number>();
  private readonly outcomes: Outcome[] = [];
  readonly oldId: number;
  readonly newId: number;
  /** The leftover entry's image, or -1 (no `leftover:` in the scenario). */
  readonly leftoverId: number;

  constructor(readonly oldEntry: readonly bigint[], readonly newEntry: readonly bigint[], readonly leftoverEntry: readonly bigint[] | null = null) {
    this.oldId = this.intern(oldEntry);
    this.newId = this.intern(newEntry);
    this.leftoverId = leftoverEntry ? this.intern(leftoverEntry) : -1;
  }

  intern(words: readonly bigint[]): number {
    const k = words.map((w) => w.toString(16)).join(':');
    let id = this.index.get(k);
    if (id === undefined) {
      id = this.images.length;
      this.images.push([...words]);
      this.index.set(k, id);
      this.outcomes.push(this.classify(words));
    }
    return id;
  }

  /** base image -> (how -> derived image). Numbers, not strings: this runs for every step taken. */
  private readonly derived = new Map<number, Map<number, number>>();

  /**
   * The image obtained by changing image `base` with `change` (a store, a chunk read),
   * memoised under `how` (a small integer naming the change, chosen by the caller) so each
   * combination is computed once per scenario.
   */
  derive(base: number, how: number, change: (words: bigint[]) => void): number {
    let byHow = this.derived.get(base);
    if (byHow === undefined) this.derived.set(base, (byHow = new Map()));
    let id = byHow.get(how);
    if (id === undefined) {
      const words = [...this.images[base]];
      change(words);
      id = this.intern(words);
      byHow.set(how, id);
    }
    return id;
  }

  private blankId = -1;

  /** The all-zero image a fetch assembles its chunks into (interned on first use). */
  blank(): number {
    if (this.blankId < 0) this.blankId = this.intern(new Array<bigint>(8).fill(0n));
    return this.blankId;
  }

  /** Images interned so far (they are numbered 0 .. count - 1). */
  get count(): number {
    return this.images.length;
  }

  words(id: number): readonly bigint[] {
    return this.images[id];
  }

  outcome(id: number): Outcome {
    return this.outcomes[id];
  }

  private classify(w: readonly bigint[]): Outcome {
    const present = entryPresent(w);
    const pgtt = entryPgtt(w);
    const did = entryDid(w);
    if (!present || pgtt === null) return { via: 'fault', torn: false, did, pgtt, present };
    const used = pasidEntryUsedBits(w);
    const isOld = entryPresent(this.oldEntry) && equalUnder(w, this.oldEntry, used);
    const isNew = entryPresent(this.newEntry) && equalUnder(w, this.newEntry, used);
    const key = walkKey(w);
    // The leftover is a whole entry of its own (not torn), walking tables no longer valid.
    const left = this.leftoverEntry;
    if (left && w.every((x, i) => x === left[i])) return { via: 'leftover', torn: false, did, pgtt, present };
    // The new entry wins a tie: if old and new walk the same tables nothing is stale.
    const via: Via = key === walkKey(this.newEntry) && entryPresent(this.newEntry) ? 'new'
      : key === walkKey(this.oldEntry) && entryPresent(this.oldEntry) ? 'old' : 'mixed';
    return { via, torn: !isOld && !isNew, did, pgtt, present };
  }

  /**
   * How an image differs from the old and new entries, by 128-bit quantum (the writer's
   * unit), P ignored: `as old`, `as new`, `old, q1 new`, `old, q0 zero`, `new, q2 other`.
   */
  private relation(id: number): string {
    const w = [...this.words(id)];
    w[0] = (w[0] ?? 0n) | 1n;
    const oldQ = [...this.oldEntry];
    const newQ = [...this.newEntry];
    oldQ[0] = (oldQ[0] ?? 0n) | 1n;
    newQ[0] = (newQ[0] ?? 0n) | 1n;
    const same = (a: readonly bigint[], q: number) => (a[2 * q] ?? 0n) === (w[2 * q] ?? 0n) && (a[2 * q + 1] ?? 0n) === (w[2 * q + 1] ?? 0n);
    const zero = [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
    const rel = [0, 1, 2, 3].map((q) => (same(oldQ, q) ? 'old' : same(newQ, q) ? 'new' : same(zero, q) ? 'zero' : 'other'));
    const base = rel.filter((r) => r === 'new').length > rel.filter((r) => r === 'old').length ? 'new' : 'old';
    const differ = rel.map((r, q) => (r === base ? '' : `q${q} ${r}`)).filter(Boolean);
    return differ.length === 0 ? `as ${base}` : `${base}, ${differ.join(', ')}`;
  }

  /**
   * Short name for traces: old, new, or what the image is — no internal number (images
   * are numbered in the order the search meets them, which tells a reader nothing and
   * changes with the search): `torn: DID=6, walks old`, `P=0: old, q1 new`,
   * `DID=6, walks new`.
   * Two images alike in these (a torn read and another torn read with the same DID and
   * tables) share a name: they translate alike.
   */
  name(id: number): string {
    if (id === this.oldId) return 'old';
    if (id === this.newId) return 'new';
    if (id === this.leftoverId) return 'leftover';
    const o = this.outcome(id);
    if (!o.present) return `P=0: ${this.relation(id)}`;
    return o.torn ? `torn: DID=${o.did}, walks ${o.via}` : `DID=${o.did}, walks ${o.via}`;
  }
}
