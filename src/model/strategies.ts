/**
 * Invalidation strategies as data: a notebook cell can print one, copy it, change a step
 * and check the result. A strategy says which writer performs the stores, what each writer
 * sync does (depending on how P changed since the previous sync, as the posted
 * `intel_pasid_sync` does), and what runs once after the writer returns.
 */

import { own } from '../own';

/**
 * Which DID a descriptor names (cached entries are found for invalidation by the DID they
 * were filled under, VT-d 5.10 §6.2.3, §6.2.4, Table 17):
 * - `old`: the DID of the entry before the writer ran;
 * - `new`: the DID of the entry the writer installs;
 * - `previous`: the DID the entry had at the previous sync point (before the writer, for the
 *   first sync; at the last sync, in `after`), i.e. what an entry the hardware cached before
 *   this sync's stores carries; 0 when that entry was not present, since only caching mode
 *   caches a not-present entry, and tags it with DID 0 (§6.2.3; docs/model.md#pasid-cache).
 *   After a P0->P1 step it is the new DID. Jason's "each invalidation names what the cached
 *   entries can carry" (docs/thread.md#j1).
 */
export type DidRef = 'old' | 'new' | 'previous';

export const DID_REFS: readonly DidRef[] = ['old', 'new', 'previous'];

/** A descriptor as a strategy writes it; compiled to a real descriptor per scenario. */
export type DescriptorTemplate =
  | { type: 'pc_inv'; granularity: 'pasid' | 'domain' | 'global'; did: DidRef }
  | { type: 'p_iotlb_inv'; granularity: 'pasid'; did: DidRef }
  | { type: 'iotlb_inv'; granularity: 'domain' | 'global'; did: DidRef }
  /** Kernel teardown (docs/kernel.md#teardown step 4): P_IOTLB for PT/FL, domain-selective IOTLB for SL/nested, by the old PGTT. */
  | { type: 'iotlb_by_pgtt'; did: DidRef }
  /** Kernel `devtlb_invalidation_with_pasid` (docs/kernel.md#teardown step 5): dev_tlb_inv for RID_PASID, else p_dev_tlb_inv; whole range. */
  | { type: 'devtlb' }
  | { type: 'inv_wait'; fn: boolean };

/** Only when the IOMMU does not snoop (ECAP.C=0), or only under caching mode. */
export type Condition = 'not-coherent' | 'caching-mode';

export type Action =
  | { do: 'clflush'; when?: Condition }
  /**
   * One submission (one tail-register write). `wait: 'poll'` appends a wait descriptor
   * (SW=1, FN=0) and spins on its status, as `qi_submit_sync` does (docs/kernel.md#qi-submit-sync);
   * `wait: 'none'` returns at once.
   */
  | { do: 'submit'; descriptors: DescriptorTemplate[]; wait: 'poll' | 'none'; when?: Condition };

export type PresenceChange = 'P1->P1' | 'P1->P0' | 'P0->P1' | 'P0->P0';

export interface Strategy {
  name: string;
  description: string;
  /**
   * Where it comes from (thread, kernel source, spec table): for a position of the thread,
   * who and when, and the words it rests on.
   */
  source: string;
  /**
   * `entry_sync`: the hitless writer of patch 2/8 (hitless when one quantum is critical,
   * else V cleared first). `clear-then-write`: today's upstream replace (docs/kernel.md#replace):
   * clear P, sync, write the new entry with P=0, set P, sync. `struct-copy`: the removed
   * replace helpers' `*pte = new_pte` (quanta stored in address order while P=1), one sync.
   */
  writer: 'entry_sync' | 'clear-then-write' | 'struct-copy';
  /** What one writer sync does, by how P changed since the previous sync. */
  sync: Partial<Record<PresenceChange, Action[]>>;
  /**
   * Runs once before the writer's first store (optional): e.g. Table 28's "Re-use a
   * Domain-ID" row, which invalidates a DID before an entry starts using it again.
   */
  before?: Action[];
  /** Runs once after the writer returns; then the strategy returns. */
  after: Action[];
}

