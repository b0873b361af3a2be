/** `flushlab/model`: the hardware model's pieces, for those who build on it (the main entry has what notebooks use). */
export * from './assumptions';
export * from './strategies';
export * from './program';
export * from './build';
export * from './properties';
export * from './trace';
export * from './transitions';
export type { State, StateBounds } from './state';
export type { ModelSetup, StepLabel, Move } from './context';
export type { ModelContext } from './modelContext';
