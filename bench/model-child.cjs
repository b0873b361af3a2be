// One measurement of the VT-d model for `npm run bench` (bench/model.ts), in a process of
// its own. Plain JavaScript on purpose: it runs the built package (dist/, what notebooks
// import) with plain node, so the figures are the ones a notebook user gets, not those of
// tsx's on-the-fly compilation. Prints one JSON line; `defaults` and `pairs` print one a
// check or pair as each ends, so that the lines before a kill are still read. A deadline
// is a Date.now() time (the parent's clock is the same): nothing is started after it and
// what runs is given only the time left.
//
//   node bench/model-child.cjs check <from> <to> <strategy> <requests> <dmas> <reduction> <repeat> <symmetry on|off|default> [<capMs> <deadline>]
//   node bench/model-child.cjs scale <from> <to> <strategy> <requests> <dmas> <reduction> <maxStates> <maxMillis>
//   node bench/model-child.cjs defaults <requests> <dmas> <reduction> <[name, from, to(, strategy, pasid)] JSON> [<capMs> <deadline>]
//   node bench/model-child.cjs pairs <requests> <dmas> <reduction> <workers> <deadline> <[strategy, from, to] JSON>
// Not run by `npm run bench` (no budget; for figures taken by hand, docs/performance.md):
//   node bench/model-child.cjs sweep <requests> <dmas> <reduction> <workers> <transitions JSON>
//   node bench/model-child.cjs sample <requests> <dmas> <reduction> <every> <transitions JSON>
'use strict';
const { join } = require('node:path');

// FLUSHLAB_DIST: another build to measure (e.g. an older commit's, for before/after figures).
const dist = process.env.FLUSHLAB_DIST ?? join(__dirname, '..', 'dist');
const { checkScenario } = require(join(dist, 'check', 'check'));
const { strategyNames } = require(join(dist, 'model', 'strategies'));

const [what, ...args] = process.argv.slice(2);

/** See `pairs`. */
const SLACK_MS = 1000;

/**
 * A check's time budget: the cap, or the time left before the deadline if less; null when
 * the deadline has passed. Without a cap, the build's default budget (states only).
 */
function timeBudget(capMs, deadline) {
  if (capMs === undefined) return undefined;
  const left = Math.min(Number(capMs), Number(deadline) - Date.now());
  return left <= 0 ? null : { maxMillis: left };
}

function check(from, to, strategy, requests, dmas, reduction, budget, pasid, symmetry) {
  const t0 = performance.now();
  // symmetry: undefined = the build's default (older builds have no such option).
  const r = checkScenario({ from, to, strategy, requests: Number(requests), dmas: Number(dmas), ...(pasid === undefined ? {} : { pasid }) },
    { reduction, budget, ...(symmetry === undefined ? {} : { symmetry }) });
  return {
    verdict: r.verdict,
    property: r.violations[0] ? r.violations[0].property : null,
    exhausted: r.exhausted ?? null,
    states: r.states,
    transitions: r.transitions,
    // The whole call (model building, search, counterexample), as a user waits for it.
    millis: performance.now() - t0,
    // Peak resident memory of this process so far, MB (the largest check it ran).
    peakMB: process.resourceUsage().maxRSS / 1024,
  };
}

