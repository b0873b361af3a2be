// The uses-stale goal (src/model/properties.ts usesStale) and its search
// (src/check/usesStale.ts): what counts as a use of a stale translation, and the same
// shortest run with and without the partial-order reduction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/build';
import { staleAfterReturn, usesStale } from '../../src/model/properties';
import { checkModel } from '../../src/check/check';
import { usesStaleRun } from '../../src/check/usesStale';
import type { State } from '../../src/model/state';

const SL = { from: 'sl:did=5,ssptptr=0x1000', to: 'sl:did=6,ssptptr=0x2000' };

test('a use: after the return, an untranslated DMA through a stale translation or the ATC holding one; nothing else', () => {
  const model = buildModel({ ...SL, strategy: 'jason', requests: 1, dmas: 1 });
  const im = model.ctx.images;
  const goal = usesStale(model.ctx);
  const warm = model.system.initial();
  assert.ok(warm.atc >= 0 && im.outcome(warm.atc).via === 'old', 'warm: the ATC holds the old translation');
  const at = (change: Partial<State>): string | null => goal.check({ ...warm, ...change });
  const old = warm.atc;
  const fresh = im.newId;
  const rows: [string, Partial<State>, boolean][] = [
    ['ATC old, before the return', {}, false],
    ['ATC old, after the return', { returned: true }, true],
    ['ATC new, after the return', { returned: true, atc: fresh }, false],
    ['ATC empty, after the return', { returned: true, atc: -1 }, false],
    ['DMA via old after the return', { returned: true, atc: -1, dmaUses: [{ image: old, afterReturn: true, path: 'iommu' }] }, true],
    ['DMA via old before the return', { returned: true, atc: -1, dmaUses: [{ image: old, afterReturn: false, path: 'iommu' }] }, false],
    ['DMA via new after the return', { returned: true, atc: -1, dmaUses: [{ image: fresh, afterReturn: true, path: 'iommu' }] }, false],
  ];
  for (const [what, change, used] of rows) assert.equal(at(change) !== null, used, what);
  // Every use violates stale-after-return (why a safe check settles it); not the converse:
  // the IOTLB still holding the old entry after the return is a violation, not a use.
  const sar = staleAfterReturn(model.ctx);
  for (const [what, change, used] of rows) if (used) assert.notEqual(sar.check({ ...warm, ...change }), null, what);
  const iotlbOnly: State = { ...warm, returned: true, atc: -1, pasidCache: null };
  assert.ok(iotlbOnly.iotlb.length > 0);
  assert.notEqual(sar.check(iotlbOnly), null);
  assert.equal(goal.check(iotlbOnly), null);
});

test('the same shortest run with and without the reduction; a safe check is settled without a search', () => {
  const cases = [
    { ...SL, strategy: 'jason', requests: 1, dmas: 0 },
    { ...SL, strategy: 'jason', requests: 1, dmas: 1, cold: true },
    { ...SL, strategy: 'no-devtlb', requests: 1, dmas: 1, cold: true },
    { ...SL, strategy: 'jason', assume: 'jason', requests: 1, dmas: 0 },
  ];
  for (const input of cases) {
    const model = buildModel(input);
    const check = checkModel(model);
    const plain = usesStaleRun(model, check, { reduction: 'none' });
    const reduced = usesStaleRun(model, check, { reduction: 'auto', autoPlainStates: 10 });
    assert.equal(reduced.verdict, plain.verdict, JSON.stringify(input));
    assert.deepEqual(reduced.trace, plain.trace, JSON.stringify(input));
  }
  const safeModel = buildModel({ ...SL, strategy: 'jason-ordered', requests: 1, dmas: 0 });
  const safe = usesStaleRun(safeModel, checkModel(safeModel));
  assert.equal(safe.verdict, 'safe');
  assert.equal(safe.states, 0);
  // Searched anyway (as if the check had not been run), the answer is the same.
  assert.equal(usesStaleRun(safeModel, { verdict: 'unsafe', properties: [] }).verdict, 'safe');
});
