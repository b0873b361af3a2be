/**
 * The VT-d model's benchmarks (issues 5, 8 and 14): one check, the full sweep, and how
 * states and time grow with the workload. Each measurement runs the built package (dist/,
 * what a notebook imports) in a process of its own (model-child.cjs); `npm run bench` builds
 * dist/ first. The machine is shared, so a check is repeated in one process and the best
 * warm run is reported next to the first (cold: the JIT has not seen the model yet); sweeps
 * and scale rows run once and say so.
 *
 * Every part has a wall budget (the constants below), so the whole bench ends in bounded
 * time (~20 minutes on the 2-core machine) whatever the model's state space grows to: what
 * runs gets only the time left (a check's maxMillis, a sweep's deadline), what the budget
 * does not reach is not run and the lines say so, and a child that outlives its budget by
 * CHILD_GRACE_MS is killed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchSection } from './section';
import { DEFAULT_DMAS, DEFAULT_REQUESTS } from '../src/model/build';
import { AUTO_PLAIN_STATES } from '../src/check/check';
import { TRANSITIONS } from '../src/model/transitions';
import { strategyNames } from '../src/model/strategies';
import { OPEN_ASSUMPTIONS, rowCount } from '../src/check/sweep';
import { describeEstimate, pairOrder, sweepEstimate, type PairRun } from './estimate';

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

/*
 * Wall budgets. Summed, 150 + 300 + (60 + 90 + 240) + 210 s = 17.5 minutes for these
 * sections, whatever the load, plus what runs past a deadline (a counterexample's trace
 * after its search; seconds, killed at CHILD_GRACE_MS); the engine section (~2 minutes) and
 * set-up come on top.
 */
/** The one-check table (16 checks, each run 4 times), and one run of it at most. */
const CHECK_TABLE_BUDGET_MS = 150_000;
const CHECK_RUN_CAP_MS = 20_000;
/**
 * The 96 default checks (one process); one check at most. The slowest today, inconclusive
 * at the default 2,000,000-state budget, takes ~20-45 s on the shared machine.
 */
const DEFAULTS_BUDGET_MS = 300_000;
const DEFAULTS_CHECK_CAP_MS = 60_000;
/**
 * The sweep at each workload: (strategy, transition) pairs swept whole, in a fixed order,
 * until the workload's budget is spent (bench/estimate.ts). The default workload's gets most.
 */
const SWEEP_BUDGETS_MS: readonly (readonly [requests: number, dmas: number, budgetMs: number])[] = [
  [1, 0, 60_000],
  [1, 1, 90_000],
  [DEFAULT_REQUESTS, DEFAULT_DMAS, 240_000],
];
const SWEEP_WORKERS = 2;
/** The scale table, and one row at most. */
const SCALE_BUDGET_MS = 210_000;
const SCALE_ROW_CAP_MS = 90_000;
/**
 * How long past its deadline a child may run before it is killed: what follows a search
 * (the counterexample's trace, ending worker threads) is not under the budget.
 */
const CHILD_GRACE_MS = 60_000;

/**
 * Figures later sections read (the engine section's last line compares the largest default
 * check's states/s with Spin's toy run in the same bench run).
 */
export const benchFigures: { modelStatesPerSec?: number; modelCheck?: string } = {};

/** The transitions of the default-workload check goal: the standard three and SL->FL (the largest). */
const GOAL_TRANSITIONS: readonly [string, string, string][] = [...STANDARD_TRANSITIONS, ['SL->FL new DID', TRANSITIONS.slToFl.from, TRANSITIONS.slToFl.to]];

const int = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Runs model-child.cjs; its JSON lines, and whether it was killed for outliving its
 * deadline by CHILD_GRACE_MS (the lines it printed before are kept).
 */
