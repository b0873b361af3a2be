// Memory and the CPU's line holding the PASID entry (src/model/parts/memory.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuStore, fetchChunks, flushLine, readChunk, writebackMoves } from '../../../src/model/parts/memory';
import { at, model, movesOf } from './kit';

const storeOf = (m: ReturnType<typeof model>) => {
  const op = m.ctx.program.ops[0];
  if (op.op !== 'store') throw new Error('the program does not start with a store');
  return op.store;
};

test('memory: a coherent IOMMU sees a CPU store at once (VT-d 3.10 Table 5, ECAP.C=1)', () => {
  const m = model({ assume: 'spec,coherent=true' });
  const s = cpuStore(at(m, {}), m.ctx, storeOf(m), 0);
  assert.equal(s.memory, m.ctx.images.newId);
  assert.equal(s.line, -1);
});

test('memory: a non-coherent IOMMU sees a CPU store only after clflush (VT-d 3.10 Table 5, ECAP.C=0)', () => {
  const m = model({ assume: 'spec,coherent=false' });
  const stored = cpuStore(at(m, {}), m.ctx, storeOf(m), 0);
  assert.equal(stored.memory, m.ctx.images.oldId, 'memory still holds the old entry');
  assert.equal(stored.line, m.ctx.images.newId, 'the dirty line holds the new one');
  const flushed = flushLine(stored);
  assert.deepEqual([flushed.memory, flushed.line], [m.ctx.images.newId, -1]);
});

test('memory: the CPU cache may write a dirty line back on its own, whole (VT-d 3.10 Table 5, ECAP.C=0)', () => {
  const cases: { assume: string; dirty: boolean; moves: number }[] = [
    { assume: 'spec,coherent=false', dirty: true, moves: 1 },
    { assume: 'spec,coherent=false', dirty: false, moves: 0 },
    { assume: 'spec,coherent=true', dirty: false, moves: 0 },
  ];
  for (const c of cases) {
    const m = model({ assume: c.assume });
    const s = at(m, { line: c.dirty ? m.ctx.images.newId : -1 });
    const moves = movesOf(writebackMoves, m, s);
    assert.equal(moves.length, c.moves, `${c.assume} dirty=${c.dirty}`);
    if (c.moves) assert.equal(moves[0].next.memory, m.ctx.images.newId);
  }
});

test('memory: a fetch reads the entry in chunks of entry-fetch-bits, only words 0..2 matter (VT-d 9.6, 6.2.3.1; named assumption entry-fetch-bits)', () => {
  const cases: [number, number[][]][] = [
    [64, [[0], [1], [2]]],
    [128, [[0, 1], [2, 3]]],
    [512, [[0, 1, 2, 3, 4, 5, 6, 7]]],
  ];
  for (const [bits, words] of cases) assert.deepEqual(fetchChunks(bits).map((c) => c.words), words, `${bits} bits`);
});

test('memory: a chunk read copies only that chunk from memory into the fetch (named assumption entry-fetch-bits)', () => {
  const m = model({ assume: 'spec,entry-fetch-bits=64' });
  const im = m.ctx.images;
  const s = at(m, { memory: im.newId });
  const part = readChunk(s, m.ctx, im.blank(), 0);
  assert.equal(im.words(part)[0], im.words(im.newId)[0]);
  assert.equal(im.words(part)[1], 0n, 'word 1 not read yet');
});
