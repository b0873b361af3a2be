// Strategies are data; compiled per scenario into the driver's program. The programs and
// costs below are what the kernel code of each strategy issues (docs/kernel.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STRATEGIES, validateStrategy, getStrategy } from '../../src/model/strategies';
import { compileProgram, type DriverOp } from '../../src/model/program';
import { parseEntry } from '../../src/formats/pasidEntry';
import { describeDescriptor } from '../../src/formats/descriptors';
import { check, verdict } from '../check/helpers';
import { TRANSITIONS } from '../../src/model/transitions';
import { JASON_PREMISE } from '../../src/model/premise';

function program(strategy: string, from: string, to: string, extra: { coherent?: boolean; cachingMode?: boolean } = {}) {
  return compileProgram(getStrategy(strategy), {
    oldEntry: parseEntry(from), newEntry: parseEntry(to), sid: 0x100, pasid: 0x10,
    coherent: extra.coherent ?? true, cachingMode: extra.cachingMode ?? false,
  });
}

function ops(list: DriverOp[]): string[] {
  return list.map((o) => (o.op === 'submit' ? `submit ${o.descriptors.map(describeDescriptor).join(' + ')}` : o.op === 'store' ? `store q${o.store.quantum}` : o.op));
}

test('posted-v1 on SL->SL new DID: one sync = PC, P_IOTLB, P_DEV_TLB each with its own wait (intel_pasid_flush_present)', () => {
  const p = program('posted-v1', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to);
  assert.deepEqual(ops(p.ops), [
    'store q0',
    'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_IOTLB PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_DEV_TLB_INV SID=0x0100 PASID=0x10 all + INV_WAIT SW DATA=0x1', 'poll',
    'return',
  ]);
  assert.deepEqual(p.cost, { descriptors: { pc_inv: 1, inv_wait: 3, p_iotlb_inv: 1, p_dev_tlb_inv: 1 }, submissions: 3, waits: 3, devtlbInvalidations: 1, syncs: 1, clflushes: 0 });
});

test('jason: PC + wait per sync, one Device-TLB inv after the writer; clflush only when not coherent', () => {
  const p = program('jason', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to, { coherent: false });
  assert.deepEqual(ops(p.ops), [
    'store q0', 'clflush',
    'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_DEV_TLB_INV SID=0x0100 PASID=0x10 all + INV_WAIT SW DATA=0x1', 'poll',
    'return',
  ]);
  assert.equal(p.cost.clflushes, 1);
  assert.equal(program('jason', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to).cost.clflushes, 0);
});

test('baolu (15 March): sync = PC + wait; after the writer P_IOTLB, wait, Device-TLB, wait; the other reading keeps the IOTLB inv per sync', () => {
  const p = program('baolu', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to);
  assert.deepEqual(ops(p.ops), [
    'store q1', 'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'store q0', 'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_IOTLB PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_DEV_TLB_INV SID=0x0100 PASID=0x10 all + INV_WAIT SW DATA=0x1', 'poll',
    'return',
  ]);
  const every = program('baolu-every-sync', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to);
  assert.deepEqual(ops(every.ops).filter((o) => o.startsWith('submit')).map((o) => o.split(' ')[1]), ['PC_INV', 'P_IOTLB', 'PC_INV', 'P_IOTLB', 'P_DEV_TLB_INV']);
  // Where they differ from jason-ordered-waited: only the DIDs jason's sync names (none on this path).
  assert.deepEqual(ops(program('jason-ordered-waited', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to).ops), ops(p.ops));
});

test("jason names the DID cached entries carry at each sync: the old one while present, DID 0 after P was cleared (DidRef 'previous')", () => {
  const p = program('jason', TRANSITIONS.flNewDid.from, TRANSITIONS.flNewDid.to);
  // The V-cleared path: clear P (sync P1->P0), the rest (P0->P0), set P (P0->P1).
  assert.deepEqual(p.writerSteps.map((w) => w.change), ['P1->P0', 'P0->P0', 'P0->P1']);
  assert.deepEqual(ops(p.ops).filter((o) => o.startsWith('submit PC_INV')), [
    'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1',
    'submit PC_INV PASID-selective DID=0 PASID=0x10 + INV_WAIT SW DATA=0x1',
    'submit PC_INV PASID-selective DID=0 PASID=0x10 + INV_WAIT SW DATA=0x1',
  ]);
  // After a P0->P1 step the entry cached carries the new DID: a second write names it.
  const twice = compileProgram(validateStrategy({
    name: 'prev', writer: 'clear-then-write', sync: { 'P0->P1': [{ do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'previous' }], wait: 'poll' }] },
    after: [{ do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'previous' }], wait: 'poll' }],
  }), { oldEntry: parseEntry('off'), newEntry: parseEntry(TRANSITIONS.slNewDid.to), sid: 0x100, pasid: 0x10, coherent: true, cachingMode: false });
  assert.deepEqual(ops(twice.ops).filter((o) => o.startsWith('submit')), [
    'submit PC_INV PASID-selective DID=0 PASID=0x10 + INV_WAIT SW DATA=0x1',
    'submit PC_INV PASID-selective DID=6 PASID=0x10 + INV_WAIT SW DATA=0x1',
  ]);
  assert.throws(() => validateStrategy({ name: 'x', writer: 'entry_sync', sync: {}, after: [{ do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'current' }], wait: 'poll' }] }), /did must be 'old', 'new' or 'previous'/);
});

