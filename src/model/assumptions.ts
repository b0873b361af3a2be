/**
 * Every question the VT-d and PCIe specifications leave open is a named assumption here,
 * declared once and read in one place. The default is the spec reading (docs/model.md#the-named-assumptions);
 * `reliedOnBy` says whose position in the March 2026 thread needs which value.
 *
 * The table below is the only place an assumption's name, type, default, section and
 * "relied on by" are written. Everything else is derived from it: the typed values
 * (`AssumptionValues`, by name; `HardwareAssumptions`, the camelCase fields the model reads,
 * context.ts), the bit each one has in TrackedAssumptions (its row number), the presets'
 * keys (checked against the names at compile time), the spec defaults, parsing and the
 * canonical description. A new assumption is one new row.
 */

import { own } from '../own';

export type AssumptionValue = boolean | number | string;

export interface Assumption {
  name: string;
  type: 'boolean' | 'enum';
  /** For enums: the allowed values (numbers or words), the spec reading among them. */
  values?: readonly (number | string)[];
  /** The spec reading. */
  default: AssumptionValue;
  /** Where the question comes from. */
  section: string;
  /** What `true` (or the value) means, in one sentence. */
  meaning: string;
  /** Whose argument relies on which value. */
  reliedOnBy: string;
  /**
   * Open: the spec does not settle it, so a sweep varies it. Closed ones are
   * configuration (coherent, caching mode, fetch size) or settled by normative text.
   */
  open: boolean;
}

