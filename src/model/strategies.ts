/**
 * Invalidation strategies as data: a notebook cell can print one, copy it, change a step
 * and check the result. A strategy says which writer performs the stores, what each writer
 * sync does (depending on how P changed since the previous sync, as the posted
 * `intel_pasid_sync` does), and what runs once after the writer returns.
 */

import { own } from '../own';

/** Which DID a descriptor names: the tags cached entries carry are the old entry's. */
export type DidRef = 'old' | 'new';

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
  /** Where it comes from (thread, kernel source, spec table). */
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

function jasonSync(): Partial<Record<PresenceChange, Action[]>> {
  // Jason: "clflush (if non-coherent) ... PASID cache invalidation to force the hardware to
  // re-read the entry" — at every sync, whatever P did.
  const s: Action[] = [clflush, waited(pcOld)];
  return { 'P1->P1': s, 'P1->P0': s, 'P0->P1': s, 'P0->P0': [clflush] };
}

export const STRATEGIES: Readonly<Record<string, Strategy>> = {
  baolu: {
    name: 'baolu',
    description: 'posted sync: PC + IOTLB + Device-TLB, each waited, after every live writer step',
    source: 'patch 2/8 intel_pasid_sync (docs/kernel.md#posted-sync); Baolu, 2026-03-15',
    writer: 'entry_sync',
    sync: { 'P1->P1': flushPresent, 'P1->P0': flushTeardown, 'P0->P1': setupFlush, 'P0->P0': [clflush] },
    after: [],
  },
  jason: {
    name: 'jason',
    description: 'sync = clflush + PC inv + wait; one Device-TLB inv + wait after the writer',
    source: 'Jason Gunthorpe, 2026-03-12, quoted in Baolu\'s reply of 2026-03-15',
    writer: 'entry_sync',
    sync: jasonSync(),
    after: [waited(devtlb)],
  },
  'jason-ordered': {
    name: 'jason-ordered',
    description: 'jason, plus a P_IOTLB (old DID) ahead of the Device-TLB inv in one submission',
    source: 'Jason: "you may need IOTLB invalidations not to manage coherence but to manage ordering"',
    writer: 'entry_sync',
    sync: jasonSync(),
    after: [waited(pIotlbOld, devtlb)],
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
        if (NEEDS_DID.includes(type) ? desc.did !== 'old' && desc.did !== 'new' : 'did' in desc) {
          fail(`${where}[${i}] ${type}: ${NEEDS_DID.includes(type) ? "did must be 'old' or 'new'" : 'takes no did'}`, [...dat, 'did']);
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
