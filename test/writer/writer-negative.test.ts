/**
 * Negative controls: deliberately broken orderings, to show the oracles can see a bug.
 * - `critical-first` (the critical quantum before the unused bits): the KUnit oracle at a
 *   sync reports a torn entry.
 * - `jason-ranges` (the breaking path of Jason's entry_sync copy, docs/kernel.md#entry-sync-library): every
 *   sync still looks fine, because the torn state is passed through *within* one step (only
 *   the sync count changes, 2 instead of 3); the per-store oracle (what a hardware fetch
 *   between two stores would see) catches it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkEntry, planEntryWrite, storeStates } from '../../src/writer/writer';
import { vtdPasidFormat } from '../../src/writer/formats';
import { KUNIT_FAKE_CDTAB_DMA, KUNIT_OTHER_CDTAB_DMA, kunitCdtableSte } from '../../src/writer/kunit';
import { STRTAB, makeAbortSte, makeBypassSte } from '../../src/formats/smmuv3';
import { smmuv3SteFormat } from '../../src/writer/formats';
import { entryDid, entryFsptptr, entryPresent, parseEntry } from '../../src/formats/pasidEntry';
import { vtdEntry } from './arbitraries';

test('negative control: critical-first on abort -> bypass syncs a torn STE', () => {
  // Bypass reads SHCFG in qword 1, abort does not: upstream writes SHCFG first. Writing CFG
  // first makes a bypass STE with SHCFG=0 — neither the old nor the new configuration.
  const good = planEntryWrite(smmuv3SteFormat, makeAbortSte(), makeBypassSte());
  assert.ok(good.hitless);
  const bad = planEntryWrite(smmuv3SteFormat, makeAbortSte(), makeBypassSte(), { variant: 'critical-first' });
  const first = bad.steps[0]!;
  assert.equal(first.kind, 'critical');
  assert.ok(first.synced && !first.vCleared);
  assert.equal(first.hitless, false, 'the oracle reports the torn sync');
  assert.equal(bad.hitless, false);
  assert.deepEqual(bad.final, makeBypassSte(), 'it still ends at the target');
});

test('negative control: critical-first on VT-d SL -> FL syncs an FL entry with no table', () => {
  const from = parseEntry('sl:did=6,ssptptr=0x2000');
  const to = parseEntry('fl:did=5,fsptptr=0x1000');
  const bad = planEntryWrite(vtdPasidFormat, from, to, { variant: 'critical-first' });
  const torn = bad.steps.find((s) => s.synced && !s.hitless);
  assert.ok(torn, 'a non-hitless sync');
  // PGTT=FL and the new DID are live while FSPTPTR (quanta 1) is still 0.
  assert.equal(entryDid(torn.entry), 5);
  assert.equal(entryFsptptr(torn.entry), 0n);
  const check = checkEntry(vtdPasidFormat, torn.entry, from, to);
  assert.deepEqual([check.matchesOld, check.matchesNew, check.vCleared], [false, false, false]);
});

test('negative control, property: whenever upstream needs its unused step, critical-first is caught at a sync', () => {
  fc.assert(fc.property(vtdEntry, vtdEntry, (a, b) => {
    const good = planEntryWrite(vtdPasidFormat, a, b);
    fc.pre(good.path === 'hitless' && good.steps[0]!.synced && entryPresent(a) && entryPresent(b));
    const bad = planEntryWrite(vtdPasidFormat, a, b, { variant: 'critical-first' });
    assert.ok(bad.steps.some((s) => s.synced && !s.hitless));
  }), { numRuns: 100 });
});

test("negative control: Jason's copy's ranges tear FL -> FL (new DID, new table) between two stores", () => {
  const from = parseEntry('fl:did=5,fsptptr=0x1000');
  const to = parseEntry('fl:did=6,fsptptr=0x4000');
  const bad = planEntryWrite(vtdPasidFormat, from, to, { variant: 'jason-ranges' });
  // Ranges [0, v-1) and [v, v+n-1) with v=0: quanta 0 (P=1, new DID) is stored before
  // quanta 1 within the same step; quanta 3 is never written (here it is zero anyway).
  assert.deepEqual(bad.steps.map((s) => s.kind), ['clear-v', 'rest', 'set-v']);
  assert.deepEqual(bad.steps[1]!.stores.map((s) => s.quantum), [0, 1]);
  assert.deepEqual(bad.final, to);
  assert.equal(bad.syncs, 2, 'set-v finds quanta 0 already written');
  // Blind spot of the sync-level oracle: every sync passes.
  for (const s of bad.steps.filter((x) => x.synced)) assert.ok(s.hitless);
  // The per-store oracle sees the new DID with the old first-stage table: cache pollution.
  const torn = storeStates(vtdPasidFormat, from, to, bad).filter((st) => !st.check.hitless);
  assert.equal(torn.length, 1);
  assert.equal(entryDid(torn[0]!.entry), 6);
  assert.equal(entryFsptptr(torn[0]!.entry), 0x1000n);
  // The upstream (Baolu/ARM) ranges never pass through such a state.
  const good = planEntryWrite(vtdPasidFormat, from, to);
  assert.ok(storeStates(vtdPasidFormat, from, to, good).every((st) => st.check.hitless));
});

test("negative control: Jason's ranges on the KUnit non_hitless STE", () => {
  const from = kunitCdtableSte(STRTAB.STE_1_S1DSS_SSID0, KUNIT_FAKE_CDTAB_DMA, { ats: true });
  const to = kunitCdtableSte(STRTAB.STE_1_S1DSS_BYPASS, KUNIT_OTHER_CDTAB_DMA, { ats: true });
  const good = planEntryWrite(smmuv3SteFormat, from, to);
  assert.deepEqual([good.hitless, good.syncs], [false, 3]);
  const bad = planEntryWrite(smmuv3SteFormat, from, to, { variant: 'jason-ranges' });
  // Qword 0 is already final after the 'rest' step, so set-v stores nothing: KUnit would
  // notice only the sync count (2, not 3); its oracle passes at every sync.
  assert.equal(bad.syncs, 2);
  for (const s of bad.steps.filter((x) => x.synced)) assert.ok(s.hitless);
  assert.ok(storeStates(smmuv3SteFormat, from, to, bad).some((st) => !st.check.hitless));
});
