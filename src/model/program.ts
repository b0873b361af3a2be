/**
 * Compiles a strategy and the writer's plan for one scenario into the driver's program:
 * a flat list of operations the model executes one at a time (each store, clflush,
 * submission, poll and the final return), with concrete descriptors. The program is
 * fixed before the search; only its interleaving with the hardware varies.
 */
import {
  domainSelectiveIotlb, invWait, iotlbInv, pasidCacheInv, pasidSelectiveIotlb, wholeRangeDevTlb, wholeRangePasidDevTlb,
  type Descriptor,
} from '../formats/descriptors';
import { entryDid, entryPgtt, entryPresent } from '../formats/pasidEntry';
import { planEntryWrite } from '../writer/writer';
import { vtdPasidFormat } from '../writer/vtd';
import type { QuantumStore, WriterStepKind } from '../writer/writer';
import type { Action, DescriptorTemplate, DidRef, PresenceChange, Strategy } from './strategies';

/** What one update costs the driver (per scenario run, the strategy's own actions). */
export interface Cost {
  /** Descriptors submitted, by type name (`pc_inv`, `p_iotlb_inv`, `inv_wait`, ...). */
  descriptors: Record<string, number>;
  /** Tail-register writes; each is a VM exit (trap) under caching mode. */
  submissions: number;
  /** Wait descriptors the driver polls. */
  waits: number;
  /** Device-TLB invalidations (each an ATS Invalidate Request/Completion round trip). */
  devtlbInvalidations: number;
  /** Writer sync points. */
  syncs: number;
  /** clflush instructions (when not coherent). */
  clflushes: number;
}

export type DriverOp =
  | { op: 'store'; store: QuantumStore; step: WriterStepKind; stepIndex: number }
  | { op: 'clflush'; context: string }
  | { op: 'submit'; descriptors: Descriptor[]; context: string }
  /** Spin on the status of the wait descriptor at this queue index (qi_submit_sync). */
  | { op: 'poll'; queueIndex: number; context: string }
  | { op: 'return' };

export interface DriverProgram {
  ops: DriverOp[];
  /** The writer took the V-cleared (breaking) path: not hitless by design. */
  vCleared: boolean;
  cost: Cost;
  /** Writer steps (kind and whether it synced), for presentation. */
  writerSteps: { kind: WriterStepKind; synced: boolean; change: PresenceChange | null }[];
}

export interface ProgramContext {
  oldEntry: readonly bigint[];
  newEntry: readonly bigint[];
  /** Requester ID of the device (bus/dev/fn) and its PASID; PASID 0 is RID_PASID. */
  sid: number;
  pasid: number;
  coherent: boolean;
  cachingMode: boolean;
}

interface PlannedStep {
  kind: WriterStepKind;
  stores: QuantumStore[];
  synced: boolean;
  entry: bigint[];
}

/**
 * Today's upstream replace (docs/kernel.md#replace, Linux 75ed00055c05 + c3b1edea3791): clear
 * only P (`pasid_clear_present`, dma_wmb after), sync (teardown flush); then the new entry
 * is written while P=0 and P is set last (`pasid_set_present`, dma_wmb before), sync.
 */
function planClearThenWrite(oldEntry: readonly bigint[], newEntry: readonly bigint[]): { steps: PlannedStep[]; vCleared: boolean } {
  const words = [...oldEntry];
  const steps: PlannedStep[] = [];
  const store = (q: number, w: bigint[]): QuantumStore => ({ quantum: q, words: w });
  if (entryPresent(oldEntry)) {
    words[0] = words[0] & ~1n;
    steps.push({ kind: 'clear-v', stores: [store(0, [words[0], words[1]])], synced: true, entry: [...words] });
  }
  const rest: QuantumStore[] = [];
  for (let q = 1; q < 4; q++) {
    if (words[2 * q] !== newEntry[2 * q] || words[2 * q + 1] !== newEntry[2 * q + 1]) {
      words[2 * q] = newEntry[2 * q];
      words[2 * q + 1] = newEntry[2 * q + 1];
      rest.push(store(q, [words[2 * q], words[2 * q + 1]]));
    }
  }
  const q0NoP = newEntry[0] & ~1n;
  if (words[0] !== q0NoP || words[1] !== newEntry[1]) {
    words[0] = q0NoP;
    words[1] = newEntry[1];
    rest.push(store(0, [words[0], words[1]]));
  }
  if (rest.length) steps.push({ kind: 'rest', stores: rest, synced: false, entry: [...words] });
  if (entryPresent(newEntry)) {
    words[0] = newEntry[0];
    steps.push({ kind: 'set-v', stores: [store(0, [words[0], words[1]])], synced: true, entry: [...words] });
  }
  return { steps, vCleared: entryPresent(oldEntry) };
}

/**
 * The removed replace helpers (docs/kernel.md#removed-replace-helpers): `*pte = new_pte` while P=1 stores the
 * entry in address order, one 128-bit quantum at a time at best; one sync afterwards.
 */
function planStructCopy(oldEntry: readonly bigint[], newEntry: readonly bigint[]): { steps: PlannedStep[]; vCleared: boolean } {
  const words = [...oldEntry];
  const stores: QuantumStore[] = [];
  for (let q = 0; q < 4; q++) {
    if (words[2 * q] === newEntry[2 * q] && words[2 * q + 1] === newEntry[2 * q + 1]) continue;
    words[2 * q] = newEntry[2 * q];
    words[2 * q + 1] = newEntry[2 * q + 1];
    stores.push({ quantum: q, words: [words[2 * q], words[2 * q + 1]] });
  }
  return { steps: stores.length ? [{ kind: 'target', stores, synced: true, entry: [...words] }] : [], vCleared: false };
}