/** The table, as written (its literal types drive the derived ones below). */
export const ASSUMPTION_TABLE = [
  {
    name: 'iotlb-lookup-uses-did', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.2.4.1, Table 17 (lookup tags: Source-ID, PASID, address; DID is an invalidation tag only); QEMU vtd_iotlb_key',
    meaning: 'an IOTLB hit also requires the DID of the current PASID entry',
    reliedOnBy: 'Jason ("the IOTLB is cached by DID,PASID only") needs true; Baolu and the spec text give false',
  },
  {
    name: 'pc-inv-drops-iotlb', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.5.2.2 (pc_inv must be followed by an IOTLB inv of matching scope), §6.5.2.4',
    meaning: 'a PASID-cache invalidation also drops the IOTLB entries of that (DID, PASID)',
    reliedOnBy: 'Jason\'s sync would be complete with true; Baolu ("not inclusive") says false',
  },
  {
    name: 'pc-inv-blocks-late-fills', type: 'boolean', default: true, open: false,
    section: 'VT-d 5.10 §6.2.3.1, §6.5.2.2 (implied: an invalidation must not be undone by a fetch that preceded it; not explicit)',
    meaning: 'no PASID entry fetched from memory before a PASID-cache invalidation is cached after it completes',
    reliedOnBy: 'both positions assume true',
  },
  {
    name: 'pc-inv-waits-for-walks', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.5.2.2 (no drain obligation stated for pc_inv)',
    meaning: 'a PASID-cache invalidation completes only after walks that already read the old entry are done',
    reliedOnBy: 'Jason ("flushing the PASID table should immediately change any ATC fetches") needs true',
  },
  {
    name: 'iotlb-inv-blocks-late-fills', type: 'boolean', default: true, open: false,
    section: 'VT-d 5.10 §6.2.3.1 (pc_inv then IOTLB inv serially because in-flight requests fill the IOTLB with stale PASID-cache data; implied, not explicit)',
    meaning: 'no walk that began before an IOTLB invalidation fills the IOTLB after it completes',
    reliedOnBy: 'Baolu\'s ordering argument needs true',
  },
  {
    name: 'inv-blocks-fills-of-other-dids', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.2.3.1 (the PASID-cache-then-IOTLB serialisation is about fills tagged with what the invalidation names), Table 17 (invalidation tags DID, PGTT, PASID)',
    meaning: 'a completed PASID-cache or IOTLB invalidation also keeps walks begun before it from caching entries outside its scope (another DID or PASID); false: only fills its own scope would have removed are fenced',
    reliedOnBy: 'neither side; the earlier model had it true for every fence, which made the posted sequence look necessary on SL->FL',
  },
  {
    name: 'drain-scope', type: 'enum', values: ['none', 'processed', 'in-flight'], default: 'in-flight', open: true,
    section: 'VT-d 5.10 §6.5.4 (draining: untranslated requests already processed and queued in the root complex, at the next wait after an IOTLB/P_IOTLB invalidation; VER>=2 always), §6.6 last paragraph (cached old entries may serve requests already in flight until the invalidations complete), §6.5.2.3/§6.5.2.4',
    meaning: 'what an IOTLB or P_IOTLB invalidation fences: in-flight = every request whose translation began before it (untranslated DMA reaches memory before the next wait completes; ATS Translation Requests are answered before the invalidation completes); processed = only untranslated DMA already translated (§6.5.4 alone); none = nothing (hardware that ignores the drain)',
    reliedOnBy: 'Baolu ("the IOTLB flush serves as a synchronization barrier to ensure that in-flight translation requests are drained") states in-flight; Jason\'s strategy has no IOTLB flush, so it never triggers a drain',
  },
  {
    name: 'device-discards-racing-completions', type: 'boolean', default: true, open: true,
    section: 'PCIe 6.2 §10.3.3, §10.3.6 ("must": an outstanding Translation Request overlapping an Invalidate Request is tagged and its completion discarded)',
    meaning: 'the device discards completions of requests outstanding when an overlapping Invalidate Request arrived',
    reliedOnBy: 'Jason\'s single ATS invalidation relies on true; false models a non-compliant device',
  },
  {
    name: 'inv-may-pass-completion', type: 'boolean', default: true, open: true,
    section: 'PCIe 6.2 §10.3.6 (different TCs unordered); ordering table A5a (a posted request may pass a completion)',
    meaning: 'an Invalidate Request may overtake an earlier Translation Completion on the link',
    reliedOnBy: 'Jason\'s worry ("an ATC fetch ... can be passed by an ATC invalidation") is this being true',
  },
  {
    name: 'completion-may-pass-inv', type: 'boolean', default: false, open: false,
    section: 'PCIe ordering table D2a (a completion must not pass a posted request in the same TC, unless RO); §10.3.6 (different TCs: unordered)',
    meaning: 'a Translation Completion may overtake an earlier Invalidate Request on the link (different TCs or RO)',
    reliedOnBy: 'neither; it is closed at the same-TC reading (D2a), and a user can set it to see what relaxed ordering changes',
  },
  {
    name: 'devtlb-ordered-after-p-iotlb', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.5.2.12 (rule 3 orders dev_tlb_inv after earlier iotlb_inv and iec_inv only; rule 4 orders p_dev_tlb_inv after p_iotlb_inv); Linux cache.c cache_tag_flush_range batches P_IOTLB and dev_tlb_inv in one submission',
    meaning: 'a Device-TLB invalidation without PASID (dev_tlb_inv, used for RID_PASID) starts only after earlier P_IOTLB invalidations complete',
    reliedOnBy: 'jason-ordered\'s single [P_IOTLB, Device-TLB] submission at PASID 0 needs true, as does the kernel\'s batched flush',
  },
  {
    name: 'devtlb-after-pc-inv', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §6.5.2.12 (the ordering list does not order Device-TLB invalidations after pc_inv)',
    meaning: 'hardware executes a Device-TLB invalidation only after earlier PASID-cache invalidations complete',
    reliedOnBy: 'Jason\'s sync waits for the pc_inv before returning, so he does not need it',
  },
  {
    name: 'entry-fetch-bits', type: 'enum', values: [64, 128, 512], default: 128, open: true,
    section: 'VT-d 5.10 §6.2.3.1 (16-byte atomic writes imply 128-bit atomic reads); Linux c3b1edea3791 (hardware may fetch the entry as several 128-bit chunks)',
    meaning: 'the IOMMU reads the PASID entry in atomic chunks of this many bits; chunks of one fetch may be read at different moments',
    reliedOnBy: 'the entry_sync writer\'s 128-bit quanta rely on >= 128',
  },
  {
    name: 'entry-fetch-in-order', type: 'boolean', default: false, open: true,
    section: 'VT-d 5.10 §9.6, §6.2.3.1 (silent on the order in which the chunks of one entry fetch are read)',
    meaning: 'the chunks of one entry fetch are read in ascending order, so the chunk holding P is read first',
    reliedOnBy: 'the entry_sync breaking path (V cleared, rest written, V set with no PASID-cache invalidation between) needs true unless fetches are atomic',
  },
  {
    name: 'did-reused-after-return', type: 'boolean', default: true, open: false,
    section: 'Linux drivers/iommu/intel/iommu.c domain_detach_iommu() (ida_free of the DID once the domain leaves this IOMMU, no IOTLB flush) and domain_attach_iommu() (ida_alloc_range hands it out again); VT-d 5.10 §6.5.3.3 Table 28 ("Re-use a Domain-ID": invalidate the DID before reuse)',
    meaning: 'once the strategy returns, the old domain (and its DID) may be released and the DID given to the next domain attached to this PASID, so a stale IOTLB entry under any DID must be gone, not only one that today\'s lookups hit',
    reliedOnBy: 'matters only with iotlb-lookup-uses-did: Jason\'s "the IOTLB is cached by DID,PASID only" lets old-DID entries stay, safe only while that DID is not reused (J4\'s premise)',
  },
  {
    name: 'coherent', type: 'boolean', default: true, open: false,
    section: 'VT-d 5.10 §3.10 Table 5 (ECAP.C)',
    meaning: 'the IOMMU snoops CPU caches when reading the PASID table (no clflush needed)',
    reliedOnBy: 'both strategies clflush when false',
  },
  {
    name: 'caching-mode', type: 'boolean', default: false, open: false,
    section: 'VT-d 5.10 §6.2.2/§6.2.3 (CM=1 may cache not-present and faulting entries, PASID-cache with DID 0); §6.5.3.3 Table 28 note',
    meaning: 'CM=1 (a virtual IOMMU): not-present PASID entries may be cached and every submission is a trap',
    reliedOnBy: 'cost only (traps per update); both',
  },
  {
    name: 'device-answers-invalidations', type: 'boolean', default: true, open: false,
    section: 'PCIe 6.2 §10.3.1, §10.3.4 (a function must answer Invalidate Requests; else timeout, VT-d §6.5.2.11 ITE aborts pending waits)',
    meaning: 'the device answers every Invalidate Request with an Invalidate Completion',
    reliedOnBy: 'both; false is the termination negative control',
  },
] as const satisfies readonly Assumption[];

