// The driver's program (src/model/parts/driver.ts), one operation a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { driverMoves } from '../../../src/model/parts/driver';
import { at, model, movesOf, queued } from './kit';

// baolu: 0 store, 1 submit [PC_INV, wait], 2 poll 1, 3 submit [P_IOTLB, wait], 4 poll 3, 5 submit [P_DEV_TLB, wait], 6 poll 5, 7 return.

test('driver: a submit appends its descriptors, pending, in order (VT-d 6.5.2: the tail register write)', () => {
  const m = model();
  const [sub] = movesOf(driverMoves, m, at(m, { pc: 1 }));
  assert.deepEqual(sub.next.queue.map((q) => [q.descriptor.type, q.status]), [['pc_inv', 'pending'], ['inv_wait', 'pending']]);
});

test('driver: qi_submit_sync spins until the wait status is written (Linux qi_submit_sync; VT-d 6.5.2.8)', () => {
  const m = model();
  for (const [status, moves] of [['pending', 0], ['done', 1]] as const) {
    const s = at(m, { pc: 2, queue: queued(m, ['done', status]) });
    assert.equal(movesOf(driverMoves, m, s).length, moves, `wait ${status}`);
  }
});

test('driver: return is the last step and marks the old domain\'s pages freed (the strategy\'s contract)', () => {
  const m = model();
  const [ret] = movesOf(driverMoves, m, at(m, { pc: 7 }));
  assert.deepEqual([ret.next.returned, ret.footprint.visible], [true, true]);
  assert.equal(movesOf(driverMoves, m, ret.next).length, 0);
});

test('driver: on a non-coherent IOMMU the writer\'s clflush pushes the line to memory (VT-d 3.10 Table 5; Linux clflush_cache_range)', () => {
  const m = model({ assume: 'spec,coherent=false' });
  const flushAt = m.ctx.program.ops.findIndex((o) => o.op === 'clflush');
  assert.ok(flushAt > 0);
  const [flush] = movesOf(driverMoves, m, at(m, { pc: flushAt, line: m.ctx.images.newId }));
  assert.deepEqual([flush.next.memory, flush.next.line], [m.ctx.images.newId, -1]);
});
