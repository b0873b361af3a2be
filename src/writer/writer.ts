/**
 * The entry_sync hitless writer: one algorithm that rewrites a live, multi-word table entry
 * (VT-d PASID entry, SMMUv3 STE or CD) so that the IOMMU, which reads the entry in atomic
 * quanta of 64 or 128 bits, never acts on a mix of the old and the new configuration.
 *
 * It knows nothing of any format: everything format-specific sits behind `getUsed` (and the
 * optional `getUpdateSafe`), exactly like the kernel's ops table. Sources:
 * - `arm_smmu_entry_qword_diff` / `arm_smmu_write_entry` / `entry_set`
 *   (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c);
 * - the generic copy `entry_quanta_diff` / `entry_sync_write` (drivers/iommu/entry_sync_template.h,
 *   LuBaolu/intel-iommu 03399daf9fad), whose breaking path writes quanta [0, v) and (v, n);
 * - `get_update_safe`, upstream 2781f2a930ab ("safe" bits may change at any time).
 *
 * The run is returned as data (every store, the entry after every step, and the KUnit oracle
 * at every sync) so that the hardware model can replay the stores one quantum at a time,
 * interleaved with fetches, and call its own sync where the kernel does.
 */

/** A table-entry format as the writer sees it: geometry plus the used-bits hooks. */
export interface EntryFormat {
  /** 'vtd-pasid' | 'smmuv3-ste' | 'smmuv3-cd' */
  name: string;
  /** Single-copy atomicity of one IOMMU read and one CPU store. */
  quantumBits: 64 | 128;
  numQuanta: number;
  /** Which quantum holds V (VT-d: P). */
  vbitQuantum: number;
  /** The V (P) bit as a full-entry mask (one bigint per 64-bit word). */
  vbitMask: bigint[];
  /** Bits the hardware reads given the value of `entry` (kernel `get_used`). */
  getUsed(entry: readonly bigint[]): bigint[];
  /** Bits that may change in any order (kernel `get_update_safe`, upstream 2781f2a930ab). */
  getUpdateSafe?(cur: readonly bigint[], target: readonly bigint[]): bigint[];
}

/** One single-copy-atomic store of a whole quantum. */
export interface QuantumStore {
  quantum: number;
  /** The new value of that quantum's 64-bit words (1 word for 64-bit quanta, 2 for 128-bit). */
  words: bigint[];
}

export type WriterStepKind = 'unused' | 'critical' | 'cleanup' | 'clear-v' | 'rest' | 'set-v' | 'target';

/** One `entry_set()` call: a range of quanta written, then one sync if anything changed. */
export interface WriterStep {
  kind: WriterStepKind;
  /** Each store is single-copy atomic at quantum size; only quanta that differ are stored. */
  stores: QuantumStore[];
  /** The entry after this step. */
  entry: bigint[];
  /** sync() is called after this step (only when it stored something). */
  synced: boolean;
  /**
   * The KUnit oracle at this point (docs/kernel.md#kunit): the entry, masked by its own used bits
   * minus update-safe bits, equals the old or the new entry under that mask; a V-cleared
   * entry passes (the hardware ignores it), and is flagged by `vCleared`.
   */
  hitless: boolean;
  /**
   * The entry is V=0 here: the first word of the V quantum is zero (KUnit: `!entry[0]`).
   * It describes the entry after the step, also for a step that stores nothing (e.g. the
   * all-zero entry before a set-up); whether the writer took the V-cleared path is
   * `WriterRun.path === 'breaking'`, whether a sync saw V=0 is `!WriterRun.hitless`.
   */
  vCleared: boolean;
}

export interface WriterRun {
  format: string;
  /** No sync ever saw a V-cleared entry and every sync passed the oracle (KUnit `hitless`). */
  hitless: boolean;
  /** Number of sync() calls (KUnit `num_syncs`). */
  syncs: number;
  steps: WriterStep[];
  final: bigint[];
  /**
   * Which path the algorithm took: one critical quantum ('hitless': unused, critical,
   * cleanup), two or more ('breaking': clear-v, rest, set-v), or none ('no-change').
   */
  path: 'hitless' | 'breaking' | 'no-change';
  /** Which quanta needed their used bits changed after the unused-bits update. */
  critical: number[];
  /**
   * Contract violations the kernel WARNs about: the target sets bits its own `getUsed` does
   * not list (`WARN_ON_ONCE(target[i] & ~target_used[i])`). Such bits are never cleaned up.
   */
  warnings: string[];
}

