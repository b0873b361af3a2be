/** `flushlab/formats`: every bit layout, encoder and decoder (VT-d PASID entry and descriptors, SMMUv3 STE/CD). */
export * from './errors';
export * from './bits';
export * from './hex';
export * from './pasidEntry';
export * from './descriptors';
export * from './json';
export {
  bit, genmask, fieldPrep, fieldGet, STRTAB, CTXDESC, KUNIT_SMMU,
  makeAbortSte, makeBypassSte, makeCdtableSte, makeS2DomainSte, makeS1Cd, makeSvaCd,
} from './smmuv3';
export type { SmmuFeatures, CdtableSteParams, S2SteParams, S2Vtcr, S1CdParams, S1Tcr, SvaCdParams } from './smmuv3';
