/**
 * What a check of one scenario answers. Shared by the CLI, the presentation layer and the
 * notebooks; JSON-serialisable except for bigint-free plain data.
 */
import type { Trace } from '../model/trace';
import type { Verdict } from '../engine/types';
import type { Cost } from '../model/program';
import type { ScenarioInput } from '../model/build';
import type { Strategy } from '../model/strategies';

export type { Cost, ScenarioInput };

/** A strategy written as data (src/model/strategies.ts); validated when checked. */
export type StrategyValue = Strategy;

export interface PropertyViolation {
  /** `stale-after-return`, `hitless`, `torn-fill` or `termination`. */
  property: string;
  trace: Trace;
}

export interface CheckResult {
  /** Only for SMMUv3 (absent: VT-d, so VT-d results keep their bytes). */
  arch?: 'smmuv3';
  name: string;
  from: string;
  to: string;
  /** The PASID of the scenario (0: RID_PASID). */
  pasid: number;
  strategy: string;
  /** The resolved assumptions as canonical text (only what differs from spec), and every value. */
  assume: string;
  assumptions: Record<string, boolean | number | string>;
  requests: number;
  dmas: number;
  cold: boolean;
  verdict: Verdict;
  states: number;
  transitions: number;
  millis: number;
  /** Which properties were checked. */
  properties: string[];
  /** Empty when safe; the shortest counterexample when unsafe (but see `shortest`). */
  violations: PropertyViolation[];
  /**
   * Unsafe only: false when the counterexample is not shown to be the shortest. The
   * partial-order reduction found it; the search without the reduction that finds the
   * shortest (engine/search.ts) ran out of budget. Absent: it is the shortest.
   */
  shortest?: false;
  /** Set when the writer takes the V-cleared path: not hitless by design. */
  notHitlessByDesign: boolean;
  cost: Cost;
  /** For inconclusive: which budget ran out. */
  exhausted?: 'states' | 'time' | 'memory';
  /** For `exhausted: 'memory'`: the budget in words (`memory budget of 64 MB reached`). */
  stopReason?: string;
}