/**
 * Which ordering to run. Only `upstream` is the kernel's; the others are negative controls
 * that show the oracles can see a broken writer:
 * - `critical-first`: writes the critical quantum before the unused bits (hitless path);
 * - `jason-ranges`: the breaking path of Jason's entry_sync copy (jgunthorpe/linux
 *   02374d8f5697), which writes ranges [0, v-1) and [v, v+n-1): for v=0 it stores the V
 *   quantum (setting V) before the rest and never writes the last quantum (docs/kernel.md#entry-sync-library).
 */
export type WriterVariant = 'upstream' | 'critical-first' | 'jason-ranges';

export interface WriterOptions {
  variant?: WriterVariant;
}

/** What the KUnit oracle says about one entry state. */
export interface EntryCheck {
  /** First word of the V quantum is zero: the hardware treats the entry as invalid. */
  vCleared: boolean;
  /** Under the entry's own used bits (minus safe bits) it equals the initial entry. */
  matchesOld: boolean;
  /** Under the entry's own used bits (minus safe bits) it equals the target entry. */
  matchesNew: boolean;
  /** vCleared || matchesOld || matchesNew. */
  hitless: boolean;
}

/** 64-bit words per quantum: 1 or 2. */
export function wordsPerQuantum(format: EntryFormat): number {
  return format.quantumBits / 64;
}

/** Number of 64-bit words of an entry of this format. */
export function entryWordCount(format: EntryFormat): number {
  return format.numQuanta * wordsPerQuantum(format);
}

const U64_MAX = (1n << 64n) - 1n;

function checkEntryShape(format: EntryFormat, entry: readonly bigint[], what: string): void {
  const n = entryWordCount(format);
  if (entry.length !== n) {
    throw new RangeError(`${what}: a ${format.name} entry is ${n} 64-bit words, got ${entry.length}`);
  }
  entry.forEach((w, i) => {
    if (typeof w !== 'bigint' || w < 0n || w > U64_MAX) {
      throw new RangeError(`${what}: word ${i} is not a 64-bit unsigned bigint`);
    }
  });
}

function zeros(n: number): bigint[] {
  return new Array<bigint>(n).fill(0n);
}

/**
 * The test oracle of arm-smmu-v3-test.c (`arm_smmu_test_writer_record_syncs` with
 * `arm_smmu_entry_differs_in_used_bits`): if word 0 of the V quantum is zero the entry is
 * invalid and not checked; otherwise, with used = getUsed(entry) and safe bits taken per
 * comparison (`get_update_safe(entry, init)` and `get_update_safe(entry, target)`), the entry
 * must equal the initial or the target entry under used & ~safe.
 */
export function checkEntry(
  format: EntryFormat,
  entry: readonly bigint[],
  initial: readonly bigint[],
  target: readonly bigint[],
): EntryCheck {
  const wpq = wordsPerQuantum(format);
  const vCleared = entry[format.vbitQuantum * wpq] === 0n;
  const used = format.getUsed(entry);
  const n = entry.length;
  const safeOld = format.getUpdateSafe ? format.getUpdateSafe(entry, initial) : zeros(n);
  const safeNew = format.getUpdateSafe ? format.getUpdateSafe(entry, target) : zeros(n);
  const same = (other: readonly bigint[], safe: readonly bigint[]): boolean =>
    entry.every((w, i) => {
      const mask = used[i] & ~safe[i];
      return (w & mask) === (other[i] & mask);
    });
  const matchesOld = same(initial, safeOld);
  const matchesNew = same(target, safeNew);
  return { vCleared, matchesOld, matchesNew, hitless: vCleared || matchesOld || matchesNew };
}

/** The result of `entry_quanta_diff`: the unused-bits update and the critical quanta. */
export interface QuantumDiff {
  /** Every bit the current entry ignores already at its target value (per word). */
  unusedUpdate: bigint[];
  /** Quanta whose target-used bits still differ after `unusedUpdate` (ascending). */
  critical: number[];
  /** Words where the target sets bits outside its own used mask (the kernel WARNs). */
  targetUnusedBits: bigint[];
}

