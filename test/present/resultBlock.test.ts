import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assumptionChanges, costLine, presetOf, resultBlock } from '../../src/present/resultBlock';
import { canonicalScenario, parseExpectation, scenarioHash } from '../../src/scenarios/scenarioFile';
import { DEFAULT_DMAS, DEFAULT_REQUESTS } from '../../src/model/build';
import { STRATEGIES } from '../../src/model/strategies';
import { inconclusiveResult, safeResult, SPEC_DEFAULTS, unsafeResult } from './sample';

function lines(text: string): string[] {
  assert.ok(text.endsWith('\n'));
  const ls = text.slice(0, -1).split('\n');
  for (const l of ls) assert.ok(l.length <= 72 && /^[\x20-\x7e]*$/.test(l), `not mail text: ${l}`);
  return ls;
}

test('an unsafe result: herd7\'s Test, Ok and Condition; the violation listed; no herd7 count it cannot give', () => {
  const ls = lines(resultBlock(unsafeResult, { defaults: SPEC_DEFAULTS }));
  assert.equal(ls[0], 'Test jason-sl-sl-new-did Allowed');
  assert.equal(ls[1], 'Ok');
  assert.match(ls[2], /^ {2}stale-after-return at step 17: the device used the old/);
  assert.ok(ls.includes('Verdict unsafe stale-after-return'));
  assert.ok(ls.includes('Assume spec: device-discards-racing-completions=false'));
  assert.ok(ls.includes('Workload requests=2 dmas=2 warm'));
  assert.equal(ls[ls.length - 2], 'Explored 4211 states; stopped at the first violation');
  assert.match(ls[ls.length - 1], /^Hash=[0-9a-f]{32}$/);
  // herd7 reads these as counts over every final state; the search does not count those.
  for (const label of ['States', 'Witnesses', 'Positive', 'Negative', 'Observation', 'Time']) {
    assert.ok(!ls.some((l) => l.startsWith(label)), `no ${label} line: ${ls.join('\n')}`);
  }
});

test('a safe result: No, explored to the end; an inconclusive one claims neither and says which budget', () => {
  const safe = lines(resultBlock(safeResult, { defaults: SPEC_DEFAULTS }));
  assert.equal(safe[1], 'No');
  assert.ok(safe.includes('Explored 18342 states; every reachable state, no violation'));
  assert.ok(safe.some((l) => l === 'Assume jason: iotlb-lookup-uses-did=true pc-inv-waits-for-walks=true'), safe.join('\n'));
  const unknown = lines(resultBlock(inconclusiveResult, { defaults: SPEC_DEFAULTS }));
  assert.equal(unknown[1], 'Unknown');
  assert.ok(!unknown.includes('Ok') && !unknown.includes('No'));
  assert.ok(unknown.includes('Verdict inconclusive (the states budget ran out)'));
  assert.ok(unknown.some((l) => /^Explored \d+ states; stopped when the states budget ran out$/.test(l)), unknown.join('\n'));
  assert.ok(unknown.includes('Assume spec (all spec defaults)'));
});

test('the expectation line says ok or MISMATCH', () => {
  assert.match(resultBlock(unsafeResult, { expected: parseExpectation('unsafe stale-after-return') }), /^Expected unsafe stale-after-return \(ok\)$/m);
  assert.match(resultBlock(unsafeResult, { expected: parseExpectation('unsafe') }), /^Expected unsafe \(ok\)$/m);
  assert.match(resultBlock(unsafeResult, { expected: parseExpectation('unsafe hitless') }), /^Expected unsafe hitless \(MISMATCH\)$/m);
  assert.match(resultBlock(safeResult, { expected: parseExpectation('unsafe') }), /^Expected unsafe \(MISMATCH\)$/m);
});