function childLines<T>(args: string[], deadline: number): { lines: T[]; killed: boolean } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=8192', CHILD, ...args], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26,
    timeout: Math.max(1, deadline - Date.now()) + CHILD_GRACE_MS, killSignal: 'SIGKILL',
  });
  const killed = r.signal === 'SIGKILL';
  if (!killed && r.status !== 0) throw new Error(`model-child ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T);
  return { lines, killed };
}

/** The child's one JSON line (its last). */
function child<T>(args: string[], deadline: number): T {
  const { lines, killed } = childLines<T>(args, deadline);
  if (killed || lines.length === 0) throw new Error(`model-child ${args.join(' ')} ${killed ? `killed ${CHILD_GRACE_MS / 1000} s past its deadline` : 'printed nothing'}`);
  return lines[lines.length - 1];
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

interface CheckRun {
  verdict: string;
  property: string | null;
  exhausted: string | null;
  states: number;
  transitions: number;
  millis: number;
}

const verdictOf = (r: CheckRun) => (r.verdict === 'unsafe' ? `unsafe ${r.property}` : r.exhausted ? `${r.verdict} (${r.exhausted})` : r.verdict);

/**
 * Cold (first run in a fresh process) and best warm run of one check; warm is null when
 * only one run fitted (the first was cut by time, or the deadline came); null when none did.
 */
function measureCheck(strategy: string, requests: number, dmas: number, reduction: string, symmetry: 'on' | 'off', deadline: number): { cold: CheckRun; warm: CheckRun | null } | null {
  const { runs } = child<{ runs: CheckRun[] }>(['check', SL_FROM, SL_TO, strategy, String(requests), String(dmas), reduction, '4', symmetry, String(CHECK_RUN_CAP_MS), String(deadline)], deadline);
  if (runs.length === 0) return null;
  const warm = runs.length > 1 ? runs.slice(1).reduce((a, b) => (b.millis < a.millis ? b : a)) : null;
  return { cold: runs[0], warm };
}

type DefaultRun = CheckRun & { transition: string; strategy: string; pasid: number; peakMB: number };

export const checkSection: BenchSection = {
  name: 'check',
  title: `model: one check, SL->SL new DID (default workload: ${DEFAULT_REQUESTS} ATS requests, ${DEFAULT_DMAS} DMA)`,
  async run(out) {
    out('each check in a fresh process: cold = its first run, warm = best of the next 3 (model build + search + trace)');
    out(`auto (the default) = none up to ${AUTO_PLAIN_STATES.toLocaleString('en-US')} states, then the same search goes on with ample`);
    out('symmetry (the default): requests, and DMAs, that differ only in their numbers are one state (model/state.ts canonicalState); auto/nosym = auto without it');
    out(`budget: ${secs(CHECK_RUN_CAP_MS)} a run ("inconclusive (time)", then not repeated: warm "-"), ${secs(CHECK_TABLE_BUDGET_MS)} the table ("not run" after it)`);
    out(`${'strategy'.padEnd(10)}${'workload'.padEnd(10)}${'reduction'.padEnd(12)}${'verdict'.padEnd(28)}${'states'.padStart(10)}${'cold ms'.padStart(9)}${'warm ms'.padStart(9)}${'states/s'.padStart(11)}`);
    const goal: string[] = [];
    const tableDeadline = Date.now() + CHECK_TABLE_BUDGET_MS;
    for (const [requests, dmas] of [[DEFAULT_REQUESTS, DEFAULT_DMAS], [1, 1]] as const) {
      for (const strategy of ['baolu', 'jason']) {
        // auto is the default (check.ts): plain up to 50k states, then reduced.
        for (const reduction of ['none', 'ample', 'auto/nosym', 'auto']) {
          const head = `${strategy.padEnd(10)}${`r${requests} d${dmas}`.padEnd(10)}${reduction.padEnd(12)}`;
          const m = Date.now() < tableDeadline ? measureCheck(strategy, requests, dmas, reduction.replace('/nosym', ''), reduction.endsWith('/nosym') ? 'off' : 'on', tableDeadline) : null;
          if (!m) {
            out(`${head}not run (the table's ${secs(CHECK_TABLE_BUDGET_MS)} budget was spent)`);
            continue;
          }
          const { cold, warm } = m;
          const shown = warm ?? cold;
          out(`${head}${verdictOf(shown).padEnd(28)}${int(shown.states).padStart(10)}${int(cold.millis).padStart(9)}${(warm ? int(warm.millis) : '-').padStart(9)}${int((shown.states / shown.millis) * 1000).padStart(11)}`);
          if (reduction === 'auto') goal.push(`${strategy} r${requests} d${dmas} ${warm ? `${int(warm.millis)} ms (cold ${int(cold.millis)})` : `${int(cold.millis)} ms cold, ${verdictOf(cold)}`}`);
        }
      }
    }
    out(`goal one check < ${CHECK_GOAL_MS} ms (default reduction, warm): ${goal.length > 0 ? goal.join('; ') : 'none run'}`);
    // The goal's measure: every built-in strategy on every goal transition, PASID 0x10 and 0,
    // default workload and reduction, each once in one process after a warm-up check. In
    // the order of the sweep's pairs (pairOrder), so that the checks a budget cut short
    // still cover every strategy and transition.
    const names = strategyNames();
    const list = pairOrder(names.length, GOAL_TRANSITIONS.length).flatMap((p) => {
      const [name, from, to] = GOAL_TRANSITIONS[p % GOAL_TRANSITIONS.length];
      return [0x10, 0].map((pasid) => [name, from, to, names[Math.floor(p / GOAL_TRANSITIONS.length)], pasid]);
    });
    const total = list.length;
    const deadline = Date.now() + DEFAULTS_BUDGET_MS;
    const { lines: runs, killed } = childLines<DefaultRun>(
      ['defaults', String(DEFAULT_REQUESTS), String(DEFAULT_DMAS), 'auto', JSON.stringify(list), String(DEFAULTS_CHECK_CAP_MS), String(deadline)], deadline);
    const checks = runs.filter((r) => r.strategy !== undefined);
    out(`every strategy x ${GOAL_TRANSITIONS.length} transitions x PASID 0x10 and 0 at r${DEFAULT_REQUESTS} d${DEFAULT_DMAS} (${total} checks, one process, after a warm-up; budget ${secs(DEFAULTS_CHECK_CAP_MS)} a check, ${secs(DEFAULTS_BUDGET_MS)} in all;`);
    out('  in rounds of every strategy once, transitions taking turns, as the sweep\'s pairs: bench/estimate.ts pairOrder)');
    if (checks.length < total) out(`run: ${checks.length} of ${total} (${killed ? `the child was killed ${secs(CHILD_GRACE_MS)} past the budget` : 'the budget was spent'}; the rest not run)`);
    if (checks.length === 0) {
      out(`default check max ms: n/a (no default check ran within ${secs(DEFAULTS_BUDGET_MS)})`);
      return;
    }
    const bySlowest = [...checks].sort((a, b) => b.millis - a.millis);
    out('the slowest five:');
    for (const r of bySlowest.slice(0, 5)) {
      out(`  ${r.strategy.padEnd(21)}${r.transition.padEnd(17)}${`pasid ${r.pasid.toString(16)}`.padEnd(10)}${verdictOf(r).padEnd(28)}${int(r.states).padStart(10)} states${int(r.millis).padStart(8)} ms${int((r.states / r.millis) * 1000).padStart(10)} states/s`);
    }
    const under = checks.filter((r) => r.millis < CHECK_GOAL_MS).length;
    out(`under ${CHECK_GOAL_MS} ms: ${under} of ${total}${checks.length < total ? ` (${checks.length} run)` : ''}`);
    const largest = checks.reduce((a, b) => (b.states > a.states ? b : a));
    benchFigures.modelStatesPerSec = (largest.states / largest.millis) * 1000;
    benchFigures.modelCheck = `${largest.strategy} ${largest.transition} pasid ${largest.pasid.toString(16)}, ${int(largest.states)} states`;
    const worst = bySlowest[0];
    const cut = checks.filter((r) => r.exhausted === 'time').length;
    // A check stopped by the time cap, or one not run, could have taken longer: the maximum is then a lower bound.
    const bound = cut > 0 || checks.length < total;
    const why = [cut > 0 ? `${cut} stopped by time (the ${secs(DEFAULTS_CHECK_CAP_MS)} cap, or the budget's end)` : '', checks.length < total ? `${total - checks.length} of ${total} not run` : ''].filter(Boolean).join(', ');
    out(`default check max ms: ${bound ? '>= ' : ''}${Math.round(worst.millis)} (${worst.strategy} ${worst.transition} pasid ${worst.pasid.toString(16)}${bound ? `; a lower bound: ${why}` : ''}; goal < ${CHECK_GOAL_MS})`);
  },
};