/**
 * `arm_smmu_entry_qword_diff` / `entry_quanta_diff`, per 64-bit word, grouped by quantum.
 * Safe bits count only where both entries use them ("otherwise it is sequenced according to
 * the unused entry", 2781f2a930ab) and are then treated as unused by the current entry.
 */
export function diffQuanta(format: EntryFormat, current: readonly bigint[], target: readonly bigint[]): QuantumDiff {
  const n = current.length;
  const wpq = wordsPerQuantum(format);
  const curUsed = format.getUsed(current);
  const targetUsed = format.getUsed(target);
  const safe = format.getUpdateSafe ? format.getUpdateSafe(current, target) : zeros(n);
  const unusedUpdate: bigint[] = [];
  const targetUnusedBits: bigint[] = [];
  const criticalSet = new Set<number>();
  for (let i = 0; i < n; i++) {
    const s = safe[i] & targetUsed[i] & curUsed[i];
    targetUnusedBits.push(target[i] & ~targetUsed[i]);
    // Bits can change because they are not currently being used (or are safe to change).
    const cu = curUsed[i] & ~s;
    unusedUpdate.push((current[i] & cu) | (target[i] & ~cu));
    // A used bit of the target still differs once the unused bits are updated.
    if ((unusedUpdate[i] & targetUsed[i]) !== target[i]) criticalSet.add(Math.floor(i / wpq));
  }
  return { unusedUpdate, critical: [...criticalSet].sort((a, b) => a - b), targetUnusedBits };
}

function quantumWords(entry: readonly bigint[], q: number, wpq: number): bigint[] {
  return entry.slice(q * wpq, q * wpq + wpq);
}

