/**
 * SMMUv3 strategies as data, in the shape of VT-d's (../strategies.ts): which writer, what
 * each writer sync does by how V changed (the keys are VT-d's P1->P1 ... with V for P),
 * what runs before and after. A submission's `descriptors` here are command templates;
 * `wait: 'poll'` appends a CMD_SYNC and spins on its completion, as
 * arm_smmu_cmdq_issue_cmdlist(..., sync=true) does (arm_smmu_cmdq_poll_until_sync).
 */
import { own } from '../../own';
import { StrategyError, type PresenceChange } from '../strategies';

/** Which configuration's tags a TLBI names: before the writer, after it, or at the previous sync. */
export type TagRef = 'old' | 'new' | 'previous';

export type CommandTemplate =
  /** The configuration invalidation of the structure the writer is writing (its ops->sync). */
  | { type: 'cfgi' }
  | { type: 'cfgi_ste' }
  | { type: 'cfgi_cd' }
  /** TLB invalidation by a configuration's tag: CMD_TLBI_NH_ASID for S1/nested, CMD_TLBI_S12_VMALL for S2. */
  | { type: 'tlbi'; tag: TagRef }
  /** CMD_TLBI_NSNH_ALL: every non-secure non-hyp entry. */
  | { type: 'tlbi_all' }
  /** CMD_ATC_INV for the scenario's SID (and SSID), whole address range. */
  | { type: 'atc_inv' };

export interface SmmuAction {
  do: 'submit';
  descriptors: CommandTemplate[];
  wait: 'poll' | 'none';
}

export interface SmmuStrategy {
  name: string;
  arch: 'smmuv3';
  description: string;
  source: string;
  /** `entry_sync`: arm_smmu_write_entry; `struct-copy`: the qwords stored in order, one sync (negative control). */
  writer: 'entry_sync' | 'struct-copy';
  sync: Partial<Record<PresenceChange, SmmuAction[]>>;
  before?: SmmuAction[];
  after: SmmuAction[];
}

const synced = (...descriptors: CommandTemplate[]): SmmuAction => ({ do: 'submit', descriptors, wait: 'poll' });
const every = (a: SmmuAction[]): Partial<Record<PresenceChange, SmmuAction[]>> => ({ 'P1->P1': a, 'P1->P0': a, 'P0->P1': a, 'P0->P0': a });
const cfgiSync = every([synced({ type: 'cfgi' })]);
const DRIVER = 'Linux drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c';

export const SMMU_STRATEGIES: Readonly<Record<string, SmmuStrategy>> = {
  linux: {
    name: 'linux', arch: 'smmuv3',
    description: 'the driver: each writer sync is CFGI_STE/CD + CMD_SYNC; one CMD_ATC_INV + CMD_SYNC after the update',
    source: `${DRIVER}: arm_smmu_write_entry() with arm_smmu_ste_writer_sync_entry() / arm_smmu_cd_writer_sync_entry() (CFGI + sync), then arm_smmu_attach_commit() / arm_smmu_blocking_set_dev_pasid() (one ATC invalidation, "translation has changed, flush the ATC"); no TLBI (docs/model-smmuv3.md#strategies)`,
    writer: 'entry_sync',
    sync: cfgiSync,
    after: [synced({ type: 'atc_inv' })],
  },
  jason: {
    name: 'jason', arch: 'smmuv3',
    description: 'VT-d jason translated: PC inv -> CFGI of the written structure, Device-TLB inv -> ATC_INV; every sync waited (CMD_SYNC)',
    source: 'Jason Gunthorpe, 2026-03-12, his VT-d sequence (clflush + PASID-cache invalidation per sync, "only one ATS flush after the new entry is installed") in SMMUv3 commands; SMMUv3 configuration caches are invalidated by StreamID/SSID, so the DID it names has no counterpart: the same commands as linux',
    writer: 'entry_sync',
    sync: cfgiSync,
    after: [synced({ type: 'atc_inv' })],
  },
  baolu: {
    name: 'baolu', arch: 'smmuv3',
    description: 'VT-d baolu translated: CFGI + SYNC per sync; after: TLBI of the old tag + SYNC, then ATC_INV + SYNC',
    source: 'Baolu Lu, 2026-03-15, "IOTLB -> Wait Descriptor -> ATC" in SMMUv3 commands; the driver\'s own order for TLB then ATC (arm_smmu_atc_inv_domain(): after "TLBI+SYNC")',
    writer: 'entry_sync',
    sync: cfgiSync,
    after: [synced({ type: 'tlbi', tag: 'old' }), synced({ type: 'atc_inv' })],
  },
  'jason-ordered': {
    name: 'jason-ordered', arch: 'smmuv3',
    description: 'baolu with TLBI and ATC_INV in one submission, one CMD_SYNC after both',
    source: 'Jason Gunthorpe, 2026-03-12 ("you may need IOTLB invalidations not to manage coherence but to manage ordering"), in SMMUv3 commands',
    writer: 'entry_sync',
    sync: cfgiSync,
    after: [synced({ type: 'tlbi', tag: 'old' }, { type: 'atc_inv' })],
  },
  'no-atc': {
    name: 'no-atc', arch: 'smmuv3',
    description: 'negative control: linux without the ATC invalidation',
    source: 'negative control',
    writer: 'entry_sync',
    sync: cfgiSync,
    after: [],
  },
  'no-flush': {
    name: 'no-flush', arch: 'smmuv3',
    description: 'negative control: the writer\'s stores, no command at all',
    source: 'negative control',
    writer: 'entry_sync',
    sync: {},
    after: [],
  },
  'struct-copy': {
    name: 'struct-copy', arch: 'smmuv3',
    description: 'negative control: the qwords stored in order while V=1, one CFGI + SYNC, then ATC_INV + SYNC',
    source: 'negative control (what arm_smmu_write_entry exists to avoid)',
    writer: 'struct-copy',
    sync: cfgiSync,
    after: [synced({ type: 'atc_inv' })],
  },
};