/**
 * The entry a DidRef refers to. `previous` is the entry at the previous sync point: an entry
 * cached before this sync's stores carries its tags (docs/model.md#pasid-cache).
 */
function entryOf(ref: DidRef, ctx: ProgramContext, previous: readonly bigint[]): readonly bigint[] {
  return ref === 'old' ? ctx.oldEntry : ref === 'new' ? ctx.newEntry : previous;
}

function concreteDescriptors(t: DescriptorTemplate, ctx: ProgramContext, previous: readonly bigint[]): Descriptor[] {
  // A not-present entry is cached only under caching mode, tagged DID 0 (VT-d 5.10 §6.2.3);
  // `old` and `new` keep the entry's DID field as before (the kernel names the domain's DID).
  const didOf = (ref: DidRef): number => {
    const e = entryOf(ref, ctx, previous);
    return ref === 'previous' && !entryPresent(e) ? 0 : entryDid(e);
  };
  switch (t.type) {
    case 'pc_inv':
      return [pasidCacheInv(t.granularity, didOf(t.did), ctx.pasid)];
    case 'p_iotlb_inv':
      return [pasidSelectiveIotlb(didOf(t.did), ctx.pasid)];
    case 'iotlb_inv':
      return [iotlbInv(t.granularity, didOf(t.did))];
    case 'iotlb_by_pgtt': {
      // Kernel teardown: SL/nested → domain-selective IOTLB; PT/FL → PASID-selective P_IOTLB (old PGTT).
      const pgtt = entryPgtt(entryOf(t.did, ctx, previous));
      return pgtt === 'sl' || pgtt === 'nested'
        ? [domainSelectiveIotlb(didOf(t.did))]
        : [pasidSelectiveIotlb(didOf(t.did), ctx.pasid)];
    }
    case 'devtlb':
      // devtlb_invalidation_with_pasid: RID_PASID (0) → dev_tlb_inv whole range, else
      // p_dev_tlb_inv S=1 with the all-ones address (VT-d 6.5.2.5/6.5.2.6; docs/kernel.md#descriptors).
      return ctx.pasid === 0
        ? [wholeRangeDevTlb({ sid: ctx.sid })]
        : [wholeRangePasidDevTlb({ sid: ctx.sid, pasid: ctx.pasid })];
    case 'inv_wait':
      return [invWait({ fn: t.fn, statusData: 1 })];
  }
}

export function compileProgram(strategy: Strategy, ctx: ProgramContext): DriverProgram {
  const ops: DriverOp[] = [];
  const cost: Cost = { descriptors: {}, submissions: 0, waits: 0, devtlbInvalidations: 0, syncs: 0, clflushes: 0 };
  let queueLength = 0;
  const applies = (when: Action['when']): boolean =>
    when === undefined || (when === 'not-coherent' && !ctx.coherent) || (when === 'caching-mode' && ctx.cachingMode);

  // The entry as it stood at the previous sync point (DidRef `previous`).
  let previous: readonly bigint[] = ctx.oldEntry;
  const emit = (actions: Action[], context: string): void => {
    for (const a of actions) {
      if (!applies(a.when)) continue;
      if (a.do === 'clflush') {
        ops.push({ op: 'clflush', context });
        cost.clflushes++;
        continue;
      }
      const descriptors = a.descriptors.flatMap((t) => concreteDescriptors(t, ctx, previous));
      if (a.wait === 'poll') descriptors.push(invWait({ statusData: 1 }));
      ops.push({ op: 'submit', descriptors, context });
      cost.submissions++;
      for (const d of descriptors) {
        cost.descriptors[d.type] = (cost.descriptors[d.type] ?? 0) + 1;
        if (d.type === 'dev_tlb_inv' || d.type === 'p_dev_tlb_inv') cost.devtlbInvalidations++;
      }
      queueLength += descriptors.length;
      if (a.wait === 'poll') {
        ops.push({ op: 'poll', queueIndex: queueLength - 1, context });
        cost.waits++;
      }
    }
  };

  const plan = strategy.writer === 'entry_sync'
    ? (() => {
      const run = planEntryWrite(vtdPasidFormat, ctx.oldEntry, ctx.newEntry);
      return { steps: run.steps as PlannedStep[], vCleared: run.steps.some((s) => s.kind === 'clear-v') };
    })()
    : strategy.writer === 'struct-copy' ? planStructCopy(ctx.oldEntry, ctx.newEntry) : planClearThenWrite(ctx.oldEntry, ctx.newEntry);
  // "Not hitless by design" only concerns a live entry replaced by another live one.
  const bothPresent = entryPresent(ctx.oldEntry) && entryPresent(ctx.newEntry);

  emit(strategy.before ?? [], 'before the writer');
  // The posted intel_pasid_sync tracks `was_present` across syncs (docs/kernel.md#posted-sync).
  let wasPresent = entryPresent(ctx.oldEntry);
  const writerSteps: DriverProgram['writerSteps'] = [];
  plan.steps.forEach((step, stepIndex) => {
    for (const store of step.stores) ops.push({ op: 'store', store, step: step.kind, stepIndex });
    let change: PresenceChange | null = null;
    if (step.synced) {
      const now = entryPresent(step.entry);
      change = `${wasPresent ? 'P1' : 'P0'}->${now ? 'P1' : 'P0'}` as PresenceChange;
      cost.syncs++;
      emit(strategy.sync[change] ?? [], `sync ${cost.syncs} (${change})`);
      wasPresent = now;
      previous = step.entry;
    }
    writerSteps.push({ kind: step.kind, synced: step.synced, change });
  });
  emit(strategy.after, 'after the writer');
  ops.push({ op: 'return' });
  return { ops, vCleared: bothPresent && plan.vCleared, cost, writerSteps };
}