/** The pair list of the full sweep: strategy-major (pair s * transitions + t). */
function sweepPairs(): [string, string, string, string][] {
  return strategyNames().flatMap((strategy) => STANDARD_TRANSITIONS.map(([name, from, to]) => [strategy, from, to, name] as [string, string, string, string]));
}

export const sweepSection: BenchSection = {
  name: 'sweep',
  title: `model: full sweep, every strategy x ${STANDARD_TRANSITIONS.length} standard transitions x every open-assumption row`,
  async run(out) {
    const pairs = sweepPairs();
    const order = pairOrder(strategyNames().length, STANDARD_TRANSITIONS.length).map((i) => pairs[i]);
    const rowsPerPair = rowCount([...OPEN_ASSUMPTIONS]);
    out(`rows checked on ${SWEEP_WORKERS} worker threads (sweepMany); a row whose check read the same assumption values as an earlier one reuses its answer`);
    out(`the full sweep is ${pairs.length} (strategy, transition) pairs x ${int(rowsPerPair)} rows; each workload sweeps whole pairs, one at a time, in a fixed order`);
    out(`(${order.slice(0, 3).map(([s, , , t]) => `${s} ${t}`).join(', ')}, ...: bench/estimate.ts pairOrder) until its wall budget is spent; the pair running then is stopped`);
    out('(the sweep\'s deadline), pairs that finished are measured, and the full sweep is their wall, or their mean wall x all pairs when not all finished');
    out(`${'workload'.padEnd(10)}${'budget s'.padStart(9)}${'pairs done'.padStart(12)}${'rows'.padStart(9)}${'states (rows summed)'.padStart(22)}${'wall s'.padStart(9)}${'states/s'.padStart(11)}  full sweep s`);
    const figures: string[] = [];
    const notes: string[] = [];
    let defaultLine = '';
    for (const [requests, dmas, budgetMs] of SWEEP_BUDGETS_MS) {
      const workload = `r${requests} d${dmas}`;
      const deadline = Date.now() + budgetMs;
      const { lines, killed } = childLines<{ strategy?: string; from: string; to: string; finished: boolean; wall: number; rows: number; answered: number; states: number }>(
        ['pairs', String(requests), String(dmas), 'auto', String(SWEEP_WORKERS), String(deadline), JSON.stringify(order.map(([s, from, to]) => [s, from, to]))], deadline);
      const runs: PairRun[] = lines.filter((l) => l.strategy !== undefined).map((l, i) => ({
        label: `${order[i][0]} ${order[i][3]}`, finished: l.finished, wallMs: l.wall, rows: l.rows, answered: l.answered, states: l.states,
      }));
      if (killed && runs.length < order.length) {
        // Killed CHILD_GRACE_MS past the deadline: the pair it was on is the stopped one.
        const spent = runs.reduce((n, r) => n + r.wallMs, 0);
        runs.push({ label: `${order[runs.length][0]} ${order[runs.length][3]}`, finished: false, wallMs: budgetMs + CHILD_GRACE_MS - spent, rows: rowsPerPair, answered: 0, states: 0 });
        notes.push(`${workload}: the child was killed ${secs(CHILD_GRACE_MS)} past its budget (its last pair's rows answered: unknown)`);
      }
      const e = sweepEstimate(runs, pairs.length);
      const done = runs.filter((r) => r.finished);
      const wall = done.reduce((n, r) => n + r.wallMs, 0);
      const states = done.reduce((n, r) => n + r.states, 0);
      const figure = describeEstimate(e, runs, budgetMs / 1000);
      out(`${workload.padEnd(10)}${String(budgetMs / 1000).padStart(9)}${`${done.length} of ${pairs.length}`.padStart(12)}${int(done.length * rowsPerPair).padStart(9)}${int(states).padStart(22)}${(wall / 1000).toFixed(1).padStart(9)}${(wall > 0 ? int((states / wall) * 1000) : '-').padStart(11)}  ${figure.split(' (')[0]}`);
      figures.push(`${workload} ${e.kind === 'lower bound' ? '>= ' : ''}${int(e.seconds)} s (${e.kind})`);
      if (requests === DEFAULT_REQUESTS && dmas === DEFAULT_DMAS) defaultLine = `default sweep s: ${figure}; goal < ${SWEEP_GOAL_S}`;
      else if (e.kind !== 'measured') notes.push(`${workload} sweep s: ${figure}`);
    }
    for (const n of notes) out(n);
    out(`goal full sweep < ${SWEEP_GOAL_S} s on ${SWEEP_WORKERS} workers: ${figures.join('; ')}`);
    out(defaultLine);
  },
};

