/**
 * SMMUv3 Stream Table Entries and Context Descriptors: bit positions and the "make" helpers
 * the driver builds entries with. The writer's view of them (used bits, update-safe bits)
 * is in src/writer/smmuv3.ts, the KUnit test's fixtures in src/writer/kunit.ts.
 *
 * Sources (docs/kernel.md#smmuv3-writer): drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h (bit positions),
 * arm-smmu-v3.c (`arm_smmu_make_*_ste`, `arm_smmu_make_s1_cd`), arm-smmu-v3-sva.c
 * (`arm_smmu_make_sva_cd`).
 */
/** BIT(n) as a 64-bit mask. */
export function bit(n: number): bigint {
  return 1n << BigInt(n);
}

/** GENMASK_ULL(h, l). */
export function genmask(h: number, l: number): bigint {
  return ((1n << BigInt(h - l + 1)) - 1n) << BigInt(l);
}

function lowestSetBit(mask: bigint): bigint {
  let shift = 0n;
  while (((mask >> shift) & 1n) === 0n) shift++;
  return shift;
}

/** FIELD_PREP(mask, value): `value` placed in the field, truncated to its width. */
export function fieldPrep(mask: bigint, value: bigint | number): bigint {
  return (BigInt(value) << lowestSetBit(mask)) & mask;
}

/** FIELD_GET(mask, word). */
export function fieldGet(mask: bigint, word: bigint): bigint {
  return (word & mask) >> lowestSetBit(mask);
}

/** Stream Table Entry fields, named as the kernel's `STRTAB_<name>` macros (arm-smmu-v3.h). */
export const STRTAB = {
  STE_0_V: bit(0),
  STE_0_CFG: genmask(3, 1),
  STE_0_CFG_ABORT: 0n,
  STE_0_CFG_BYPASS: 4n,
  STE_0_CFG_S1_TRANS: 5n,
  STE_0_CFG_S2_TRANS: 6n,
  STE_0_CFG_NESTED: 7n,
  STE_0_S1FMT: genmask(5, 4),
  STE_0_S1FMT_LINEAR: 0n,
  STE_0_S1FMT_64K_L2: 2n,
  STE_0_S1CTXPTR_MASK: genmask(51, 6),
  STE_0_S1CDMAX: genmask(63, 59),
  STE_1_S1DSS: genmask(1, 0),
  STE_1_S1DSS_TERMINATE: 0n,
  STE_1_S1DSS_BYPASS: 1n,
  STE_1_S1DSS_SSID0: 2n,
  STE_1_S1C_CACHE_WBRA: 1n,
  STE_1_S1CIR: genmask(3, 2),
  STE_1_S1COR: genmask(5, 4),
  STE_1_S1CSH: genmask(7, 6),
  STE_1_MEV: bit(19),
  STE_1_S2FWB: bit(25),
  STE_1_S1STALLD: bit(27),
  STE_1_EATS: genmask(29, 28),
  STE_1_EATS_ABT: 0n,
  STE_1_EATS_TRANS: 1n,
  STE_1_EATS_S1CHK: 2n,
  STE_1_STRW: genmask(31, 30),
  STE_1_STRW_NSEL1: 0n,
  STE_1_STRW_EL2: 2n,
  STE_1_SHCFG: genmask(45, 44),
  STE_1_SHCFG_INCOMING: 1n,
  STE_2_S2VMID: genmask(15, 0),
  STE_2_VTCR: genmask(50, 32),
  STE_2_VTCR_S2T0SZ: genmask(5, 0),
  STE_2_VTCR_S2SL0: genmask(7, 6),
  STE_2_VTCR_S2IR0: genmask(9, 8),
  STE_2_VTCR_S2OR0: genmask(11, 10),
  STE_2_VTCR_S2SH0: genmask(13, 12),
  STE_2_VTCR_S2TG: genmask(15, 14),
  STE_2_VTCR_S2PS: genmask(18, 16),
  STE_2_S2AA64: bit(51),
  STE_2_S2ENDI: bit(52),
  STE_2_S2PTW: bit(54),
  STE_2_S2S: bit(57),
  STE_2_S2R: bit(58),
  STE_3_S2TTB_MASK: genmask(51, 4),
} as const;

