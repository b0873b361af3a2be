import { test } from 'node:test';
import assert from 'node:assert/strict';
import { search } from '../../src/engine/search';
import { searchPacked } from '../../bench/packedSearch';
import type { TransitionSystem } from '../../src/engine/types';
import { validateStrategy, STRATEGY_LIMITS } from '../../src/model/strategies';
import { workerShare } from '../../src/check/parallel';
import { OPEN_ASSUMPTIONS, rowCount } from '../../src/check/sweep';
import { runCli } from '../helpers/cli';
import { SL, flushlab } from '../helpers/process';

/** An endless chain whose every state takes at least `ms` of wall time to expand. */
function slowChain(ms: number, counter: { expanded: number }): TransitionSystem<number, string> {
  return {
    initial: () => 0,
    successors: (s) => {
      counter.expanded++;
      const until = performance.now() + ms;
      while (performance.now() < until) { /* a slow state */ }
      return [{ label: 'next', next: s + 1 }];
    },
    key: (s) => String(s),
    invariants: [],
  };
}

// Issue 16 item 3: the clock was read every 64 states, so 5,000 descriptors (seconds per
// state) ran 9.9 s against a 2 s budget. Each state here takes >= 20 ms and the budget is
// 100 ms: reading the clock every state stops after at most 100/20 + 1 expansions, however
// slow the machine (a slower machine expands fewer); every 64 states expanded 64.
test('a time budget ends the search within one state of it, however slow a state is', () => {
  const counter = { expanded: 0 };
  const r = search(slowChain(20, counter), { budget: { maxMillis: 100 } });
  assert.equal(r.verdict, 'inconclusive');
  assert.equal(r.exhausted, 'time');
  assert.ok(counter.expanded <= 6, `${counter.expanded} states expanded`);
});

test('the default budget is a state count, not a time (same answer on every machine)', () => {
  const counter = { expanded: 0 };
  const chain = slowChain(0, counter);
  const r = search(chain, { budget: { maxStates: 5000 } });
  assert.equal(r.exhausted, 'states');
  assert.equal(r.states, 5000);
});

function descriptors(n: number) {
  return Array.from({ length: n }, () => ({ type: 'devtlb' }));
}
const strategy = (after: unknown[]) => ({ name: 'big', writer: 'entry_sync', sync: {}, after });

test('a strategy too large to check is refused, and the error says the limit', () => {
  // The probe's case: 5,000 descriptors in one submission.
  assert.throws(() => validateStrategy(strategy([{ do: 'submit', wait: 'poll', descriptors: descriptors(5000) }])),
    /submits 5000 descriptors; at most 16 per submission/);
  assert.throws(() => validateStrategy(strategy(Array.from({ length: 17 }, () => ({ do: 'clflush' })))), /17 actions; at most 16/);
  const many = Array.from({ length: 5 }, () => ({ do: 'submit', wait: 'poll', descriptors: descriptors(16) }));
  assert.throws(() => validateStrategy(strategy(many)), /more than 64 descriptors in all/);
  // At the limits: accepted.
  validateStrategy(strategy(many.slice(0, 4)));
  assert.equal(STRATEGY_LIMITS.descriptors, 64);
  // What leaked a JavaScript message: `after: [null]`.
  assert.throws(() => validateStrategy(strategy([null])), /^StrategyError: strategy: after\[0\] must be an action/);
  assert.throws(() => validateStrategy(strategy([{ do: 'submit', wait: 'poll', descriptors: [null] }])), /a descriptor must be a mapping/);
});

test('check: --max-memory ends a large check as inconclusive, exit 3, with the reason', () => {
  // The probe's case: --requests 4 --dmas 4 --max-states 1e9 grew to 10.5 GB and died.
  const r = flushlab(['check', ...SL, '--strategy', 'baolu', '--requests', '4', '--dmas', '4', '--max-states', '100000000', '--max-memory', '64'], { timeout: 60_000 });
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /Verdict inconclusive \(memory budget of 64 MB reached\)/);
  const json = flushlab(['check', ...SL, '--strategy', 'baolu', '--requests', '4', '--dmas', '4', '--max-memory', '64', '--json']);
  assert.equal(json.status, 3);
  const j = JSON.parse(json.stdout) as { exhausted: string; stopReason: string };
  assert.equal(j.exhausted, 'memory');
  assert.equal(j.stopReason, 'memory budget of 64 MB reached');
});

