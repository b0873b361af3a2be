// One measurement of the VT-d model for `npm run bench` (bench/model.ts), in a process of
// its own. Plain JavaScript on purpose: it runs the built package (dist/, what notebooks
// import) with plain node, so the figures are the ones a notebook user gets, not those of
// tsx's on-the-fly compilation. Prints one JSON line.
//
//   node bench/model-child.cjs check <from> <to> <strategy> <requests> <dmas> <reduction> <repeat> [symmetry on|off]
//   node bench/model-child.cjs sweep <requests> <dmas> <reduction> <workers> <transitions JSON>
//   node bench/model-child.cjs scale <from> <to> <strategy> <requests> <dmas> <reduction> <maxStates> <maxMillis>
//   node bench/model-child.cjs defaults <requests> <dmas> <reduction> <transitions JSON>
//   node bench/model-child.cjs sample <requests> <dmas> <reduction> <every> <transitions JSON>
'use strict';
const { join } = require('node:path');

// FLUSHLAB_DIST: another build to measure (e.g. an older commit's, for before/after figures).
const dist = process.env.FLUSHLAB_DIST ?? join(__dirname, '..', 'dist');
const { checkScenario } = require(join(dist, 'check', 'check'));
const { strategyNames } = require(join(dist, 'model', 'strategies'));

const [what, ...args] = process.argv.slice(2);

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
    const [from, to, strategy, requests, dmas, reduction, repeat, symmetry] = args;
    const runs = [];
    for (let i = 0; i < Number(repeat); i++) runs.push(check(from, to, strategy, requests, dmas, reduction, undefined, undefined, symmetry === undefined ? undefined : symmetry === 'on'));
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
    // Every built-in strategy on every transition given, at PASID 0x10 and at PASID 0
    // (RID_PASID), each once, after one warm-up check (the JIT has seen the model).
    const [requests, dmas, reduction, transitions] = args;
    const list = JSON.parse(transitions);
    check(list[0][1], list[0][2], 'baolu', 1, 1, reduction);
    const runs = [];
    for (const [name, from, to] of list) {
      for (const strategy of strategyNames()) {
        for (const pasid of [0x10, 0]) runs.push({ transition: name, strategy, pasid, ...check(from, to, strategy, requests, dmas, reduction, undefined, pasid) });
      }
    }
    return { runs };
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