/** Context Descriptor fields, named as the kernel's `CTXDESC_<name>` macros (arm-smmu-v3.h). */
export const CTXDESC = {
  CD_0_TCR_T0SZ: genmask(5, 0),
  CD_0_TCR_TG0: genmask(7, 6),
  CD_0_TCR_IRGN0: genmask(9, 8),
  CD_0_TCR_ORGN0: genmask(11, 10),
  CD_0_TCR_SH0: genmask(13, 12),
  CD_0_TCR_EPD0: bit(14),
  CD_0_ENDI: bit(15),
  CD_0_TCR_EPD1: bit(30),
  CD_0_V: bit(31),
  CD_0_TCR_IPS: genmask(34, 32),
  CD_0_TCR_TBI0: bit(38),
  CD_0_AA64: bit(41),
  CD_0_TCR_HD: bit(42),
  CD_0_TCR_HA: bit(43),
  CD_0_S: bit(44),
  CD_0_R: bit(45),
  CD_0_A: bit(46),
  CD_0_ASET: bit(47),
  CD_0_ASID: genmask(63, 48),
  CD_1_TTB0_MASK: genmask(51, 4),
} as const;

/** `ARM_SMMU_SH_ISH` (arm-smmu-v3.h) and the LPAE TCR encodings used by the SVA CD. */
const ARM_SMMU_SH_ISH = 3n;
const ARM_LPAE_TCR_RGN_WBWA = 1n;
const ARM_LPAE_TCR_SH_IS = 3n;
const ARM_LPAE_TCR_TG0_4K = 0n;
const ARM_LPAE_TCR_TG0_16K = 2n;
const ARM_LPAE_TCR_TG0_64K = 1n;

/** Qwords in an STE or a CD. */
export const WORDS = 8;
export const U64 = (1n << 64n) - 1n;

export function emptyEntry(): bigint[] {
  return new Array<bigint>(WORDS).fill(0n);
}

/** The SMMU features the make helpers look at (`smmu->features`). */
export interface SmmuFeatures {
  /** ARM_SMMU_FEAT_STALLS */
  stalls: boolean;
  /** ARM_SMMU_FEAT_STALL_FORCE */
  stallForce: boolean;
  /** ARM_SMMU_FEAT_ATTR_TYPES_OVR */
  attrTypesOvr: boolean;
  /** ARM_SMMU_FEAT_E2H */
  e2h: boolean;
}

/** The SMMU of arm-smmu-v3-test.c: `ARM_SMMU_FEAT_STALLS | ARM_SMMU_FEAT_ATTR_TYPES_OVR`. */
export const KUNIT_SMMU: SmmuFeatures = { stalls: true, stallForce: false, attrTypesOvr: true, e2h: false };

/** `arm_smmu_make_abort_ste`: V=1, CFG=abort. */
export function makeAbortSte(): bigint[] {
  const e = emptyEntry();
  e[0] = STRTAB.STE_0_V | fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_ABORT);
  return e;
}

/** `arm_smmu_make_bypass_ste`: V=1, CFG=bypass, SHCFG=incoming when the SMMU can override. */
export function makeBypassSte(smmu: SmmuFeatures = KUNIT_SMMU): bigint[] {
  const e = emptyEntry();
  e[0] = STRTAB.STE_0_V | fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_BYPASS);
  if (smmu.attrTypesOvr) e[1] = fieldPrep(STRTAB.STE_1_SHCFG, STRTAB.STE_1_SHCFG_INCOMING);
  return e;
}

export interface CdtableSteParams {
  /** `cd_table.cdtab_dma` */
  cdtabDma: bigint;
  /** `cd_table.s1fmt` */
  s1fmt: bigint;
  /** `cd_table.s1cdmax` */
  s1cdmax: bigint;
  /** STRTAB.STE_1_S1DSS_* */
  s1dss: bigint;
  /** `master->ats_enabled` */
  ats: boolean;
  /** `master->stall_enabled` */
  stall: boolean;
  smmu?: SmmuFeatures;
}