export const scaleSection: BenchSection = {
  name: 'scale',
  title: 'model: scale (baolu, SL->SL new DID, spec, default reduction)',
  async run(out) {
    const maxStates = 3_000_000;
    out(`budget per row: ${int(maxStates)} states or ${SCALE_ROW_CAP_MS / 1000} s ("budget" when hit); ${secs(SCALE_BUDGET_MS)} the table ("not run" after it)`);
    out('pages: 1 — the model has one 4 KiB page (mapped by both domains); a second page is not modelled, so no row for it');
    out('devices sharing the DID: 1 — the model has one device and one PASID; more are not modelled');
    out('peak MB: the peak resident memory of the process that ran the row (one row a process)');
    out(`${'ATS requests'.padEnd(14)}${'DMAs'.padStart(5)}${'verdict'.padStart(10)}${'states'.padStart(12)}${'ms'.padStart(9)}${'states/s'.padStart(11)}${'peak MB'.padStart(9)}`);
    const deadline = Date.now() + SCALE_BUDGET_MS;
    for (const dmas of [0, 1, 2]) {
      for (let requests = 1; requests <= 4; requests++) {
        const left = Math.min(SCALE_ROW_CAP_MS, deadline - Date.now());
        if (left <= 0) {
          out(`${String(requests).padEnd(14)}${String(dmas).padStart(5)}  not run (the table's ${secs(SCALE_BUDGET_MS)} budget was spent)`);
          break;
        }
        const r = child<CheckRun & { peakMB: number }>(['scale', SL_FROM, SL_TO, 'baolu', String(requests), String(dmas), 'auto', String(maxStates), String(left)], Date.now() + left);
        const states = r.exhausted ? `> ${int(r.states)}` : int(r.states);
        out(`${String(requests).padEnd(14)}${String(dmas).padStart(5)}${(r.exhausted ? 'budget' : r.verdict).padStart(10)}${states.padStart(12)}${int(r.millis).padStart(9)}${int((r.states / r.millis) * 1000).padStart(11)}${int(r.peakMB).padStart(9)}`);
        if (r.exhausted) break; // more requests only grow
      }
    }
  },
};
