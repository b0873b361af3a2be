/**
 * The VT-d model's benchmarks (issues 5 and 8): one check, the full sweep, and how states
 * and time grow with the workload. Each measurement runs the built package (dist/, what a
 * notebook imports) in a process of its own (model-child.cjs); `npm run bench` builds dist/
 * first. The machine is shared, so a check is repeated in one process and the best warm
 * run is reported next to the first (cold: the JIT has not seen the model yet); sweeps and
 * scale rows run once and say so.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSection } from './section';
import { DEFAULT_DMAS, DEFAULT_REQUESTS } from '../src/model/build';
import { TRANSITIONS } from '../src/model/transitions';
import { strategyNames } from '../src/model/strategies';

const ROOT = join(__dirname, '..');
const CHILD = join(__dirname, 'model-child.cjs');

/** The thread's transitions: the standard set every strategy is swept over. */
export const STANDARD_TRANSITIONS: readonly [string, string, string][] = [
  ['SL->SL new DID', TRANSITIONS.slNewDid.from, TRANSITIONS.slNewDid.to],
  ['FL->FL same DID', TRANSITIONS.flSameDid.from, TRANSITIONS.flSameDid.to],
  ['FL->FL new DID', TRANSITIONS.flNewDid.from, TRANSITIONS.flNewDid.to],
];
const [, SL_FROM, SL_TO] = STANDARD_TRANSITIONS[0];

const CHECK_GOAL_MS = 200;
const SWEEP_GOAL_S = 60;

/**
 * Figures later sections read (the engine section's last line compares the largest default
 * check's states/s with Spin's toy run in the same bench run).
 */
export const benchFigures: { modelStatesPerSec?: number; modelCheck?: string } = {};

/** The transitions of the default-workload check goal: the standard three and SL->FL (the largest). */
const GOAL_TRANSITIONS: readonly [string, string, string][] = [...STANDARD_TRANSITIONS, ['SL->FL new DID', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to]];

const int = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', CHILD, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`model-child ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

interface CheckRun {
  verdict: string;
  property: string | null;
  exhausted: string | null;
  states: number;
  transitions: number;
  millis: number;
}

const verdictOf = (r: CheckRun) => (r.verdict === 'unsafe' ? `unsafe ${r.property}` : r.exhausted ? `${r.verdict} (${r.exhausted})` : r.verdict);

/** Cold (first run in a fresh process) and best warm run of one check. */
function measureCheck(strategy: string, requests: number, dmas: number, reduction: string, symmetry: 'on' | 'off'): { cold: CheckRun; warm: CheckRun } {
  const { runs } = child<{ runs: CheckRun[] }>(['check', SL_FROM, SL_TO, strategy, String(requests), String(dmas), reduction, '4', symmetry]);
  const warm = runs.slice(1).reduce((a, b) => (b.millis < a.millis ? b : a));
  return { cold: runs[0], warm };
}