/** `arm_smmu_make_cdtable_ste`: S1 translation through a CD table. */
export function makeCdtableSte(p: CdtableSteParams): bigint[] {
  const smmu = p.smmu ?? KUNIT_SMMU;
  const e = emptyEntry();
  e[0] = STRTAB.STE_0_V | fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_S1_TRANS) |
    fieldPrep(STRTAB.STE_0_S1FMT, p.s1fmt) | (p.cdtabDma & STRTAB.STE_0_S1CTXPTR_MASK) |
    fieldPrep(STRTAB.STE_0_S1CDMAX, p.s1cdmax);
  e[1] = fieldPrep(STRTAB.STE_1_S1DSS, p.s1dss) |
    fieldPrep(STRTAB.STE_1_S1CIR, STRTAB.STE_1_S1C_CACHE_WBRA) |
    fieldPrep(STRTAB.STE_1_S1COR, STRTAB.STE_1_S1C_CACHE_WBRA) |
    fieldPrep(STRTAB.STE_1_S1CSH, ARM_SMMU_SH_ISH) |
    (smmu.stalls && !p.stall ? STRTAB.STE_1_S1STALLD : 0n) |
    fieldPrep(STRTAB.STE_1_EATS, p.ats ? STRTAB.STE_1_EATS_TRANS : 0n);
  if (smmu.attrTypesOvr && p.s1dss === STRTAB.STE_1_S1DSS_BYPASS) {
    e[1] |= fieldPrep(STRTAB.STE_1_SHCFG, STRTAB.STE_1_SHCFG_INCOMING);
  }
  if (smmu.e2h) {
    // BTM needs the StreamWorld to match the CPU: EL2-E2H for the hypervisor.
    e[1] |= fieldPrep(STRTAB.STE_1_STRW, STRTAB.STE_1_STRW_EL2);
  } else {
    // VMID 0 is reserved for stage-2 bypass EL1 STEs (arm_smmu_domain_alloc_id).
    e[1] |= fieldPrep(STRTAB.STE_1_STRW, STRTAB.STE_1_STRW_NSEL1);
    e[2] = fieldPrep(STRTAB.STE_2_S2VMID, 0n);
  }
  return e;
}

/** The `arm_lpae_s2_cfg.vtcr` fields the S2 STE copies. */
export interface S2Vtcr { tsz: bigint; sl: bigint; irgn: bigint; orgn: bigint; sh: bigint; tg: bigint; ps: bigint }

export interface S2SteParams {
  /** `arm_lpae_s2_cfg.vttbr` */
  vttbr: bigint;
  vtcr: S2Vtcr;
  /** `s2_cfg.vmid` */
  vmid: bigint;
  ats: boolean;
  stall: boolean;
  /** IO_PGTABLE_QUIRK_ARM_S2FWB */
  s2fwb?: boolean;
  smmu?: SmmuFeatures;
}

/** `arm_smmu_make_s2_domain_ste`: S2-only translation. */
export function makeS2DomainSte(p: S2SteParams): bigint[] {
  const smmu = p.smmu ?? KUNIT_SMMU;
  const e = emptyEntry();
  e[0] = STRTAB.STE_0_V | fieldPrep(STRTAB.STE_0_CFG, STRTAB.STE_0_CFG_S2_TRANS);
  e[1] = fieldPrep(STRTAB.STE_1_EATS, p.ats ? STRTAB.STE_1_EATS_TRANS : 0n);
  if (p.s2fwb) e[1] |= STRTAB.STE_1_S2FWB;
  if (smmu.attrTypesOvr) e[1] |= fieldPrep(STRTAB.STE_1_SHCFG, STRTAB.STE_1_SHCFG_INCOMING);
  const vtcr = fieldPrep(STRTAB.STE_2_VTCR_S2T0SZ, p.vtcr.tsz) | fieldPrep(STRTAB.STE_2_VTCR_S2SL0, p.vtcr.sl) |
    fieldPrep(STRTAB.STE_2_VTCR_S2IR0, p.vtcr.irgn) | fieldPrep(STRTAB.STE_2_VTCR_S2OR0, p.vtcr.orgn) |
    fieldPrep(STRTAB.STE_2_VTCR_S2SH0, p.vtcr.sh) | fieldPrep(STRTAB.STE_2_VTCR_S2TG, p.vtcr.tg) |
    fieldPrep(STRTAB.STE_2_VTCR_S2PS, p.vtcr.ps);
  // Little-endian host: S2ENDI stays clear (#ifdef __BIG_ENDIAN in the kernel).
  e[2] = fieldPrep(STRTAB.STE_2_S2VMID, p.vmid) | fieldPrep(STRTAB.STE_2_VTCR, vtcr) | STRTAB.STE_2_S2AA64 |
    STRTAB.STE_2_S2PTW | (p.stall ? STRTAB.STE_2_S2S : 0n) | STRTAB.STE_2_S2R;
  e[3] = p.vttbr & STRTAB.STE_3_S2TTB_MASK;
  return e;
}

/** The `arm_lpae_s1_cfg.tcr` fields the S1 CD copies. */
export interface S1Tcr { tsz: bigint; tg: bigint; irgn: bigint; orgn: bigint; sh: bigint; ips: bigint }

export interface S1CdParams {
  asid: bigint;
  /** `arm_lpae_s1_cfg.ttbr` */
  ttbr: bigint;
  tcr: S1Tcr;
  /** `arm_lpae_s1_cfg.mair` */
  mair: bigint;
  stall: boolean;
  /** IO_PGTABLE_QUIRK_ARM_HD: hardware access and dirty flag update. */
  hd?: boolean;
}

