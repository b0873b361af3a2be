// The invalidation queue (src/model/parts/invalidationQueue.ts): what each descriptor does, and when.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queueMoves } from '../../../src/model/parts/invalidationQueue';
import { at, model, movesOf, queued, walk } from './kit';

// baolu's queue: 0 PC_INV, 1 wait, 2 P_IOTLB, 3 wait, 4 P_DEV_TLB_INV, 5 wait.

test('queue: pc_inv removes the cached entry of its DID and PASID, leaving the IOTLB (VT-d 6.5.2.2)', () => {
  const m = model();
  const s = at(m, { queue: queued(m, ['pending']) });
  const [done] = movesOf(queueMoves, m, s);
  assert.deepEqual([done.next.pasidCache, done.next.iotlb.length, done.next.queue[0].status], [null, 1, 'done']);
});

test('queue: an inclusive PASID cache drops the IOTLB entries with it (named assumption pc-inv-drops-iotlb; VT-d 6.5.2.2)', () => {
  const m = model({ assume: 'spec,pc-inv-drops-iotlb=true' });
  const [done] = movesOf(queueMoves, m, at(m, { queue: queued(m, ['pending']) }));
  assert.equal(done.next.iotlb.length, 0);
});

test('queue: pc_inv marks fetches in progress so they do not cache what it covers (VT-d 6.2.3.1; pc-inv-blocks-late-fills)', () => {
  const m = model({ requests: 2 });
  const s = at(m, { queue: queued(m, ['pending']), walks: [walk({ stage: 'fetch', fetchImage: m.ctx.images.blank() }), walk({ id: 2, stage: 'fill', image: 0 })], requestsIssued: 2 });
  const [done] = movesOf(queueMoves, m, s);
  assert.deepEqual(done.next.walks.map((w) => w.pcFences !== 0), [true, false]);
});

test('queue: p_iotlb_inv waits for ATS translations already begun under drain-scope in-flight (VT-d 6.6; named assumption drain-scope)', () => {
  const cases: [string, string, number][] = [
    ['spec,drain-scope=in-flight', 'fill', 0],
    ['spec,drain-scope=in-flight', 'lookup', 1],
    ['spec,drain-scope=processed', 'fill', 1],
  ];
  for (const [assume, stage, moves] of cases) {
    const m = model({ assume });
    const s = at(m, { queue: queued(m, ['done', 'done', 'pending']), walks: [walk({ stage: stage as 'fill', image: m.ctx.images.oldId })], requestsIssued: 1 });
    assert.equal(movesOf(queueMoves, m, s).length, moves, `${assume}, walk at ${stage}`);
  }
});

test('queue: a wait does not complete while an untranslated DMA marked by an IOTLB invalidation is in flight (VT-d 6.5.4 draining)', () => {
  const m = model({ dmas: 1 });
  for (const mustDrain of [true, false]) {
    const s = at(m, { queue: queued(m, ['done', 'done', 'done', 'pending']), walks: [walk({ kind: 'dma', stage: 'commit', result: 0, mustDrain })], dmasIssued: 1 });
    assert.equal(movesOf(queueMoves, m, s).length, mustDrain ? 0 : 1, `mustDrain=${mustDrain}`);
  }
});

test('queue: a Device-TLB invalidation sends an Invalidate Request and completes only on its Invalidate Completion (VT-d 6.5.2.5/6, 4.3)', () => {
  const m = model();
  const sent = movesOf(queueMoves, m, at(m, { queue: queued(m, ['done', 'done', 'done', 'done', 'pending']) }))[0].next;
  assert.deepEqual([sent.queue[4].status, sent.down], ['sent', [{ kind: 'invalidate', descriptor: 4 }]]);
  const back = movesOf(queueMoves, m, { ...sent, down: [], up: [4] })[0].next;
  assert.deepEqual([back.queue[4].status, back.up], ['done', []]);
});