export const checkSection: BenchSection = {
  name: 'check',
  title: `model: one check, SL->SL new DID (default workload: ${DEFAULT_REQUESTS} ATS requests, ${DEFAULT_DMAS} DMA)`,
  async run(out) {
    out('each check in a fresh process: cold = its first run, warm = best of the next 3 (model build + search + trace)');
    out('auto (the default) = none up to 50,000 states, then the same search goes on with ample');
    out('symmetry (the default): requests, and DMAs, that differ only in their numbers are one state (model/state.ts canonicalState); auto/nosym = auto without it');
    out(`${'strategy'.padEnd(10)}${'workload'.padEnd(10)}${'reduction'.padEnd(12)}${'verdict'.padEnd(28)}${'states'.padStart(10)}${'cold ms'.padStart(9)}${'warm ms'.padStart(9)}${'states/s'.padStart(11)}`);
    const goal: string[] = [];
    for (const [requests, dmas] of [[DEFAULT_REQUESTS, DEFAULT_DMAS], [1, 1]] as const) {
      for (const strategy of ['baolu', 'jason']) {
        // auto is the default (check.ts): plain up to 50k states, then reduced.
        for (const reduction of ['none', 'ample', 'auto/nosym', 'auto']) {
          const { cold, warm } = measureCheck(strategy, requests, dmas, reduction.replace('/nosym', ''), reduction.endsWith('/nosym') ? 'off' : 'on');
          out(`${strategy.padEnd(10)}${`r${requests} d${dmas}`.padEnd(10)}${reduction.padEnd(12)}${verdictOf(warm).padEnd(28)}${int(warm.states).padStart(10)}${int(cold.millis).padStart(9)}${int(warm.millis).padStart(9)}${int((warm.states / warm.millis) * 1000).padStart(11)}`);
          if (reduction === 'auto') goal.push(`${strategy} r${requests} d${dmas} ${int(warm.millis)} ms (cold ${int(cold.millis)})`);
        }
      }
    }
    out(`goal one check < ${CHECK_GOAL_MS} ms (default reduction, warm): ${goal.join('; ')}`);
    // The goal's measure: every built-in strategy on every goal transition, PASID 0x10 and 0,
    // default workload and reduction, each once in one process after a warm-up check.
    const { runs } = child<{ runs: (CheckRun & { transition: string; strategy: string; pasid: number; peakMB: number })[] }>(
      ['defaults', String(DEFAULT_REQUESTS), String(DEFAULT_DMAS), 'auto', JSON.stringify(GOAL_TRANSITIONS)]);
    const bySlowest = [...runs].sort((a, b) => b.millis - a.millis);
    out(`every strategy x ${GOAL_TRANSITIONS.length} transitions x PASID 0x10 and 0 at r${DEFAULT_REQUESTS} d${DEFAULT_DMAS} (${runs.length} checks, one process, after a warm-up); the slowest five:`);
    for (const r of bySlowest.slice(0, 5)) {
      out(`  ${r.strategy.padEnd(20)}${r.transition.padEnd(17)}${`pasid ${r.pasid.toString(16)}`.padEnd(10)}${verdictOf(r).padEnd(28)}${int(r.states).padStart(10)} states${int(r.millis).padStart(8)} ms${int((r.states / r.millis) * 1000).padStart(10)} states/s`);
    }
    const under = runs.filter((r) => r.millis < CHECK_GOAL_MS).length;
    out(`under ${CHECK_GOAL_MS} ms: ${under} of ${runs.length}`);
    const largest = runs.reduce((a, b) => (b.states > a.states ? b : a));
    benchFigures.modelStatesPerSec = (largest.states / largest.millis) * 1000;
    benchFigures.modelCheck = `${largest.strategy} ${largest.transition} pasid ${largest.pasid.toString(16)}, ${int(largest.states)} states`;
    const worst = bySlowest[0];
    out(`default check max ms: ${Math.round(worst.millis)} (${worst.strategy} ${worst.transition} pasid ${worst.pasid.toString(16)}; goal < ${CHECK_GOAL_MS})`);
  },
};

interface SweepRun {
  sweeps: number;
  rows: number;
  states: number;
  inconclusive: number;
  wall: number;
}

