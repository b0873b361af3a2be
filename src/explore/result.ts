/**
 * What a check of one scenario answers. Shared by the CLI, the presentation layer and the
 * notebooks; JSON-serialisable except for bigint-free plain data.
 */
import type { Trace } from './trace';
import type { Verdict } from './engine/types';
import type { Strategy } from '../driver/strategies';

/** The scenario as given by a user (CLI flags, a scenario file, or a notebook cell). */
export interface ScenarioInput {
  /** Stable name; used in result blocks and file names. */
  name?: string;
  /** Old PASID entry in the compact syntax (`fl:did=5,fsptptr=0x1000`, `off`). */
  from: string;
  /** New PASID entry in the compact syntax. */
  to: string;
  /** A strategy name (`baolu`, `jason`, ...) or a strategy value written in a cell. */
  strategy: string | Strategy;
  /** A preset with refinements: `spec`, `jason,coherent=false`. Default `spec`. */
  assume?: string;
  /** ATS Translation Requests the device may issue (at any moment). Default 2. */
  requests?: number;
  /** DMAs the device may issue (at any moment). Default 2. */
  dmas?: number;
  /** Start with empty caches instead of the old translation cached everywhere. */
  cold?: boolean;
}

/** A strategy written as data (src/driver/strategies.ts); validated when checked. */
export type StrategyValue = Strategy;

/** What one update costs the driver (per scenario run, the strategy's own actions). */
export interface Cost {
  /** Descriptors submitted, by type name (`pc_inv`, `p_iotlb_inv`, `inv_wait`, ...). */
  descriptors: Record<string, number>;
  /** Tail-register writes; each is a VM exit (trap) under caching mode. */
  submissions: number;
  /** Wait descriptors the driver polls. */
  waits: number;
  /** Device-TLB invalidations (each an ATS Invalidate Request/Completion round trip). */
  devtlbInvalidations: number;
  /** Writer sync points. */
  syncs: number;
  /** clflush instructions (when not coherent). */
  clflushes: number;
}

export interface PropertyViolation {
  /** `stale-after-return`, `hitless`, `torn-fill` or `termination`. */
  property: string;
  trace: Trace;
}

export interface CheckResult {
  name: string;
  from: string;
  to: string;
  strategy: string;
  /** The resolved assumptions as canonical text (only what differs from spec), and every value. */
  assume: string;
  assumptions: Record<string, boolean | number>;
  requests: number;
  dmas: number;
  cold: boolean;
  verdict: Verdict;
  states: number;
  transitions: number;
  millis: number;
  /** Which properties were checked. */
  properties: string[];
  /** Empty when safe; the shortest counterexample when unsafe. */
  violations: PropertyViolation[];
  /** Set when the writer takes the V-cleared path: not hitless by design. */
  notHitlessByDesign: boolean;
  cost: Cost;
  /** For inconclusive: which budget ran out. */
  exhausted?: 'states' | 'time' | 'memory';
  /** For `exhausted: 'memory'`: the budget in words (`memory budget of 64 MB reached`). */
  stopReason?: string;
}