test('the packed search honours the memory budget too', () => {
  // A budget below what any process uses: the first reading stops it.
  const sys = { words: 1, maxSuccessors: 1, initial: (out: Uint32Array, at: number) => { out[at] = 0; },
    successors: (src: Uint32Array, at: number, out: Uint32Array, labels: Int32Array) => { out[0] = src[at] + 1; labels[0] = 0; return 1; } };
  const r = searchPacked(sys as never, { budget: { maxMemoryMB: 1 } });
  assert.equal(r.exhausted, 'memory');
  assert.match(r.stopReason!, /memory budget of 1 MB/);
});

test('budgets have ceilings: one line, exit 2', async () => {
  for (const [flag, value] of [['--max-states', '1e9'], ['--max-states', '2.5'], ['--max-seconds', '1e9'], ['--max-seconds', '0'], ['--max-memory', '1'], ['--max-memory', '1e12']]) {
    for (const cmd of ['check', 'sweep']) {
      const r = await runCli([cmd, ...SL, '--strategy', 'baolu', flag, value]);
      assert.equal(r.code, 2, `${cmd} ${flag} ${value}: ${r.err}`);
      assert.match(r.err, new RegExp(`^flushlab: ${flag} must be a (whole )?number from \\S+ to \\d+ \\(got '${value.replace('.', '\\.')}'\\)\\n$`));
    }
  }
});

test('sweep workers share the memory budget; fewer workers when it is small', () => {
  assert.deepEqual(workerShare(8, 4096), { workers: 8, memoryMB: 512 });
  assert.deepEqual(workerShare(8, 600), { workers: 2, memoryMB: 300 });
  assert.deepEqual(workerShare(4, 100), { workers: 1, memoryMB: 100 });
  assert.deepEqual(workerShare(4, undefined), { workers: 4, memoryMB: undefined });
});

// Issue 16 item 4: 256 inconclusive rows printed "Safe when: never" and exited 0, and
// --max-seconds 1 applied per row (260 s).
test('sweep: any inconclusive row exits 3 and names the rows', async () => {
  const r = await runCli(['sweep', ...SL, '--strategy', 'baolu', '--max-states', '50', '--vary', 'iotlb-lookup-uses-did,pc-inv-drops-iotlb']);
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /Inconclusive: 4 rows \(a budget ran out\), as bits of\s+iotlb-lookup-uses-did, pc-inv-drops-iotlb:\s+00 01 10 11\n/);
  const json = await runCli(['sweep', ...SL, '--strategy', 'baolu', '--max-states', '50', '--vary', 'pc-inv-drops-iotlb', '--json']);
  assert.equal(json.code, 3);
  const ok = await runCli(['sweep', ...SL, '--strategy', 'baolu', '--requests', '1', '--dmas', '0', '--vary', 'pc-inv-drops-iotlb']);
  assert.equal(ok.code, 0, ok.out);
  assert.doesNotMatch(ok.out, /Inconclusive/);
});

test('sweep: --max-seconds is the budget of the whole sweep', () => {
  // 256 rows of a large workload; per-row budgets took 260 s. The whole sweep must end
  // near its budget: rows not reached are inconclusive without a check.
  const started = Date.now();
  const r = flushlab(['sweep', ...SL, '--strategy', 'baolu', '--requests', '4', '--dmas', '4', '--max-seconds', '1', '--workers', '1'], { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, new RegExp(`Inconclusive: ${rowCount(OPEN_ASSUMPTIONS)} rows \\(a budget ran out\\), as values of`));
  assert.ok(seconds < 30, `${seconds} s`); // loose: per-row budgets took 256 s
});