const clflush: Action = { do: 'clflush', when: 'not-coherent' };
const waited = (...descriptors: DescriptorTemplate[]): Action => ({ do: 'submit', descriptors, wait: 'poll' });
const pcOld: DescriptorTemplate = { type: 'pc_inv', granularity: 'pasid', did: 'old' };
const pIotlbOld: DescriptorTemplate = { type: 'p_iotlb_inv', granularity: 'pasid', did: 'old' };
const devtlb: DescriptorTemplate = { type: 'devtlb' };
/** `pasid_flush_caches` (docs/kernel.md#setup): only under caching mode, PC + P_IOTLB for the new DID. */
const setupFlush: Action[] = [
  clflush,
  { do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'new' }], wait: 'poll', when: 'caching-mode' },
  { do: 'submit', descriptors: [{ type: 'p_iotlb_inv', granularity: 'pasid', did: 'new' }], wait: 'poll', when: 'caching-mode' },
];
/** `intel_pasid_flush_present` (docs/kernel.md#flush-present): PC, P_IOTLB, Device-TLB, each its own wait. */
const flushPresent: Action[] = [clflush, waited(pcOld), waited(pIotlbOld), waited(devtlb)];
/** Teardown (docs/kernel.md#teardown steps 2-5): PC, IOTLB by old PGTT, Device-TLB, each waited. */
const flushTeardown: Action[] = [clflush, waited(pcOld), waited({ type: 'iotlb_by_pgtt', did: 'old' }), waited(devtlb)];

/**
 * J1 at every sync, P0->P0 included (Jason, 2026-03-12: "Yes" to "clflush (if non-coherent)"
 * and "PASID cache invalidation to force the hardware to re-read the entry"), naming the DID
 * cached entries can carry at that point (DidRef `previous`).
 */
function jasonSync(): Partial<Record<PresenceChange, Action[]>> {
  const s: Action[] = [clflush, waited({ type: 'pc_inv', granularity: 'pasid', did: 'previous' })];
  return { 'P1->P1': s, 'P1->P0': s, 'P0->P1': s, 'P0->P0': s };
}

/** The posted sync (docs/kernel.md#posted-sync), by how P changed. */
const postedSync: Partial<Record<PresenceChange, Action[]>> = {
  'P1->P1': flushPresent, 'P1->P0': flushTeardown, 'P0->P1': setupFlush, 'P0->P0': [clflush],
};

/** The posted sync with its Device-TLB invalidations taken out (Baolu's agreement of 15 March). */
const postedSyncWithoutDevtlb: Partial<Record<PresenceChange, Action[]>> = {
  'P1->P1': [clflush, waited(pcOld), waited(pIotlbOld)],
  'P1->P0': [clflush, waited(pcOld), waited({ type: 'iotlb_by_pgtt', did: 'old' })],
  'P0->P1': setupFlush,
  'P0->P0': [clflush],
};

/**
 * Baolu's sync as he listed it on 12 March (and Jason answered "Yes"): clflush and a
 * PASID-cache invalidation, with the DIDs the posted sync names (old for a live entry, the
 * setup flush's new DID under caching mode).
 */
const baoluSync: Partial<Record<PresenceChange, Action[]>> = {
  'P1->P1': [clflush, waited(pcOld)],
  'P1->P0': [clflush, waited(pcOld)],
  'P0->P1': [clflush, { do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'new' }], wait: 'poll', when: 'caching-mode' }],
  'P0->P0': [clflush],
};

const BAOLU_0315 = 'Baolu Lu, 2026-03-15';
const JASON_0312 = 'Jason Gunthorpe, 2026-03-12';

