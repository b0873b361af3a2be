/**
 * The entry_sync writer on VT-d PASID entries (patch 2/8: four 128-bit quanta, P in quanta 0,
 * `intel_pasid_get_used`), over the transitions the thread is about. Geometry to keep in
 * mind for every comment below:
 *   quanta 0 = val[0..1]: P, FPD, AW, PGTT, SSADE, SSPTPTR | DID, PWSNP, PGSNP
 *   quanta 1 = val[2..3]: SRE, FSPM, WPE, EAFE, FSPTPTR
 * One critical quantum -> hitless (unused bits, critical quantum, clean-up; 1-3 syncs);
 * two -> the V-cleared path (clear quanta 0, write the rest, write quanta 0; 3 syncs).
 * "Hitless" is the KUnit criterion: no sync ever sees the first word of quanta 0 zero, and
 * every sync sees the old or the new entry under the entry's own used bits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planEntryWrite, storeStates } from '../../src/writer/writer';
import { vtdPasidFormat } from '../../src/writer/formats';
import type { EntryFormat, WriterStepKind } from '../../src/writer/writer';
import { parseEntry } from '../../src/formats/pasidEntry';

const FL = 'fl:did=5,fsptptr=0x1000';
const SL = 'sl:did=5,ssptptr=0x2000';
const NESTED = 'nested:did=5,ssptptr=0x2000,fsptptr=0x1000';

interface VtdCase {
  name: string;
  from: string;
  to: string;
  hitless: boolean;
  syncs: number;
  /** The synced steps, in order. */
  synced: WriterStepKind[];
  why: string;
}

const cases: VtdCase[] = [
  {
    name: 'set-up FL from off', from: 'off', to: FL, hitless: false, syncs: 2, synced: ['unused', 'critical'],
    why: 'FSPTPTR (quanta 1) is ignored while P=0, so it is written first and synced with val[0] still 0 '
      + '(KUnit counts that as invalid_entry_written, like cd s1_clear); then quanta 0 sets P.',
  },
  {
    name: 'set-up SL from off', from: 'off', to: SL, hitless: true, syncs: 1, synced: ['critical'],
    why: 'Everything an SL entry uses is in quanta 0: one 128-bit store, one sync, which already sees the new entry.',
  },
  {
    name: 'set-up PT from off', from: 'off', to: 'pt', hitless: true, syncs: 1, synced: ['critical'],
    why: 'Pass-through uses quanta 0 only (FPD, AW, PGTT, DID=1, PWSNP).',
  },
  {
    name: 'set-up nested from off', from: 'off', to: NESTED, hitless: false, syncs: 2, synced: ['unused', 'critical'],
    why: 'As FL: the first-stage fields in quanta 1 are written and synced while P=0, then quanta 0.',
  },
  {
    name: 'tear-down FL to off', from: FL, to: 'off', hitless: false, syncs: 2, synced: ['critical', 'cleanup'],
    why: 'Quanta 0 becomes zero (P=0) in one store and syncs; FSPTPTR, now ignored, is zeroed after (clean-up sync).',
  },
  {
    name: 'tear-down SL to off', from: SL, to: 'off', hitless: false, syncs: 1, synced: ['critical'],
    why: 'Zeroing quanta 0 is the whole change: one sync, which sees the invalid entry.',
  },
  {
    name: 'tear-down PT to off', from: 'pt', to: 'off', hitless: false, syncs: 1, synced: ['critical'],
    why: 'As SL: quanta 0 only.',
  },
  {
    name: 'tear-down nested to off', from: NESTED, to: 'off', hitless: false, syncs: 2, synced: ['critical', 'cleanup'],
    why: 'As FL: clear quanta 0, then clean up quanta 1.',
  },
  {
    name: 'SL -> SL, new DID', from: SL, to: 'sl:did=6,ssptptr=0x2000', hitless: true, syncs: 1, synced: ['critical'],
    why: 'DID is val[1], in quanta 0: one atomic store.',
  },
  {
    name: 'SL -> SL, new DID and new table', from: SL, to: 'sl:did=6,ssptptr=0x3000', hitless: true, syncs: 1, synced: ['critical'],
    why: 'SSPTPTR (val[0]) and DID (val[1]) share quanta 0, so the 128-bit store switches both at once.',
  },
  {
    name: 'FL -> FL, same DID, new table', from: FL, to: 'fl:did=5,fsptptr=0x4000', hitless: true, syncs: 1, synced: ['critical'],
    why: 'Only FSPTPTR changes: quanta 1 is the single critical quanta.',
  },
  {
    name: 'FL -> FL, new DID, same table', from: FL, to: 'fl:did=6,fsptptr=0x1000', hitless: true, syncs: 1, synced: ['critical'],
    why: 'Only DID changes: quanta 0 is the single critical quanta.',
  },
  {
    name: 'FL -> FL, new DID, new table', from: FL, to: 'fl:did=6,fsptptr=0x4000', hitless: false, syncs: 3,
    synced: ['clear-v', 'rest', 'set-v'],
    why: 'DID (quanta 0) and FSPTPTR (quanta 1) are both used by both entries: 2 critical quanta, no single store can '
      + 'switch both, so quanta 0 is zeroed (P=0), quanta 1 written, quanta 0 written last.',
  },
  {
    name: 'FL -> SL', from: FL, to: 'sl:did=6,ssptptr=0x2000', hitless: true, syncs: 2, synced: ['critical', 'cleanup'],
    why: 'SL uses nothing in quanta 1, so only quanta 0 (PGTT, DID, SSPTPTR) is critical; FSPTPTR is cleaned up after.',
  },
  {
    name: 'SL -> FL', from: 'sl:did=6,ssptptr=0x2000', to: FL, hitless: true, syncs: 2, synced: ['unused', 'critical'],
    why: 'SL ignores quanta 1, so FSPTPTR is written first (unused step), then quanta 0 switches PGTT and DID.',
  },
  {
    name: 'PT -> FL', from: 'pt', to: FL, hitless: true, syncs: 2, synced: ['unused', 'critical'],
    why: 'PT ignores quanta 1: FSPTPTR first, then quanta 0.',
  },
  {
    name: 'FL -> PT', from: FL, to: 'pt', hitless: true, syncs: 2, synced: ['critical', 'cleanup'],
    why: 'Quanta 0 switches to PT (DID 1); FSPTPTR is cleaned up after.',
  },
  {
    name: 'SL -> nested over the same S2', from: SL, to: NESTED, hitless: true, syncs: 2, synced: ['unused', 'critical'],
    why: 'The first-stage fields (quanta 1) are ignored by SL: written first; quanta 0 then flips PGTT to nested.',
  },
  {
    name: 'nested -> SL', from: NESTED, to: SL, hitless: true, syncs: 2, synced: ['critical', 'cleanup'],
    why: 'Quanta 0 flips PGTT; the first-stage fields are cleaned up after.',
  },
  {
    name: 'nested -> nested, new guest table', from: NESTED, to: 'nested:did=5,ssptptr=0x2000,fsptptr=0x4000',
    hitless: true, syncs: 1, synced: ['critical'],
    why: 'Only FSPTPTR (quanta 1) changes.',
  },
  {
    name: 'nested -> nested, new DID and new S2 table', from: NESTED, to: 'nested:did=7,ssptptr=0x3000,fsptptr=0x1000',
    hitless: true, syncs: 1, synced: ['critical'],
    why: 'DID and SSPTPTR are both in quanta 0.',
  },
  {
    name: 'nested -> nested, new DID and new guest table', from: NESTED, to: 'nested:did=7,ssptptr=0x2000,fsptptr=0x4000',
    hitless: false, syncs: 3, synced: ['clear-v', 'rest', 'set-v'],
    why: 'DID (quanta 0) and FSPTPTR (quanta 1): two critical quanta, the V-cleared path.',
  },
  {
    name: 'FL -> FL, leftover ignored SSPTPTR dropped', from: 'fl:did=5,fsptptr=0x1000,ssptptr=0x5000', to: FL,
    hitless: true, syncs: 1, synced: ['target'],
    why: 'Only bits FL ignores differ: no critical quanta, one store of the target and one sync.',
  },
  {
    name: 'no change', from: FL, to: FL, hitless: true, syncs: 0, synced: [],
    why: 'Nothing differs: nothing is stored, sync is never called.',
  },
];

