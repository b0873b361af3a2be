/**
 * Translation at the SMMU, one step at a time so commands can fall between steps
 * (IHI 0070 G.b §3.3 translation procedure): configuration (STE, then the CD of the
 * SubstreamID, each from the configuration cache or read from memory qword by qword) →
 * TLB lookup with that configuration's tags → on a miss, the walk and the TLB fill →
 * answer (ATS Translation Completion, §3.9.1; or the untranslated transaction proceeds) →
 * commit (it reaches memory).
 */
import { move, type Move } from '../context';
import { recordDma } from '../parts/walker';
import { smmuUseMayViolate } from './properties';
import type { SmmuState, SmmuContext } from './state';
import { cloneSmmuState, cloneWalk } from './state';
import { canonicalDown, type Walk } from '../state';
import { currentConfig, tlbFill, tlbLookup, tlbiMatches } from './tlb';
import { steUsesCd, cdValid, steValid, CD_BASE } from '../../formats/smmuv3Config';
import { FP } from './footprint';

/** chunksRead bits above the chunks: which structures this fetch reads (and may cache). */
export const FETCH_STE = 1 << 30;
export const FETCH_CD = 1 << 29;
const CHUNKS = (1 << 29) - 1;

function withWalk(s: SmmuState, i: number, next: Walk | null): SmmuState {
  const t = cloneSmmuState(s);
  t.walks = s.walks.slice();
  if (next) t.walks[i] = next;
  else t.walks.splice(i, 1);
  return t;
}

function atStage(w: Walk, stage: Walk['stage']): Walk {
  const n = cloneWalk(w);
  n.stage = stage;
  return n;
}

function answered(w: Walk, result: number): Walk {
  const n = atStage(w, 'answer');
  n.result = result;
  return n;
}

function who(w: Walk): string {
  return w.kind === 'ats' ? `Translation Request #${w.id}` : `untranslated DMA #${w.id}`;
}

/** Chunk bits of the words of one structure (STE words 0-7, CD words 8-15). */
function chunkMask(ctx: SmmuContext, cd: boolean): number {
  let m = 0;
  ctx.chunks.forEach((word, c) => { if ((word >= CD_BASE) === cd) m |= 1 << c; });
  return m;
}

/** A finished fetch: cache what was read, unless invalid or invalidated meanwhile (cfgi-blocks-late-fills). */
function finishFetch(s: SmmuState, ctx: SmmuContext, w: Walk, image: number): { next: SmmuState; cached: string[] } {
  const next = cloneSmmuState(s);
  const words = ctx.images.words(image);
  const fenced = (op: 'CFGI_STE' | 'CFGI_CD'): boolean => {
    if (!ctx.hw.cfgiBlocksLateFills) return false;
    for (let b = 0; b < ctx.fences.length; b++) if ((w.pcFences & (1 << b)) && ctx.fences[b].op === op) return true;
    return false;
  };
  const cached: string[] = [];
  // Only valid structures are cached (a V=0 STE or CD is never used to translate).
  if ((w.chunksRead & FETCH_STE) && steValid(words) && !fenced('CFGI_STE')) {
    next.steCache = image;
    cached.push('STE');
  }
  if ((w.chunksRead & FETCH_CD) && steUsesCd(words) && cdValid(words) && !fenced('CFGI_CD')) {
    next.cdCache = image;
    cached.push('CD');
  }
  return { next, cached };
}

