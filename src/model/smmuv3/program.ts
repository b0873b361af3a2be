/**
 * Compiles an SMMUv3 strategy and the writer's plan into the driver's program: the writer's
 * 64-bit stores (CD first when the new STE needs it, then the STE: the driver installs a CD
 * before an STE points at it, arm_smmu_attach_dev), the command submissions with their
 * CMD_SYNC, the polls, and the return.
 */
import { CD_BASE, cdOf, steOf, steUsesCd } from '../../formats/smmuv3Config';
import { CTXDESC, STRTAB } from '../../formats/smmuv3';
import { planEntryWrite, type EntryFormat, type WriterStepKind } from '../../writer/writer';
import { smmuv3CdFormat, smmuv3SteFormat } from '../../writer/smmuv3';
import type { Cost } from '../program';
import type { PresenceChange } from '../strategies';
import type { CommandTemplate, SmmuAction, SmmuStrategy, TagRef } from './strategies';
import type { ConfigImages } from './images';

/** The commands the model executes (IHI 0070 G.b §4.3-§4.6), with their operands. */
export type SmmuCommand =
  | { op: 'CFGI_STE'; sid: number }
  | { op: 'CFGI_CD'; sid: number; ssid: number }
  | { op: 'TLBI_NH_ASID'; vmid: number; asid: number }
  | { op: 'TLBI_S12_VMALL'; vmid: number }
  | { op: 'TLBI_NSNH_ALL' }
  | { op: 'ATC_INV'; sid: number; ssid: number | null }
  | { op: 'SYNC' };

export function describeCommand(c: SmmuCommand): string {
  switch (c.op) {
    case 'CFGI_STE': return `CMD_CFGI_STE SID=0x${c.sid.toString(16)}`;
    case 'CFGI_CD': return `CMD_CFGI_CD SID=0x${c.sid.toString(16)} SSID=0x${c.ssid.toString(16)}`;
    case 'TLBI_NH_ASID': return `CMD_TLBI_NH_ASID ASID=${c.asid}${c.vmid ? ` VMID=${c.vmid}` : ''}`;
    case 'TLBI_S12_VMALL': return `CMD_TLBI_S12_VMALL VMID=${c.vmid}`;
    case 'TLBI_NSNH_ALL': return 'CMD_TLBI_NSNH_ALL';
    case 'ATC_INV': return `CMD_ATC_INV SID=0x${c.sid.toString(16)}${c.ssid === null ? '' : ` SSID=0x${c.ssid.toString(16)}`} all`;
    case 'SYNC': return 'CMD_SYNC';
  }
}

export type SmmuOp =
  /** One 64-bit single-copy-atomic store (WRITE_ONCE) of configuration word `word` (0-7 STE, 8-15 CD). */
  | { op: 'store'; word: number; value: bigint; structure: 'STE' | 'CD'; step: WriterStepKind; stepIndex: number }
  | { op: 'submit'; commands: SmmuCommand[]; context: string }
  /** Spin until the CMD_SYNC at this queue index completes. */
  | { op: 'poll'; queueIndex: number; context: string }
  | { op: 'return' };

export interface SmmuProgram {
  ops: SmmuOp[];
  /** A writer took the V-cleared path while both configurations translate: not hitless by design. */
  vCleared: boolean;
  cost: Cost;
}

interface Ctx {
  images: ConfigImages;
  sid: number;
  /** 0: the stream's traffic without SubstreamID (S1DSS=SSID0 uses CD 0). */
  pasid: number;
}

/** The qwords stored in order while V stays set, one sync after (negative control). */
function planStructCopy(old: readonly bigint[], target: readonly bigint[]) {
  const stores = target.map((w, q) => ({ quantum: q, words: [w] })).filter((s) => s.words[0] !== old[s.quantum]);
  return { steps: stores.length ? [{ kind: 'target' as WriterStepKind, stores, synced: true, entry: [...target] }] : [], path: 'hitless' as const };
}

