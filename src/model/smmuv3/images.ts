/**
 * Every configuration image (STE + CD, 16 words) the SMMU can see in one scenario, interned
 * to a small number as VT-d's entry images are (../entryImages.ts), with what translating
 * through it yields and the tags a TLB entry filled from it carries.
 */
import {
  CD_BASE, CONFIG_WORDS, cdAsid, cdOf, cdTtb0, cdValid, configKind, steOf, steS2ttb, steUsesCd, steVmid,
} from '../../formats/smmuv3Config';
import { cdUsed, steUsed } from '../../writer/smmuv3';
import type { Via } from '../entryImages';

export type Stage = 's1' | 's2' | 'nested';

export interface SmmuOutcome {
  via: Via;
  /** Neither the old nor the new configuration under its own used bits: a torn read. */
  torn: boolean;
  /** The configuration translates (bypass included); false: the transaction faults. */
  present: boolean;
  /** Bypass: translates without the TLB (IHI 0070 G.b §5.2 STE.Config = bypass). */
  bypass: boolean;
  stage: Stage | null;
  vmid: number;
  asid: number;
  /**
   * The TLB tag of an entry filled through this configuration, and the tag a lookup
   * through it uses (IHI 0070 G.b §3.17: entries are tagged by StreamWorld, VMID and, for
   * stage 1, ASID; S1 leaves are non-global, io-pgtable-arm arm_lpae_prot_to_pte sets nG);
   * -1 when it does not use the TLB.
   */
  tag: number;
}

const STAGE_CODE: Record<Stage, number> = { s1: 1, s2: 2, nested: 3 };

export function tagText(o: Pick<SmmuOutcome, 'stage' | 'vmid' | 'asid'>): string {
  if (o.stage === null) return 'untagged';
  return o.stage === 's2' ? `S2 VMID=${o.vmid}` : `${o.stage === 's1' ? 'S1' : 'nested'} ASID=${o.asid}${o.vmid ? ` VMID=${o.vmid}` : ''}`;
}

function usedBits(w: readonly bigint[]): bigint[] {
  const ste = steUsed(steOf(w));
  const cd = steUsesCd(w) ? cdUsed(cdOf(w)) : new Array<bigint>(8).fill(0n);
  return [...ste, ...cd];
}

function equalUnder(a: readonly bigint[], b: readonly bigint[], mask: readonly bigint[]): boolean {
  for (let i = 0; i < mask.length; i++) if ((a[i] & mask[i]) !== (b[i] & mask[i])) return false;
  return true;
}

/** Which tables a translation through `w` walks (two images with the same key translate alike). */
function walkKey(w: readonly bigint[]): string {
  switch (configKind(w)) {
    case 's1': return cdValid(w) ? `s1:${cdTtb0(w).toString(16)}` : 'none';
    case 's2': return `s2:${steS2ttb(w).toString(16)}`;
    case 'nested': return cdValid(w) ? `nested:${cdTtb0(w).toString(16)}:${steS2ttb(w).toString(16)}` : 'none';
    case 'bypass': return 'bypass';
    default: return 'none';
  }
}

export class ConfigImages {
  private readonly images: bigint[][] = [];
  private readonly index = new Map<string, number>();
  private readonly outcomes: SmmuOutcome[] = [];
  private readonly derived = new Map<number, Map<number, number>>();
  readonly oldId: number;
  readonly newId: number;

  constructor(readonly oldConfig: readonly bigint[], readonly newConfig: readonly bigint[]) {
    this.oldId = this.intern(oldConfig);
    this.newId = this.intern(newConfig);
  }

  intern(words: readonly bigint[]): number {
    if (words.length !== CONFIG_WORDS) throw new RangeError(`a configuration is ${CONFIG_WORDS} words`);
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

  /** Image `base` changed by `change`, memoised under the small integer `how`. */
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

  /** The STE of image `ste` with the CD of image `cd` (a translation using cached parts). */
  combine(ste: number, cd: number): number {
    if (ste === cd) return ste;
    // `how` codes: combinations <= -1,000,000; stores -1 - pc (driver.ts); reads >= 0 (walker.ts).
    return this.derive(ste, -1_000_000 - cd, (w) => {
      const c = this.images[cd];
      for (let i = CD_BASE; i < CONFIG_WORDS; i++) w[i] = c[i];
    });
  }

  get count(): number {
    return this.images.length;
  }

  words(id: number): readonly bigint[] {
    return this.images[id];
  }

  outcome(id: number): SmmuOutcome {
    return this.outcomes[id];
  }

  private classify(w: readonly bigint[]): SmmuOutcome {
    const kind = configKind(w);
    const none = { stage: null, vmid: 0, asid: 0, tag: -1 };
    const key = walkKey(w);
    if (key === 'none') return { via: 'fault', torn: false, present: false, bypass: false, ...none };
    const used = usedBits(w);
    const oldKey = walkKey(this.oldConfig);
    const newKey = walkKey(this.newConfig);
    const isOld = oldKey !== 'none' && equalUnder(w, this.oldConfig, used);
    const isNew = newKey !== 'none' && equalUnder(w, this.newConfig, used);
    // The new configuration wins a tie: if old and new walk the same tables nothing is stale.
    const via: Via = key === newKey ? 'new' : key === oldKey ? 'old' : 'mixed';
    if (kind === 'bypass') return { via, torn: !isOld && !isNew, present: true, bypass: true, ...none };
    const stage = kind as Stage;
    const vmid = steVmid(w);
    const asid = stage === 's2' ? 0 : cdAsid(w);
    return { via, torn: !isOld && !isNew, present: true, bypass: false, stage, vmid, asid, tag: STAGE_CODE[stage] * 2 ** 32 + vmid * 2 ** 16 + asid };
  }

  /** Short name for traces: old, new, or what the image is (no internal number). */
  name(id: number): string {
    if (id === this.oldId) return 'old';
    if (id === this.newId) return 'new';
    const o = this.outcome(id);
    const w = this.words(id);
    if (!o.present) {
      const kind = configKind(w);
      return kind === 'off' ? 'STE V=0' : kind === 'abort' ? 'STE abort' : 'CD V=0';
    }
    if (o.bypass) return o.torn ? 'torn: bypass' : 'bypass';
    return `${o.torn ? 'torn: ' : ''}${tagText(o)}, walks ${o.via}`;
  }
}