export const STRATEGIES: Readonly<Record<string, Strategy>> = {
  'posted-v1': {
    name: 'posted-v1',
    description: 'the patch as posted: PC + IOTLB + Device-TLB, each waited, in every live sync',
    source: 'Baolu Lu, March 2026: [PATCH 2/8] intel_pasid_sync (docs/kernel.md#posted-sync); history since 2026-03-15',
    writer: 'entry_sync',
    sync: postedSync,
    after: [],
  },
  baolu: {
    name: 'baolu',
    description: 'sync = clflush + PC inv + wait; after the writer: P_IOTLB, wait, Device-TLB, wait',
    source: `${BAOLU_0315}: "I will move the devtlb_invalidation_with_pasid() calls outside of the entry_sync system, right after the call to the writer returns" and "IOTLB -> Wait Descriptor -> ATC"; the sync as he listed it: "clflush (if non-coherent)", "PASID cache invalidation"`,
    writer: 'entry_sync',
    sync: baoluSync,
    after: [waited(pIotlbOld), waited(devtlb)],
  },
  'baolu-every-sync': {
    name: 'baolu-every-sync',
    description: 'posted-v1 with the Device-TLB inv moved after the writer; IOTLB stays per sync',
    source: `${BAOLU_0315}, the other reading: only "the devtlb_invalidation_with_pasid() calls" move, "right after the call to the writer returns"; the IOTLB flush stays in each sync, "IOTLB -> Wait Descriptor -> ATC"`,
    writer: 'entry_sync',
    sync: postedSyncWithoutDevtlb,
    after: [waited(devtlb)],
  },
  jason: {
    name: 'jason',
    description: 'sync = clflush + PC inv + wait; one Device-TLB inv + wait after; every sync, P0->P0 too, names the DID cached then',
    source: `${JASON_0312}: "Yes" (clflush + PASID cache invalidation in the sync); "There should be only one ATS flush after the new entry is installed"; judged where "the new PASID entry has a DID,PASID which is already coherent in the IOTLB"`,
    writer: 'entry_sync',
    sync: jasonSync(),
    after: [waited(devtlb)],
  },
  'jason-ordered': {
    name: 'jason-ordered',
    description: 'jason, plus a P_IOTLB (old DID) ahead of the Device-TLB inv in one submission',
    source: `${JASON_0312}: "you may need IOTLB invalidations not to manage coherence but to manage ordering"`,
    writer: 'entry_sync',
    sync: jasonSync(),
    after: [waited(pIotlbOld, devtlb)],
  },
  'jason-ordered-waited': {
    name: 'jason-ordered-waited',
    description: 'jason-ordered with a wait between the P_IOTLB and the Device-TLB inv',
    source: `${JASON_0312} (J6) with ${BAOLU_0315}: "IOTLB -> Wait Descriptor -> ATC"`,
    writer: 'entry_sync',
    sync: jasonSync(),
    after: [waited(pIotlbOld), waited(devtlb)],
  },
  table28: {
    name: 'table28',
    description: 'write the entry (clflush per sync), then Table 28 once: PC, P_IOTLB, Device-TLB',
    source: 'VT-d 5.10 §6.5.3.3 Table 28 (PASID entry, fields other than SSADE/P)',
    writer: 'entry_sync',
    sync: { 'P1->P1': [clflush], 'P1->P0': [clflush], 'P0->P1': [clflush], 'P0->P0': [clflush] },
    after: [waited(pcOld), waited(pIotlbOld), waited(devtlb)],
  },
  'teardown-setup': {
    name: 'teardown-setup',
    description: 'upstream replace today: clear P, PC, IOTLB, Device-TLB, rewrite, set P',
    source: 'Linux 75ed00055c05 + c3b1edea3791 (docs/kernel.md#replace)',
    writer: 'clear-then-write',
    sync: { 'P1->P0': flushTeardown, 'P0->P1': setupFlush, 'P0->P0': [clflush], 'P1->P1': flushPresent },
    after: [],
  },
  'copy-flush-present': {
    name: 'copy-flush-present',
    description: 'removed 2024 replace helpers: struct copy while P=1, then PC + P_IOTLB + Device-TLB',
    source: 'intel_pasid_replace_* + intel_pasid_flush_present, removed by Linux c3b1edea3791 (docs/kernel.md#removed-replace-helpers)',
    writer: 'struct-copy',
    sync: { 'P1->P1': flushPresent, 'P1->P0': flushTeardown, 'P0->P1': setupFlush, 'P0->P0': [clflush] },
    after: [],
  },
  'table28-reuse-did': {
    name: 'table28-reuse-did',
    description: 'Table 28\'s re-use-Domain-ID row for the new DID before the write, then table28 for the old one',
    source: 'VT-d 5.10 §6.5.3.3 Table 28 (PASID entry change; "Re-use a Domain-ID": domain-selective PASID-cache and IOTLB invalidation, then Device-TLB)',
    writer: 'entry_sync',
    sync: { 'P1->P1': [clflush], 'P1->P0': [clflush], 'P0->P1': [clflush], 'P0->P0': [clflush] },
    // The incoming DID first, before the entry uses it; then the present-entry row for the old one.
    before: [waited({ type: 'pc_inv', granularity: 'domain', did: 'new' }), waited({ type: 'iotlb_inv', granularity: 'domain', did: 'new' }), waited(devtlb)],
    after: [waited(pcOld), waited(pIotlbOld), waited(devtlb)],
  },
  'no-devtlb': {
    name: 'no-devtlb',
    description: 'negative control: table28 without the Device-TLB invalidation',
    source: 'negative control',
    writer: 'entry_sync',
    sync: { 'P1->P1': [clflush], 'P1->P0': [clflush], 'P0->P1': [clflush], 'P0->P0': [clflush] },
    after: [waited(pcOld), waited(pIotlbOld)],
  },
  'no-flush': {
    name: 'no-flush',
    description: 'negative control: write the entry (clflush per sync), no invalidation at all',
    source: 'negative control',
    writer: 'entry_sync',
    sync: { 'P1->P1': [clflush], 'P1->P0': [clflush], 'P0->P1': [clflush], 'P0->P0': [clflush] },
    after: [],
  },
};