export function compileSmmuProgram(strategy: SmmuStrategy, ctx: Ctx): SmmuProgram {
  const ops: SmmuOp[] = [];
  const cost: Cost = { descriptors: {}, submissions: 0, waits: 0, devtlbInvalidations: 0, syncs: 0, clflushes: 0 };
  const old = ctx.images.words(ctx.images.oldId);
  const target = ctx.images.words(ctx.images.newId);
  let queueLength = 0;
  // The configuration as it stands at the previous sync point (TagRef `previous`).
  let previous: readonly bigint[] = old;
  const configOf = (ref: TagRef): readonly bigint[] => (ref === 'old' ? old : ref === 'new' ? target : previous);

  const commandsOf = (t: CommandTemplate, structure: 'STE' | 'CD'): SmmuCommand[] => {
    switch (t.type) {
      case 'cfgi': return [structure === 'STE' ? { op: 'CFGI_STE', sid: ctx.sid } : { op: 'CFGI_CD', sid: ctx.sid, ssid: ctx.pasid }];
      case 'cfgi_ste': return [{ op: 'CFGI_STE', sid: ctx.sid }];
      case 'cfgi_cd': return [{ op: 'CFGI_CD', sid: ctx.sid, ssid: ctx.pasid }];
      case 'tlbi': {
        // arm_smmu_tlb_inv_context(): TLBI_NH_ASID for a stage-1 domain, TLBI_S12_VMALL for stage 2.
        const o = ctx.images.outcome(ctx.images.intern([...configOf(t.tag)]));
        if (o.stage === null) return [];
        return o.stage === 's2' ? [{ op: 'TLBI_S12_VMALL', vmid: o.vmid }] : [{ op: 'TLBI_NH_ASID', vmid: o.vmid, asid: o.asid }];
      }
      case 'tlbi_all': return [{ op: 'TLBI_NSNH_ALL' }];
      case 'atc_inv':
        // arm_smmu_atc_inv_to_cmd(): whole range; without SSID for traffic without PASID.
        return [{ op: 'ATC_INV', sid: ctx.sid, ssid: ctx.pasid === 0 ? null : ctx.pasid }];
    }
  };
  const emit = (actions: readonly SmmuAction[], context: string, structure: 'STE' | 'CD'): void => {
    for (const a of actions) {
      const commands = a.descriptors.flatMap((t) => commandsOf(t, structure));
      if (a.wait === 'poll') commands.push({ op: 'SYNC' });
      if (commands.length === 0) continue;
      ops.push({ op: 'submit', commands, context });
      cost.submissions++;
      for (const c of commands) {
        cost.descriptors[c.op] = (cost.descriptors[c.op] ?? 0) + 1;
        if (c.op === 'ATC_INV') cost.devtlbInvalidations++;
      }
      queueLength += commands.length;
      if (a.wait === 'poll') {
        ops.push({ op: 'poll', queueIndex: queueLength - 1, context });
        cost.waits++;
      }
    }
  };

  emit(strategy.before ?? [], 'before the writer', 'STE');
  let vCleared = false;
  const bothTranslate = ctx.images.outcome(ctx.images.oldId).present && ctx.images.outcome(ctx.images.newId).present;
  let stepIndex = 0;
  const write = (structure: 'STE' | 'CD', format: EntryFormat, cur: bigint[], tgt: bigint[], base: number): void => {
    const plan = strategy.writer === 'entry_sync' ? planEntryWrite(format, cur, tgt) : planStructCopy(cur, tgt);
    if (plan.path === 'breaking') vCleared = true;
    const valid = (e: readonly bigint[]) => (e[0] & (structure === 'STE' ? STRTAB.STE_0_V : CTXDESC.CD_0_V)) !== 0n;
    let was = valid(cur);
    for (const step of plan.steps) {
      for (const s of step.stores) ops.push({ op: 'store', word: base + s.quantum, value: s.words[0], structure, step: step.kind, stepIndex });
      stepIndex++;
      if (!step.synced) continue;
      const now = valid(step.entry);
      const change = `${was ? 'P1' : 'P0'}->${now ? 'P1' : 'P0'}` as PresenceChange;
      cost.syncs++;
      emit(strategy.sync[change] ?? [], `sync ${cost.syncs} (${structure} ${change.replace(/P/g, 'V')})`, structure);
      was = now;
      const whole = [...previous];
      step.entry.forEach((w, i) => { whole[base + i] = w; });
      previous = whole;
    }
  };
  // The CD first when the new STE translates through it; a CD no longer used is left as it is.
  const oldCd = cdOf(old);
  const newCd = cdOf(target);
  if (steUsesCd(target) && newCd.some((w, i) => w !== oldCd[i])) write('CD', smmuv3CdFormat, oldCd, newCd, CD_BASE);
  const oldSte = steOf(old);
  const newSte = steOf(target);
  if (newSte.some((w, i) => w !== oldSte[i])) write('STE', smmuv3SteFormat, oldSte, newSte, 0);
  emit(strategy.after, 'after the writer', 'STE');
  ops.push({ op: 'return' });
  return { ops, vCleared: bothTranslate && vCleared, cost };
}