type Row = (typeof ASSUMPTION_TABLE)[number];

/**
 * The table for everyone else, as a plain array of rows: TypeScript before 5.2 (tslab's
 * compiler) cannot call `.filter` or `.map` on a union of differently shaped tuple
 * elements ("This expression is not callable").
 */
export const ASSUMPTIONS: readonly Assumption[] = ASSUMPTION_TABLE;

/** An assumption's name: a misspelt one is a compile error wherever a name is typed. */
export type AssumptionName = Row['name'];

/** The value type of a row: boolean, or the union of an enum's values. */
type ValueOfRow<A extends Row> = A extends { type: 'enum'; values: readonly (infer V)[] } ? V : boolean;

/** Every assumption's value, by its (kebab-case) name. */
export type AssumptionValues = { -readonly [A in Row as A['name']]: ValueOfRow<A> };

/** `iotlb-lookup-uses-did` -> `iotlbLookupUsesDid`. */
export type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** The assumptions as the model reads them: one camelCase field per row (context.ts). */
export type HardwareAssumptions = { readonly [A in Row as CamelCase<A['name']>]: ValueOfRow<A> };

/** The field name the model reads an assumption by. */
export function fieldOf<N extends AssumptionName>(name: N): CamelCase<N> {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as CamelCase<N>;
}

