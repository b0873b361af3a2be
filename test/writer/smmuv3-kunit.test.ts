/**
 * Every STE and CD case of the upstream KUnit file drivers/iommu/arm/arm-smmu-v3/
 * arm-smmu-v3-test.c (the version with get_update_safe and the nested cases, upstream
 * 2781f2a930ab and follow-ups), rebuilt with the same make helpers and constants. Each test
 * asserts what `arm_smmu_v3_test_{ste,cd}_expect_transition` asserts: the hitless flag, the
 * exact number of syncs, the final entry; and the oracle of
 * `arm_smmu_test_writer_record_syncs` at every sync. The expected figures are copied from
 * the file; the comments quote or paraphrase its reasons.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planEntryWrite, storeStates } from '../../src/writer/writer';
import type { EntryFormat } from '../../src/writer/writer';
import { KUNIT_FAKE_CDTAB_DMA, KUNIT_OTHER_CDTAB_DMA, kunitCdtableSte, kunitS1Cd, kunitS2Ste, kunitSvaCd, kunitSvaReleaseCd } from '../../src/writer/kunit';
import { STRTAB, makeAbortSte, makeBypassSte } from '../../src/formats/smmuv3';
import { smmuv3CdFormat, smmuv3SteFormat } from '../../src/writer/formats';

const { STE_1_S1DSS_SSID0: SSID0, STE_1_S1DSS_BYPASS: S1DSS_BYPASS } = STRTAB;
const fake = KUNIT_FAKE_CDTAB_DMA;

const abort = makeAbortSte();
const bypass = makeBypassSte();
const cdtable = kunitCdtableSte(SSID0, fake, { ats: true });
const s1dssBypass = kunitCdtableSte(S1DSS_BYPASS, fake, { ats: true });
const s2 = kunitS2Ste({ ats: true });

interface Case {
  name: string;
  format: EntryFormat;
  from: bigint[];
  to: bigint[];
  hitless: boolean;
  syncs: number;
}

const cases: Case[] = [
  // "Bypass STEs has used bits in the first two Qwords, while abort STEs only have used bits
  // in the first QWord": one sync to make it an abort, one to clean up qword 1.
  { name: 'arm_smmu_v3_write_ste_test_bypass_to_abort', format: smmuv3SteFormat, from: bypass, to: abort, hitless: true, syncs: 2 },
  // One sync to set qword 1 (SHCFG, ignored by abort), one to switch qword 0 to bypass.
  { name: 'arm_smmu_v3_write_ste_test_abort_to_bypass', format: smmuv3SteFormat, from: abort, to: bypass, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_cdtable_to_abort', format: smmuv3SteFormat, from: cdtable, to: abort, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_abort_to_cdtable', format: smmuv3SteFormat, from: abort, to: cdtable, hitless: true, syncs: 2 },
  // Qword 1 is used by both (S1 fields vs SHCFG): unused bits first, then CFG, then clean-up.
  { name: 'arm_smmu_v3_write_ste_test_cdtable_to_bypass', format: smmuv3SteFormat, from: cdtable, to: bypass, hitless: true, syncs: 3 },
  { name: 'arm_smmu_v3_write_ste_test_bypass_to_cdtable', format: smmuv3SteFormat, from: bypass, to: cdtable, hitless: true, syncs: 3 },
  // "Flipping s1dss on a CD table STE only involves changes to the second qword of an STE
  // and can be done in a single write."
  { name: 'arm_smmu_v3_write_ste_test_cdtable_s1dss_change (ssid0 -> s1dss bypass)', format: smmuv3SteFormat, from: cdtable, to: s1dssBypass, hitless: true, syncs: 1 },
  { name: 'arm_smmu_v3_write_ste_test_cdtable_s1dss_change (s1dss bypass -> ssid0)', format: smmuv3SteFormat, from: s1dssBypass, to: cdtable, hitless: true, syncs: 1 },
  { name: 'arm_smmu_v3_write_ste_test_s1dssbypass_to_stebypass', format: smmuv3SteFormat, from: s1dssBypass, to: bypass, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_stebypass_to_s1dssbypass', format: smmuv3SteFormat, from: bypass, to: s1dssBypass, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_s2_to_abort', format: smmuv3SteFormat, from: s2, to: abort, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_abort_to_s2', format: smmuv3SteFormat, from: abort, to: s2, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_s2_to_bypass', format: smmuv3SteFormat, from: s2, to: bypass, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_bypass_to_s2', format: smmuv3SteFormat, from: bypass, to: s2, hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_ste_test_s1_to_s2', format: smmuv3SteFormat, from: cdtable, to: s2, hitless: true, syncs: 3 },
  { name: 'arm_smmu_v3_write_ste_test_s2_to_s1', format: smmuv3SteFormat, from: s2, to: cdtable, hitless: true, syncs: 3 },
  // "one way to force an STE update to be non-hitless is to change its CD table pointer as
  // well as s1 dss field in the same update": qwords 0 and 1 are both critical.
  {
    name: 'arm_smmu_v3_write_ste_test_non_hitless', format: smmuv3SteFormat, from: cdtable,
    to: kunitCdtableSte(S1DSS_BYPASS, KUNIT_OTHER_CDTAB_DMA, { ats: true }), hitless: false, syncs: 3,
  },
  // A V=0 CD is all-zero: the first sync already sees qword 0 zero (invalid_entry_written).
  { name: 'arm_smmu_v3_write_cd_test_s1_clear (clear -> s1)', format: smmuv3CdFormat, from: new Array<bigint>(8).fill(0n), to: kunitS1Cd(1997n), hitless: false, syncs: 2 },
  { name: 'arm_smmu_v3_write_cd_test_s1_clear (s1 -> clear)', format: smmuv3CdFormat, from: kunitS1Cd(1997n), to: new Array<bigint>(8).fill(0n), hitless: false, syncs: 2 },
  // The ASID lives in qword 0 only: one store, one sync.
  { name: 'arm_smmu_v3_write_cd_test_s1_change_asid (778 -> 1997)', format: smmuv3CdFormat, from: kunitS1Cd(778n), to: kunitS1Cd(1997n), hitless: true, syncs: 1 },
  { name: 'arm_smmu_v3_write_cd_test_s1_change_asid (1997 -> 778)', format: smmuv3CdFormat, from: kunitS1Cd(1997n), to: kunitS1Cd(778n), hitless: true, syncs: 1 },
  {
    name: 'arm_smmu_v3_write_ste_test_s1_to_s2_stall', format: smmuv3SteFormat,
    from: kunitCdtableSte(SSID0, fake, { stall: true }), to: kunitS2Ste({ stall: true }), hitless: true, syncs: 3,
  },
  {
    name: 'arm_smmu_v3_write_ste_test_s2_to_s1_stall', format: smmuv3SteFormat,
    from: kunitS2Ste({ stall: true }), to: kunitCdtableSte(SSID0, fake, { stall: true }), hitless: true, syncs: 3,
  },
  // "Expect an additional sync to unset ignored bits: EATS and MEV" (both update-safe, so
  // qword 1 is not critical although the nested S2 uses them).
  {
    name: 'arm_smmu_v3_write_ste_test_nested_s1dssbypass_to_s1bypass', format: smmuv3SteFormat,
    from: kunitCdtableSte(S1DSS_BYPASS, fake, { ats: true, nested: true }), to: kunitS2Ste({}), hitless: true, syncs: 3,
  },
  {
    name: 'arm_smmu_v3_write_ste_test_nested_s1bypass_to_s1dssbypass', format: smmuv3SteFormat,
    from: kunitS2Ste({}), to: kunitCdtableSte(S1DSS_BYPASS, fake, { ats: true, nested: true }), hitless: true, syncs: 2,
  },
  { name: 'arm_smmu_v3_write_cd_test_sva_clear (clear -> sva)', format: smmuv3CdFormat, from: new Array<bigint>(8).fill(0n), to: kunitSvaCd(1997n), hitless: false, syncs: 2 },
  { name: 'arm_smmu_v3_write_cd_test_sva_clear (sva -> clear)', format: smmuv3CdFormat, from: kunitSvaCd(1997n), to: new Array<bigint>(8).fill(0n), hitless: false, syncs: 2 },
  // EPD0 makes TTB0 and the TCR0 fields ignored: qword 1 changes outside the used bits.
  { name: 'arm_smmu_v3_write_cd_test_sva_release (sva -> release)', format: smmuv3CdFormat, from: kunitSvaCd(1997n), to: kunitSvaReleaseCd(1997n), hitless: true, syncs: 2 },
  { name: 'arm_smmu_v3_write_cd_test_sva_release (release -> sva)', format: smmuv3CdFormat, from: kunitSvaReleaseCd(1997n), to: kunitSvaCd(1997n), hitless: true, syncs: 2 },
];

for (const c of cases) {
  test(c.name, () => {
    const run = planEntryWrite(c.format, c.from, c.to);
    assert.equal(run.hitless, c.hitless, 'hitless');
    assert.equal(run.syncs, c.syncs, 'num_syncs');
    assert.deepEqual(run.final, c.to, 'final entry');
    // The make helpers never set a bit their used function does not list.
    assert.deepEqual(run.warnings, []);
    // The oracle at every sync: old or new under the entry's own used bits, or V-cleared;
    // `invalid_entry_written == !hitless`.
    const synced = run.steps.filter((s) => s.synced);
    for (const s of synced) assert.ok(s.hitless, `torn entry at the ${s.kind} sync`);
    assert.equal(synced.some((s) => s.vCleared), !c.hitless, 'invalid_entry_written');
    // Stronger than KUnit: after every single store too.
    for (const st of storeStates(c.format, c.from, c.to, run)) assert.ok(st.check.hitless, `torn after storing qword ${st.store.quantum}`);
  });
}

test('the KUnit entries are bit-exact where the file fixes them', () => {
  // arm_smmu_make_abort_ste: V | CFG=abort; bypass: V | CFG=4, SHCFG=incoming (ATTR_TYPES_OVR).
  assert.equal(abort[0], 0x1n);
  assert.equal(bypass[0], 0x9n);
  assert.equal(bypass[1], 1n << 44n);
  // cdtable: V | CFG=S1 | S1FMT=64K_L2 | ctxptr 0xF0F0F0F0F0F0 & [51:6] | S1CDMAX=0xFF (5 bits).
  assert.equal(cdtable[0], 0x1n | (5n << 1n) | (2n << 4n) | (0xF0F0F0F0F0F0n & (((1n << 46n) - 1n) << 6n)) | (0x1Fn << 59n));
  // S1DSS=SSID0, S1CIR=S1COR=WBRA, S1CSH=ISH, S1STALLD (FEAT_STALLS, no stall), EATS=TRANS.
  assert.equal(cdtable[1], 2n | (1n << 2n) | (1n << 4n) | (3n << 6n) | (1n << 27n) | (1n << 28n));
  // S2: vtcr tsz=4 sl=3 irgn=2 orgn=1 sh=3 tg=2 ps=1 at bits 32.., S2AA64, S2PTW, S2R.
  const vtcr = 4n | (3n << 6n) | (2n << 8n) | (1n << 10n) | (3n << 12n) | (2n << 14n) | (1n << 16n);
  assert.equal(s2[2], (vtcr << 32n) | (1n << 51n) | (1n << 54n) | (1n << 58n));
  assert.equal(s2[3], 0xdaedbeefdeadbeefn & (((1n << 48n) - 1n) << 4n));
});

test('the cases cover every STE and CD transition of arm-smmu-v3-test.c', () => {
  // 24 KUNIT_CASEs are writer cases (arm_smmu_v3_invs_test is not); 5 of them test both
  // directions, hence 29 transitions.
  const kernelCases = new Set(cases.map((c) => c.name.split(' ')[0]));
  assert.equal(kernelCases.size, 24);
  assert.equal(cases.length, 29);
});
