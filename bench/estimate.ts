/**
 * The full sweep's figure when the sweep is too long to run in a benchmark (bench/model.ts
 * sweepSection): the real sweep, one (strategy, transition) pair at a time in a fixed order,
 * until a wall budget is spent; the pairs that finished are measured and the rest
 * extrapolated from them. Pure functions, so the arithmetic is tested apart from any timing
 * (test/bench/estimate.test.ts).
 */

/**
 * The order the pairs are swept in, as indexes into the strategy-major list (pair
 * s * transitions + t is strategy s on transition t): in rounds, round r taking every
 * strategy once, strategy s on transition (s + r) mod transitions. Every pair comes exactly
 * once, and the pairs a budget lets run are spread over the strategies (each round has
 * every one) and the transitions (they take turns), not the first few strategies on every
 * transition. Fixed: what is sampled never depends on timing, only how far down the list
 * the budget reaches.
 */
export function pairOrder(strategies: number, transitions: number): number[] {
  if (!Number.isInteger(strategies) || strategies < 0 || !Number.isInteger(transitions) || transitions < 1) throw new Error(`pairOrder: bad sizes ${strategies}, ${transitions}`);
  const order: number[] = [];
  for (let r = 0; r < transitions; r++) {
    for (let s = 0; s < strategies; s++) order.push(s * transitions + ((s + r) % transitions));
  }
  return order;
}

/** One pair's sweep within the budget. */
export interface PairRun {
  /** e.g. `baolu SL->SL new DID` */
  label: string;
  /** false: the budget ran out (the sweep's deadline, or the process killed) before it ended. */
  finished: boolean;
  wallMs: number;
  /** Rows in the pair's sweep, and how many got a verdict (safe or unsafe) before it ended. */
  rows: number;
  answered: number;
  /** States explored, rows summed. */
  states: number;
}

export interface SweepEstimate {
  /**
   * measured: every pair finished; estimated: some did, the rest extrapolated from them;
   * lower bound: none did, so nothing to extrapolate from.
   */
  kind: 'measured' | 'estimated' | 'lower bound';
  /** The figure: the measured wall, the estimate, or the lower bound, seconds. */
  seconds: number;
  /** Pairs that finished, and pairs in the full sweep. */
  measured: number;
  total: number;
  /** Wall of the finished pairs, seconds. */
  measuredSeconds: number;
  /** Wall spent on every pair run, the stopped one included: the full sweep takes at least this. */
  spentSeconds: number;
  /** The finished pairs' mean wall times all pairs, seconds (estimated only). */
  extrapolatedSeconds?: number;
}

/**
 * The full sweep's wall from the pairs run (in the order run; only the last may be
 * unfinished). Estimated = the finished pairs' mean wall times all pairs, and never less
 * than the wall already spent (a stopped pair took at least what it ran for, so a fast
 * first few pairs cannot pull the estimate below what was seen).
 */
export function sweepEstimate(runs: readonly PairRun[], total: number): SweepEstimate {
  if (runs.length > total) throw new Error(`sweepEstimate: ${runs.length} pairs run of ${total}`);
  if (runs.slice(0, -1).some((r) => !r.finished)) throw new Error('sweepEstimate: only the last pair run may be unfinished (the budget ends the run)');
  const finished = runs.filter((r) => r.finished);
  const measuredSeconds = finished.reduce((s, r) => s + r.wallMs, 0) / 1000;
  const spentSeconds = runs.reduce((s, r) => s + r.wallMs, 0) / 1000;
  const base = { measured: finished.length, total, measuredSeconds, spentSeconds };
  if (finished.length === total) return { kind: 'measured', seconds: measuredSeconds, ...base };
  if (finished.length === 0) return { kind: 'lower bound', seconds: spentSeconds, ...base };
  const extrapolatedSeconds = (measuredSeconds / finished.length) * total;
  return { kind: 'estimated', seconds: Math.max(extrapolatedSeconds, spentSeconds), extrapolatedSeconds, ...base };
}

const int = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The figure as printed after `... sweep s: `: a plain number when measured or estimated,
 * `>= n` for a lower bound, then what it is, in words.
 */
export function describeEstimate(e: SweepEstimate, runs: readonly PairRun[], budgetSeconds: number): string {
  const stopped = runs.find((r) => !r.finished);
  const stop = stopped
    ? `; ${stopped.label} was stopped unfinished after ${stopped.wallMs >= 10_000 ? Math.round(stopped.wallMs / 1000) : (stopped.wallMs / 1000).toFixed(1)} s (${int(stopped.answered)} of ${int(stopped.rows)} rows answered)`
    : '';
  if (e.kind === 'measured') return `${int(e.seconds)} (measured: all ${e.total} pairs swept)`;
  if (e.kind === 'lower bound') {
    return `>= ${int(e.seconds)} (a lower bound, not an estimate: no pair of ${e.total} finished within the ${budgetSeconds} s budget${stop})`;
  }
  const mean = e.measuredSeconds / e.measured;
  const raised = e.seconds > e.extrapolatedSeconds! ? `, which gives ${int(e.extrapolatedSeconds!)}, less than the ${int(e.spentSeconds)} s already spent, so that` : '';
  return `${int(e.seconds)} (estimated from ${e.measured} of ${e.total} pairs measured, ${mean.toFixed(1)} s each on average; the other ${e.total - e.measured} extrapolated at that mean${raised}${stop})`;
}