export function smmuWalkMoves(s: SmmuState, ctx: SmmuContext, out: Move<SmmuState>[]): void {
  const im = ctx.images;
  for (let i = 0; i < s.walks.length; i++) {
    const w = s.walks[i];
    const first = out.length;
    switch (w.stage) {
      case 'entry': {
        // The STE and the CD each from the cache when cached, or read again: a cached
        // structure may be dropped at any time (§3.21.3), which matters only here.
        for (const useSte of s.steCache >= 0 ? [true, false] : [false]) {
          for (const useCd of s.cdCache >= 0 ? [true, false] : [false]) {
            const base = im.combine(useSte ? s.steCache : s.memory, useCd ? s.cdCache : s.memory);
            const read = (useSte ? chunkMask(ctx, false) : FETCH_STE) | (useCd ? chunkMask(ctx, true) : FETCH_CD);
            const after = cloneSmmuState(s);
            if (!useSte) after.steCache = -1;
            if (!useCd) after.cdCache = -1;
            const evicted = [...(!useSte && s.steCache >= 0 ? ['STE'] : []), ...(!useCd && s.cdCache >= 0 ? ['CD'] : [])];
            const from = `${useSte ? 'cached STE' : 'STE from memory'}, ${useCd ? 'cached CD' : 'CD from memory'}`;
            const fetching = atStage(w, 'fetch');
            fetching.fetchImage = base;
            fetching.chunksRead = read;
            fetching.pcFences = 0;
            if ((read & CHUNKS) === (1 << ctx.chunks.length) - 1) {
              // Nothing left to read that can have changed: the configuration is complete.
              const { next, cached } = finishFetch(after, ctx, fetching, base);
              const done = atStage(w, 'lookup');
              done.image = base;
              out.push(move(withWalk(next, i, done),
                () => ({ lane: 'pasid-cache', text: `SMMU: configuration for ${who(w)}: ${from}${evicted.length ? ` (${evicted.join(', ')} evicted)` : ''}: ${im.name(base)}${cached.length ? `, ${cached.join(' and ')} cached` : ''}` }), FP));
            } else {
              out.push(move(withWalk(after, i, fetching),
                () => ({ lane: 'pasid-cache', text: `SMMU: configuration for ${who(w)}: ${from}${evicted.length ? ` (${evicted.join(', ')} evicted)` : ''}` }), FP));
            }
          }
        }
        break;
      }
      case 'fetch': {
        // One 64-bit single-copy-atomic read (§3.21.3) of a qword that may change, in any
        // order unless config-fetch-in-order.
        for (let c = 0; c < ctx.chunks.length; c++) {
          if (w.chunksRead & (1 << c)) continue;
          if (c > 0 && !(w.chunksRead & (1 << (c - 1))) && ctx.hw.configFetchInOrder) continue;
          const word = ctx.chunks[c];
          const image = im.derive(w.fetchImage, s.memory * 32 + c, (words) => { words[word] = im.words(s.memory)[word]; });
          const read = w.chunksRead | (1 << c);
          const where = word >= CD_BASE ? `CD qword ${word - CD_BASE}` : `STE qword ${word}`;
          if ((read & CHUNKS) !== (1 << ctx.chunks.length) - 1) {
            const n = cloneWalk(w);
            n.fetchImage = image;
            n.chunksRead = read;
            out.push(move(withWalk(s, i, n), () => ({ lane: 'memory', text: `SMMU: reads ${where} for ${who(w)}` }), FP));
            continue;
          }
          const done = atStage(w, 'lookup');
          done.chunksRead = read;
          const { next, cached } = finishFetch(s, ctx, done, image);
          done.fetchImage = -1;
          done.chunksRead = 0;
          done.pcFences = 0;
          done.image = image;
          out.push(move(withWalk(next, i, done),
            () => ({ lane: 'memory', text: `SMMU: reads ${where} for ${who(w)}: ${im.name(image)}${cached.length ? `, ${cached.join(' and ')} cached` : ''}` }), FP));
        }
        break;
      }
      case 'lookup': {
        const o = im.outcome(w.image);
        if (o.tag < 0) {
          out.push(move(withWalk(s, i, atStage(w, 'fill')), () => ({ lane: 'iotlb', text: `SMMU: ${who(w)}: no TLB lookup (${im.name(w.image)})` }), FP));
          break;
        }
        // The lookup uses the tags of the configuration just found (§3.17).
        const hit = tlbLookup(s.tlb, ctx, o.tag);
        if (hit >= 0) {
          out.push(move(withWalk(s, i, answered(w, hit)), () => ({ lane: 'iotlb', text: `SMMU: TLB lookup ${tagOf(ctx, w.image)} for ${who(w)}: hit (${im.name(hit)})` }), FP));
          const evicted = withWalk(s, i, atStage(w, 'fill'));
          evicted.tlb = s.tlb.filter((e) => e !== hit);
          out.push(move(evicted, () => ({ lane: 'iotlb', text: `SMMU: TLB evicts ${im.name(hit)}; lookup ${tagOf(ctx, w.image)} for ${who(w)}: miss` }), FP));
        } else {
          out.push(move(withWalk(s, i, atStage(w, 'fill')), () => ({ lane: 'iotlb', text: `SMMU: TLB lookup ${tagOf(ctx, w.image)} for ${who(w)}: miss` }), FP));
        }
        break;
      }
      case 'fill': {
        const o = im.outcome(w.image);
        if (!o.present) {
          // A fault: an ATS request gets a completion granting no access; DMA is aborted.
          let next: SmmuState;
          if (w.kind === 'ats') next = withWalk(s, i, answered(w, w.image));
          else {
            next = withWalk(s, i, null);
            next.dmaUses = recordDma(s, { image: w.image, afterReturn: s.returned, path: 'iommu' }, (u) => !ctx.deadValues || smmuUseMayViolate(ctx, u));
          }
          out.push(move(next, () => ({ lane: 'walker', text: `SMMU: ${who(w)} faults (${im.name(w.image)})` }), FP));
          break;
        }
        if (o.bypass) {
          out.push(move(withWalk(s, i, answered(w, w.image)), () => ({ lane: 'walker', text: `SMMU: ${who(w)} bypasses translation` }), FP));
          break;
        }
        let blocked = false;
        if (ctx.hw.tlbiBlocksLateFills) {
          for (let b = 0; b < ctx.fences.length; b++) if ((w.iotlbFences & (1 << b)) && tlbiMatches(ctx, w.image, ctx.fences[b])) blocked = true;
        }
        const next = cloneSmmuState(s);
        if (!blocked) next.tlb = tlbFill(s.tlb, ctx, w.image);
        out.push(move(withWalk(next, i, answered(w, w.image)),
          () => ({ lane: 'walker', text: `SMMU: table walk for ${who(w)} with ${im.name(w.image)}${blocked ? ', TLB fill dropped (invalidated meanwhile)' : `, TLB fill ${tagOf(ctx, w.image)}`}` }), FP));
        break;
      }
      case 'answer': {
        if (w.kind === 'ats') {
          const next = withWalk(s, i, null);
          next.down = canonicalDown([...s.down, { kind: 'completion', request: w.id, image: w.result }]);
          out.push(move(next, () => ({
            lane: 'walker', text: `SMMU: sends Translation Completion #${w.id} (${im.name(w.result)})`,
            message: { id: `tc${w.id}`, kind: 'send', peer: 'device', label: `TC #${w.id} (${im.name(w.result)})` },
          }), FP));
        } else {
          out.push(move(withWalk(s, i, atStage(w, 'commit')), () => ({ lane: 'walker', text: `SMMU: untranslated DMA #${w.id} translated with ${im.name(w.result)}` }), FP));
        }
        break;
      }
      case 'commit': {
        const next = withWalk(s, i, null);
        next.dmaUses = recordDma(s, { image: w.result, afterReturn: s.returned, path: 'iommu' }, (u) => !ctx.deadValues || smmuUseMayViolate(ctx, u));
        out.push(move(next, () => ({ lane: 'walker', text: `SMMU: untranslated DMA #${w.id} reaches memory via ${im.name(w.result)}` }), FP));
        break;
      }
    }
    // The ATS Translation Request arrives with the walk's first step (drawn from the device).
    if (w.kind === 'ats' && w.stage === 'entry') {
      for (let k = first; k < out.length; k++) {
        const label = out[k].label;
        out[k] = { ...out[k], label: () => ({ ...label(), message: { id: `tr${w.id}`, kind: 'receive', peer: 'device', label: `TR #${w.id}` } }) };
      }
    }
  }
}

function tagOf(ctx: SmmuContext, image: number): string {
  const o = ctx.images.outcome(image);
  return o.stage === 's2' ? `VMID=${o.vmid}` : `ASID=${o.asid}${o.vmid ? ` VMID=${o.vmid}` : ''}`;
}

export { currentConfig };
