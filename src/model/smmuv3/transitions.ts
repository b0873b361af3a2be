/**
 * The standard SMMUv3 transitions, mirroring the thread's VT-d ones (../transitions.ts), in
 * the configuration syntax of formats/smmuv3Config.ts. Every one keeps ATS enabled.
 */
export const SMMU_TRANSITIONS = {
  /** A CD change to a new ASID and table (a new domain on the PASID): ASID in CD qword 0, TTB0 in qword 1, so not hitless. */
  cdNewAsid: { from: 's1:asid=1,ttb=0x1000', to: 's1:asid=2,ttb=0x2000' },
  /** A change of table under the same ASID (VT-d flSameDid's counterpart): one critical qword, hitless. */
  cdSameAsid: { from: 's1:asid=1,ttb=0x1000', to: 's1:asid=1,ttb=0x2000' },
  /** An STE change of stage, S1 to S2 with its own VMID: CFG in qword 0, VMID in qword 2, so not hitless. */
  steS1ToS2: { from: 's1:asid=1,ttb=0x1000', to: 's2:vmid=2,s2ttb=0x2000' },
  /** An STE change of stage, bypass to S1 (the CD installed first): hitless. */
  bypassToS1: { from: 'bypass', to: 's1:asid=1,ttb=0x2000' },
} as const;

export type SmmuTransitionName = keyof typeof SMMU_TRANSITIONS;
