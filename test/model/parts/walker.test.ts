// The walker (src/model/parts/walker.ts): a translation one step at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { walkMoves } from '../../../src/model/parts/walker';
import { at, model, movesOf, only, texts, walk } from './kit';

test('walker: an IOTLB hit answers with the cached translation, even after the entry changed (VT-d 6.2.4, Table 17)', () => {
  const m = model();
  const im = m.ctx.images;
  const s = at(m, { memory: im.newId, pasidCache: { image: im.newId }, iotlb: [{ image: im.oldId }], walks: [walk()] });
  const hit = only(movesOf(walkMoves, m, s), 'hit');
  assert.deepEqual([hit.next.walks[0].stage, hit.next.walks[0].result], ['answer', im.oldId]);
});

test('walker: an IOTLB entry may be evicted at any time, so a lookup that would hit may miss (VT-d 6.2.4)', () => {
  const m = model();
  const s = at(m, { walks: [walk()] });
  const miss = only(movesOf(walkMoves, m, s), 'evicts');
  assert.deepEqual([miss.next.walks[0].stage, miss.next.iotlb.length], ['entry', 0]);
});

test('walker: a PASID-cache miss fetches the entry from memory, chunk by chunk, in any order (VT-d 6.2.3.1; named assumption entry-fetch-in-order)', () => {
  const cases: [string, number][] = [['spec,entry-fetch-bits=64,entry-fetch-in-order=false', 3], ['spec,entry-fetch-bits=64,entry-fetch-in-order=true', 1]];
  for (const [assume, firstReads] of cases) {
    const m = model({ assume });
    const s = at(m, { pasidCache: null, walks: [walk({ stage: 'entry' })] });
    const reads = texts(movesOf(walkMoves, m, s)).filter((t) => t.includes('reads entry chunk'));
    assert.equal(reads.length, firstReads, `${assume}: ${reads.join(' | ')}`);
  }
});

test('walker: a fill after a covering IOTLB invalidation completed is dropped (VT-d 6.2.3.1; named assumption iotlb-inv-blocks-late-fills)', () => {
  const cases: [string, boolean][] = [['spec,iotlb-inv-blocks-late-fills=true', true], ['spec,iotlb-inv-blocks-late-fills=false', false]];
  for (const [assume, dropped] of cases) {
    const m = model({ assume });
    const im = m.ctx.images;
    const fence = m.ctx.fenceBit[m.ctx.descriptors.findIndex((d) => d.type === 'p_iotlb_inv')];
    const s = at(m, { iotlb: [], walks: [walk({ stage: 'fill', image: im.oldId, iotlbFences: 1 << fence })] });
    const fill = movesOf(walkMoves, m, s)[0];
    assert.equal(fill.next.iotlb.length, dropped ? 0 : 1, assume);
    assert.equal(fill.label().text.includes('fill dropped'), dropped, assume);
  }
});

test('walker: an untranslated DMA through a not-present entry faults and is recorded (VT-d 6.3; 7.1 non-recoverable fault)', () => {
  const m = model({ to: 'off', strategy: 'teardown-setup', dmas: 1 });
  const im = m.ctx.images;
  const s = at(m, { walks: [walk({ kind: 'dma', stage: 'fill', image: im.newId })], dmasIssued: 1 });
  const fault = only(movesOf(walkMoves, m, s), 'faults');
  assert.deepEqual([fault.next.walks.length, fault.next.dmaUses.map((u) => u.image)], [0, [im.newId]]);
});

test('walker: an ATS request answers with a Translation Completion on the link; a DMA goes on to memory (VT-d 6.3; PCIe 10.1.1)', () => {
  const m = model({ dmas: 1 });
  const im = m.ctx.images;
  const cases: ['ats' | 'dma', string, number, string][] = [['ats', 'sends Translation Completion', 1, ''], ['dma', 'translated with', 0, 'commit']];
  for (const [kind, text, down, stage] of cases) {
    const s = at(m, { walks: [walk({ kind, stage: 'answer', image: im.oldId, result: im.oldId })], requestsIssued: 1, dmasIssued: 1 });
    const next = only(movesOf(walkMoves, m, s), text).next;
    assert.equal(next.down.length, down, kind);
    assert.equal(next.walks[0]?.stage ?? '', stage, kind);
  }
});
