/** `flushlab/writer`: the entry_sync algorithm, its per-format ops, and the SMMUv3 KUnit fixtures. */
export * from './writer';
export * from './formats';
export * from './smmuv3';
export * from './kunit';
