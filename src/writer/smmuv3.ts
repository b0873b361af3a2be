/**
 * SMMUv3 STEs and CDs as the entry_sync writer sees them: the used-bits and update-safe
 * hooks (`arm_smmu_get_ste_used`, `arm_smmu_get_ste_update_safe`, `arm_smmu_get_cd_used`
 * in drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c). This is the reference point of the
 * thread: the writer was born here, and arm-smmu-v3-test.c fixes its expected behaviour
 * (hitless flag and sync count per transition) that the VT-d port must reproduce.
 */
import { CTXDESC, STRTAB, U64, bit, emptyEntry, fieldGet, fieldPrep } from '../formats/smmuv3';
import type { EntryFormat } from './writer';

/**
 * `arm_smmu_get_ste_used`: which STE bits the SMMU reads given the entry's own value.
 * V=0: only V. V=1: CFG, plus the S1 fields when CFG bit 0 is set (S1 translates), the S2
 * fields when CFG bit 1 is set (S2 translates), SHCFG for bypass and for S1DSS=bypass.
 */
export function steUsed(ent: readonly bigint[]): bigint[] {
  const used = emptyEntry();
  used[0] = STRTAB.STE_0_V;
  if ((ent[0] & STRTAB.STE_0_V) === 0n) return used;
  used[0] |= STRTAB.STE_0_CFG;
  const cfg = fieldGet(STRTAB.STE_0_CFG, ent[0]);
  if (cfg & 1n) {
    // S1 translates.
    used[0] |= STRTAB.STE_0_S1FMT | STRTAB.STE_0_S1CTXPTR_MASK | STRTAB.STE_0_S1CDMAX;
    used[1] |= STRTAB.STE_1_S1DSS | STRTAB.STE_1_S1CIR | STRTAB.STE_1_S1COR | STRTAB.STE_1_S1CSH |
      STRTAB.STE_1_S1STALLD | STRTAB.STE_1_STRW | STRTAB.STE_1_EATS | STRTAB.STE_1_MEV;
    used[2] |= STRTAB.STE_2_S2VMID;
    // SMMUv3 13.5 "Summary of attribute/permission configuration fields": SHCFG applies to
    // the S1DSS=bypass traffic (comment in arm_smmu_get_ste_used).
    if (fieldGet(STRTAB.STE_1_S1DSS, ent[1]) === STRTAB.STE_1_S1DSS_BYPASS) used[1] |= STRTAB.STE_1_SHCFG;
  }
  if (cfg & 2n) {
    // S2 translates.
    used[1] |= STRTAB.STE_1_S2FWB | STRTAB.STE_1_EATS | STRTAB.STE_1_SHCFG | STRTAB.STE_1_MEV;
    used[2] |= STRTAB.STE_2_S2VMID | STRTAB.STE_2_VTCR | STRTAB.STE_2_S2AA64 | STRTAB.STE_2_S2ENDI |
      STRTAB.STE_2_S2PTW | STRTAB.STE_2_S2S | STRTAB.STE_2_S2R;
    used[3] |= STRTAB.STE_3_S2TTB_MASK;
  }
  if (cfg === STRTAB.STE_0_CFG_BYPASS) used[1] |= STRTAB.STE_1_SHCFG;
  return used;
}

/**
 * `arm_smmu_get_ste_update_safe` (docs/kernel.md#update-safe): bits that may change in any order.
 * - EATS_TRANS (upstream 7cad80048595): the attach code has disabled ATS at the PCI device
 *   whenever EATS changes, so no ATS request can race it; not when EATS_S1CHK is involved
 *   (0b11 would be an errant config) or S2S is set in either entry (S2S=1 with EATS=1 is an
 *   illegal STE, SMMUv3 5.2).
 * - MEV: only changes how many fault events are merged; "Software must expect, and be able
 *   to deal with, coalesced fault records even when MEV == 0".
 */
export function steUpdateSafe(cur: readonly bigint[], target: readonly bigint[]): bigint[] {
  const safe = emptyEntry();
  const eatsS1chk = fieldPrep(STRTAB.STE_1_EATS, STRTAB.STE_1_EATS_S1CHK);
  const eatsTrans = fieldPrep(STRTAB.STE_1_EATS, STRTAB.STE_1_EATS_TRANS);
  if (((cur[1] | target[1]) & eatsS1chk) === 0n && ((cur[2] | target[2]) & STRTAB.STE_2_S2S) === 0n) {
    safe[1] |= eatsTrans;
  }
  safe[1] |= STRTAB.STE_1_MEV;
  return safe;
}

/**
 * `arm_smmu_get_cd_used`: V=0 -> only V; V=1 -> every bit, except that EPD0=1 makes
 * T0SZ/TG0/IRGN0/ORGN0/SH0 and TTB0 IGNORED (how an SVA CD is released hitlessly).
 */
export function cdUsed(ent: readonly bigint[]): bigint[] {
  const used = emptyEntry();
  used[0] = CTXDESC.CD_0_V;
  if ((ent[0] & CTXDESC.CD_0_V) === 0n) return used;
  used.fill(U64);
  if (ent[0] & CTXDESC.CD_0_TCR_EPD0) {
    used[0] &= ~(CTXDESC.CD_0_TCR_T0SZ | CTXDESC.CD_0_TCR_TG0 | CTXDESC.CD_0_TCR_IRGN0 |
      CTXDESC.CD_0_TCR_ORGN0 | CTXDESC.CD_0_TCR_SH0) & U64;
    used[1] &= ~CTXDESC.CD_1_TTB0_MASK & U64;
  }
  return used;
}

const V_MASK_STE = [STRTAB.STE_0_V, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
const V_MASK_CD = [CTXDESC.CD_0_V, 0n, 0n, 0n, 0n, 0n, 0n, 0n];

/**
 * The STE writer: 8 x 64-bit quanta ("SMMU reads are at least 64-bit single-copy atomic",
 * IHI0070 3.21.3 as quoted by the old arm-smmu-v3.c), V in qword 0, `arm_smmu_ste_writer_ops`.
 */
export const smmuv3SteFormat: EntryFormat = {
  name: 'smmuv3-ste',
  quantumBits: 64,
  numQuanta: 8,
  vbitQuantum: 0,
  vbitMask: V_MASK_STE,
  getUsed: steUsed,
  getUpdateSafe: steUpdateSafe,
};

/** The CD writer: same geometry, no update-safe hook (`arm_smmu_cd_writer_ops`). */
export const smmuv3CdFormat: EntryFormat = {
  name: 'smmuv3-cd',
  quantumBits: 64,
  numQuanta: 8,
  vbitQuantum: 0,
  vbitMask: V_MASK_CD,
  getUsed: cdUsed,
};
