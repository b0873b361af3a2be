/**
 * The SMMUv3 model's assumptions: every question IHI 0070 leaves open for this model, one
 * row each, in the same row shape as VT-d's table (../assumptions.ts), default the spec
 * reading (docs/model-smmuv3.md#named-assumptions). The PCIe questions (the link's ordering,
 * the device's discard and answers) are the same facts on both architectures: they are
 * not declared again here but taken by name from VT-d's table, so each fact has one row.
 *
 * Revision followed: Arm IHI 0070 G.b, "Arm System Memory Management Unit Architecture
 * Specification, SMMU architecture version 3".
 */
import { own } from '../../own';
import { ASSUMPTIONS, AssumptionError, type Assumption, type AssumptionValue } from '../assumptions';

export const SMMU_ASSUMPTION_TABLE = [
  {
    name: 'cmdq-in-order', type: 'boolean', default: false, open: true,
    section: 'IHI 0070 G.b §4.7.3 (CMD_SYNC: the completion of the commands before it is what CMD_SYNC observes); §4.1 (no completion order stated between other commands)',
    meaning: 'commands between two CMD_SYNCs take effect in queue order; false: in any order, only a CMD_SYNC waits for those ahead of it',
    reliedOnBy: 'a single submission [TLBI, ATC_INV] + SYNC (jason-ordered) needs true; the driver puts a CMD_SYNC between them (arm_smmu_atc_inv_domain comment "TLBI+SYNC")',
  },
  {
    name: 'cfgi-sync-completes-translations', type: 'boolean', default: true, open: true,
    section: 'IHI 0070 G.b §3.21.3 (configuration invalidation completion), §4.7.3 (CMD_SYNC)',
    meaning: 'a CMD_SYNC after a CMD_CFGI_* completes only once the translations under way that read the invalidated configuration are complete (ATS requests answered, DMA reached memory)',
    reliedOnBy: 'Jason ("flushing the PASID table should immediately change any ATC fetches") and the driver\'s writer (CFGI + SYNC per sync, arm_smmu_write_entry) rely on true',
  },
  {
    name: 'tlbi-sync-completes-translations', type: 'boolean', default: true, open: true,
    section: 'IHI 0070 G.b §3.21.1 (translation tables and TLB invalidation completion behavior), §4.7.3 (CMD_SYNC)',
    meaning: 'a CMD_SYNC after a CMD_TLBI_* completes only once the translations under way that may have used an invalidated entry are complete',
    reliedOnBy: 'Baolu\'s "IOTLB -> Wait -> ATC" translated; the driver\'s unmap (arm_smmu_iotlb_sync: TLBI + CMD_SYNC before the pages are freed) relies on true',
  },
  {
    name: 'cfgi-blocks-late-fills', type: 'boolean', default: true, open: false,
    section: 'IHI 0070 G.b §3.21.3 (implied: an invalidation a racing fetch could undo would be useless; not explicit)',
    meaning: 'no STE or CD fetched before a CMD_CFGI_* of it completed is cached after',
    reliedOnBy: 'every strategy; as pc-inv-blocks-late-fills on VT-d',
  },
  {
    name: 'tlbi-blocks-late-fills', type: 'boolean', default: true, open: false,
    section: 'IHI 0070 G.b §3.21.1 (implied, as above)',
    meaning: 'no walk that began before a CMD_TLBI_* completed fills the TLB within its scope after',
    reliedOnBy: 'every strategy with a TLBI; as iotlb-inv-blocks-late-fills on VT-d',
  },
  {
    name: 'config-fetch-in-order', type: 'boolean', default: false, open: true,
    section: 'IHI 0070 G.b §3.21.3 (STE and CD reads are 64-bit single-copy atomic; the order of the qwords of one structure is not stated; the pre-writer driver: "CD words may be read in any order")',
    meaning: 'the qwords of one STE or CD fetch are read in ascending order',
    reliedOnBy: 'nobody; the writer (arm_smmu_write_entry) assumes any order',
  },
  {
    name: 'old-tag-flushed-before-reuse', type: 'boolean', default: true, open: false,
    section: 'Linux drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_domain_free_paging() -> free_io_pgtable_ops() -> tlb_flush_all (arm_smmu_tlb_inv_context: TLBI by ASID/VMID + CMD_SYNC) before the ASID/VMID is freed',
    meaning: 'a TLB entry under the old ASID/VMID is flushed before that ASID/VMID is given to another domain, so after the strategy returns only entries under the current tags can be hit',
    reliedOnBy: 'every SMMUv3 strategy without a TLBI (the driver\'s, Jason\'s); false: the VT-d did-reused-after-return world',
  },
] as const satisfies readonly Assumption[];

/** The PCIe facts, declared once in VT-d's table (PCIe 6.2 §10.3, ordering table), shared here. */
export const SHARED_LINK_ASSUMPTIONS = [
  'device-discards-racing-completions', 'inv-may-pass-completion', 'completion-may-pass-inv', 'device-answers-invalidations',
] as const;

/** Every row the SMMUv3 model reads: its own, then the shared PCIe rows (from VT-d's table). */
export const SMMU_ASSUMPTIONS: readonly Assumption[] = [
  ...SMMU_ASSUMPTION_TABLE,
  ...SHARED_LINK_ASSUMPTIONS.map((n) => ASSUMPTIONS.find((a) => a.name === n)!),
];

export const SMMU_OPEN_ASSUMPTIONS: readonly string[] = SMMU_ASSUMPTIONS.filter((a) => a.open).map((a) => a.name);

/** The spec reading of every SMMUv3 assumption, by name. */
export const SMMU_SPEC_DEFAULTS: Readonly<Record<string, AssumptionValue>> = Object.fromEntries(SMMU_ASSUMPTIONS.map((a) => [a.name, a.default]));