test('the standard transitions, as data: which satisfy the premise of J4 (a DID,PASID already coherent in the IOTLB)', () => {
  assert.deepEqual(Object.entries(JASON_PREMISE).filter(([, v]) => v.holds).map(([k]) => k), ['slNewDid', 'flNewDid', 'slToFl', 'nestedNewDid']);
  assert.deepEqual(Object.keys(JASON_PREMISE), Object.keys(TRANSITIONS));
  assert.match(JASON_PREMISE.flSameDid.why, /same DID/);
});

test('every position of the thread names its source: who, the date, and a quote', () => {
  for (const name of ['posted-v1', 'baolu', 'baolu-every-sync', 'jason', 'jason-ordered', 'jason-ordered-waited']) {
    assert.match(STRATEGIES[name].source, /(Baolu Lu|Jason Gunthorpe)(, March 2026|, 2026-03-1[25])/, name);
    assert.match(STRATEGIES[name].source, /"[^"]+"|intel_pasid_sync/, name);
  }
});

test('jason-ordered puts P_IOTLB and the Device-TLB inv in one submission', () => {
  const p = program('jason-ordered', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to);
  assert.ok(ops(p.ops).includes('submit P_IOTLB PASID-selective DID=5 PASID=0x10 + P_DEV_TLB_INV SID=0x0100 PASID=0x10 all + INV_WAIT SW DATA=0x1'));
  assert.equal(p.cost.submissions, 2);
});

test('teardown-setup clears P, flushes by the old PGTT (domain-selective IOTLB for SL), rewrites, sets P', () => {
  const p = program('teardown-setup', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to);
  assert.deepEqual(ops(p.ops), [
    'store q0',
    'submit PC_INV PASID-selective DID=5 PASID=0x10 + INV_WAIT SW DATA=0x1', 'poll',
    'submit IOTLB domain-selective DID=5 + INV_WAIT SW DATA=0x1', 'poll',
    'submit P_DEV_TLB_INV SID=0x0100 PASID=0x10 all + INV_WAIT SW DATA=0x1', 'poll',
    'store q0', 'store q0', 'return',
  ]);
  assert.equal(p.vCleared, true);
});

test('caching mode adds the set-up flush (PC + P_IOTLB for the new DID) after P is set', () => {
  const p = program('teardown-setup', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to, { cachingMode: true });
  assert.ok(ops(p.ops).includes('submit PC_INV PASID-selective DID=6 PASID=0x10 + INV_WAIT SW DATA=0x1'));
  assert.equal(p.cost.submissions, 5);
});

test('every built-in strategy validates as data', () => {
  for (const s of Object.values(STRATEGIES)) assert.deepEqual(validateStrategy(JSON.parse(JSON.stringify(s))), s);
});

test('a strategy written in a cell is checked like a built-in one', () => {
  const mine = validateStrategy({
    name: 'mine', writer: 'entry_sync',
    sync: { 'P1->P1': [{ do: 'submit', descriptors: [{ type: 'pc_inv', granularity: 'pasid', did: 'old' }], wait: 'poll' }] },
    after: [{ do: 'submit', descriptors: [{ type: 'p_iotlb_inv', granularity: 'pasid', did: 'old' }, { type: 'devtlb' }], wait: 'poll' }],
  });
  assert.equal(verdict(check({ ...TRANSITIONS.slNewDid, strategy: mine, dmas: 0 })), 'safe');
});

test('a malformed strategy names its problem', () => {
  assert.throws(() => validateStrategy({ name: 'x', writer: 'entry_sync', sync: { 'P1->P2': [] }, after: [] }), /sync key 'P1->P2'/);
  assert.throws(() => validateStrategy({ name: 'x', writer: 'entry_sync', sync: {}, after: [{ do: 'submit', descriptors: [{ type: 'bogus' }], wait: 'poll' }] }), /unknown descriptor type 'bogus'/);
  assert.throws(() => validateStrategy({ name: 'x', writer: 'fast', sync: {}, after: [] }), /writer must be/);
  assert.throws(() => getStrategy('nope'), /unknown strategy 'nope'/);
});
