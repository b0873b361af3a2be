/**
 * The helpers of arm-smmu-v3-test.c (drivers/iommu/arm/arm-smmu-v3/), with the same
 * constants, so each KUnit case can be rebuilt bit for bit: test fixtures, not part of
 * the writer.
 */
import {
  STRTAB, WORDS, bit, emptyEntry, fieldPrep,
  makeAbortSte, makeBypassSte, makeCdtableSte, makeS1Cd, makeS2DomainSte, makeSvaCd,
} from '../formats/smmuv3';

// ---------------------------------------------------------------------------------------
// The helpers of arm-smmu-v3-test.c, with the same constants, so each KUnit case can be
// rebuilt bit for bit. Host-dependent inputs of the SVA CD (vabits_actual, PAGE_SIZE,
// PARANGE, MAIR_EL1, virt_to_phys) get fixed stand-ins: the transitions do not depend on them.

/** `enum arm_smmu_test_master_feat` */
export interface KunitMasterFeat { ats?: boolean; stall?: boolean; nested?: boolean }

/** `fake_cdtab_dma_addr` */
export const KUNIT_FAKE_CDTAB_DMA = 0xF0F0F0F0F0F0n;
/** The CD-table pointer of the `non_hitless` case. */
export const KUNIT_OTHER_CDTAB_DMA = 0x4B4B4B4B4Bn;
const KUNIT_TTBR = 0xdaedbeefdeadbeefn;
const KUNIT_S1_MAIR = 0xabcdef012345678n;
/** Stand-in for `read_sysreg(mair_el1)` in `arm_smmu_make_sva_cd`. */
const KUNIT_SVA_MAIR = 0x000000f0ff440400n;
/** Stand-in for `virt_to_phys(sva_mm.pgd)` (`sva_mm.pgd = 0xdaedbeefdeadbeef`). */
const KUNIT_SVA_PGD = 0xdaedbeefdeadbeefn;

/** `arm_smmu_test_make_cdtable_ste`: s1cdmax 0xFF, 64K L2 format; NESTED grafts an S2. */
export function kunitCdtableSte(s1dss: bigint, cdtabDma: bigint, feat: KunitMasterFeat = {}): bigint[] {
  const e = makeCdtableSte({
    cdtabDma, s1fmt: STRTAB.STE_0_S1FMT_64K_L2, s1cdmax: 0xFFn, s1dss, ats: !!feat.ats, stall: !!feat.stall,
  });
  if (feat.nested) {
    // The test's stand-in for a nested STE: CFG=nested, MEV set, qwords 2..7 from the S2 STE.
    const s2 = kunitS2Ste({ ats: feat.ats, stall: feat.stall });
    e[0] |= fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_NESTED);
    e[1] |= STRTAB.STE_1_MEV;
    for (let i = 2; i < WORDS; i++) e[i] = s2[i];
  }
  return e;
}

/** `arm_smmu_test_make_s2_ste`: vttbr 0xdaedbeefdeadbeef, vtcr ps=1 tg=2 sh=3 orgn=1 irgn=2 sl=3 tsz=4. */
export function kunitS2Ste(feat: KunitMasterFeat = {}): bigint[] {
  return makeS2DomainSte({
    vttbr: KUNIT_TTBR,
    vtcr: { ps: 1n, tg: 2n, sh: 3n, orgn: 1n, irgn: 2n, sl: 3n, tsz: 4n },
    vmid: 0n,
    ats: !!feat.ats,
    stall: !!feat.stall,
  });
}

/** `arm_smmu_test_make_s1_cd`: ttbr 0xdaedbeefdeadbeef, tcr ips=1 tg=2 sh=3 orgn=1 irgn=2 tsz=4. */
export function kunitS1Cd(asid: bigint): bigint[] {
  return makeS1Cd({
    asid,
    ttbr: KUNIT_TTBR,
    tcr: { ips: 1n, tg: 2n, sh: 3n, orgn: 1n, irgn: 2n, tsz: 4n },
    mair: KUNIT_S1_MAIR,
    stall: false,
  });
}

/** `arm_smmu_test_make_sva_cd` (48-bit VA, 4K pages, 48-bit PA stand-ins). */
export function kunitSvaCd(asid: bigint): bigint[] {
  return makeSvaCd({ asid, pgdPhys: KUNIT_SVA_PGD, vaBits: 48, pageShift: 12, parange: 5n, mair: KUNIT_SVA_MAIR, stall: false });
}

/** `arm_smmu_test_make_sva_release_cd`: the same CD with no mm. */
export function kunitSvaReleaseCd(asid: bigint): bigint[] {
  return makeSvaCd({ asid, pgdPhys: null, vaBits: 48, pageShift: 12, parange: 5n, mair: KUNIT_SVA_MAIR, stall: false });
}

/** Named STEs of the KUnit file, for the command line and notebooks. */
export const SMMUV3_NAMED_STES: Readonly<Record<string, { describe: string; make: () => bigint[] }>> = {
  abort: { describe: 'arm_smmu_make_abort_ste', make: makeAbortSte },
  bypass: { describe: 'arm_smmu_make_bypass_ste', make: () => makeBypassSte() },
  cdtable: {
    describe: 'CD table, S1DSS=SSID0, ATS',
    make: () => kunitCdtableSte(STRTAB.STE_1_S1DSS_SSID0, KUNIT_FAKE_CDTAB_DMA, { ats: true }),
  },
  's1dss-bypass': {
    describe: 'CD table, S1DSS=bypass, ATS',
    make: () => kunitCdtableSte(STRTAB.STE_1_S1DSS_BYPASS, KUNIT_FAKE_CDTAB_DMA, { ats: true }),
  },
  'cdtable-other': {
    describe: 'CD table at 0x4B4B4B4B4B, S1DSS=bypass, ATS (the non_hitless case)',
    make: () => kunitCdtableSte(STRTAB.STE_1_S1DSS_BYPASS, KUNIT_OTHER_CDTAB_DMA, { ats: true }),
  },
  'cdtable-stall': {
    describe: 'CD table, S1DSS=SSID0, stall',
    make: () => kunitCdtableSte(STRTAB.STE_1_S1DSS_SSID0, KUNIT_FAKE_CDTAB_DMA, { stall: true }),
  },
  s2: { describe: 'S2 domain, ATS', make: () => kunitS2Ste({ ats: true }) },
  's2-noats': { describe: 'S2 domain, no ATS', make: () => kunitS2Ste({}) },
  's2-stall': { describe: 'S2 domain, stall', make: () => kunitS2Ste({ stall: true }) },
  'nested-s1dss-bypass': {
    describe: 'nested: CD table S1DSS=bypass over the S2, ATS, MEV',
    make: () => kunitCdtableSte(STRTAB.STE_1_S1DSS_BYPASS, KUNIT_FAKE_CDTAB_DMA, { ats: true, nested: true }),
  },
};

/** Named CDs of the KUnit file; `s1`, `sva` and `sva-release` take an ASID as `name:asid`. */
export const SMMUV3_NAMED_CDS: Readonly<Record<string, { describe: string; make: (asid: bigint) => bigint[] }>> = {
  clear: { describe: 'all-zero CD (V=0)', make: () => emptyEntry() },
  s1: { describe: 'arm_smmu_make_s1_cd (default ASID 1997)', make: kunitS1Cd },
  sva: { describe: 'arm_smmu_make_sva_cd with an mm (default ASID 1997)', make: kunitSvaCd },
  'sva-release': { describe: 'arm_smmu_make_sva_cd without mm: EPD0 (default ASID 1997)', make: kunitSvaReleaseCd },
};