/**
 * Presets. `jason` is VT-d's `jason` preset (../assumptions.ts PRESETS) transposed: of his two
 * premises, "the IOTLB is cached by DID,PASID only" is no assumption here but the
 * architecture (the TLB is looked up with the ASID/VMID of the configuration in force, IHI
 * 0070 G.b §3.17), and "flushing the PASID table should immediately change any ATC
 * fetches" is `cfgi-sync-completes-translations`, whose spec reading is true: on SMMUv3 his
 * reading is the spec's (docs/model-smmuv3.md#presets). VT-d's `baolu` preset is not
 * transposed (its drain would read as `tlbi-sync-completes-translations`, true already).
 */
export const SMMU_PRESETS: Readonly<Record<string, Readonly<Record<string, AssumptionValue>>>> = {
  spec: {},
  jason: { 'cfgi-sync-completes-translations': true },
};

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

/** `spec`, `spec,cmdq-in-order=true`, `cmdq-in-order=true`: the same grammar as VT-d's. */
export function resolveSmmuAssumptions(text = 'spec'): Record<string, AssumptionValue> {
  const values: Record<string, AssumptionValue> = { ...SMMU_SPEC_DEFAULTS };
  text.split(',').map((p) => p.trim()).filter((p) => p.length > 0).forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      const preset = own(SMMU_PRESETS, part);
      if (!preset) throw new AssumptionError(`unknown preset '${part}' for --arch smmuv3 (presets: ${Object.keys(SMMU_PRESETS).join(', ')})`);
      if (i !== 0) throw new AssumptionError(`preset '${part}' must come first`);
      Object.assign(values, preset);
      return;
    }
    const name = part.slice(0, eq).trim();
    const row = SMMU_ASSUMPTIONS.find((a) => a.name === name);
    if (!row) throw new AssumptionError(`unknown assumption '${name}' for --arch smmuv3 (flushlab assumptions --arch smmuv3 lists them)`);
    values[name] = parseValue(row, part.slice(eq + 1).trim());
  });
  return values;
}

/** Only the values that differ from the spec reading, or `spec`. */
export function describeSmmuAssumptions(values: Readonly<Record<string, AssumptionValue>>): string {
  const diff = SMMU_ASSUMPTIONS.filter((a) => values[a.name] !== a.default).map((a) => `${a.name}=${String(values[a.name])}`);
  return diff.length ? diff.join(',') : 'spec';
}

/**
 * The assumptions as the SMMUv3 parts read them. `iotlbLookupUsesDid` is no assumption
 * here but the architecture: a TLB lookup uses the ASID/VMID of the configuration the
 * translation found (IHI 0070 G.b §3.17); the shared device part reads it for its trace.
 * Each read is recorded (`consulted`), as VT-d's TrackedAssumptions does (../context.ts):
 * a sweep reuses a row's answer for rows that agree on what its check read.
 */
export interface SmmuHw {
  readonly cmdqInOrder: boolean;
  readonly cfgiSyncCompletesTranslations: boolean;
  readonly tlbiSyncCompletesTranslations: boolean;
  readonly cfgiBlocksLateFills: boolean;
  readonly tlbiBlocksLateFills: boolean;
  readonly configFetchInOrder: boolean;
  readonly oldTagFlushedBeforeReuse: boolean;
  readonly deviceDiscardsRacingCompletions: boolean;
  readonly invMayPassCompletion: boolean;
  readonly completionMayPassInv: boolean;
  readonly deviceAnswersInvalidations: boolean;
  readonly iotlbLookupUsesDid: true;
  /** Names of the assumptions read so far, in SMMU_ASSUMPTIONS order. */
  consulted(): string[];
}

type SmmuField = Exclude<keyof SmmuHw, 'iotlbLookupUsesDid' | 'consulted'>;

/** Each field and the row it reads, in SMMU_ASSUMPTIONS order. */
const SMMU_FIELDS: readonly (readonly [SmmuField, string])[] = [
  ['cmdqInOrder', 'cmdq-in-order'],
  ['cfgiSyncCompletesTranslations', 'cfgi-sync-completes-translations'],
  ['tlbiSyncCompletesTranslations', 'tlbi-sync-completes-translations'],
  ['cfgiBlocksLateFills', 'cfgi-blocks-late-fills'],
  ['tlbiBlocksLateFills', 'tlbi-blocks-late-fills'],
  ['configFetchInOrder', 'config-fetch-in-order'],
  ['oldTagFlushedBeforeReuse', 'old-tag-flushed-before-reuse'],
  ['deviceDiscardsRacingCompletions', 'device-discards-racing-completions'],
  ['invMayPassCompletion', 'inv-may-pass-completion'],
  ['completionMayPassInv', 'completion-may-pass-inv'],
  ['deviceAnswersInvalidations', 'device-answers-invalidations'],
];

export function readSmmuAssumptions(v: Readonly<Record<string, AssumptionValue>>): SmmuHw {
  const b = (name: string): boolean => {
    const x = v[name];
    if (typeof x !== 'boolean') throw new AssumptionError(`assumption '${name}' is not a boolean`);
    return x;
  };
  const values = SMMU_FIELDS.map(([, name]) => b(name));
  let read = 0;
  const hw = {
    iotlbLookupUsesDid: true as const,
    consulted: (): string[] => SMMU_FIELDS.filter((_, i) => (read & (1 << i)) !== 0).map(([, name]) => name),
  };
  SMMU_FIELDS.forEach(([field], i) => Object.defineProperty(hw, field, {
    get() { read |= 1 << i; return values[i]; },
    enumerable: true,
  }));
  return hw as SmmuHw;
}