/** `arm_smmu_make_s1_cd`: a paging domain's CD. */
export function makeS1Cd(p: S1CdParams): bigint[] {
  const e = emptyEntry();
  e[0] = fieldPrep(CTXDESC.CD_0_TCR_T0SZ, p.tcr.tsz) | fieldPrep(CTXDESC.CD_0_TCR_TG0, p.tcr.tg) |
    fieldPrep(CTXDESC.CD_0_TCR_IRGN0, p.tcr.irgn) | fieldPrep(CTXDESC.CD_0_TCR_ORGN0, p.tcr.orgn) |
    fieldPrep(CTXDESC.CD_0_TCR_SH0, p.tcr.sh) | CTXDESC.CD_0_TCR_EPD1 | CTXDESC.CD_0_V |
    fieldPrep(CTXDESC.CD_0_TCR_IPS, p.tcr.ips) | CTXDESC.CD_0_AA64 | (p.stall ? CTXDESC.CD_0_S : 0n) |
    CTXDESC.CD_0_R | CTXDESC.CD_0_A | CTXDESC.CD_0_ASET | fieldPrep(CTXDESC.CD_0_ASID, p.asid);
  if (p.hd) e[0] |= CTXDESC.CD_0_TCR_HA | CTXDESC.CD_0_TCR_HD;
  e[1] = p.ttbr & CTXDESC.CD_1_TTB0_MASK;
  e[3] = p.mair & U64;
  return e;
}

export interface SvaCdParams {
  asid: bigint;
  /** The mm's page-table root (`virt_to_phys(mm->pgd)`), or null for the released CD. */
  pgdPhys: bigint | null;
  /** `vabits_actual` */
  vaBits: number;
  /** PAGE_SIZE as a shift: 12, 14 or 16. */
  pageShift: 12 | 14 | 16;
  /** ID_AA64MMFR0_EL1.PARANGE */
  parange: bigint;
  /** `read_sysreg(mair_el1)` */
  mair: bigint;
  stall: boolean;
  smmu?: SmmuFeatures;
}

/**
 * `arm_smmu_make_sva_cd`: the CD sharing a process page table. With no mm it builds the
 * "released" CD that faults everything: EPD0=1, so TTB0 and the TCR0 fields are IGNORED and
 * the writer can go between the two hitlessly ("since TTB0 is ignored by HW when EPD0 is set").
 */
export function makeSvaCd(p: SvaCdParams): bigint[] {
  const smmu = p.smmu ?? KUNIT_SMMU;
  const e = emptyEntry();
  e[0] = CTXDESC.CD_0_TCR_EPD1 | CTXDESC.CD_0_V | fieldPrep(CTXDESC.CD_0_TCR_IPS, p.parange) |
    CTXDESC.CD_0_AA64 | (p.stall ? CTXDESC.CD_0_S : 0n) | CTXDESC.CD_0_R | CTXDESC.CD_0_A |
    CTXDESC.CD_0_ASET | fieldPrep(CTXDESC.CD_0_ASID, p.asid);
  if (p.pgdPhys !== null) {
    const tg0 = p.pageShift === 16 ? ARM_LPAE_TCR_TG0_64K : p.pageShift === 14 ? ARM_LPAE_TCR_TG0_16K : ARM_LPAE_TCR_TG0_4K;
    e[0] |= fieldPrep(CTXDESC.CD_0_TCR_T0SZ, BigInt(64 - p.vaBits)) | fieldPrep(CTXDESC.CD_0_TCR_TG0, tg0) |
      fieldPrep(CTXDESC.CD_0_TCR_IRGN0, ARM_LPAE_TCR_RGN_WBWA) |
      fieldPrep(CTXDESC.CD_0_TCR_ORGN0, ARM_LPAE_TCR_RGN_WBWA) | fieldPrep(CTXDESC.CD_0_TCR_SH0, ARM_LPAE_TCR_SH_IS);
    e[1] = p.pgdPhys & CTXDESC.CD_1_TTB0_MASK;
  } else {
    e[0] |= CTXDESC.CD_0_TCR_EPD0;
    // Disable stall and abort at once when allowed: faster cleanup of an unclean exit.
    if (!smmu.stallForce) e[0] &= ~(CTXDESC.CD_0_S | CTXDESC.CD_0_R) & U64;
  }
  e[3] = p.mair & U64;
  return e;
}