for (const c of cases) {
  test(`vtd: ${c.name}`, () => {
    const from = parseEntry(c.from);
    const to = parseEntry(c.to);
    const run = planEntryWrite(vtdPasidFormat, from, to);
    assert.equal(run.hitless, c.hitless, `hitless (${c.why})`);
    assert.equal(run.syncs, c.syncs, `syncs (${c.why})`);
    assert.deepEqual(run.steps.filter((s) => s.synced).map((s) => s.kind), c.synced, c.why);
    assert.deepEqual(run.final, to);
    for (const s of run.steps.filter((x) => x.synced)) assert.ok(s.hitless, `oracle at the ${s.kind} sync`);
    for (const st of storeStates(vtdPasidFormat, from, to, run)) assert.ok(st.check.hitless, `oracle after storing quanta ${st.store.quantum}`);
    // Every store is one whole 128-bit quantum.
    for (const s of run.steps) for (const st of s.stores) assert.equal(st.words.length, 2);
  });
}

test('vtd: the breaking path zeroes all of quanta 0, then writes quanta 1, then quanta 0', () => {
  const from = parseEntry(FL);
  const to = parseEntry('fl:did=6,fsptptr=0x4000');
  const run = planEntryWrite(vtdPasidFormat, from, to);
  assert.deepEqual(run.critical, [0, 1]);
  assert.equal(run.path, 'breaking');
  const [clear, rest, set] = run.steps;
  assert.deepEqual(clear!.stores, [{ quantum: 0, words: [0n, 0n] }]);
  assert.ok(clear!.vCleared && rest!.vCleared && !set!.vCleared);
  assert.deepEqual(rest!.stores, [{ quantum: 1, words: [to[2]!, to[3]!] }]);
  assert.deepEqual(set!.stores, [{ quantum: 0, words: [to[0]!, to[1]!] }]);
});

test('vtd: why 128-bit quanta matter — with 64-bit quanta SL -> SL with new DID and table breaks', () => {
  // Same used bits, but stores of one u64: SSPTPTR (val[0]) and DID (val[1]) would be two
  // critical quanta. This is the torn-update risk upstream c3b1edea3791 describes.
  const vtd64: EntryFormat = { ...vtdPasidFormat, name: 'vtd-pasid-64', quantumBits: 64, numQuanta: 8 };
  const from = parseEntry(SL);
  const to = parseEntry('sl:did=6,ssptptr=0x3000');
  assert.equal(planEntryWrite(vtdPasidFormat, from, to).hitless, true);
  const run64 = planEntryWrite(vtd64, from, to);
  assert.equal(run64.hitless, false);
  assert.equal(run64.syncs, 3);
  assert.deepEqual(run64.critical, [0, 1]);
});
