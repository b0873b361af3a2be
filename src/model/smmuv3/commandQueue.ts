/**
 * The SMMUv3 command queue (IHI 0070 G.b §4). The driver writes commands and moves the
 * producer index; the SMMU consumes them in order. Their effects:
 * - CMD_CFGI_STE / CMD_CFGI_CD (§4.3): the cached STE / CD of the stream (and SubstreamID)
 *   is dropped; a fetch already under way does not cache what it read
 *   (`cfgi-blocks-late-fills`).
 * - CMD_TLBI_* (§4.4): matching TLB entries dropped; a walk already under way does not
 *   fill within the scope afterwards (`tlbi-blocks-late-fills`).
 * - CMD_ATC_INV (§4.5): an ATS Invalidate Request goes to the device over the shared link
 *   (parts/device.ts); the command is complete when its Invalidate Completion returns.
 * - CMD_SYNC (§4.7.3): completes once every command ahead of it is complete; with
 *   `cfgi-sync-completes-translations` / `tlbi-sync-completes-translations` also once the
 *   translations under way that may have used what was invalidated have finished.
 * Between two CMD_SYNCs the commands take effect in any order unless `cmdq-in-order`; none
 * behind a CMD_SYNC before it completes (the driver polls every CMD_SYNC before going on).
 */
import { move, type Move } from '../context';
import type { DescriptorStatus, Walk } from '../state';
import { describeCommand } from './program';
import { cloneSmmuState, cloneWalk, type SmmuContext, type SmmuState } from './state';
import { isCfgi, isTlbi, tlbiMatches } from './tlb';
import { harmless } from '../footprintVars';
import { FP } from './footprint';

function mayStart(s: SmmuState, ctx: SmmuContext, i: number): boolean {
  for (let j = 0; j < i; j++) {
    if (s.queue[j] === 'done') continue;
    if (ctx.commands[j].op === 'SYNC' || ctx.hw.cmdqInOrder || ctx.commands[i].op === 'SYNC') return false;
  }
  return true;
}

function withStatus(s: SmmuState, i: number, status: DescriptorStatus): SmmuState {
  const next = cloneSmmuState(s);
  next.queue = s.queue.slice();
  next.queue[i] = status;
  return next;
}

/** Has the walk begun translating with something other than the new configuration's own, untorn translation? */
function mayUseOld(ctx: SmmuContext, w: Walk): boolean {
  if (w.stage === 'entry') return false;
  if (w.stage === 'fetch' || w.image < 0) return true;
  return !harmless(ctx, w.image) || (w.result >= 0 && !harmless(ctx, w.result));
}

export function smmuQueueMoves(s: SmmuState, ctx: SmmuContext, out: Move<SmmuState>[]): void {
  for (let i = 0; i < s.queue.length; i++) {
    if (s.queue[i] !== 'pending' || !mayStart(s, ctx, i)) continue;
    const c = ctx.commands[i];
    if (c.op === 'SYNC') {
      if (s.walks.some((w) => w.mustDrain)) continue;
      out.push(move(withStatus(s, i, 'done'), () => ({ lane: 'queue', text: 'SMMU: CMD_SYNC completes' }), FP));
      continue;
    }
    if (c.op === 'ATC_INV') {
      const next = withStatus(s, i, 'sent');
      next.down = [...s.down, { kind: 'invalidate', descriptor: i }];
      out.push(move(next, () => ({
        lane: 'queue', text: `SMMU: ${describeCommand(c)}: sends Invalidate Request`,
        message: { id: `ir${i}`, kind: 'send', peer: 'device', label: `Inv Req (${c.ssid === null ? 'no PASID' : `PASID=0x${c.ssid.toString(16)}`}, all)` },
      }), FP));
      continue;
    }
    const next = withStatus(s, i, 'done');
    const bit = 1 << ctx.fenceBit[i];
    if (isCfgi(c)) {
      if (c.op === 'CFGI_STE') next.steCache = -1;
      else next.cdCache = -1;
      const drain = ctx.hw.cfgiSyncCompletesTranslations;
      next.walks = s.walks.map((w) => {
        const fence = w.stage === 'fetch';
        const must = drain && mayUseOld(ctx, w);
        if (!fence && !must) return w;
        const n = cloneWalk(w);
        if (fence) n.pcFences |= bit;
        if (must) n.mustDrain = true;
        return n;
      });
    } else if (isTlbi(c)) {
      next.tlb = s.tlb.filter((e) => !tlbiMatches(ctx, e, c));
      const drain = ctx.hw.tlbiSyncCompletesTranslations;
      next.walks = s.walks.map((w) => {
        if (w.stage === 'entry') return w;
        const n = cloneWalk(w);
        n.iotlbFences |= bit;
        if (drain && mayUseOld(ctx, w)) n.mustDrain = true;
        return n;
      });
    }
    out.push(move(next, () => ({ lane: 'queue', text: `SMMU: ${describeCommand(c)} done` }), FP));
  }
  // The Invalidate Completion at the head of the upstream path completes its CMD_ATC_INV.
  if (s.up.length > 0) {
    const i = s.up[0];
    const next = withStatus(s, i, 'done');
    next.up = s.up.slice(1);
    out.push(move(next, () => ({
      lane: 'queue', text: `SMMU: Invalidate Completion received, ${describeCommand(ctx.commands[i])} done`,
      message: { id: `ic${i}`, kind: 'receive', peer: 'device', label: 'Inv Cpl' },
    }), FP));
  }
}