function quantumEquals(a: readonly bigint[], b: readonly bigint[], q: number, wpq: number): boolean {
  for (let k = q * wpq; k < q * wpq + wpq; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * The algorithm itself, on a mutable entry, calling `onStep` where the kernel's `entry_set`
 * would sync. Shared by `planEntryWrite` and `runEntryWrite`.
 */
function writeEntry(
  format: EntryFormat,
  entry: bigint[],
  target: readonly bigint[],
  variant: WriterVariant,
  onStep: (kind: WriterStepKind, stores: QuantumStore[]) => void,
): { critical: number[]; warnings: string[] } {
  const wpq = wordsPerQuantum(format);
  const nq = format.numQuanta;
  const v = format.vbitQuantum;
  const diff = diffQuanta(format, entry, target);
  const warnings = diff.targetUnusedBits.flatMap((bits, i) =>
    bits === 0n ? [] : [`target word ${i} sets bits 0x${bits.toString(16)} that getUsed(target) does not list`]);
  const unusedUpdate = diff.unusedUpdate;

  // entry_set(): store each quantum of [start, start+len) that differs (a single-copy-atomic
  // WRITE_ONCE / cmpxchg128_local), then sync once if anything was stored.
  const entrySet = (kind: WriterStepKind, src: readonly bigint[], start: number, len: number): void => {
    const stores: QuantumStore[] = [];
    for (let q = start; q < start + len && q < nq; q++) {
      if (quantumEquals(entry, src, q, wpq)) continue;
      const words = quantumWords(src, q, wpq);
      for (let k = 0; k < wpq; k++) entry[q * wpq + k] = words[k];
      stores.push({ quantum: q, words });
    }
    onStep(kind, stores);
  };

  if (diff.critical.length === 1) {
    // Hitless: only one quantum has used bits to change. Update every bit the current entry
    // ignores, then flip the critical quantum in one atomic store, then zero the bits the new
    // configuration ignores (arm_smmu_write_entry, hweight8(used_qword_diff) == 1).
    const c = diff.critical[0];
    if (variant === 'critical-first') {
      // Negative control: the critical store lands while the other quanta still hold bits the
      // new configuration reads but the old one did not set.
      for (let k = 0; k < wpq; k++) unusedUpdate[c * wpq + k] = target[c * wpq + k];
      entrySet('critical', target, c, 1);
      entrySet('unused', unusedUpdate, 0, nq);
    } else {
      // Skip the critical quantum in the first step: it is written whole in the next one,
      // which saves a sync when it is the only change.
      for (let k = 0; k < wpq; k++) unusedUpdate[c * wpq + k] = entry[c * wpq + k];
      entrySet('unused', unusedUpdate, 0, nq);
      entrySet('critical', target, c, 1);
    }
    entrySet('cleanup', target, 0, nq);
  } else if (diff.critical.length > 1) {
    // Breaking: two or more quanta must change used bits and no single store can switch
    // both, so zero the whole V quantum first (V=0: the hardware ignores the entry), write
    // the others, and write the V quantum last in one atomic store.
    for (let k = 0; k < wpq; k++) unusedUpdate[v * wpq + k] = 0n;
    entrySet('clear-v', unusedUpdate, v, 1);
    if (variant === 'jason-ranges') {
      // Negative control, jgunthorpe/linux entry_sync_template.h @ 02374d8f5697.
      if (v !== 0) entrySet('rest', target, 0, v - 1);
      if (v !== nq) entrySet('rest', target, v, nq - 1);
    } else {
      // LuBaolu/intel-iommu entry_sync_template.h @ 03399daf9fad, the ARM original's ranges.
      if (v !== 0) entrySet('rest', target, 0, v);
      if (v + 1 < nq) entrySet('rest', target, v + 1, nq - v - 1);
    }
    entrySet('set-v', target, v, 1);
  } else {
    // No used bit changes; only ignored (or update-safe) bits can differ (2781f2a930ab
    // dropped the WARN here because safe bits may legitimately change).
    entrySet('target', target, 0, nq);
  }
  return { critical: diff.critical, warnings };
}

function finishRun(format: EntryFormat, steps: WriterStep[], final: bigint[], critical: number[], warnings: string[]): WriterRun {
  const synced = steps.filter((s) => s.synced);
  return {
    format: format.name,
    hitless: synced.every((s) => s.hitless && !s.vCleared),
    syncs: synced.length,
    steps,
    final,
    path: critical.length === 0 ? 'no-change' : critical.length === 1 ? 'hitless' : 'breaking',
    critical,
    warnings,
  };
}

/**
 * Plans the write of `target` over `current` without side effects: every step with its
 * stores, the entry after it, whether it syncs and what the oracle says there.
 */
export function planEntryWrite(
  format: EntryFormat,
  current: readonly bigint[],
  target: readonly bigint[],
  options: WriterOptions = {},
): WriterRun {
  return runEntryWrite(format, [...current], target, () => undefined, options);
}

/**
 * Performs the write on `entry` in place, like the kernel: `sync(entry, step)` is called
 * after every step that stored something, with the entry as it is at that moment.
 */
export function runEntryWrite(
  format: EntryFormat,
  entry: bigint[],
  target: readonly bigint[],
  sync: (entry: readonly bigint[], step: WriterStep) => void,
  options: WriterOptions = {},
): WriterRun {
  checkEntryShape(format, entry, 'current entry');
  checkEntryShape(format, target, 'target entry');
  const initial = [...entry];
  const tgt = [...target];
  const steps: WriterStep[] = [];
  const { critical, warnings } = writeEntry(format, entry, tgt, options.variant ?? 'upstream', (kind, stores) => {
    const check = checkEntry(format, entry, initial, tgt);
    const step: WriterStep = {
      kind,
      stores,
      entry: [...entry],
      synced: stores.length > 0,
      hitless: check.hitless,
      vCleared: check.vCleared,
    };
    steps.push(step);
    if (step.synced) sync(entry, step);
  });
  return finishRun(format, steps, [...entry], critical, warnings);
}

/** One single-quantum store of a run, with the entry right after it and the oracle there. */
export interface StoreState {
  /** Index into `run.steps`. */
  step: number;
  store: QuantumStore;
  entry: bigint[];
  check: EntryCheck;
}

/**
 * Replays a run one store at a time and applies the oracle after every store, not only at
 * syncs. The hardware may fetch between two stores of one step, so a correct writer keeps
 * every such state old, new or V-cleared; the KUnit oracle alone (at syncs) cannot see a
 * step that passes through a torn state and leaves it before its sync.
 */
export function storeStates(
  format: EntryFormat,
  current: readonly bigint[],
  target: readonly bigint[],
  run: WriterRun,
): StoreState[] {
  const wpq = wordsPerQuantum(format);
  const entry = [...current];
  const out: StoreState[] = [];
  run.steps.forEach((step, i) => {
    for (const store of step.stores) {
      store.words.forEach((w, k) => { entry[store.quantum * wpq + k] = w; });
      out.push({ step: i, store, entry: [...entry], check: checkEntry(format, entry, current, target) });
    }
  });
  return out;
}