export function strategyNames(): string[] {
  return Object.keys(STRATEGIES);
}

export class StrategyError extends Error {
  override name = 'StrategyError';
  /** Where in the strategy value (keys and indexes), when known: a file names its line. */
  path?: (string | number)[];
}

export function getStrategy(name: string): Strategy {
  const s = own(STRATEGIES, name);
  if (!s) throw new StrategyError(`unknown strategy '${name}' (strategies: ${strategyNames().join(', ')})`);
  return s;
}

const TEMPLATE_TYPES = ['pc_inv', 'p_iotlb_inv', 'iotlb_inv', 'iotlb_by_pgtt', 'devtlb', 'inv_wait'];

/**
 * How much a hand-written strategy may hold. Every descriptor is a queue entry the model
 * carries in its state and may complete in its own step, so the work per state grows with
 * the square of the descriptors in flight (5,000 took seconds per state). The strategies
 * of the thread use at most 4 actions per list and 3 descriptors per submission; these
 * limits leave ample room for experiments and keep one state's work small.
 */
export const STRATEGY_LIMITS = { descriptorsPerSubmission: 16, actionsPerList: 16, descriptors: 64 } as const;

/** Granularities each descriptor type takes (VT-d 5.10 §6.5.2.4-6.5.2.6, as program.ts builds them). */
const GRANULARITIES: Readonly<Record<string, readonly string[]>> = {
  pc_inv: ['pasid', 'domain', 'global'],
  p_iotlb_inv: ['pasid'],
  iotlb_inv: ['domain', 'global'],
};
const NEEDS_DID = ['pc_inv', 'p_iotlb_inv', 'iotlb_inv', 'iotlb_by_pgtt'];
const CONDITIONS = ['not-coherent', 'caching-mode'];
const STRATEGY_KEYS = ['name', 'description', 'source', 'writer', 'sync', 'before', 'after'];
const ACTION_KEYS = ['do', 'when', 'descriptors', 'wait'];
const DESCRIPTOR_KEYS = ['type', 'granularity', 'did', 'fn'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a strategy written by hand (a notebook cell, a scenario file); names the problem,
 * and where it is (StrategyError.path), so that a file can name its line.
 */
export function validateStrategy(value: unknown): Strategy {
  const fail = (m: string, path: (string | number)[] = []): never => {
    const e = new StrategyError(`strategy: ${m}`);
    e.path = path;
    throw e;
  };
  const onlyKeys = (o: Record<string, unknown>, keys: readonly string[], where: string, path: (string | number)[]): void => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${where}unknown key '${k}' (keys: ${keys.join(', ')})`, [...path, k]);
  };
  if (!isRecord(value)) fail('must be an object');
  const s = value as Partial<Strategy> & Record<string, unknown>;
  onlyKeys(s, STRATEGY_KEYS, '', []);
  if (typeof s.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name)) fail('name must be lower-case letters, digits and dashes', ['name']);
  for (const k of ['description', 'source'] as const) if (k in s && typeof s[k] !== 'string') fail(`${k} must be text`, [k]);
  if (s.writer !== 'entry_sync' && s.writer !== 'clear-then-write' && s.writer !== 'struct-copy') fail(`writer must be 'entry_sync', 'clear-then-write' or 'struct-copy'`, ['writer']);
  let total = 0;
  const checkActions = (where: string, actions: unknown, path: (string | number)[]): void => {
    if (!Array.isArray(actions)) fail(`${where} must be a list of actions`, path);
    const list = actions as unknown[];
    if (list.length > STRATEGY_LIMITS.actionsPerList) fail(`${where} has ${list.length} actions; at most ${STRATEGY_LIMITS.actionsPerList} are allowed`, path);
    list.forEach((a, i) => {
      const at = [...path, i];
      if (!isRecord(a)) fail(`${where}[${i}] must be an action (do: clflush or do: submit)`, at);
      const act = a as Partial<Action> & Record<string, unknown>;
      onlyKeys(act, ACTION_KEYS, `${where}[${i}]: `, at);
      if ('when' in act && !CONDITIONS.includes(String(act.when))) fail(`${where}[${i}]: when must be one of ${CONDITIONS.join(', ')}`, [...at, 'when']);
      if (act.do === 'clflush') return;
      if (act.do !== 'submit') fail(`${where}[${i}]: 'do' must be 'clflush' or 'submit'`, [...at, 'do']);
      if (act.wait !== 'poll' && act.wait !== 'none') fail(`${where}[${i}]: wait must be 'poll' or 'none'`, [...at, 'wait']);
      if (!Array.isArray(act.descriptors) || act.descriptors.length === 0) fail(`${where}[${i}]: descriptors must be a non-empty list`, [...at, 'descriptors']);
      const descriptors = act.descriptors as unknown[];
      const n = descriptors.length;
      if (n > STRATEGY_LIMITS.descriptorsPerSubmission) fail(`${where}[${i}] submits ${n} descriptors; at most ${STRATEGY_LIMITS.descriptorsPerSubmission} per submission are allowed`, [...at, 'descriptors']);
      total += n;
      if (total > STRATEGY_LIMITS.descriptors) fail(`more than ${STRATEGY_LIMITS.descriptors} descriptors in all (at ${where}[${i}]); at most ${STRATEGY_LIMITS.descriptors} are allowed`, [...at, 'descriptors']);
      descriptors.forEach((d, j) => {
        const dat = [...at, 'descriptors', j];
        if (!isRecord(d)) fail(`${where}[${i}]: a descriptor must be a mapping with type: (one of ${TEMPLATE_TYPES.join(', ')})`, dat);
        const desc = d as Record<string, unknown>;
        if (!TEMPLATE_TYPES.includes(String(desc.type))) fail(`${where}[${i}]: unknown descriptor type '${String(desc.type)}' (one of ${TEMPLATE_TYPES.join(', ')})`, [...dat, 'type']);
        const type = String(desc.type);
        onlyKeys(desc, DESCRIPTOR_KEYS, `${where}[${i}] ${type}: `, dat);
        const grans = own(GRANULARITIES, type);
        if (grans ? !grans.includes(String(desc.granularity)) : 'granularity' in desc) {
          fail(`${where}[${i}] ${type}: ${grans ? `granularity must be one of ${grans.join(', ')}` : 'takes no granularity'}`, [...dat, 'granularity']);
        }
        if (NEEDS_DID.includes(type) ? !(DID_REFS as readonly unknown[]).includes(desc.did) : 'did' in desc) {
          fail(`${where}[${i}] ${type}: ${NEEDS_DID.includes(type) ? "did must be 'old', 'new' or 'previous'" : 'takes no did'}`, [...dat, 'did']);
        }
        if (type === 'inv_wait' ? typeof desc.fn !== 'boolean' : 'fn' in desc) {
          fail(`${where}[${i}] ${type}: ${type === 'inv_wait' ? 'fn must be true or false' : 'takes no fn'}`, [...dat, 'fn']);
        }
      });
    });
  };
  if (!isRecord(s.sync)) fail('sync must be a mapping keyed by P1->P1, P1->P0, P0->P1, P0->P0', ['sync']);
  for (const [k, v] of Object.entries(s.sync as object)) {
    if (!['P1->P1', 'P1->P0', 'P0->P1', 'P0->P0'].includes(k)) fail(`sync key '${k}' is not one of P1->P1, P1->P0, P0->P1, P0->P0`, ['sync', k]);
    checkActions(`sync.${k}`, v, ['sync', k]);
  }
  if (s.before !== undefined) checkActions('before', s.before, ['before']);
  checkActions('after', s.after, ['after']);
  return { description: '', source: 'user', ...s } as Strategy;
}