async function main() {
  if (what === 'check') {
    const [from, to, strategy, requests, dmas, reduction, repeat, symmetry, capMs, deadline] = args;
    const sym = symmetry === undefined || symmetry === 'default' ? undefined : symmetry === 'on';
    const runs = [];
    for (let i = 0; i < Number(repeat); i++) {
      const budget = timeBudget(capMs, deadline);
      if (budget === null) break;
      runs.push(check(from, to, strategy, requests, dmas, reduction, budget, undefined, sym));
      // A run cut short by time says what a repeat would: no more of them.
      if (runs[runs.length - 1].exhausted === 'time') break;
    }
    return { runs };
  }
  if (what === 'sweep') {
    const [requests, dmas, reduction, workers, transitions] = args;
    const inputs = JSON.parse(transitions).flatMap(([from, to]) =>
      strategyNames().map((strategy) => ({ from, to, strategy, requests: Number(requests), dmas: Number(dmas) })));
    const t0 = performance.now();
    const { sweepMany } = require(join(dist, 'check', 'parallel'));
    const results = await sweepMany(inputs, { reduction, workers: Number(workers) });
    const wall = performance.now() - t0;
    return {
      sweeps: results.length,
      rows: results.reduce((n, r) => n + r.rows.length, 0),
      // Rows summed: what checking every row on its own explores.
      states: results.reduce((n, r) => n + r.states, 0),
      inconclusive: results.reduce((n, r) => n + r.rows.filter((x) => x.verdict === 'inconclusive').length, 0),
      wall,
      conditions: results.map((r) => `${r.strategy} ${r.from} -> ${r.to}: ${r.condition}`),
    };
  }
  if (what === 'scale') {
    const [from, to, strategy, requests, dmas, reduction, maxStates, maxMillis] = args;
    return check(from, to, strategy, requests, dmas, reduction, { maxStates: Number(maxStates), maxMillis: Number(maxMillis) });
  }
  if (what === 'defaults') {
    // Checks at the default options, each once, after one warm-up check (the JIT has seen
    // the model); each printed as it ends. Checks the deadline does not reach are not run.
    // The list: [name, from, to, strategy, pasid] checks in the order given, or [name, from,
    // to] transitions: every built-in strategy on each, at PASID 0x10 and at PASID 0.
    const [requests, dmas, reduction, list, capMs, deadline] = args;
    const checks = JSON.parse(list).flatMap((e) => (e.length === 5 ? [e]
      : strategyNames().flatMap((strategy) => [0x10, 0].map((pasid) => [...e, strategy, pasid]))));
    check(checks[0][1], checks[0][2], 'baolu', 1, 1, reduction);
    for (const [name, from, to, strategy, pasid] of checks) {
      const budget = timeBudget(capMs, deadline);
      if (budget === null) return { done: false };
      console.log(JSON.stringify({ transition: name, strategy, pasid, ...check(from, to, strategy, requests, dmas, reduction, budget, pasid) }));
    }
    return { done: true };
  }
  if (what === 'pairs') {
    // The real sweep (sweepMany, as `sweep` runs it) of one (strategy, transition) pair at
    // a time, in the order given, until the deadline; each pair printed as it ends. The
    // sweep is given the deadline (sweep.ts SweepOptions.deadline): rows after it are not
    // checked, and the row running then gets only the time left.
    const [requests, dmas, reduction, workers, deadline, pairs] = args;
    const { sweepMany } = require(join(dist, 'check', 'parallel'));
    const end = Number(deadline);
    for (const [strategy, from, to] of JSON.parse(pairs)) {
      if (Date.now() >= end) return { done: false };
      const t0 = performance.now();
      const [r] = await sweepMany([{ from, to, strategy, requests: Number(requests), dmas: Number(dmas) }], { reduction, workers: Number(workers), deadline: end });
      const wall = performance.now() - t0;
      const inconclusive = r.rows.filter((x) => x.verdict === 'inconclusive').length;
      // A row the deadline cut is inconclusive and ends at the deadline or after it: a pair
      // with no inconclusive row, or that ended well before the deadline, was not cut (one
      // that ended within SLACK_MS of it is counted as cut: it cannot be told apart).
      const finished = inconclusive === 0 || Date.now() < end - SLACK_MS;
      console.log(JSON.stringify({
        strategy, from, to, finished, wall,
        rows: r.rows.length,
        answered: r.rows.length - inconclusive,
        inconclusive,
        states: r.states,
      }));
      if (!finished) return { done: false };
    }
    return { done: true };
  }
  if (what === 'sample') {
    // Every `every`-th row of every sweep, each checked on its own in this thread: for an
    // estimate of a sweep too long to run in a benchmark.
    const [requests, dmas, reduction, every, transitions] = args;
    const { OPEN_ASSUMPTIONS, assignmentOf, rowCount } = require(join(dist, 'check', 'sweep'));
    const variables = [...OPEN_ASSUMPTIONS];
    const total = rowCount(variables);
    let rows = 0;
    let states = 0;
    const t0 = performance.now();
    for (const [from, to] of JSON.parse(transitions)) {
      for (const strategy of strategyNames()) {
        for (let r = 0; r < total; r += Number(every)) {
          const a = assignmentOf(variables, r);
          const assume = `spec,${variables.map((v) => `${v}=${a[v]}`).join(',')}`;
          const x = checkScenario({ from, to, strategy, assume, requests: Number(requests), dmas: Number(dmas) }, { reduction });
          rows++;
          states += x.states;
        }
      }
    }
    return { rows, states, millis: performance.now() - t0, total };
  }
  throw new Error(`unknown measurement '${what}'`);
}

main().then(
  (r) => console.log(JSON.stringify(r)),
  (e) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exitCode = 1;
  },
);
