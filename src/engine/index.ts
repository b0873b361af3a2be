/** The generic explicit-state search engine (knows nothing of VT-d): the public part. */
export type {
  TransitionSystem, Successor, Footprint, ActorFootprint, StatePacking, Invariant, Violation, Budget, Verdict, SearchResult,
} from './types';
export { search, DEFAULT_BUDGET } from './search';
export type { SearchOptions } from './search';
export { PackedStateTable, hashWords } from './stateTable';
export { simulate, mulberry32 } from './simulate';
export type { SimulateOptions, SimulationResult } from './simulate';
export { minimalCondition, minimalConditionAsync, conditionFromRows, MAX_CONDITION_VARIABLES } from './condition';
export type { Condition, ConditionRow } from './condition';