export const ASSUMPTION_NAMES: readonly AssumptionName[] = ASSUMPTION_TABLE.map((a) => a.name);

export type Assumptions = Readonly<Record<string, AssumptionValue>>;

/** The spec reading of every assumption, by name. */
export const SPEC_DEFAULTS: Readonly<AssumptionValues> = Object.fromEntries(ASSUMPTIONS.map((a) => [a.name, a.default])) as AssumptionValues;

/** The presets: the spec reading, and the two worlds the thread describes. */
export const PRESETS = {
  spec: {},
  // Jason, 2026-03-12 (quoted in Baolu's reply of 15 March): "the IOTLB is cached by
  // DID,PASID only" and "flushing the PASID table should immediately change any ATC fetches".
  jason: { 'iotlb-lookup-uses-did': true, 'pc-inv-waits-for-walks': true },
  // Baolu, 2026-03-15: "the IOTLB flush serves as a synchronization barrier to ensure that
  // in-flight translation requests are drained".
  baolu: { 'drain-scope': 'in-flight' },
} as const satisfies Readonly<Record<string, Readonly<Partial<AssumptionValues>>>>;

export type PresetName = keyof typeof PRESETS;

/** The presets' names, in declaration order (spec first). */
export const PRESET_NAMES: readonly PresetName[] = Object.keys(PRESETS) as PresetName[];


export class AssumptionError extends Error {
  override name = 'AssumptionError';
}

function byName(name: string): Assumption {
  const a = (ASSUMPTIONS as readonly Assumption[]).find((x) => x.name === name);
  if (!a) throw new AssumptionError(`unknown assumption '${name}' (flushlab assumptions lists them)`);
  return a;
}

function parseValue(a: Assumption, text: string): AssumptionValue {
  if (a.type === 'boolean') {
    if (text === 'true' || text === '1' || text === 'yes') return true;
    if (text === 'false' || text === '0' || text === 'no') return false;
    throw new AssumptionError(`assumption '${a.name}' is true or false, not '${text}'`);
  }
  const v = typeof a.default === 'number' ? Number(text) : text;
  if (!a.values?.includes(v)) throw new AssumptionError(`assumption '${a.name}' is one of ${a.values?.join(', ')}, not '${text}'`);
  return v;
}

/**
 * `spec`, `jason,coherent=false`, `coherent=false` (refines spec). Returns every
 * assumption's value, defaults filled in.
 */
export function resolveAssumptions(text = 'spec'): AssumptionValues {
  const values: Record<string, AssumptionValue> = { ...SPEC_DEFAULTS };
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      const preset = own(PRESETS, part);
      if (!preset) throw new AssumptionError(`unknown preset '${part}' (presets: ${Object.keys(PRESETS).join(', ')})`);
      if (i !== 0) throw new AssumptionError(`preset '${part}' must come first`);
      Object.assign(values, preset);
      return;
    }
    const name = part.slice(0, eq).trim();
    values[name] = parseValue(byName(name), part.slice(eq + 1).trim());
  });
  return values as AssumptionValues;
}

/** The canonical text of a resolved set: preset-free, only values that differ from spec. */
export function describeAssumptions(values: Assumptions): string {
  const diff = ASSUMPTIONS.filter((a) => values[a.name] !== a.default).map((a) => `${a.name}=${String(values[a.name])}`);
  return diff.length ? diff.join(',') : 'spec';
}

export function flag(values: Assumptions, name: string): boolean {
  const v = values[name];
  if (typeof v !== 'boolean') throw new AssumptionError(`assumption '${name}' is not a boolean`);
  return v;
}