export function smmuStrategyNames(): string[] {
  return Object.keys(SMMU_STRATEGIES);
}

export function getSmmuStrategy(name: string): SmmuStrategy {
  const s = own(SMMU_STRATEGIES, name);
  if (!s) throw new StrategyError(`unknown strategy '${name}' for --arch smmuv3 (strategies: ${smmuStrategyNames().join(', ')})`);
  return s;
}

const TYPES = ['cfgi', 'cfgi_ste', 'cfgi_cd', 'tlbi', 'tlbi_all', 'atc_inv'];
const TAGS: readonly TagRef[] = ['old', 'new', 'previous'];
const CHANGES = ['P1->P1', 'P1->P0', 'P0->P1', 'P0->P0'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks an SMMUv3 strategy written by hand (a scenario file); names the problem and where. */
export function validateSmmuStrategy(value: unknown): SmmuStrategy {
  const fail = (m: string, path: (string | number)[] = []): never => {
    const e = new StrategyError(`strategy: ${m}`);
    e.path = path;
    throw e;
  };
  if (!isRecord(value)) fail('must be an object');
  const s = value as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!['name', 'arch', 'description', 'source', 'writer', 'sync', 'before', 'after'].includes(k)) fail(`unknown key '${k}'`, [k]);
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name)) fail('name must be lower-case letters, digits and dashes', ['name']);
  if (s.writer !== 'entry_sync' && s.writer !== 'struct-copy') fail("writer must be 'entry_sync' or 'struct-copy'", ['writer']);
  let total = 0;
  const actions = (where: string, list: unknown, path: (string | number)[]): void => {
    if (!Array.isArray(list) || list.length > 16) fail(`${where} must be a list of at most 16 actions`, path);
    (list as unknown[]).forEach((a, i) => {
      const at = [...path, i];
      if (!isRecord(a) || a.do !== 'submit') fail(`${where}[${i}]: 'do' must be 'submit' (SMMUv3 tables are not flushed from the CPU cache)`, at);
      const act = a as Record<string, unknown>;
      if (act.wait !== 'poll' && act.wait !== 'none') fail(`${where}[${i}]: wait must be 'poll' or 'none'`, [...at, 'wait']);
      if (!Array.isArray(act.descriptors) || act.descriptors.length === 0 || act.descriptors.length > 16) fail(`${where}[${i}]: descriptors must be a list of 1 to 16 commands`, [...at, 'descriptors']);
      total += (act.descriptors as unknown[]).length;
      if (total > 64) fail('more than 64 commands in all', [...at, 'descriptors']);
      (act.descriptors as unknown[]).forEach((d, j) => {
        const dat = [...at, 'descriptors', j];
        if (!isRecord(d) || !TYPES.includes(String(d.type))) fail(`${where}[${i}]: a command is one of ${TYPES.join(', ')}`, dat);
        const c = d as Record<string, unknown>;
        if (c.type === 'tlbi' ? !TAGS.includes(c.tag as TagRef) : 'tag' in c) fail(`${where}[${i}] ${String(c.type)}: ${c.type === 'tlbi' ? "tag must be 'old', 'new' or 'previous'" : 'takes no tag'}`, [...dat, 'tag']);
        for (const k of Object.keys(c)) if (k !== 'type' && k !== 'tag') fail(`${where}[${i}] ${String(c.type)}: unknown key '${k}'`, [...dat, k]);
      });
    });
  };
  if (!isRecord(s.sync)) fail('sync must be a mapping keyed by P1->P1, P1->P0, P0->P1, P0->P0 (V before -> V after)', ['sync']);
  for (const [k, v] of Object.entries(s.sync as object)) {
    if (!CHANGES.includes(k)) fail(`sync key '${k}' is not one of ${CHANGES.join(', ')}`, ['sync', k]);
    actions(`sync.${k}`, v, ['sync', k]);
  }
  if (s.before !== undefined) actions('before', s.before, ['before']);
  actions('after', s.after, ['after']);
  return { description: '', source: 'user', ...s, arch: 'smmuv3' } as SmmuStrategy;
}