export const sweepSection: BenchSection = {
  name: 'sweep',
  title: `model: full sweep, every strategy x ${STANDARD_TRANSITIONS.length} standard transitions x every open-assumption row`,
  async run(out) {
    const transitions = JSON.stringify(STANDARD_TRANSITIONS.map(([, from, to]) => [from, to]));
    out('rows checked on worker threads (sweepMany); a row whose check read the same assumption values as an earlier one reuses its answer');
    out(`${'workload'.padEnd(10)}${'workers'.padStart(8)}${'rows'.padStart(7)}${'states (rows summed)'.padStart(22)}${'wall s'.padStart(9)}${'states/s'.padStart(11)}`);
    const runs: [number, number, number][] = [[1, 0, 1], [1, 0, 2], [1, 1, 2]];
    const wallAt = new Map<string, number>();
    for (const [requests, dmas, workers] of runs) {
      const r = child<SweepRun>(['sweep', String(requests), String(dmas), 'auto', String(workers), transitions]);
      if (r.inconclusive > 0) throw new Error(`sweep r${requests} d${dmas}: ${r.inconclusive} rows inconclusive`);
      wallAt.set(`r${requests} d${dmas}`, r.wall);
      out(`${`r${requests} d${dmas}`.padEnd(10)}${String(workers).padStart(8)}${int(r.rows).padStart(7)}${int(r.states).padStart(22)}${(r.wall / 1000).toFixed(1).padStart(9)}${int((r.states / r.wall) * 1000).padStart(11)}`);
    }
    // The default workload's sweep takes far too long for a benchmark: estimate it from a
    // fixed sample of its rows, each checked on its own (no reuse between rows: an upper
    // estimate), as if spread over the same 2 workers.
    const every = 64;
    const sample = child<{ rows: number; states: number; millis: number; total: number }>(['sample', String(DEFAULT_REQUESTS), String(DEFAULT_DMAS), 'auto', String(every), transitions]);
    const allRows = sample.total * STANDARD_TRANSITIONS.length * strategyNames().length;
    const estimate = (sample.millis / sample.rows) * allRows / 2 / 1000;
    out(`default workload r${DEFAULT_REQUESTS} d${DEFAULT_DMAS}: not run; every ${every}th row (${sample.rows} of ${int(allRows)} rows) took ${(sample.millis / 1000).toFixed(1)} s for ${int(sample.states)} states (${int((sample.states / sample.millis) * 1000)} states/s)`);
    out(`default sweep s: ${Math.round(estimate)} (estimated from that sample: ${int(allRows)} rows on 2 workers, no reuse between rows; goal < ${SWEEP_GOAL_S})`);
    out(`goal full sweep < ${SWEEP_GOAL_S} s: ${[...wallAt].map(([w, ms]) => `${w} ${(ms / 1000).toFixed(1)} s`).join('; ')}`);
  },
};

export const scaleSection: BenchSection = {
  name: 'scale',
  title: 'model: scale (baolu, SL->SL new DID, spec, default reduction)',
  async run(out) {
    const maxStates = 3_000_000;
    const maxMillis = 90_000;
    out(`budget per row: ${int(maxStates)} states or ${maxMillis / 1000} s ("> budget" when hit)`);
    out('pages: 1 — the model has one 4 KiB page (mapped by both domains); a second page is not modelled, so no row for it');
    out('devices sharing the DID: 1 — the model has one device and one PASID; more are not modelled');
    out('peak MB: the peak resident memory of the process that ran the row (one row a process)');
    out(`${'ATS requests'.padEnd(14)}${'DMAs'.padStart(5)}${'verdict'.padStart(10)}${'states'.padStart(12)}${'ms'.padStart(9)}${'states/s'.padStart(11)}${'peak MB'.padStart(9)}`);
    for (const dmas of [0, 1, 2]) {
      for (let requests = 1; requests <= 4; requests++) {
        const r = child<CheckRun & { peakMB: number }>(['scale', SL_FROM, SL_TO, 'baolu', String(requests), String(dmas), 'auto', String(maxStates), String(maxMillis)]);
        const states = r.exhausted ? `> ${int(r.states)}` : int(r.states);
        out(`${String(requests).padEnd(14)}${String(dmas).padStart(5)}${(r.exhausted ? 'budget' : r.verdict).padStart(10)}${states.padStart(12)}${int(r.millis).padStart(9)}${int((r.states / r.millis) * 1000).padStart(11)}${int(r.peakMB).padStart(9)}`);
        if (r.exhausted) break; // more requests only grow
      }
    }
  },
};