test('Hash= is of the canonical scenario: name and spacing do not change it, the scenario does', () => {
  const h = scenarioHash(unsafeResult);
  assert.equal(scenarioHash({ ...unsafeResult, name: 'other' } as never), h);
  assert.equal(scenarioHash({ ...unsafeResult, from: ' sl:did=5, ssptptr=0x1000 ' }), h);
  // Entries are compared in their canonical compact form: field order does not matter.
  assert.equal(scenarioHash({ ...unsafeResult, to: 'sl:ssptptr=0x2000,did=6' }), h);
  assert.notEqual(scenarioHash({ ...unsafeResult, strategy: 'baolu' }), h);
  assert.notEqual(scenarioHash({ ...unsafeResult, requests: 1 }), h);
  assert.notEqual(scenarioHash({ ...unsafeResult, cold: true }), h);
  // Defaults written out or left out: the same scenario.
  assert.equal(scenarioHash({ from: 'a', to: 'b', strategy: 'jason' }), scenarioHash({ from: 'a', to: 'b', strategy: 'jason', assume: 'spec', requests: DEFAULT_REQUESTS, dmas: DEFAULT_DMAS, cold: false }));
  assert.notEqual(scenarioHash({ from: 'a', to: 'b', strategy: 'jason' }), scenarioHash({ from: 'a', to: 'b', strategy: 'jason', dmas: DEFAULT_DMAS + 1 }));
  // A strategy written as a value hashes by content, independent of key order.
  const mine = structuredClone(STRATEGIES.jason);
  const reordered = Object.fromEntries(Object.entries(mine).reverse()) as typeof mine;
  assert.equal(scenarioHash({ from: 'a', to: 'b', strategy: mine }), scenarioHash({ from: 'a', to: 'b', strategy: reordered }));
  assert.notEqual(scenarioHash({ from: 'a', to: 'b', strategy: mine }), scenarioHash({ from: 'a', to: 'b', strategy: { ...mine, after: [] } }));
  assert.equal(canonicalScenario({ from: 'a', to: 'b', strategy: 'jason' }), `from=a\nto=b\nstrategy=jason\nassume=spec\nrequests=${DEFAULT_REQUESTS}\ndmas=${DEFAULT_DMAS}\ncold=false\n`);
  assert.match(resultBlock(unsafeResult), new RegExp(`^Hash=${h}$`, 'm'));
});

test('the preset is the first word without =; only assumptions off their defaults are listed', () => {
  assert.equal(presetOf('jason,coherent=false'), 'jason');
  assert.equal(presetOf('coherent=false'), 'spec');
  assert.deepEqual(assumptionChanges({ ...SPEC_DEFAULTS, coherent: false, 'entry-fetch-bits': 64 }, SPEC_DEFAULTS), ['entry-fetch-bits=64', 'coherent=false']);
  // Without the typed string, the largest preset whose settings all hold is named.
  assert.match(resultBlock({ ...safeResult, assume: 'iotlb-lookup-uses-did=true,pc-inv-waits-for-walks=true' }), /^Assume jason: iotlb-lookup-uses-did=true pc-inv-waits-for-walks=true$/m);
  // A preset whose settings are all spec defaults (baolu: drain-scope=in-flight) is not named for them.
  assert.match(resultBlock({ ...unsafeResult, assume: 'spec' }, { defaults: SPEC_DEFAULTS }), /^Assume spec: device-discards-racing-completions=false$/m);
  assert.match(resultBlock({ ...unsafeResult, assume: 'device-discards-racing-completions=false' }), /^Assume spec: device-discards-racing-completions=false$/m);
  // With the preset the user typed (the result only holds resolved values).
  assert.match(resultBlock({ ...safeResult, assume: 'iotlb-lookup-uses-did=true,pc-inv-waits-for-walks=true' }, { defaults: SPEC_DEFAULTS, assume: 'baolu' }), /^Assume baolu: iotlb-lookup-uses-did=true pc-inv-waits-for-walks=true$/m);
});

test('cost: descriptors by type in issue order, never split from their count', () => {
  assert.equal(costLine(safeResult.cost), '12 descriptors (pc_inv=2 p_iotlb_inv=2 dev_tlb_inv=2 inv_wait=6), 6 submissions, 6 waits, 2 Device-TLB invs, 2 syncs, 0 clflushes');
  const block = resultBlock(safeResult);
  assert.match(block, /^Cost 12 descriptors \(pc_inv=2 p_iotlb_inv=2 dev_tlb_inv=2 inv_wait=6\)\n  6 submissions, 6 waits, 2 Device-TLB invs, 2 syncs, 0 clflushes$/m);
});

test('the block is the same bytes on every run; Time only on request', () => {
  assert.equal(resultBlock(unsafeResult), resultBlock(structuredClone(unsafeResult)));
  assert.match(resultBlock(unsafeResult, { time: true }), /^Time jason-sl-sl-new-did 0\.06$/m);
});

test('caching mode: the block says what CM=1 covers and what it does not (the host shadowing)', () => {
  const cm = lines(resultBlock({ ...unsafeResult, assumptions: { ...SPEC_DEFAULTS, 'caching-mode': true } }, { defaults: SPEC_DEFAULTS }));
  const at = cm.findIndex((l) => l.startsWith('Note caching mode covers CM=1'));
  assert.ok(at > 0, cm.join('\n'));
  assert.match(cm.slice(at, at + 3).join(' '), /not modelled/);
  assert.ok(cm.every((l) => l.length <= 72));
  // Without caching mode there is no note.
  assert.ok(!lines(resultBlock(unsafeResult, { defaults: SPEC_DEFAULTS })).some((l) => l.startsWith('Note')));
});
