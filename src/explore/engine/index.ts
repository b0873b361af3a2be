/** The generic explicit-state search engine (knows nothing of VT-d). */
export * from './types';
export * from './search';
export * from './packed';
export * from './simulate';
export * from './condition';
